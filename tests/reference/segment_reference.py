# SPDX-License-Identifier: MIT
# Reference numbers for tests/segment_test.cpp and benchmarks/bench_segment.cpp, computed with
# scikit-learn. A tool, not a dependency: CI never runs it. Run with Debian 12's packages
# (python3-sklearn 1.2.1, python3-pandas 1.5.3, numpy 1.24.2):
#   /usr/bin/python3 tests/reference/segment_reference.py ../shared/data/online_retail.csv.gz
# Prints the RFM table's check sums, k-means inertia / silhouette / Calinski-Harabasz for
# k = 2..8 (best of 10 k-means++ inits), the same metrics for a fixed rule labelling, and the
# single-threaded time of one Lloyd iteration on 1,000,000 x 5 points, k = 8.
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # single-threaded, before numpy/sklearn load

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, silhouette_score
from sklearn.preprocessing import StandardScaler

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/online_retail.csv.gz"
print("sklearn", sklearn.__version__, "pandas", pd.__version__, "numpy", np.__version__)

# --- the RFM table ----------------------------------------------------------------------------
df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str}, parse_dates=["InvoiceDate"])
df = df[df["CustomerID"].notna() & (df["Quantity"] > 0) & ~df["InvoiceNo"].str.startswith("C")]
df = df.assign(amount=df["Quantity"] * df["UnitPrice"], day=df["InvoiceDate"].dt.normalize())
analysis_date = pd.Timestamp("2011-12-10")  # the day after the last invoice (2011-12-09)
g = df.groupby("CustomerID")
rfm = pd.DataFrame({
    "recency": (analysis_date - g["day"].max()).dt.days.astype(float),
    "frequency": g["InvoiceNo"].nunique().astype(float),
    "monetary": g["amount"].sum(),
})
print("lines", len(df), "customers", len(rfm))
print("sum recency %.0f  sum frequency %.0f  sum monetary %.6f" %
      (rfm["recency"].sum(), rfm["frequency"].sum(), rfm["monetary"].sum()))
print("customer 12347:", rfm.loc[12347.0].tolist(), " customer 17850:", rfm.loc[17850.0].tolist())
rfm.to_csv("/tmp/segment_rfm_python.csv", index_label="customer_id")

X = StandardScaler().fit_transform(np.log1p(rfm[["recency", "frequency", "monetary"]].to_numpy()))
print("log1p means", np.log1p(rfm.to_numpy()).mean(axis=0), "std (ddof=0)", np.log1p(rfm.to_numpy()).std(axis=0))

# --- k = 2..8 ---------------------------------------------------------------------------------
# The labels go to tests/reference/online_retail_kmeans_labels.csv, so the C++ test can score
# scikit-learn's own labels with patron's silhouette and Calinski-Harabasz.
labels = {}
for k in range(2, 9):
    km = KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd").fit(X)
    labels["k%d" % k] = km.labels_
    sizes = sorted(np.bincount(km.labels_).tolist(), reverse=True)
    print("k=%d inertia=%.6f silhouette=%.6f calinski_harabasz=%.6f sizes=%s" %
          (k, km.inertia_, silhouette_score(X, km.labels_), calinski_harabasz_score(X, km.labels_),
           sizes))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "online_retail_kmeans_labels.csv")
pd.DataFrame(labels, index=rfm.index.astype(int)).to_csv(out, index_label="customer_id")

# --- metrics for a labelling both sides can compute exactly --------------------------------------
rule = ((rfm["recency"] > 90).astype(int) + 2 * (rfm["frequency"] > 3).astype(int)).to_numpy()
print("rule labels sizes", np.bincount(rule).tolist(), "silhouette=%.9f calinski_harabasz=%.9f" %
      (silhouette_score(X, rule), calinski_harabasz_score(X, rule)))

# --- timing: one Lloyd iteration, 1M x 5, k = 8, one thread ------------------------------------
# Uniform data keeps Lloyd moving for 20 iterations (tol = 0); the time of a 1-iteration fit is
# subtracted, so validation, copies and the final assignment do not count.
rng = np.random.default_rng(42)
n, d, k = 1_000_000, 5, 8
P = rng.random((n, d))
init = P[:k].copy()
def fit_time(iters):
    t0, c0 = time.perf_counter(), time.process_time()
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd").fit(P)
    return time.perf_counter() - t0, time.process_time() - c0, km.n_iter_
for rep in range(5):
    w1, c1, _ = fit_time(1)
    w21, c21, it = fit_time(21)
    print("lloyd: %d iterations in %.3f s; per iteration %.1f ns per point (wall), %.1f (cpu)" %
          (it, w21, (w21 - w1) / (it - 1) / n * 1e9, (c21 - c1) / (it - 1) / n * 1e9))

# --- timing: whole fits (k-means++ seeding + Lloyd to convergence, n_init = 1), same data -----------
for rep in range(5):
    t0 = time.perf_counter()
    km = KMeans(n_clusters=k, n_init=1, random_state=rep, algorithm="lloyd").fit(P)
    t1 = time.perf_counter()
    print("full fit: %.3f s, %d iterations" % (t1 - t0, km.n_iter_))
