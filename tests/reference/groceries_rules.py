#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Independent reference for `patron rules` on groceries.csv: brute-force Apriori in plain
# Python (no mlxtend available here) with mlxtend's documented metric definitions, compared
# field by field with the CLI's CSV. Not run by CI (CI needs no Python); run by hand:
#   python3 tests/reference/groceries_rules.py ../shared/data/groceries.csv rules.csv
# where rules.csv = `patron rules --input ../shared/data/groceries.csv`.
import csv
import itertools
import math
import sys

MIN_SUPPORT, MIN_CONFIDENCE = 0.01, 0.3


def main(baskets_path, cli_csv):
    with open(baskets_path, newline="") as f:
        baskets = [frozenset(row) for row in csv.reader(f)]
    n = len(baskets)
    counts = {}
    for b in baskets:
        items = sorted(b)
        for k in (1, 2, 3, 4):
            for combo in itertools.combinations(items, k):
                counts[combo] = counts.get(combo, 0) + 1
    freq = {k: c / n for k, c in counts.items() if c / n >= MIN_SUPPORT}
    sizes = [sum(1 for k in freq if len(k) == L) for L in (1, 2, 3, 4)]
    print("itemsets", len(freq), "by size", sizes)
    rules = {}
    for s, sac in freq.items():
        if len(s) < 2:
            continue
        for r in range(1, len(s)):
            for a in itertools.combinations(s, r):
                c = tuple(x for x in s if x not in a)
                sa, sc = freq[a], freq[c]
                conf = sac / sa
                if conf < MIN_CONFIDENCE:
                    continue
                lev = sac - sa * sc
                conv = math.inf if conf == 1 else (1 - sc) / (1 - conf)
                rules[("|".join(a), "|".join(c))] = (sac, conf, conf / sc, lev, conv)
    print("rules", len(rules))
    with open(cli_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(rules), (len(rows), len(rules))
    worst = 0.0
    for row in rows:
        ref = rules[(row["antecedents"], row["consequents"])]
        got = [float(row[k]) for k in ("support", "confidence", "lift", "leverage", "conviction")]
        worst = max(worst, max(abs(x - y) for x, y in zip(ref, got)))
    print("max abs difference over all metrics", worst)
    top = max(rules.items(), key=lambda kv: kv[1][2])
    print("top lift", top[0], round(top[1][2], 4))
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
