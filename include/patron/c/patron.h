/* SPDX-License-Identifier: MIT */
/* patron's stable C ABI (libpatron_c.so.1): fit, save, load and batch-score customers from C,
 * Go (cgo), Java (JNI/FFM), Python (ctypes) or a database UDF without any C++ crossing over. */
#ifndef PATRON_C_PATRON_H
#define PATRON_C_PATRON_H

#include <stddef.h>
#include <stdint.h>

/*
 * Conventions (every function below follows them):
 *  - Names are patron_<noun>_<verb>; handles are opaque, created by ..._new / ..._fit /
 *    ..._load / ..._from_*, and released by ..._free (NULL is allowed and does nothing).
 *  - Every function returns a patron_status: PATRON_OK (0) or one of the codes below, which
 *    equal the C++ library's patron::errc values and are only ever appended. The four
 *    infallible queries patron_version, patron_version_string, patron_status_name and
 *    patron_last_error are the exceptions: they return their value directly.
 *  - On failure patron_last_error() holds this thread's message, e.g.
 *      [patron.out_of_range] patron_bgnbd_p_alive:3: x = "1.5": must be a whole number >= 0
 *    (row 3 of the arrays given); it stays valid until this thread's next patron_* call.
 *    A handle out-parameter is set only on success; after a failed batch call the contents of
 *    its output array are unspecified.
 *  - Out-parameters come last. Arrays are a pointer plus a length; outputs are allocated by
 *    the caller with the same length. A NULL pointer is allowed only with a zero length.
 *  - No C++ exception ever crosses this interface (out of memory is PATRON_OUT_OF_MEMORY).
 *  - Models are immutable after creation: any number of threads may score with one handle at
 *    the same time. A handle must not be freed while another thread uses it.
 *  - Option and report structs start with `struct_size` (set by ..._init) so later minor
 *    releases can append fields without breaking callers compiled against this header.
 *  - Customer columns follow Fader, Hardie & Lee (2005): x = repeat purchases, t_x = time of the
 *    last repeat purchase, T = age, all in the model's time unit, measured from the first
 *    purchase; monetary = mean value of the repeat purchases.
 */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PATRON_C_BUILDING)
#  define PATRON_CAPI __attribute__((visibility("default")))
#else
#  define PATRON_CAPI
#endif

/* ---- status codes (= patron::errc) -------------------------------------------------------- */
typedef int32_t patron_status;
#define PATRON_OK 0
#define PATRON_INVALID_ARGUMENT 1 /* an argument out of range, a NULL pointer, a wrong handle */
#define PATRON_IO_ERROR 2         /* a file cannot be opened, read or written */
#define PATRON_EMPTY_INPUT 3      /* no data rows / no customers */
#define PATRON_MISSING_COLUMN 4
#define PATRON_RAGGED_ROW 5
#define PATRON_BAD_NUMBER 6
#define PATRON_BAD_DATE 7
#define PATRON_MISSING_VALUE 8
#define PATRON_OUT_OF_RANGE 9 /* a value outside its allowed range (NaN, negative, t_x > T, ...) */
#define PATRON_BAD_ENCODING 10
#define PATRON_LINE_TOO_LONG 11
#define PATRON_RETURN_ROW 12
#define PATRON_NUMERIC_ERROR 13 /* a computation left the range it is defined on */
#define PATRON_BAD_MODEL 14     /* a model file that cannot be loaded */
#define PATRON_BAD_RULE 15
#define PATRON_INTERNAL 16      /* a bug: please report it with the message */
#define PATRON_OUT_OF_MEMORY 17

/* ---- version and errors ------------------------------------------------------------------- */
/** The compiled library's version, major·10000 + minor·100 + patch (compare with the
 *  PATRON_VERSION macro of patron/version.hpp to detect a header/library mismatch). */
PATRON_CAPI int32_t patron_version(void);
/** The compiled library's version as text, "1.0.0" (static storage). */
PATRON_CAPI const char* patron_version_string(void);
/** The catalogue name of a status ("bad_number"), or "unknown" (static storage). */
PATRON_CAPI const char* patron_status_name(patron_status status);
/** The calling thread's last error message ("" after a success); valid until this thread's
 *  next patron_* call. Never NULL. */
PATRON_CAPI const char* patron_last_error(void);

/* ---- transaction log ---------------------------------------------------------------------- */
/** A purchase log (customer id, time, amount per row). */
typedef struct patron_transaction_log patron_transaction_log;

/** How a log file is read; initialise with patron_read_options_init. Column names are header
 *  names (case-insensitive); NULL or "" lets the reader detect the column. */
typedef struct patron_read_options {
  size_t struct_size;          /* sizeof(patron_read_options) of the caller's header */
  char delimiter;              /* 0 = detect; ' ' = runs of blanks (CDNOW's layout) */
  int32_t header;              /* 0 = detect, 1 = first row is a header, 2 = no header */
  const char* customer_column; /* header name, or NULL */
  const char* date_column;
  const char* amount_column;
  int32_t customer_position;   /* 1-based column position used when > 0 (files without header) */
  int32_t date_position;
  int32_t amount_position;
  int32_t returns;             /* rows with negative amounts: 0 = drop, 1 = net off, 2 = error */
  int32_t lenient;             /* nonzero: skip and count bad rows instead of failing */
  const char* item_column;     /* product column (for recommendations), or NULL */
  int32_t item_position;       /* 1-based, used when > 0 */
} patron_read_options;

/** Fills *options with the defaults (detect everything, strict, drop returns). */
PATRON_CAPI patron_status patron_read_options_init(patron_read_options* options);

/** A log from arrays: row i is customer_ids[i] (NUL-terminated) buying `amounts[i]` at
 *  `times[i]` (seconds since 1970-01-01, shop-local). n = 0 is PATRON_EMPTY_INPUT; NaN or
 *  infinite amounts are PATRON_BAD_NUMBER naming the row. */
PATRON_CAPI patron_status patron_transaction_log_from_arrays(const char* const* customer_ids,
                                                             const int64_t* times,
                                                             const double* amounts, size_t n,
                                                             patron_transaction_log** out);
/** The same with an item (product) per row, as recommendations need: row i is customer_ids[i]
 *  buying item_ids[i] for amounts[i] at times[i]. */
PATRON_CAPI patron_status patron_transaction_log_from_items(const char* const* customer_ids,
                                                            const char* const* item_ids,
                                                            const int64_t* times,
                                                            const double* amounts, size_t n,
                                                            patron_transaction_log** out);
/** Reads a CSV/TSV/blank-separated file (optionally gzip'd); options NULL = defaults.
 *  *rows_skipped (may be NULL) receives the rows a lenient read skipped. */
PATRON_CAPI patron_status patron_transaction_log_read(const char* path,
                                                      const patron_read_options* options,
                                                      patron_transaction_log** out,
                                                      uint64_t* rows_skipped);
/** Number of rows kept. */
PATRON_CAPI patron_status patron_transaction_log_size(const patron_transaction_log* log,
                                                      size_t* out);
PATRON_CAPI void patron_transaction_log_free(patron_transaction_log* log);

/* ---- customer summaries ------------------------------------------------------------------- */
/** One row per customer: id, x, t_x, T, monetary, total (spend incl. the first purchase). */
typedef struct patron_summary patron_summary;

/** How a log is summarised; initialise with patron_summary_options_init. */
typedef struct patron_summary_options {
  size_t struct_size;
  double unit_days;             /* model time unit in days: 7 = week (default), 1 = day */
  int32_t has_observation_end;  /* nonzero: observation_end is used, else the log's last day */
  int32_t observation_end;      /* last day observed, days since 1970-01-01 */
} patron_summary_options;

PATRON_CAPI patron_status patron_summary_options_init(patron_summary_options* options);

/** Summarises a log (purchases on one calendar day are one transaction, as in the papers). */
PATRON_CAPI patron_status patron_summary_from_log(const patron_transaction_log* log,
                                                  const patron_summary_options* options,
                                                  patron_summary** out);
/** Reads a summary CSV with columns id, x (or frequency), t_x (or recency), T, and optionally
 *  monetary/zbar, in units of unit_days. */
PATRON_CAPI patron_status patron_summary_read(const char* path, double unit_days,
                                              patron_summary** out);
/** Number of customers. */
PATRON_CAPI patron_status patron_summary_size(const patron_summary* summary, size_t* out);

/** Column selectors of patron_summary_column. */
#define PATRON_COLUMN_X 0
#define PATRON_COLUMN_T_X 1
#define PATRON_COLUMN_T 2
#define PATRON_COLUMN_MONETARY 3
#define PATRON_COLUMN_TOTAL 4

/** A pointer to one column of the summary (no copy; valid until the summary is freed) and its
 *  length, ready to pass to the scoring functions. */
PATRON_CAPI patron_status patron_summary_column(const patron_summary* summary, int32_t column,
                                                const double** data, size_t* n);
/** The id of customer i (NUL-terminated; valid until the summary is freed). */
PATRON_CAPI patron_status patron_summary_id(const patron_summary* summary, size_t i,
                                            const char** id);
PATRON_CAPI void patron_summary_free(patron_summary* summary);

/* ---- model fitting ------------------------------------------------------------------------ */
/** Options of every ..._fit; initialise with patron_fit_options_init. */
typedef struct patron_fit_options {
  size_t struct_size;
  double penalty;         /* L2 penalty on the parameters, >= 0 (default 0) */
  int32_t max_iterations; /* L-BFGS iterations per start, >= 1 (default 1000) */
  double tolerance;       /* gradient norm of the mean negative log-likelihood (default 1e-7) */
  const double* start;    /* starting parameters in the model's order, or NULL */
  size_t n_start;         /* 0, or the model's parameter count */
} patron_fit_options;

PATRON_CAPI patron_status patron_fit_options_init(patron_fit_options* options);

/** Fit outcome (status values below). A fit that did not converge still returns PATRON_OK
 *  and a usable model: check `status`. */
#define PATRON_FIT_CONVERGED 0
#define PATRON_FIT_MAX_ITERATIONS 1
#define PATRON_FIT_LINE_SEARCH_FAILED 2
#define PATRON_FIT_BOUNDARY 3 /* a parameter ran to the edge of its range: not identified */

/** What a fit reports. The caller sets struct_size (patron_fit_report_init); the library
 *  writes only the fields that fit in it. */
typedef struct patron_fit_report {
  size_t struct_size;
  int32_t status;          /* PATRON_FIT_* */
  int32_t iterations;
  double log_likelihood;   /* total log-likelihood at the optimum */
  double gradient_norm;
  size_t n_params;         /* 4 (BG/NBD, MBG/NBD, Pareto/NBD) or 3 (Gamma-Gamma) */
  double params[4];        /* in the model's order (see each model) */
  double std_errors[4];    /* +inf where the Hessian is singular */
  size_t n_customers;      /* rows given */
  size_t n_used;           /* rows the likelihood used */
  size_t n_excluded;       /* Gamma-Gamma: rows left out (x = 0 or monetary <= 0) */
} patron_fit_report;

PATRON_CAPI patron_status patron_fit_report_init(patron_fit_report* report);

/* ---- BG/NBD (Fader, Hardie & Lee 2005), parameters r, alpha, a, b ------------------------- */
/*
 * The same set of functions exists for patron_mbgnbd (MBG/NBD, Batislam et al. 2007, params
 * r, alpha, a, b) and patron_pnbd (Pareto/NBD, Schmittlein et al. 1987, params r, alpha, s,
 * beta). Batch members take n customers as three arrays and write n outputs; every input row
 * is checked (x a whole number >= 0, 0 <= t_x <= T, all finite) and the first bad row named.
 *   _new        a model from known parameters (n_params = 4) and its unit in days
 *   _fit        maximum likelihood; `options` and `report` may be NULL
 *   _params     copies the parameters (n_params >= 4) and the unit in days (may be NULL)
 *   _save/_load a versioned JSON model file (the same format as `patron fit`)
 *   _to_json    the JSON text into buf (capacity `size`, NUL-terminated); *needed (may be
 *               NULL) receives strlen + 1; a too small buffer is PATRON_INVALID_ARGUMENT
 *   _from_json  parses that text
 *   _p_alive, _expected_purchases (in the next t units), _dert (continuous discount rate
 *   delta per model unit), _clv (DERT × Gamma-Gamma expected spend × margin, annual discrete
 *   discount rate converted to the model's unit; FHL 2005 JMR eq. 1 form).
 */
typedef struct patron_bgnbd patron_bgnbd;

PATRON_CAPI patron_status patron_bgnbd_new(const double* params, size_t n_params, double unit_days,
                                           patron_bgnbd** out);
PATRON_CAPI patron_status patron_bgnbd_fit(const double* x, const double* t_x, const double* T,
                                           size_t n, double unit_days,
                                           const patron_fit_options* options,
                                           patron_bgnbd** out, patron_fit_report* report);
PATRON_CAPI patron_status patron_bgnbd_params(const patron_bgnbd* model, double* params,
                                              size_t n_params, double* unit_days);
PATRON_CAPI patron_status patron_bgnbd_save(const patron_bgnbd* model, const char* path);
PATRON_CAPI patron_status patron_bgnbd_load(const char* path, patron_bgnbd** out);
PATRON_CAPI patron_status patron_bgnbd_to_json(const patron_bgnbd* model, char* buf, size_t size,
                                               size_t* needed);
PATRON_CAPI patron_status patron_bgnbd_from_json(const char* text, patron_bgnbd** out);
PATRON_CAPI patron_status patron_bgnbd_p_alive(const patron_bgnbd* model, const double* x,
                                               const double* t_x, const double* T, size_t n,
                                               double* out);
PATRON_CAPI patron_status patron_bgnbd_expected_purchases(const patron_bgnbd* model, double t,
                                                          const double* x, const double* t_x,
                                                          const double* T, size_t n, double* out);
PATRON_CAPI patron_status patron_bgnbd_dert(const patron_bgnbd* model, double delta,
                                            const double* x, const double* t_x, const double* T,
                                            size_t n, double* out);
typedef struct patron_gamma_gamma patron_gamma_gamma;
PATRON_CAPI patron_status patron_bgnbd_clv(const patron_bgnbd* model,
                                           const patron_gamma_gamma* spend, double annual_rate,
                                           double margin, const double* x, const double* t_x,
                                           const double* T, const double* monetary, size_t n,
                                           double* out);
PATRON_CAPI void patron_bgnbd_free(patron_bgnbd* model);

/* ---- MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD ------------------------------ */
typedef struct patron_mbgnbd patron_mbgnbd;

PATRON_CAPI patron_status patron_mbgnbd_new(const double* params, size_t n_params,
                                            double unit_days, patron_mbgnbd** out);
PATRON_CAPI patron_status patron_mbgnbd_fit(const double* x, const double* t_x, const double* T,
                                            size_t n, double unit_days,
                                            const patron_fit_options* options,
                                            patron_mbgnbd** out, patron_fit_report* report);
PATRON_CAPI patron_status patron_mbgnbd_params(const patron_mbgnbd* model, double* params,
                                               size_t n_params, double* unit_days);
PATRON_CAPI patron_status patron_mbgnbd_save(const patron_mbgnbd* model, const char* path);
PATRON_CAPI patron_status patron_mbgnbd_load(const char* path, patron_mbgnbd** out);
PATRON_CAPI patron_status patron_mbgnbd_to_json(const patron_mbgnbd* model, char* buf,
                                                size_t size, size_t* needed);
PATRON_CAPI patron_status patron_mbgnbd_from_json(const char* text, patron_mbgnbd** out);
PATRON_CAPI patron_status patron_mbgnbd_p_alive(const patron_mbgnbd* model, const double* x,
                                                const double* t_x, const double* T, size_t n,
                                                double* out);
PATRON_CAPI patron_status patron_mbgnbd_expected_purchases(const patron_mbgnbd* model, double t,
                                                           const double* x, const double* t_x,
                                                           const double* T, size_t n,
                                                           double* out);
PATRON_CAPI patron_status patron_mbgnbd_dert(const patron_mbgnbd* model, double delta,
                                             const double* x, const double* t_x, const double* T,
                                             size_t n, double* out);
PATRON_CAPI patron_status patron_mbgnbd_clv(const patron_mbgnbd* model,
                                            const patron_gamma_gamma* spend, double annual_rate,
                                            double margin, const double* x, const double* t_x,
                                            const double* T, const double* monetary, size_t n,
                                            double* out);
PATRON_CAPI void patron_mbgnbd_free(patron_mbgnbd* model);

/* ---- Pareto/NBD (Schmittlein, Morrison & Colombo 1987), params r, alpha, s, beta ----------- */
typedef struct patron_pnbd patron_pnbd;

PATRON_CAPI patron_status patron_pnbd_new(const double* params, size_t n_params, double unit_days,
                                          patron_pnbd** out);
PATRON_CAPI patron_status patron_pnbd_fit(const double* x, const double* t_x, const double* T,
                                          size_t n, double unit_days,
                                          const patron_fit_options* options, patron_pnbd** out,
                                          patron_fit_report* report);
PATRON_CAPI patron_status patron_pnbd_params(const patron_pnbd* model, double* params,
                                             size_t n_params, double* unit_days);
PATRON_CAPI patron_status patron_pnbd_save(const patron_pnbd* model, const char* path);
PATRON_CAPI patron_status patron_pnbd_load(const char* path, patron_pnbd** out);
PATRON_CAPI patron_status patron_pnbd_to_json(const patron_pnbd* model, char* buf, size_t size,
                                              size_t* needed);
PATRON_CAPI patron_status patron_pnbd_from_json(const char* text, patron_pnbd** out);
PATRON_CAPI patron_status patron_pnbd_p_alive(const patron_pnbd* model, const double* x,
                                              const double* t_x, const double* T, size_t n,
                                              double* out);
PATRON_CAPI patron_status patron_pnbd_expected_purchases(const patron_pnbd* model, double t,
                                                         const double* x, const double* t_x,
                                                         const double* T, size_t n, double* out);
PATRON_CAPI patron_status patron_pnbd_dert(const patron_pnbd* model, double delta,
                                           const double* x, const double* t_x, const double* T,
                                           size_t n, double* out);
PATRON_CAPI patron_status patron_pnbd_clv(const patron_pnbd* model,
                                          const patron_gamma_gamma* spend, double annual_rate,
                                          double margin, const double* x, const double* t_x,
                                          const double* T, const double* monetary, size_t n,
                                          double* out);
PATRON_CAPI void patron_pnbd_free(patron_pnbd* model);

/* ---- Gamma-Gamma spend model (Fader, Hardie & Lee 2005 note), params p, q, gamma ----------- */
/* Fit uses the customers with x > 0 and monetary > 0 (the others are counted in
 * report->n_excluded); expected_spend gives x = 0 customers the population mean. */
PATRON_CAPI patron_status patron_gamma_gamma_new(const double* params, size_t n_params,
                                                 patron_gamma_gamma** out);
PATRON_CAPI patron_status patron_gamma_gamma_fit(const double* x, const double* monetary,
                                                 size_t n, const patron_fit_options* options,
                                                 patron_gamma_gamma** out,
                                                 patron_fit_report* report);
PATRON_CAPI patron_status patron_gamma_gamma_params(const patron_gamma_gamma* model,
                                                    double* params, size_t n_params);
PATRON_CAPI patron_status patron_gamma_gamma_save(const patron_gamma_gamma* model,
                                                  const char* path);
PATRON_CAPI patron_status patron_gamma_gamma_load(const char* path, patron_gamma_gamma** out);
PATRON_CAPI patron_status patron_gamma_gamma_to_json(const patron_gamma_gamma* model, char* buf,
                                                     size_t size, size_t* needed);
PATRON_CAPI patron_status patron_gamma_gamma_from_json(const char* text,
                                                       patron_gamma_gamma** out);
/** E[mean spend per transaction | x, monetary] (FHL 2005 note eq. 5). */
PATRON_CAPI patron_status patron_gamma_gamma_expected_spend(const patron_gamma_gamma* model,
                                                            const double* x,
                                                            const double* monetary, size_t n,
                                                            double* out);
PATRON_CAPI void patron_gamma_gamma_free(patron_gamma_gamma* model);

/* ---- RFM scores and segments ------------------------------------------------------------ */
/* Recency in days since the last purchase, frequency (orders), monetary (spend) per customer;
 * scores 1..bins, R reversed so the most recent customers get the highest R. */
typedef struct patron_rfm_thresholds patron_rfm_thresholds;

/** Binning methods (see patron/rfm/binning.hpp for the exact rules and worked examples). */
#define PATRON_RFM_QUANTILE 0   /* type-7 quantile cut points, bins closed on the right */
#define PATRON_RFM_R_RFM 1      /* the R package `rfm` 0.3.0 rule */
#define PATRON_RFM_NTILE 2      /* equal-count bins by rank (SQL NTILE) */
#define PATRON_RFM_MEAN_SPLIT 4 /* two bins against the mean (for the "cn8" table) */

/** Fits cut points on these customers (bins 2..9; ignored by MEAN_SPLIT, which uses 2). Every
 *  value must be finite and >= 0 (monetary may be negative when allow_negative is nonzero). */
PATRON_CAPI patron_status patron_rfm_thresholds_fit(const double* recency, const double* frequency,
                                                    const double* monetary, size_t n,
                                                    int32_t method, int32_t bins,
                                                    int32_t allow_negative,
                                                    patron_rfm_thresholds** out);
/** Scores any customers with fitted thresholds: r, f, m get 1..bins each (caller's arrays). */
PATRON_CAPI patron_status patron_rfm_thresholds_score(const patron_rfm_thresholds* thresholds,
                                                      const double* recency,
                                                      const double* frequency,
                                                      const double* monetary, size_t n,
                                                      uint8_t* r, uint8_t* f, uint8_t* m);
/** Number of bins of the thresholds. */
PATRON_CAPI patron_status patron_rfm_thresholds_bins(const patron_rfm_thresholds* thresholds,
                                                     int32_t* bins);
/** JSON threshold files, so scores stay stable between runs. */
PATRON_CAPI patron_status patron_rfm_thresholds_save(const patron_rfm_thresholds* thresholds,
                                                     const char* path);
PATRON_CAPI patron_status patron_rfm_thresholds_load(const char* path,
                                                     patron_rfm_thresholds** out);
PATRON_CAPI void patron_rfm_thresholds_free(patron_rfm_thresholds* thresholds);

/** An ordered segment rule table (first matching rule wins), compiled for O(1) lookups. */
typedef struct patron_rfm_segments patron_rfm_segments;

/** A built-in table: "rfm10" (R `rfm`'s 10 segments), "value4", "cn8" (Chinese labels) or
 *  "cn8-en" (English labels). */
PATRON_CAPI patron_status patron_rfm_segments_builtin(const char* name, patron_rfm_segments** out);
/** A rule table file (CSV name,r_min,r_max,f_min,f_max,m_min,m_max or JSON), checked. */
PATRON_CAPI patron_status patron_rfm_segments_read(const char* path, patron_rfm_segments** out);
/** Segment index per customer (into the labels; the fallback is the last index). */
PATRON_CAPI patron_status patron_rfm_segments_assign(const patron_rfm_segments* segments,
                                                     const uint8_t* r, const uint8_t* f,
                                                     const uint8_t* m, size_t n, uint16_t* out);
/** Number of labels (rules + 1 for the fallback). */
PATRON_CAPI patron_status patron_rfm_segments_count(const patron_rfm_segments* segments,
                                                    size_t* out);
/** Label i (UTF-8, NUL-terminated; valid until the table is freed). */
PATRON_CAPI patron_status patron_rfm_segments_label(const patron_rfm_segments* segments, size_t i,
                                                    const char** label);
PATRON_CAPI void patron_rfm_segments_free(patron_rfm_segments* segments);

/* ---- k-means segments: score new customers with a saved segmentation ---------------------- */
/** A fitted segmentation (feature scaling + centroids), as written by `patron segment`. */
typedef struct patron_kmeans patron_kmeans;

/** Loads a segment model file (JSON, kind "patron.segment_model"). */
PATRON_CAPI patron_status patron_kmeans_load(const char* path, patron_kmeans** out);
PATRON_CAPI patron_status patron_kmeans_from_json(const char* text, patron_kmeans** out);
/** Number of clusters k and of features d. */
PATRON_CAPI patron_status patron_kmeans_dims(const patron_kmeans* model, size_t* k, size_t* d);
/** Name of feature j (the column order predict expects; valid until the model is freed). */
PATRON_CAPI patron_status patron_kmeans_feature(const patron_kmeans* model, size_t j,
                                                const char** name);
/** Nearest centroid per customer: `features` is n rows of d raw values (row-major), scaled as
 *  at training; labels[i] in 0..k-1 (lowest index on ties); distances (may be NULL) are
 *  Euclidean in the scaled space. A non-finite value is PATRON_BAD_NUMBER naming row and column. */
PATRON_CAPI patron_status patron_kmeans_predict(const patron_kmeans* model, const double* features,
                                                size_t n, size_t d, int32_t* labels,
                                                double* distances);
PATRON_CAPI void patron_kmeans_free(patron_kmeans* model);

/* ---- recommendations: item-item neighbours, top-N per customer ----------------------------- */
/** Item-item kNN (Sarwar et al. 2001; Deshpande & Karypis 2004) fitted on a log with items; the
 *  customer × item values are purchase counts. Immutable: many threads may ask at once. */
typedef struct patron_recommender patron_recommender;

/** Similarities: see patron/recommend/item_knn.hpp for the formulas. */
#define PATRON_SIMILARITY_COSINE 0
#define PATRON_SIMILARITY_JACCARD 1
#define PATRON_SIMILARITY_BM25 2
#define PATRON_SIMILARITY_TFIDF 3

/** Fits on a log that has items (patron_transaction_log_from_items, or a file read with an
 *  item column); keeps `neighbours` (>= 1) most similar items per item. */
PATRON_CAPI patron_status patron_recommender_fit(const patron_transaction_log* log,
                                                 int32_t similarity, size_t neighbours,
                                                 patron_recommender** out);
/** Up to n items the customer has not bought, best first, scored
 *  score(j) = sum over bought items i of count(i) · sim(i, j); only scores > 0 are returned.
 *  items[k] point to item ids valid until the recommender is freed; *written gets the count.
 *  A customer id not in the fitted log is PATRON_INVALID_ARGUMENT. */
PATRON_CAPI patron_status patron_recommender_top_n(const patron_recommender* recommender,
                                                   const char* customer_id, size_t n,
                                                   const char** items, double* scores,
                                                   size_t* written);
PATRON_CAPI void patron_recommender_free(patron_recommender* recommender);

/* ---- lifecycle stages: a validated state-machine table, classified in batches --------------- */
/** A compiled lifecycle table (states, events, guarded transitions; first matching row wins). */
typedef struct patron_lifecycle patron_lifecycle;

/** Feature columns a table's guards may test (units: days, the log's currency); index of the
 *  `features` array of patron_lifecycle_classify. See patron/lifecycle/features.hpp. */
#define PATRON_FEATURE_RECENCY_DAYS 0
#define PATRON_FEATURE_FREQUENCY 1
#define PATRON_FEATURE_MONETARY 2
#define PATRON_FEATURE_TOTAL_SPEND 3
#define PATRON_FEATURE_TENURE_DAYS 4
#define PATRON_FEATURE_MEAN_INTERPURCHASE_DAYS 5
#define PATRON_FEATURE_P_ALIVE 6
#define PATRON_FEATURE_EXPECTED_PURCHASES 7
#define PATRON_FEATURE_CLV 8
#define PATRON_FEATURE_RFM_SEGMENT 9
#define PATRON_FEATURE_DAYS_SINCE_CONTACT 10
#define PATRON_FEATURE_COUNT 11

/** A built-in lifecycle with its default guards: "seven" (prospect ... terminated) or "four"
 *  (potential, new, existing, churned). Events "purchase" and "review". */
PATRON_CAPI patron_status patron_lifecycle_builtin(const char* name, patron_lifecycle** out);
/** A table file (JSON or CSV, as `patron lifecycle --table`), validated. */
PATRON_CAPI patron_status patron_lifecycle_load(const char* path, patron_lifecycle** out);
/** Number of states; state ids are 0..count-1. */
PATRON_CAPI patron_status patron_lifecycle_state_count(const patron_lifecycle* lifecycle,
                                                       size_t* count);
/** Name of a state (valid until the lifecycle is freed). */
PATRON_CAPI patron_status patron_lifecycle_state_name(const patron_lifecycle* lifecycle,
                                                      int32_t state, const char** name);
/** The id of a state by name (an unknown name is PATRON_BAD_RULE), and the initial state. */
PATRON_CAPI patron_status patron_lifecycle_state(const patron_lifecycle* lifecycle,
                                                 const char* name, int32_t* state);
PATRON_CAPI patron_status patron_lifecycle_initial(const patron_lifecycle* lifecycle,
                                                   int32_t* state);
/** Fires `event` for n customers in states from[i], writing their next states to to[i] (may
 *  alias from). features[f] (f = PATRON_FEATURE_*, n_features <= PATRON_FEATURE_COUNT) is a
 *  column of n values or NULL when absent; NaN means "unknown" (comparisons on it are false).
 *  A guard testing an absent column, or an event the table lacks, is PATRON_BAD_RULE. */
PATRON_CAPI patron_status patron_lifecycle_classify(const patron_lifecycle* lifecycle,
                                                    const char* event, const int32_t* from,
                                                    size_t n, const double* const* features,
                                                    size_t n_features, int32_t* to);
PATRON_CAPI void patron_lifecycle_free(patron_lifecycle* lifecycle);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* PATRON_C_PATRON_H */
