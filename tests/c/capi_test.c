/* SPDX-License-Identifier: MIT */
/* C11 consumer of patron.h: reference values, every function's error paths, and several threads
 * scoring on one handle. Usage: capi_test reference|errors|threads <data dir> <scratch dir> */
#include <patron/c/patron.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                                          \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__, __LINE__, #cond, \
              patron_last_error());                                                          \
      ++failures;                                                                            \
    }                                                                                        \
  } while (0)

/* A call that must fail with `code` and a message containing `text`. */
#define CHECK_FAILS(call, code, text)                                                              \
  do {                                                                                             \
    patron_status s_ = (call);                                                                     \
    if (s_ != (code) || strstr(patron_last_error(), (text)) == NULL) {                             \
      fprintf(stderr, "%s:%d: %s returned %d (%s) with \"%s\"; expected %d with \"%s\"\n",         \
              __FILE__, __LINE__, #call, (int)s_, patron_status_name(s_), patron_last_error(),     \
              (int)(code), (text));                                                                \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

#define CHECK_OK(call) CHECK((call) == PATRON_OK)
#define CHECK_NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) <= (tol))

static const char* data_dir = ".";
static const char* scratch_dir = ".";

static void path_in(char* buf, size_t size, const char* dir, const char* name) {
  snprintf(buf, size, "%s/%s", dir, name);
}

/* ---- independent evaluations of the papers' closed forms (plain C, no patron code) ---------- */

/* P(alive) of BG/NBD (Fader, Hardie & Lee 2005, eq. 13) and MBG/NBD (Batislam et al. 2007):
 * 1 / (1 + [x>0 or m] a/(b+x-1+m) ((alpha+T)/(alpha+t_x))^(r+x)). */
static double hand_p_alive(const double p[4], double x, double t_x, double T, int modified) {
  const double m = modified ? 1.0 : 0.0;
  if (!modified && x == 0) return 1.0;
  return 1.0 / (1.0 + p[2] / (p[3] + x - 1 + m) * pow((p[1] + T) / (p[1] + t_x), p[0] + x));
}

/* Gauss 2F1(a, b; c; z) by its defining series, |z| < 1. */
static double hyp2f1(double a, double b, double c, double z) {
  double term = 1, sum = 1;
  int n;
  for (n = 0; n < 100000; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (fabs(term) < 1e-17 * fabs(sum)) break;
  }
  return sum;
}

/* BG/NBD E[Y(t) | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10). */
static double hand_expected(const double p[4], double t, double x, double t_x, double T) {
  const double r = p[0], alpha = p[1], a = p[2], b = p[3];
  const double num = (a + b + x - 1) / (a - 1) *
                     (1 - pow((alpha + T) / (alpha + T + t), r + x) *
                              hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)));
  const double den = 1 + (x > 0 ? a / (b + x - 1) * pow((alpha + T) / (alpha + t_x), r + x) : 0);
  return num / den;
}

/* ---- reference ------------------------------------------------------------------------------ */

static patron_summary* read_cdnow(void) {
  char path[1024];
  patron_summary* s = NULL;
  path_in(path, sizeof path, data_dir, "cdnow_customers_summary_with_transactions.csv");
  if (patron_summary_read(path, 7.0, &s) != PATRON_OK) {
    fprintf(stderr, "cannot read the CDNOW summary (expected at %s): %s\n", path, patron_last_error());
    exit(2);
  }
  return s;
}

static void cdnow_columns(const patron_summary* s, const double** x, const double** t_x,
                          const double** T, const double** m, size_t* n) {
  size_t n2 = 0;
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_X, x, n));
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_T_X, t_x, &n2));
  CHECK(n2 == *n);
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_T, T, &n2));
  CHECK(n2 == *n);
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_MONETARY, m, &n2));
  CHECK(n2 == *n);
}

static void test_version(void) {
  CHECK(patron_version() == PATRON_EXPECTED_VERSION_NUMBER);
  CHECK(strcmp(patron_version_string(), PATRON_EXPECTED_VERSION) == 0);
  /* The catalogue of include/patron/error.hpp. */
  CHECK(strcmp(patron_status_name(PATRON_OK), "ok") == 0);
  CHECK(strcmp(patron_status_name(PATRON_BAD_NUMBER), "bad_number") == 0);
  CHECK(strcmp(patron_status_name(PATRON_OUT_OF_MEMORY), "out_of_memory") == 0);
  CHECK(strcmp(patron_status_name(-1), "unknown") == 0);
  CHECK(strcmp(patron_status_name(18), "unknown") == 0);
  CHECK(strcmp(patron_last_error(), "") == 0);
}

static void test_cdnow_reference(void) {
  patron_summary* s = read_cdnow();
  const double *x, *t_x, *T, *m;
  size_t n = 0, i;
  const char* id = NULL;
  patron_fit_report rep;
  patron_bgnbd* bg = NULL;
  patron_pnbd* pn = NULL;
  patron_gamma_gamma* gg = NULL;
  double* out;
  double* dert;
  double* spend;
  double* value;

  cdnow_columns(s, &x, &t_x, &T, &m, &n);
  /* CDNOW cohort: 2357 customers (Fader, Hardie & Lee 2005, section 4). */
  CHECK(n == 2357);
  CHECK_OK(patron_summary_size(s, &i));
  CHECK(i == 2357);
  CHECK_OK(patron_summary_id(s, 0, &id));
  CHECK(strcmp(id, "1") == 0);
  /* First row of the file: 1,2,30.43,38.86,22.35. */
  CHECK(x[0] == 2 && t_x[0] == 30.43 && T[0] == 38.86 && m[0] == 22.35);

  /* BG/NBD: Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4: r = 0.243,
   * alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (published to 3 and 1 decimals). */
  CHECK_OK(patron_fit_report_init(&rep));
  CHECK_OK(patron_bgnbd_fit(x, t_x, T, n, 7.0, NULL, &bg, &rep));
  CHECK(rep.status == PATRON_FIT_CONVERGED);
  CHECK(rep.n_params == 4);
  CHECK_NEAR(rep.params[0], 0.243, 0.0005);
  CHECK_NEAR(rep.params[1], 4.414, 0.0005);
  CHECK_NEAR(rep.params[2], 0.793, 0.0005);
  CHECK_NEAR(rep.params[3], 2.426, 0.0005);
  CHECK_NEAR(rep.log_likelihood, -9582.4, 0.05);
  CHECK(rep.n_customers == 2357);
  for (i = 0; i < 4; ++i) CHECK(isfinite(rep.std_errors[i]) && rep.std_errors[i] > 0);

  out = malloc(n * sizeof *out);
  dert = malloc(n * sizeof *dert);
  spend = malloc(n * sizeof *spend);
  value = malloc(n * sizeof *value);
  if (!out || !dert || !spend || !value) exit(2);

  /* P(alive) of every customer against the closed form evaluated here in C with the fitted
   * parameters (relative 1e-12: the same formula, different order of operations). */
  {
    double p[4], unit = 0;
    CHECK_OK(patron_bgnbd_params(bg, p, 4, &unit));
    CHECK(unit == 7.0);
    CHECK(p[0] == rep.params[0] && p[3] == rep.params[3]);
    CHECK_OK(patron_bgnbd_p_alive(bg, x, t_x, T, n, out));
    for (i = 0; i < n; ++i) CHECK_NEAR(out[i], hand_p_alive(p, x[i], t_x[i], T[i], 0), 1e-12);
  }
  /* 50 000 rows (CDNOW repeated): blocks scored in parallel give every row the value of the
   * 2357-row call bit for bit; a NaN in a late block is named by its row; a t_x a rounding hair
   * above T (accepted by the full check, not by the fast one) still scores the whole batch. */
  {
    enum { big = 50000 };
    double* bx = malloc(big * sizeof *bx);
    double* btx = malloc(big * sizeof *btx);
    double* bT = malloc(big * sizeof *bT);
    double* bout = malloc(big * sizeof *bout);
    if (!bx || !btx || !bT || !bout) exit(2);
    for (i = 0; i < big; ++i) {
      bx[i] = x[i % n];
      btx[i] = t_x[i % n];
      bT[i] = T[i % n];
    }
    CHECK_OK(patron_bgnbd_p_alive(bg, bx, btx, bT, big, bout));
    for (i = 0; i < big; ++i)
      if (bout[i] != out[i % n]) {
        CHECK(bout[i] == out[i % n]);
        break;
      }
    bx[30000] = NAN;
    CHECK_FAILS(patron_bgnbd_p_alive(bg, bx, btx, bT, big, bout), PATRON_OUT_OF_RANGE,
                "patron_bgnbd_p_alive:30001: x = \"nan\"");
    bx[30000] = x[30000 % n];
    btx[40000] = bT[40000] * (1 + 1e-9);
    if (bx[40000] == 0) bx[40000] = 1;
    CHECK_OK(patron_bgnbd_p_alive(bg, bx, btx, bT, big, bout));
    CHECK(bout[0] == out[0] && bout[40000] >= 0 && bout[40000] <= 1);
    free(bx);
    free(btx);
    free(bT);
    free(bout);
  }
  patron_bgnbd_free(bg);

  /* The paper's parameters and FHL (2005) eq. 10 by its 2F1 series, evaluated here. */
  {
    const double p[4] = {0.243, 4.414, 0.793, 2.426};
    double e = 0, expect;
    CHECK_OK(patron_bgnbd_new(p, 4, 7.0, &bg));
    for (i = 0; i < 20; ++i) {
      CHECK_OK(patron_bgnbd_expected_purchases(bg, 39.0, &x[i], &t_x[i], &T[i], 1, &e));
      expect = hand_expected(p, 39.0, x[i], t_x[i], T[i]);
      CHECK(fabs(e - expect) <= 1e-9 * fabs(expect));
    }
    /* FHL (2005), section 5: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks. */
    CHECK_OK(patron_bgnbd_expected_purchases(bg, 39.0, &x[0], &t_x[0], &T[0], 1, &e));
    CHECK_NEAR(e, 1.226, 0.0005);
  }

  /* Gamma-Gamma: FHL (2005) JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeaters
   * (gamma published truncated: the maximum is at 15.447, so +-0.01). */
  CHECK_OK(patron_fit_report_init(&rep));
  CHECK_OK(patron_gamma_gamma_fit(x, m, n, NULL, &gg, &rep));
  CHECK(rep.n_params == 3);
  CHECK_NEAR(rep.params[0], 6.25, 0.005);
  CHECK_NEAR(rep.params[1], 3.74, 0.005);
  CHECK_NEAR(rep.params[2], 15.44, 0.01);
  CHECK(rep.n_used == 946);
  CHECK(rep.n_excluded == 2357 - 946);
  patron_gamma_gamma_free(gg);
  {
    /* FHL (2005) JMR p. 420 by hand: (p*gamma + p*x*m) / (p*x + q - 1) with x = 2, m = 22.35:
     * (96.5 + 279.375) / 15.24 = 24.6637. x = 0 gives the population mean p*gamma/(q-1). */
    const double g[3] = {6.25, 3.74, 15.44};
    const double xs[2] = {2, 0}, ms[2] = {22.35, 0};
    double e[2];
    CHECK_OK(patron_gamma_gamma_new(g, 3, &gg));
    CHECK_OK(patron_gamma_gamma_expected_spend(gg, xs, ms, 2, e));
    CHECK_NEAR(e[0], 375.875 / 15.24, 1e-9);
    CHECK_NEAR(e[1], 96.5 / 2.74, 1e-9);
  }

  /* CLV = DERT x expected spend x margin (FHL 2005 JMR eq. 1 form): the composition holds per
   * customer for the C path, with delta = ln(1.1)/ (365.25/7) per week for 10 % a year. */
  {
    const double delta = log(1.1) * 7.0 / 365.25;
    CHECK_OK(patron_bgnbd_dert(bg, delta, x, t_x, T, 200, dert));
    CHECK_OK(patron_gamma_gamma_expected_spend(gg, x, m, 200, spend));
    CHECK_OK(patron_bgnbd_clv(bg, gg, 0.10, 0.3, x, t_x, T, m, 200, value));
    for (i = 0; i < 200; ++i) {
      CHECK(dert[i] > 0 && isfinite(dert[i]));
      CHECK(fabs(value[i] - dert[i] * spend[i] * 0.3) <= 1e-9 * value[i]);
    }
  }

  /* Pareto/NBD: Fader & Hardie note on the CDNOW data: r = 0.553, alpha = 10.578, s = 0.606,
   * beta = 11.669, LL = -9595.0 (the C++ suite's tolerances, tests/models_test.cpp). */
  CHECK_OK(patron_fit_report_init(&rep));
  CHECK_OK(patron_pnbd_fit(x, t_x, T, n, 7.0, NULL, &pn, &rep));
  CHECK(rep.status == PATRON_FIT_CONVERGED);
  CHECK_NEAR(rep.params[0], 0.553, 0.001);
  CHECK_NEAR(rep.params[1], 10.578, 0.02);
  CHECK_NEAR(rep.params[2], 0.606, 0.001);
  CHECK_NEAR(rep.params[3], 11.669, 0.05);
  CHECK_NEAR(rep.log_likelihood, -9595.0, 0.1);
  CHECK_OK(patron_pnbd_p_alive(pn, x, t_x, T, n, out));
  for (i = 0; i < n; ++i) CHECK(out[i] >= 0 && out[i] <= 1);
  CHECK_OK(patron_pnbd_clv(pn, gg, 0.10, 1.0, x, t_x, T, m, 50, value));
  for (i = 0; i < 50; ++i) CHECK(value[i] > 0 && isfinite(value[i]));

  patron_pnbd_free(pn);
  patron_bgnbd_free(bg);
  patron_gamma_gamma_free(gg);
  patron_summary_free(s);
  free(out);
  free(dert);
  free(spend);
  free(value);
}

static void test_mbgnbd(void) {
  /* MBG/NBD P(alive) against Batislam et al. (2007)'s closed form, evaluated here. */
  const double p[4] = {0.525, 6.183, 0.891, 1.614};
  const double x[3] = {0, 2, 7}, t_x[3] = {0, 30.43, 20}, T[3] = {38.86, 38.86, 50};
  double out[3], e[3], d[3];
  size_t i;
  patron_mbgnbd* mb = NULL;
  CHECK_OK(patron_mbgnbd_new(p, 4, 7.0, &mb));
  CHECK_OK(patron_mbgnbd_p_alive(mb, x, t_x, T, 3, out));
  for (i = 0; i < 3; ++i) CHECK_NEAR(out[i], hand_p_alive(p, x[i], t_x[i], T[i], 1), 1e-12);
  CHECK(out[0] < 1); /* unlike BG/NBD, a customer without repeats can have dropped out */
  CHECK_OK(patron_mbgnbd_expected_purchases(mb, 52, x, t_x, T, 3, e));
  CHECK_OK(patron_mbgnbd_dert(mb, 0.002, x, t_x, T, 3, d));
  for (i = 0; i < 3; ++i) CHECK(e[i] > 0 && d[i] > e[i]); /* DERT (infinite horizon) > one year */
  patron_mbgnbd_free(mb);
}

/* Save, load, to_json, from_json: the same parameters bit for bit, the same scores. */
static void test_round_trip(void) {
  const double p[4] = {0.243, 4.414, 0.793, 2.426};
  const double x[2] = {2, 0}, t_x[2] = {30.43, 0}, T[2] = {38.86, 20};
  double a[2], b[2], q[4];
  char path[1024];
  char* buf;
  size_t needed = 0;
  patron_bgnbd *m1 = NULL, *m2 = NULL, *m3 = NULL;
  patron_pnbd* wrong = NULL;
  patron_mbgnbd* mb = NULL;
  patron_pnbd* pn = NULL;
  patron_gamma_gamma *g1 = NULL, *g2 = NULL;

  path_in(path, sizeof path, scratch_dir, "capi_bgnbd.json");
  CHECK_OK(patron_bgnbd_new(p, 4, 7.0, &m1));
  CHECK_OK(patron_bgnbd_save(m1, path));
  CHECK_OK(patron_bgnbd_load(path, &m2));
  CHECK_OK(patron_bgnbd_params(m2, q, 4, NULL));
  CHECK(memcmp(p, q, sizeof p) == 0);
  CHECK_OK(patron_bgnbd_p_alive(m1, x, t_x, T, 2, a));
  CHECK_OK(patron_bgnbd_p_alive(m2, x, t_x, T, 2, b));
  CHECK(a[0] == b[0] && a[1] == b[1]);
  /* A BG/NBD file loaded as Pareto/NBD names both models. */
  CHECK_FAILS(patron_pnbd_load(path, &wrong), PATRON_BAD_MODEL, "load it with patron_bgnbd_load");
  CHECK(wrong == NULL);

  CHECK_OK(patron_bgnbd_to_json(m1, NULL, 0, &needed)); /* size query */
  CHECK(needed > 20);
  buf = malloc(needed);
  if (!buf) exit(2);
  CHECK_FAILS(patron_bgnbd_to_json(m1, buf, needed - 1, NULL), PATRON_INVALID_ARGUMENT, "too small");
  CHECK_OK(patron_bgnbd_to_json(m1, buf, needed, NULL));
  CHECK(strlen(buf) + 1 == needed);
  CHECK(strstr(buf, "\"model\":\"bgnbd\"") != NULL || strstr(buf, "\"model\": \"bgnbd\"") != NULL);
  CHECK_OK(patron_bgnbd_from_json(buf, &m3));
  CHECK_OK(patron_bgnbd_params(m3, q, 4, NULL));
  CHECK(memcmp(p, q, sizeof p) == 0);
  CHECK_FAILS(patron_mbgnbd_from_json(buf, &mb), PATRON_BAD_MODEL, "mbgnbd");
  CHECK_FAILS(patron_bgnbd_from_json("{\"format\":\"patron-model\"", &m3), PATRON_BAD_MODEL, "<json>");
  free(buf);

  /* The other kinds round-trip the same way. */
  CHECK_OK(patron_mbgnbd_new(p, 4, 1.0, &mb));
  path_in(path, sizeof path, scratch_dir, "capi_mbgnbd.json");
  CHECK_OK(patron_mbgnbd_save(mb, path));
  patron_mbgnbd_free(mb);
  mb = NULL;
  CHECK_OK(patron_mbgnbd_load(path, &mb));
  {
    double unit = 0;
    CHECK_OK(patron_mbgnbd_params(mb, q, 4, &unit));
    CHECK(unit == 1.0 && memcmp(p, q, sizeof p) == 0);
  }
  CHECK_OK(patron_mbgnbd_to_json(mb, NULL, 0, &needed));
  CHECK(needed > 20);
  {
    const double pp[4] = {0.553, 10.578, 0.606, 11.669};
    char small[8];
    CHECK_OK(patron_pnbd_new(pp, 4, 7.0, &pn));
    path_in(path, sizeof path, scratch_dir, "capi_pnbd.json");
    CHECK_OK(patron_pnbd_save(pn, path));
    patron_pnbd_free(pn);
    pn = NULL;
    CHECK_OK(patron_pnbd_load(path, &pn));
    CHECK_OK(patron_pnbd_params(pn, q, 4, NULL));
    CHECK(memcmp(pp, q, sizeof pp) == 0);
    CHECK_FAILS(patron_pnbd_to_json(pn, small, sizeof small, NULL), PATRON_INVALID_ARGUMENT, "too small");
    CHECK_FAILS(patron_pnbd_from_json("[]", &pn), PATRON_BAD_MODEL, "");
  }
  {
    const double g[3] = {6.25, 3.74, 15.44};
    double r[3];
    CHECK_OK(patron_gamma_gamma_new(g, 3, &g1));
    path_in(path, sizeof path, scratch_dir, "capi_gg.json");
    CHECK_OK(patron_gamma_gamma_save(g1, path));
    CHECK_OK(patron_gamma_gamma_load(path, &g2));
    CHECK_OK(patron_gamma_gamma_params(g2, r, 3));
    CHECK(memcmp(g, r, sizeof g) == 0);
    CHECK_OK(patron_gamma_gamma_to_json(g2, NULL, 0, &needed));
    buf = malloc(needed);
    if (!buf) exit(2);
    CHECK_OK(patron_gamma_gamma_to_json(g2, buf, needed, NULL));
    patron_gamma_gamma_free(g2);
    g2 = NULL;
    CHECK_OK(patron_gamma_gamma_from_json(buf, &g2));
    CHECK_FAILS(patron_bgnbd_from_json(buf, &m3), PATRON_BAD_MODEL, "patron_gamma_gamma_load");
    free(buf);
  }
  patron_bgnbd_free(m1);
  patron_bgnbd_free(m2);
  patron_bgnbd_free(m3);
  patron_mbgnbd_free(mb);
  patron_pnbd_free(pn);
  patron_gamma_gamma_free(g1);
  patron_gamma_gamma_free(g2);
}

/* A log from arrays and from a file, summarised. Expected values by hand (see comments). */
static void test_log_and_summary(void) {
  /* 2024-01-01 is day 19723 since 1970-01-01 (1704067200 s / 86400). */
  const int64_t day = 86400;
  const int64_t d0 = (int64_t)19723 * day;
  const char* ids[3] = {"a", "a", "b"};
  const int64_t times[3] = {d0, d0 + 14 * day, d0 + 7 * day};
  const double amounts[3] = {10, 20, 5};
  patron_transaction_log* log = NULL;
  patron_summary* s = NULL;
  patron_summary_options so;
  patron_read_options ro;
  const double *x, *t_x, *T, *total;
  const char* id;
  size_t n = 0;
  uint64_t skipped = 99;
  char path[1024];
  FILE* f;

  CHECK_OK(patron_transaction_log_from_arrays(ids, times, amounts, 3, &log));
  CHECK_OK(patron_transaction_log_size(log, &n));
  CHECK(n == 3);
  CHECK_OK(patron_summary_options_init(&so));
  CHECK(so.struct_size == sizeof so && so.unit_days == 7.0);
  so.has_observation_end = 1;
  so.observation_end = 19723 + 28; /* 2024-01-29 */
  CHECK_OK(patron_summary_from_log(log, &so, &s));
  CHECK_OK(patron_summary_size(s, &n));
  CHECK(n == 2);
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_X, &x, &n));
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_T_X, &t_x, &n));
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_T, &T, &n));
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_TOTAL, &total, &n));
  /* a: first 01-01, repeat on 01-15 (2 weeks later), observed to 01-29 (4 weeks): x 1, t_x 2, T 4;
   * b: one purchase on 01-08: x 0, t_x 0, T 3. Totals 30 and 5. */
  CHECK(x[0] == 1 && t_x[0] == 2 && T[0] == 4 && total[0] == 30);
  CHECK(x[1] == 0 && t_x[1] == 0 && T[1] == 3 && total[1] == 5);
  CHECK_OK(patron_summary_id(s, 1, &id));
  CHECK(strcmp(id, "b") == 0);
  CHECK_FAILS(patron_summary_id(s, 2, &id), PATRON_INVALID_ARGUMENT, "i = 2: must be < 2");
  patron_summary_free(s);
  s = NULL;
  /* Default options: observation ends on the log's last day (01-15): T of a = 2 weeks. */
  CHECK_OK(patron_summary_from_log(log, NULL, &s));
  CHECK_OK(patron_summary_column(s, PATRON_COLUMN_T, &T, &n));
  CHECK(T[0] == 2 && T[1] == 1);
  patron_summary_free(s);
  s = NULL;
  patron_transaction_log_free(log);
  log = NULL;

  /* A file with one bad amount on line 3: strict fails naming file:line, lenient skips it. */
  path_in(path, sizeof path, scratch_dir, "capi_log.csv");
  f = fopen(path, "w");
  if (!f) exit(2);
  fputs("customer,date,amount\nc1,2024-01-01,10\nc1,2024-01-05,1x\nc1,2024-01-08,5\nc2,2024-01-02,7\n", f);
  fclose(f);
  CHECK_OK(patron_read_options_init(&ro));
  CHECK(ro.struct_size == sizeof ro && ro.lenient == 0);
  CHECK_FAILS(patron_transaction_log_read(path, &ro, &log, NULL), PATRON_BAD_NUMBER, "capi_log.csv:3:3");
  CHECK(log == NULL);
  ro.lenient = 1;
  ro.amount_column = "amount";
  CHECK_OK(patron_transaction_log_read(path, &ro, &log, &skipped));
  CHECK(skipped == 1);
  CHECK_OK(patron_transaction_log_size(log, &n));
  CHECK(n == 3);
  patron_transaction_log_free(log);
  log = NULL;
  /* By position, no header handling needed beyond "yes". */
  CHECK_OK(patron_read_options_init(&ro));
  ro.header = 1;
  ro.customer_position = 1;
  ro.date_position = 2;
  ro.amount_position = 3;
  ro.lenient = 1;
  CHECK_OK(patron_transaction_log_read(path, &ro, &log, NULL));
  patron_transaction_log_free(log);
  log = NULL;
  CHECK_FAILS(patron_transaction_log_read("/nonexistent/capi.csv", NULL, &log, NULL), PATRON_IO_ERROR,
              "/nonexistent/capi.csv");
  ro.header = 7;
  CHECK_FAILS(patron_transaction_log_read(path, &ro, &log, NULL), PATRON_INVALID_ARGUMENT, "options->header = 7");
  CHECK_OK(patron_read_options_init(&ro));
  ro.returns = -1;
  CHECK_FAILS(patron_transaction_log_read(path, &ro, &log, NULL), PATRON_INVALID_ARGUMENT, "options->returns");
  CHECK(log == NULL);
}

/* ---- errors: NULL pointers, zero lengths, NaN, wrong handle kinds, bad structs --------------- */

/* The same checks for the three purchase models (H = bgnbd, mbgnbd, pnbd). */
#define PURCHASE_MODEL_ERRORS(H)                                                                     \
  do {                                                                                               \
    const double p[4] = {0.5, 5, 0.8, 2.5};                                                           \
    const double bad_p[4] = {0.5, NAN, 0.8, 2.5};                                                     \
    const double x[3] = {1, 2, 0}, t_x[3] = {1, 3, 0}, T[3] = {5, 6, 7};                              \
    const double nan_x[3] = {1, NAN, 0}, frac_x[3] = {1, 2.5, 0}, neg_tx[3] = {1, -3, 0};             \
    const double late_tx[3] = {1, 9, 0}, m[3] = {10, 20, 0}, inf_m[3] = {10, INFINITY, 0};            \
    double out[3] = {-1, -1, -1}, q[4];                                                              \
    patron_##H* h = NULL;                                                                            \
    patron_##H* h2 = NULL;                                                                           \
    patron_gamma_gamma* gg = NULL;                                                                   \
    const double g[3] = {6, 4, 15};                                                                  \
    patron_fit_options fo;                                                                           \
    patron_fit_report fr;                                                                            \
    CHECK_OK(patron_gamma_gamma_new(g, 3, &gg));                                                      \
    CHECK_FAILS(patron_##H##_new(p, 4, 7, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");            \
    CHECK_FAILS(patron_##H##_new(NULL, 4, 7, &h), PATRON_INVALID_ARGUMENT, "params = NULL");        \
    CHECK_FAILS(patron_##H##_new(p, 3, 7, &h), PATRON_INVALID_ARGUMENT, "n_params = 3");            \
    CHECK_FAILS(patron_##H##_new(bad_p, 4, 7, &h), PATRON_INVALID_ARGUMENT, "nan");                 \
    CHECK_FAILS(patron_##H##_new(p, 4, 0, &h), PATRON_INVALID_ARGUMENT, "unit_days = 0");           \
    CHECK_FAILS(patron_##H##_new(p, 4, NAN, &h), PATRON_INVALID_ARGUMENT, "unit_days = nan");       \
    CHECK(h == NULL);                                                                                \
    CHECK_OK(patron_##H##_new(p, 4, 7, &h));                                                          \
    CHECK(strcmp(patron_last_error(), "") == 0);                                                     \
    /* zero customers is a valid, empty batch; NULL arrays are fine with n = 0 */                   \
    CHECK_OK(patron_##H##_p_alive(h, NULL, NULL, NULL, 0, NULL));                                     \
    CHECK_OK(patron_##H##_expected_purchases(h, 10, NULL, NULL, NULL, 0, NULL));                      \
    CHECK_OK(patron_##H##_dert(h, 0.01, NULL, NULL, NULL, 0, NULL));                                  \
    CHECK_OK(patron_##H##_clv(h, gg, 0.1, 1, NULL, NULL, NULL, NULL, 0, NULL));                       \
    CHECK_FAILS(patron_##H##_p_alive(NULL, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "model = NULL"); \
    CHECK_FAILS(patron_##H##_p_alive(h, NULL, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "x = NULL");    \
    CHECK_FAILS(patron_##H##_p_alive(h, x, NULL, T, 3, out), PATRON_INVALID_ARGUMENT, "t_x = NULL");    \
    CHECK_FAILS(patron_##H##_p_alive(h, x, t_x, NULL, 3, out), PATRON_INVALID_ARGUMENT, "T = NULL");    \
    CHECK_FAILS(patron_##H##_p_alive(h, x, t_x, T, 3, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");    \
    CHECK_FAILS(patron_##H##_p_alive(h, nan_x, t_x, T, 3, out), PATRON_OUT_OF_RANGE,                \
                "patron_" #H "_p_alive:2: x = ");                                                    \
    CHECK_FAILS(patron_##H##_p_alive(h, frac_x, t_x, T, 3, out), PATRON_OUT_OF_RANGE, "2.5");       \
    CHECK_FAILS(patron_##H##_p_alive(h, x, neg_tx, T, 3, out), PATRON_OUT_OF_RANGE, ":2: t_x = ");  \
    CHECK_FAILS(patron_##H##_p_alive(h, x, late_tx, T, 3, out), PATRON_OUT_OF_RANGE, "greater than T"); \
    CHECK_FAILS(patron_##H##_expected_purchases(h, NAN, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "t = nan"); \
    CHECK_FAILS(patron_##H##_expected_purchases(h, -1, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "t = -1"); \
    CHECK_FAILS(patron_##H##_expected_purchases(h, 1, nan_x, t_x, T, 3, out), PATRON_OUT_OF_RANGE, "x = "); \
    CHECK_FAILS(patron_##H##_dert(h, 0, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "delta = 0");  \
    CHECK_FAILS(patron_##H##_dert(h, INFINITY, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "delta = inf"); \
    CHECK_FAILS(patron_##H##_dert(NULL, 0.1, x, t_x, T, 3, out), PATRON_INVALID_ARGUMENT, "model = NULL"); \
    CHECK_FAILS(patron_##H##_clv(h, NULL, 0.1, 1, x, t_x, T, m, 3, out), PATRON_INVALID_ARGUMENT, "spend = NULL"); \
    CHECK_FAILS(patron_##H##_clv(h, gg, 0.1, 1, x, t_x, T, NULL, 3, out), PATRON_INVALID_ARGUMENT, "monetary = NULL"); \
    CHECK_FAILS(patron_##H##_clv(h, gg, 0.1, 1, x, t_x, T, inf_m, 3, out), PATRON_OUT_OF_RANGE, "monetary"); \
    CHECK_FAILS(patron_##H##_clv(h, gg, 0, 1, x, t_x, T, m, 3, out), PATRON_INVALID_ARGUMENT, "annual_rate = 0"); \
    CHECK_FAILS(patron_##H##_clv(h, gg, 0.1, NAN, x, t_x, T, m, 3, out), PATRON_INVALID_ARGUMENT, "margin"); \
    /* wrong handle kinds, passed through a cast as a binding might */                              \
    CHECK_FAILS(patron_##H##_p_alive((const patron_##H*)(const void*)gg, x, t_x, T, 3, out),        \
                PATRON_INVALID_ARGUMENT, "wrong handle kind");                                      \
    CHECK_FAILS(patron_##H##_clv(h, (const patron_gamma_gamma*)(const void*)h, 0.1, 1, x, t_x, T, m, 3, out), \
                PATRON_INVALID_ARGUMENT, "spend = ");                                               \
    CHECK_FAILS(patron_##H##_params(h, q, 3, NULL), PATRON_INVALID_ARGUMENT, "n_params = 3");       \
    CHECK_FAILS(patron_##H##_params(h, NULL, 4, NULL), PATRON_INVALID_ARGUMENT, "params = NULL");   \
    CHECK_FAILS(patron_##H##_save(h, NULL), PATRON_INVALID_ARGUMENT, "path = NULL");                \
    CHECK_FAILS(patron_##H##_save(h, "/nonexistent/dir/m.json"), PATRON_IO_ERROR, "/nonexistent/dir/m.json"); \
    CHECK_FAILS(patron_##H##_save(NULL, "m.json"), PATRON_INVALID_ARGUMENT, "model = NULL");        \
    CHECK_FAILS(patron_##H##_load(NULL, &h2), PATRON_INVALID_ARGUMENT, "path = NULL");              \
    CHECK_FAILS(patron_##H##_load("/nonexistent/m.json", &h2), PATRON_IO_ERROR, "/nonexistent/m.json"); \
    CHECK_FAILS(patron_##H##_load("m.json", NULL), PATRON_INVALID_ARGUMENT, "out = NULL");          \
    CHECK_FAILS(patron_##H##_to_json(NULL, NULL, 0, NULL), PATRON_INVALID_ARGUMENT, "model = NULL"); \
    CHECK_FAILS(patron_##H##_to_json(h, NULL, 10, NULL), PATRON_INVALID_ARGUMENT, "buf = NULL");    \
    CHECK_FAILS(patron_##H##_from_json(NULL, &h2), PATRON_INVALID_ARGUMENT, "text = NULL");         \
    CHECK_FAILS(patron_##H##_from_json("not json", &h2), PATRON_BAD_MODEL, "<json>");               \
    CHECK(h2 == NULL);                                                                               \
    /* fits: empty, NaN, bad options and report structs */                                          \
    CHECK(patron_##H##_fit(NULL, NULL, NULL, 0, 7, NULL, &h2, NULL) != PATRON_OK);                    \
    CHECK(strstr(patron_last_error(), "[patron.") == patron_last_error());                           \
    CHECK_FAILS(patron_##H##_fit(nan_x, t_x, T, 3, 7, NULL, &h2, NULL), PATRON_OUT_OF_RANGE, "patron_" #H "_fit:2: x"); \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, -7, NULL, &h2, NULL), PATRON_INVALID_ARGUMENT, "unit_days = -7"); \
    CHECK_OK(patron_fit_options_init(&fo));                                                           \
    fo.penalty = -1;                                                                                 \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, 7, &fo, &h2, NULL), PATRON_INVALID_ARGUMENT, "penalty"); \
    CHECK_OK(patron_fit_options_init(&fo));                                                           \
    fo.n_start = 4;                                                                                  \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, 7, &fo, &h2, NULL), PATRON_INVALID_ARGUMENT, "options->start = NULL"); \
    fo.struct_size = 0;                                                                              \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, 7, &fo, &h2, NULL), PATRON_INVALID_ARGUMENT, "options->struct_size = 0"); \
    fo.struct_size = sizeof fo + 8;                                                                  \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, 7, &fo, &h2, NULL), PATRON_INVALID_ARGUMENT, "options->struct_size"); \
    CHECK_OK(patron_fit_report_init(&fr));                                                            \
    fr.struct_size = 3;                                                                              \
    CHECK_FAILS(patron_##H##_fit(x, t_x, T, 3, 7, NULL, &h2, &fr), PATRON_INVALID_ARGUMENT, "report->struct_size = 3"); \
    CHECK(h2 == NULL);                                                                               \
    patron_##H##_free(h);                                                                            \
    patron_##H##_free(NULL);                                                                         \
    patron_gamma_gamma_free(gg);                                                                     \
  } while (0)

static void test_errors(void) {
  patron_summary* s = NULL;
  patron_transaction_log* log = NULL;
  patron_gamma_gamma* gg = NULL;
  const char* ids[2] = {"a", NULL};
  const char* empty_ids[2] = {"a", ""};
  const int64_t times[2] = {0, 86400};
  const double amounts[2] = {1, 2}, nan_amounts[2] = {1, NAN};
  const double *col = NULL;
  size_t n = 0;

  PURCHASE_MODEL_ERRORS(bgnbd);
  PURCHASE_MODEL_ERRORS(mbgnbd);
  PURCHASE_MODEL_ERRORS(pnbd);

  /* Gamma-Gamma */
  {
    const double g[3] = {6, 4, 15}, bad[3] = {6, -4, 15};
    const double x[2] = {1, 2}, m[2] = {10, 20}, nan_m[2] = {10, NAN}, neg_x[2] = {1, -2};
    double out[2], q[3];
    patron_fit_report fr;
    CHECK_FAILS(patron_gamma_gamma_new(g, 4, &gg), PATRON_INVALID_ARGUMENT, "n_params = 4");
    CHECK_FAILS(patron_gamma_gamma_new(bad, 3, &gg), PATRON_INVALID_ARGUMENT, "-4");
    CHECK_FAILS(patron_gamma_gamma_new(g, 3, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
    CHECK_OK(patron_gamma_gamma_new(g, 3, &gg));
    CHECK_OK(patron_gamma_gamma_expected_spend(gg, NULL, NULL, 0, NULL));
    CHECK_FAILS(patron_gamma_gamma_expected_spend(gg, x, nan_m, 2, out), PATRON_OUT_OF_RANGE,
                "patron_gamma_gamma_expected_spend:2: monetary = ");
    CHECK_FAILS(patron_gamma_gamma_expected_spend(gg, neg_x, m, 2, out), PATRON_OUT_OF_RANGE, ":2: x = ");
    CHECK_FAILS(patron_gamma_gamma_expected_spend(gg, x, NULL, 2, out), PATRON_INVALID_ARGUMENT, "monetary = NULL");
    CHECK_FAILS(patron_gamma_gamma_expected_spend(gg, x, m, 2, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
    CHECK_FAILS(patron_gamma_gamma_expected_spend((const patron_gamma_gamma*)(const void*)ids, x, m, 2, out),
                PATRON_INVALID_ARGUMENT, "wrong handle kind");
    CHECK_FAILS(patron_gamma_gamma_params(gg, q, 2), PATRON_INVALID_ARGUMENT, "n_params = 2");
    CHECK_FAILS(patron_gamma_gamma_params(NULL, q, 3), PATRON_INVALID_ARGUMENT, "model = NULL");
    CHECK_FAILS(patron_gamma_gamma_save(gg, NULL), PATRON_INVALID_ARGUMENT, "path = NULL");
    CHECK_FAILS(patron_gamma_gamma_load("/nonexistent/g.json", &gg), PATRON_IO_ERROR, "/nonexistent/g.json");
    CHECK_FAILS(patron_gamma_gamma_to_json(gg, NULL, 5, NULL), PATRON_INVALID_ARGUMENT, "buf = NULL");
    CHECK_FAILS(patron_gamma_gamma_from_json(NULL, &gg), PATRON_INVALID_ARGUMENT, "text = NULL");
    CHECK(patron_gamma_gamma_fit(NULL, NULL, 0, NULL, &gg, NULL) != PATRON_OK);
    CHECK_FAILS(patron_gamma_gamma_fit(x, nan_m, 2, NULL, &gg, NULL), PATRON_OUT_OF_RANGE,
                "patron_gamma_gamma_fit:2: monetary");
    CHECK_FAILS(patron_gamma_gamma_fit(x, NULL, 2, NULL, &gg, NULL), PATRON_INVALID_ARGUMENT, "monetary = NULL");
    CHECK_OK(patron_fit_report_init(&fr));
    fr.struct_size = 1000;
    CHECK_FAILS(patron_gamma_gamma_fit(x, m, 2, NULL, &gg, &fr), PATRON_INVALID_ARGUMENT, "report->struct_size = 1000");
    patron_gamma_gamma_free(gg);
    patron_gamma_gamma_free(NULL);
  }

  /* Logs and summaries */
  CHECK_FAILS(patron_transaction_log_from_arrays(ids, times, amounts, 0, &log), PATRON_EMPTY_INPUT, "no rows");
  CHECK_FAILS(patron_transaction_log_from_arrays(ids, times, amounts, 2, &log), PATRON_MISSING_VALUE,
              "patron_transaction_log_from_arrays:2: customer_id");
  CHECK_FAILS(patron_transaction_log_from_arrays(empty_ids, times, amounts, 2, &log), PATRON_MISSING_VALUE, ":2: customer_id");
  CHECK_FAILS(patron_transaction_log_from_arrays(ids, times, nan_amounts, 1, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_transaction_log_from_arrays(empty_ids, times, nan_amounts, 2, &log), PATRON_MISSING_VALUE, ":2:");
  {
    const char* ok_ids[2] = {"a", "b"};
    CHECK_FAILS(patron_transaction_log_from_arrays(ok_ids, times, nan_amounts, 2, &log), PATRON_BAD_NUMBER,
                ":2: amount = ");
    CHECK_FAILS(patron_transaction_log_from_arrays(ok_ids, NULL, amounts, 2, &log), PATRON_INVALID_ARGUMENT, "times = NULL");
    CHECK_FAILS(patron_transaction_log_from_arrays(NULL, times, amounts, 2, &log), PATRON_INVALID_ARGUMENT, "customer_ids = NULL");
    CHECK_FAILS(patron_transaction_log_from_arrays(ok_ids, times, NULL, 2, &log), PATRON_INVALID_ARGUMENT, "amounts = NULL");
    CHECK(log == NULL);
    CHECK_OK(patron_transaction_log_from_arrays(ok_ids, times, amounts, 2, &log));
  }
  CHECK_FAILS(patron_transaction_log_size(NULL, &n), PATRON_INVALID_ARGUMENT, "log = NULL");
  CHECK_FAILS(patron_transaction_log_size(log, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_transaction_log_read(NULL, NULL, &log, NULL), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_read_options_init(NULL), PATRON_INVALID_ARGUMENT, "options = NULL");
  CHECK_FAILS(patron_summary_options_init(NULL), PATRON_INVALID_ARGUMENT, "options = NULL");
  CHECK_FAILS(patron_fit_options_init(NULL), PATRON_INVALID_ARGUMENT, "options = NULL");
  CHECK_FAILS(patron_fit_report_init(NULL), PATRON_INVALID_ARGUMENT, "report = NULL");
  CHECK_FAILS(patron_summary_from_log(NULL, NULL, &s), PATRON_INVALID_ARGUMENT, "log = NULL");
  CHECK_FAILS(patron_summary_from_log((const patron_transaction_log*)(const void*)amounts, NULL, &s),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  {
    patron_summary_options so;
    CHECK_OK(patron_summary_options_init(&so));
    so.unit_days = -1;
    CHECK_FAILS(patron_summary_from_log(log, &so, &s), PATRON_INVALID_ARGUMENT, "unit_days = -1");
    so.unit_days = 7;
    so.struct_size = 4;
    CHECK_FAILS(patron_summary_from_log(log, &so, &s), PATRON_INVALID_ARGUMENT, "options->struct_size = 4");
  }
  CHECK_FAILS(patron_summary_read(NULL, 7, &s), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_summary_read("/nonexistent/s.csv", 7, &s), PATRON_IO_ERROR, "/nonexistent/s.csv");
  CHECK_FAILS(patron_summary_read("/nonexistent/s.csv", 0, &s), PATRON_INVALID_ARGUMENT, "unit_days = 0");
  CHECK(s == NULL);
  CHECK_OK(patron_summary_from_log(log, NULL, &s));
  CHECK_FAILS(patron_summary_size(NULL, &n), PATRON_INVALID_ARGUMENT, "summary = NULL");
  CHECK_FAILS(patron_summary_size(s, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_summary_column(s, 5, &col, &n), PATRON_INVALID_ARGUMENT, "column = 5");
  CHECK_FAILS(patron_summary_column(s, -1, &col, &n), PATRON_INVALID_ARGUMENT, "column = -1");
  CHECK_FAILS(patron_summary_column(s, PATRON_COLUMN_X, NULL, &n), PATRON_INVALID_ARGUMENT, "data = NULL");
  CHECK_FAILS(patron_summary_column(s, PATRON_COLUMN_X, &col, NULL), PATRON_INVALID_ARGUMENT, "n = NULL");
  CHECK_FAILS(patron_summary_column((const patron_summary*)(const void*)log, PATRON_COLUMN_X, &col, &n),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  CHECK_FAILS(patron_summary_id(s, 0, NULL), PATRON_INVALID_ARGUMENT, "id = NULL");
  CHECK_FAILS(patron_summary_id(NULL, 0, NULL), PATRON_INVALID_ARGUMENT, "summary = NULL");
  CHECK(col == NULL);
  /* A success clears the thread's message. */
  CHECK_OK(patron_summary_size(s, &n));
  CHECK(strcmp(patron_last_error(), "") == 0);
  patron_summary_free(s);
  patron_summary_free(NULL);
  patron_transaction_log_free(log);
  patron_transaction_log_free(NULL);
}


/* ---- RFM -------------------------------------------------------------------------------------- */

/* The worked example of include/patron/rfm/binning.hpp: values 1,1,1,1,1,1,2,2,3,10 with 5 bins.
 * Quantile (type 7) cut points 1, 1, 1.4, 2.2 by hand: ascending bins 1 -> 1, 2 -> 4, 3 -> 5,
 * 10 -> 5; R is reversed (6 - bin). r-rfm cut points q + 1 = 2, 2, 2.4, 3.2, closed on the left:
 * 1 -> 1, 2 -> 3, 3 -> 4, 10 -> 5. */
static void test_rfm(void) {
  const double v[10] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 10};
  const uint8_t asc_quantile[10] = {1, 1, 1, 1, 1, 1, 4, 4, 5, 5};
  const uint8_t asc_r_rfm[10] = {1, 1, 1, 1, 1, 1, 3, 3, 4, 5};
  uint8_t r[10], f[10], m[10], r2[10], f2[10], m2[10];
  patron_rfm_thresholds *t = NULL, *t2 = NULL;
  patron_rfm_segments* seg = NULL;
  int32_t bins = 0;
  size_t i, count = 0;
  char path[1024];

  CHECK_OK(patron_rfm_thresholds_fit(v, v, v, 10, PATRON_RFM_QUANTILE, 5, 0, &t));
  CHECK_OK(patron_rfm_thresholds_bins(t, &bins));
  CHECK(bins == 5);
  CHECK_OK(patron_rfm_thresholds_score(t, v, v, v, 10, r, f, m));
  for (i = 0; i < 10; ++i) CHECK(f[i] == asc_quantile[i] && m[i] == asc_quantile[i] && r[i] == 6 - asc_quantile[i]);
  /* Saved thresholds score identically after a reload. */
  path_in(path, sizeof path, scratch_dir, "capi_thresholds.json");
  CHECK_OK(patron_rfm_thresholds_save(t, path));
  CHECK_OK(patron_rfm_thresholds_load(path, &t2));
  CHECK_OK(patron_rfm_thresholds_score(t2, v, v, v, 10, r2, f2, m2));
  CHECK(memcmp(r, r2, 10) == 0 && memcmp(f, f2, 10) == 0 && memcmp(m, m2, 10) == 0);
  patron_rfm_thresholds_free(t);
  patron_rfm_thresholds_free(t2);
  t = NULL;
  CHECK_OK(patron_rfm_thresholds_fit(v, v, v, 10, PATRON_RFM_R_RFM, 5, 0, &t));
  CHECK_OK(patron_rfm_thresholds_score(t, v, v, v, 10, r, f, m));
  for (i = 0; i < 10; ++i) CHECK(f[i] == asc_r_rfm[i]);
  patron_rfm_thresholds_free(t);
  t = NULL;

  /* rfm10 (R `rfm` documentation's grid): 444 Potential Loyalist, 245 Can't Lose Them,
   * 551 Others (the fallback); scores outside 1..5 get the fallback too. */
  {
    const uint8_t sr[4] = {4, 2, 5, 0}, sf[4] = {4, 4, 5, 3}, sm[4] = {4, 5, 1, 3};
    uint16_t idx[4];
    const char* label = NULL;
    CHECK_OK(patron_rfm_segments_builtin("rfm10", &seg));
    CHECK_OK(patron_rfm_segments_count(seg, &count));
    CHECK(count == 11);
    CHECK_OK(patron_rfm_segments_assign(seg, sr, sf, sm, 4, idx));
    CHECK_OK(patron_rfm_segments_label(seg, idx[0], &label));
    CHECK(strcmp(label, "Potential Loyalist") == 0);
    CHECK_OK(patron_rfm_segments_label(seg, idx[1], &label));
    CHECK(strcmp(label, "Can't Lose Them") == 0);
    CHECK(idx[2] == 10 && idx[3] == 10);
    CHECK_OK(patron_rfm_segments_label(seg, 10, &label));
    CHECK(strcmp(label, "Others") == 0);
    CHECK_FAILS(patron_rfm_segments_label(seg, 11, &label), PATRON_INVALID_ARGUMENT, "i = 11");
    patron_rfm_segments_free(seg);
    seg = NULL;
    /* cn8-en: (2,2,2) is "important value" (header of patron/rfm/segments.hpp). */
    CHECK_OK(patron_rfm_segments_builtin("cn8-en", &seg));
    {
      const uint8_t two[1] = {2};
      CHECK_OK(patron_rfm_segments_assign(seg, two, two, two, 1, idx));
      CHECK_OK(patron_rfm_segments_label(seg, idx[0], &label));
      CHECK(strstr(label, "mportant value") != NULL);
    }
    patron_rfm_segments_free(seg);
    seg = NULL;
  }
  /* A rule table file. */
  {
    FILE* file;
    const uint8_t hi[1] = {5}, lo[1] = {1};
    uint16_t idx[2];
    const char* label = NULL;
    path_in(path, sizeof path, scratch_dir, "capi_rules.csv");
    file = fopen(path, "w");
    if (!file) exit(2);
    fputs("name,r_min,r_max,f_min,f_max,m_min,m_max\nTop,5,5,5,5,5,5\nfallback,Rest\n", file);
    fclose(file);
    CHECK_OK(patron_rfm_segments_read(path, &seg));
    CHECK_OK(patron_rfm_segments_assign(seg, hi, hi, hi, 1, &idx[0]));
    CHECK_OK(patron_rfm_segments_assign(seg, lo, hi, hi, 1, &idx[1]));
    CHECK_OK(patron_rfm_segments_label(seg, idx[0], &label));
    CHECK(strcmp(label, "Top") == 0);
    CHECK_OK(patron_rfm_segments_label(seg, idx[1], &label));
    CHECK(strcmp(label, "Rest") == 0);
    patron_rfm_segments_free(seg);
    seg = NULL;
    file = fopen(path, "w");
    if (!file) exit(2);
    fputs("name,r_min,r_max,f_min,f_max,m_min,m_max\nTop,5,7,5,5,5,5\n", file);
    fclose(file);
    CHECK_FAILS(patron_rfm_segments_read(path, &seg), PATRON_BAD_RULE, "capi_rules.csv");
    CHECK(seg == NULL);
  }
}

static void test_rfm_errors(void) {
  const double v[3] = {1, 2, 3}, nan_v[3] = {1, NAN, 3}, neg[3] = {1, -2, 3};
  uint8_t r[3], f[3], m[3];
  uint16_t idx[3];
  patron_rfm_thresholds* t = NULL;
  patron_rfm_segments* seg = NULL;
  int32_t bins;
  size_t count;
  const char* label;
  CHECK_FAILS(patron_rfm_thresholds_fit(v, v, v, 3, 3, 5, 0, &t), PATRON_INVALID_ARGUMENT, "method = 3");
  CHECK_FAILS(patron_rfm_thresholds_fit(v, v, v, 3, PATRON_RFM_QUANTILE, 1, 0, &t), PATRON_INVALID_ARGUMENT, "bins");
  CHECK_FAILS(patron_rfm_thresholds_fit(v, v, v, 3, PATRON_RFM_QUANTILE, 10, 0, &t), PATRON_INVALID_ARGUMENT, "bins");
  CHECK(patron_rfm_thresholds_fit(NULL, NULL, NULL, 0, PATRON_RFM_QUANTILE, 5, 0, &t) != PATRON_OK);
  CHECK(strstr(patron_last_error(), "[patron.") == patron_last_error());
  CHECK_FAILS(patron_rfm_thresholds_fit(NULL, v, v, 3, PATRON_RFM_QUANTILE, 5, 0, &t), PATRON_INVALID_ARGUMENT, "recency = NULL");
  CHECK(patron_rfm_thresholds_fit(nan_v, v, v, 3, PATRON_RFM_QUANTILE, 5, 0, &t) != PATRON_OK);
  CHECK(strstr(patron_last_error(), "patron_rfm_thresholds_fit:2") != NULL);
  CHECK(patron_rfm_thresholds_fit(v, v, neg, 3, PATRON_RFM_QUANTILE, 5, 0, &t) != PATRON_OK);
  CHECK(strstr(patron_last_error(), "monetary") != NULL);
  CHECK_FAILS(patron_rfm_thresholds_fit(v, v, v, 3, PATRON_RFM_QUANTILE, 5, 0, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK(t == NULL);
  CHECK_OK(patron_rfm_thresholds_fit(v, v, neg, 3, PATRON_RFM_QUANTILE, 5, 1, &t)); /* refunds allowed */
  CHECK_OK(patron_rfm_thresholds_score(t, NULL, NULL, NULL, 0, NULL, NULL, NULL));
  CHECK_FAILS(patron_rfm_thresholds_score(t, v, v, v, 3, r, NULL, m), PATRON_INVALID_ARGUMENT, "f = NULL");
  CHECK_FAILS(patron_rfm_thresholds_score(t, v, v, NULL, 3, r, f, m), PATRON_INVALID_ARGUMENT, "monetary = NULL");
  CHECK(patron_rfm_thresholds_score(t, v, nan_v, v, 3, r, f, m) != PATRON_OK);
  CHECK(strstr(patron_last_error(), "patron_rfm_thresholds_score:2") != NULL);
  CHECK_FAILS(patron_rfm_thresholds_score(NULL, v, v, v, 3, r, f, m), PATRON_INVALID_ARGUMENT, "thresholds = NULL");
  CHECK_FAILS(patron_rfm_thresholds_score((const patron_rfm_thresholds*)(const void*)v, v, v, v, 3, r, f, m),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  CHECK_FAILS(patron_rfm_thresholds_bins(t, NULL), PATRON_INVALID_ARGUMENT, "bins = NULL");
  CHECK_FAILS(patron_rfm_thresholds_bins(NULL, &bins), PATRON_INVALID_ARGUMENT, "thresholds = NULL");
  CHECK_FAILS(patron_rfm_thresholds_save(t, NULL), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_rfm_thresholds_save(t, "/nonexistent/t.json"), PATRON_IO_ERROR, "/nonexistent/t.json");
  patron_rfm_thresholds_free(t);
  patron_rfm_thresholds_free(NULL);
  t = NULL;
  CHECK_FAILS(patron_rfm_thresholds_load(NULL, &t), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_rfm_thresholds_load("/nonexistent/t.json", &t), PATRON_IO_ERROR, "/nonexistent/t.json");
  CHECK(t == NULL);

  CHECK_FAILS(patron_rfm_segments_builtin("nope", &seg), PATRON_INVALID_ARGUMENT, "nope");
  CHECK_FAILS(patron_rfm_segments_builtin(NULL, &seg), PATRON_INVALID_ARGUMENT, "name = NULL");
  CHECK_FAILS(patron_rfm_segments_read(NULL, &seg), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_rfm_segments_read("/nonexistent/rules.csv", &seg), PATRON_IO_ERROR, "/nonexistent/rules.csv");
  CHECK(seg == NULL);
  CHECK_OK(patron_rfm_segments_builtin("value4", &seg));
  CHECK_OK(patron_rfm_segments_assign(seg, NULL, NULL, NULL, 0, NULL));
  CHECK_FAILS(patron_rfm_segments_assign(seg, r, f, m, 3, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_rfm_segments_assign(seg, NULL, f, m, 3, idx), PATRON_INVALID_ARGUMENT, "r = NULL");
  CHECK_FAILS(patron_rfm_segments_assign(NULL, r, f, m, 3, idx), PATRON_INVALID_ARGUMENT, "segments = NULL");
  CHECK_FAILS(patron_rfm_segments_count(seg, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_rfm_segments_count((const patron_rfm_segments*)(const void*)v, &count), PATRON_INVALID_ARGUMENT,
              "wrong handle kind");
  CHECK_FAILS(patron_rfm_segments_label(seg, 0, NULL), PATRON_INVALID_ARGUMENT, "label = NULL");
  CHECK_FAILS(patron_rfm_segments_label(NULL, 0, &label), PATRON_INVALID_ARGUMENT, "segments = NULL");
  patron_rfm_segments_free(seg);
  patron_rfm_segments_free(NULL);
}


/* ---- k-means predict ---------------------------------------------------------------------------- */

/* A hand-written model: 2 unscaled features, centroids (0, 0) and (10, 10). By hand: (1, 1) is
 * nearest to 0 at sqrt(2); (9, 8) to 1 at sqrt(1 + 4); (5, 5) ties and gets the lower index 0 at
 * sqrt(50). With log1p on the first feature, e^2 - 1 becomes 2. */
static const char* kKmeansJson =
    "{\"kind\":\"patron.segment_model\",\"format_version\":1,\"scaling\":\"none\","
    "\"features\":[{\"name\":\"recency\",\"log1p\":false,\"center\":0,\"scale\":1},"
    "{\"name\":\"monetary\",\"log1p\":false,\"center\":0,\"scale\":1}],"
    "\"centroids\":[[0,0],[10,10]],\"cluster_names\":[\"low\",\"high\"]}";

static void test_kmeans(void) {
  const double rows[6] = {1, 1, 9, 8, 5, 5};
  int32_t labels[3] = {-1, -1, -1};
  double dist[3];
  size_t k = 0, d = 0;
  const char* name = NULL;
  patron_kmeans *km = NULL, *km2 = NULL;
  char path[1024];
  FILE* f;
  CHECK_OK(patron_kmeans_from_json(kKmeansJson, &km));
  CHECK_OK(patron_kmeans_dims(km, &k, &d));
  CHECK(k == 2 && d == 2);
  CHECK_OK(patron_kmeans_feature(km, 1, &name));
  CHECK(strcmp(name, "monetary") == 0);
  CHECK_OK(patron_kmeans_predict(km, rows, 3, 2, labels, dist));
  CHECK(labels[0] == 0 && labels[1] == 1 && labels[2] == 0);
  CHECK_NEAR(dist[0], sqrt(2.0), 1e-12);
  CHECK_NEAR(dist[1], sqrt(5.0), 1e-12);
  CHECK_NEAR(dist[2], sqrt(50.0), 1e-12);
  CHECK_OK(patron_kmeans_predict(km, rows, 3, 2, labels, NULL));
  path_in(path, sizeof path, scratch_dir, "capi_kmeans.json");
  f = fopen(path, "w");
  if (!f) exit(2);
  fputs(kKmeansJson, f);
  fclose(f);
  CHECK_OK(patron_kmeans_load(path, &km2));
  CHECK_OK(patron_kmeans_predict(km2, rows + 2, 1, 2, labels, dist));
  CHECK(labels[0] == 1);
  patron_kmeans_free(km);
  patron_kmeans_free(km2);
}

static void test_kmeans_errors(void) {
  const double rows[4] = {1, 1, 9, NAN};
  int32_t labels[2];
  size_t k, d;
  const char* name;
  patron_kmeans* km = NULL;
  CHECK_FAILS(patron_kmeans_from_json("{\"kind\":\"other\"}", &km), PATRON_BAD_MODEL, "kind");
  CHECK_FAILS(patron_kmeans_from_json(NULL, &km), PATRON_INVALID_ARGUMENT, "text = NULL");
  CHECK_FAILS(patron_kmeans_load(NULL, &km), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK_FAILS(patron_kmeans_load("/nonexistent/km.json", &km), PATRON_IO_ERROR, "/nonexistent/km.json");
  CHECK_FAILS(patron_kmeans_from_json(kKmeansJson, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK(km == NULL);
  CHECK_OK(patron_kmeans_from_json(kKmeansJson, &km));
  CHECK_OK(patron_kmeans_predict(km, NULL, 0, 2, NULL, NULL));
  CHECK_FAILS(patron_kmeans_predict(km, rows, 2, 3, labels, NULL), PATRON_INVALID_ARGUMENT, "d = 3");
  CHECK_FAILS(patron_kmeans_predict(km, NULL, 2, 2, labels, NULL), PATRON_INVALID_ARGUMENT, "features = NULL");
  CHECK_FAILS(patron_kmeans_predict(km, rows, 2, 2, NULL, NULL), PATRON_INVALID_ARGUMENT, "labels = NULL");
  CHECK_FAILS(patron_kmeans_predict(km, rows, 2, 2, labels, NULL), PATRON_BAD_NUMBER, "monetary");
  CHECK_FAILS(patron_kmeans_predict(NULL, rows, 2, 2, labels, NULL), PATRON_INVALID_ARGUMENT, "model = NULL");
  CHECK_FAILS(patron_kmeans_predict((const patron_kmeans*)(const void*)rows, rows, 2, 2, labels, NULL),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  CHECK_FAILS(patron_kmeans_dims(km, NULL, &d), PATRON_INVALID_ARGUMENT, "k = NULL");
  CHECK_FAILS(patron_kmeans_dims(km, &k, NULL), PATRON_INVALID_ARGUMENT, "d = NULL");
  CHECK_FAILS(patron_kmeans_feature(km, 2, &name), PATRON_INVALID_ARGUMENT, "j = 2");
  CHECK_FAILS(patron_kmeans_feature(km, 0, NULL), PATRON_INVALID_ARGUMENT, "name = NULL");
  patron_kmeans_free(km);
  patron_kmeans_free(NULL);
}


/* ---- recommendations ---------------------------------------------------------------------------- */

/* Purchases a:{A,B}, b:{A,B}, c:{A,C}, d:{B}. Item columns over customers (a,b,c,d):
 * A = (1,1,1,0), B = (1,1,0,1), C = (0,0,1,0). Cosine by hand: sim(A,B) = 2/3, sim(A,C) = 1/sqrt(3),
 * sim(B,C) = 0. Hence d gets A (2/3) and nothing else (C scores 0); a gets C (1/sqrt(3));
 * c gets B (2/3 + 0). */
static const char* kRecCustomers[7] = {"a", "a", "b", "b", "c", "c", "d"};
static const char* kRecItems[7] = {"A", "B", "A", "B", "A", "C", "B"};

static patron_transaction_log* rec_log(void) {
  const int64_t times[7] = {0, 0, 86400, 86400, 0, 86400, 0};
  const double amounts[7] = {1, 2, 3, 4, 5, 6, 7};
  patron_transaction_log* log = NULL;
  CHECK_OK(patron_transaction_log_from_items(kRecCustomers, kRecItems, times, amounts, 7, &log));
  return log;
}

static void test_recommend(void) {
  patron_transaction_log* log = rec_log();
  patron_recommender* rec = NULL;
  const char* items[3] = {NULL, NULL, NULL};
  double scores[3];
  size_t written = 99;
  char path[1024];
  FILE* f;
  CHECK_OK(patron_recommender_fit(log, PATRON_SIMILARITY_COSINE, 20, &rec));
  CHECK_OK(patron_recommender_top_n(rec, "d", 3, items, scores, &written));
  CHECK(written == 1 && strcmp(items[0], "A") == 0);
  CHECK_NEAR(scores[0], 2.0 / 3.0, 1e-12);
  CHECK_OK(patron_recommender_top_n(rec, "a", 3, items, scores, &written));
  CHECK(written == 1 && strcmp(items[0], "C") == 0);
  CHECK_NEAR(scores[0], 1 / sqrt(3.0), 1e-12);
  CHECK_OK(patron_recommender_top_n(rec, "c", 3, items, scores, &written));
  CHECK(written == 1 && strcmp(items[0], "B") == 0);
  CHECK_NEAR(scores[0], 2.0 / 3.0, 1e-12);
  CHECK_OK(patron_recommender_top_n(rec, "c", 0, NULL, NULL, &written));
  CHECK(written == 0);
  patron_recommender_free(rec);
  rec = NULL;
  patron_transaction_log_free(log);
  log = NULL;

  /* The same purchases from a file with an item column. */
  {
    patron_read_options ro;
    size_t i;
    path_in(path, sizeof path, scratch_dir, "capi_items.csv");
    f = fopen(path, "w");
    if (!f) exit(2);
    fputs("customer,date,amount,sku\n", f);
    for (i = 0; i < 7; ++i) fprintf(f, "%s,2024-01-0%d,%d,%s\n", kRecCustomers[i], (int)(i % 2) + 1, (int)i + 1, kRecItems[i]);
    fclose(f);
    CHECK_OK(patron_read_options_init(&ro));
    ro.item_column = "sku";
    CHECK_OK(patron_transaction_log_read(path, &ro, &log, NULL));
    CHECK_OK(patron_recommender_fit(log, PATRON_SIMILARITY_COSINE, 20, &rec));
    CHECK_OK(patron_recommender_top_n(rec, "d", 3, items, scores, &written));
    CHECK(written == 1 && strcmp(items[0], "A") == 0);
    CHECK_NEAR(scores[0], 2.0 / 3.0, 1e-12);
    patron_recommender_free(rec);
    patron_transaction_log_free(log);
  }
}

static void test_recommend_errors(void) {
  patron_transaction_log* log = rec_log();
  patron_transaction_log* plain = NULL;
  patron_recommender* rec = NULL;
  const char* items[2];
  double scores[2];
  size_t written;
  const char* ids[1] = {"a"};
  const char* no_item[1] = {NULL};
  const int64_t times[1] = {0};
  const double amounts[1] = {1};
  CHECK_FAILS(patron_transaction_log_from_items(ids, no_item, times, amounts, 1, &plain), PATRON_MISSING_VALUE,
              "patron_transaction_log_from_items:1: item_id");
  CHECK_FAILS(patron_transaction_log_from_items(ids, NULL, times, amounts, 1, &plain), PATRON_INVALID_ARGUMENT,
              "item_ids = NULL");
  CHECK_FAILS(patron_transaction_log_from_items(ids, ids, times, amounts, 0, &plain), PATRON_EMPTY_INPUT, "no rows");
  CHECK_OK(patron_transaction_log_from_arrays(ids, times, amounts, 1, &plain));
  CHECK_FAILS(patron_recommender_fit(plain, PATRON_SIMILARITY_COSINE, 20, &rec), PATRON_INVALID_ARGUMENT, "item");
  CHECK_FAILS(patron_recommender_fit(log, 4, 20, &rec), PATRON_INVALID_ARGUMENT, "similarity = 4");
  CHECK_FAILS(patron_recommender_fit(log, PATRON_SIMILARITY_COSINE, 0, &rec), PATRON_INVALID_ARGUMENT, "neighbours = 0");
  CHECK_FAILS(patron_recommender_fit(NULL, PATRON_SIMILARITY_COSINE, 20, &rec), PATRON_INVALID_ARGUMENT, "log = NULL");
  CHECK_FAILS(patron_recommender_fit(log, PATRON_SIMILARITY_COSINE, 20, NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK(rec == NULL);
  CHECK_OK(patron_recommender_fit(log, PATRON_SIMILARITY_JACCARD, 5, &rec));
  CHECK_FAILS(patron_recommender_top_n(rec, "zz", 2, items, scores, &written), PATRON_INVALID_ARGUMENT,
              "customer_id = zz");
  CHECK_FAILS(patron_recommender_top_n(rec, NULL, 2, items, scores, &written), PATRON_INVALID_ARGUMENT, "customer_id = NULL");
  CHECK_FAILS(patron_recommender_top_n(rec, "a", 2, NULL, scores, &written), PATRON_INVALID_ARGUMENT, "items = NULL");
  CHECK_FAILS(patron_recommender_top_n(rec, "a", 2, items, NULL, &written), PATRON_INVALID_ARGUMENT, "scores = NULL");
  CHECK_FAILS(patron_recommender_top_n(rec, "a", 2, items, scores, NULL), PATRON_INVALID_ARGUMENT, "written = NULL");
  CHECK_FAILS(patron_recommender_top_n((const patron_recommender*)(const void*)log, "a", 2, items, scores, &written),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  CHECK_FAILS(patron_recommender_top_n(NULL, "a", 2, items, scores, &written), PATRON_INVALID_ARGUMENT,
              "recommender = NULL");
  {
    patron_read_options ro;
    CHECK_OK(patron_read_options_init(&ro));
    ro.item_position = -2;
    CHECK_FAILS(patron_transaction_log_read("x.csv", &ro, &plain, NULL), PATRON_INVALID_ARGUMENT,
                "options->item_position = -2");
  }
  patron_recommender_free(rec);
  patron_recommender_free(NULL);
  patron_transaction_log_free(plain);
  patron_transaction_log_free(log);
}


/* ---- lifecycle ---------------------------------------------------------------------------------- */

/* The four-stage table as include/patron/lifecycle/builtin.hpp defines it: potential -purchase->
 * new -purchase-> existing; review: new/existing with recency_days > 365 -> churned; churned
 * -purchase-> existing; every other review stays. NaN recency compares false: stays. */
static void test_lifecycle(void) {
  patron_lifecycle* lc = NULL;
  int32_t potential = -1, fresh = -1, existing = -1, churned = -1, initial = -1;
  size_t count = 0;
  const char* name = NULL;
  CHECK_OK(patron_lifecycle_builtin("four", &lc));
  CHECK_OK(patron_lifecycle_state_count(lc, &count));
  CHECK(count == 4);
  CHECK_OK(patron_lifecycle_state(lc, "potential", &potential));
  CHECK_OK(patron_lifecycle_state(lc, "new", &fresh));
  CHECK_OK(patron_lifecycle_state(lc, "existing", &existing));
  CHECK_OK(patron_lifecycle_state(lc, "churned", &churned));
  CHECK_OK(patron_lifecycle_initial(lc, &initial));
  CHECK(initial == potential);
  CHECK_OK(patron_lifecycle_state_name(lc, churned, &name));
  CHECK(strcmp(name, "churned") == 0);
  {
    const int32_t from[3] = {potential, fresh, churned};
    int32_t to[3];
    CHECK_OK(patron_lifecycle_classify(lc, "purchase", from, 3, NULL, 0, to));
    CHECK(to[0] == fresh && to[1] == existing && to[2] == existing);
  }
  {
    int32_t states[5] = {fresh, fresh, existing, potential, existing};
    const double recency[5] = {10, 400, 366, 500, NAN};
    const double* features[PATRON_FEATURE_COUNT] = {0};
    features[PATRON_FEATURE_RECENCY_DAYS] = recency;
    CHECK_OK(patron_lifecycle_classify(lc, "review", states, 5, features, PATRON_FEATURE_COUNT, states));
    CHECK(states[0] == fresh && states[1] == churned && states[2] == churned && states[3] == potential &&
          states[4] == existing);
  }
  patron_lifecycle_free(lc);
  lc = NULL;
  CHECK_OK(patron_lifecycle_builtin("seven", &lc));
  CHECK_OK(patron_lifecycle_state_count(lc, &count));
  CHECK(count == 7);
  CHECK_OK(patron_lifecycle_initial(lc, &initial));
  CHECK_OK(patron_lifecycle_state_name(lc, initial, &name));
  CHECK(strcmp(name, "prospect") == 0);
  patron_lifecycle_free(lc);
}

static void test_lifecycle_errors(void) {
  patron_lifecycle* lc = NULL;
  const int32_t from[2] = {0, 9};
  const int32_t ok_from[2] = {1, 1};
  int32_t to[2], state;
  size_t count;
  const char* name;
  const double* features[PATRON_FEATURE_COUNT] = {0};
  CHECK_FAILS(patron_lifecycle_builtin("five", &lc), PATRON_INVALID_ARGUMENT, "name = five");
  CHECK_FAILS(patron_lifecycle_builtin(NULL, &lc), PATRON_INVALID_ARGUMENT, "name = NULL");
  CHECK_FAILS(patron_lifecycle_builtin("four", NULL), PATRON_INVALID_ARGUMENT, "out = NULL");
  CHECK_FAILS(patron_lifecycle_load(NULL, &lc), PATRON_INVALID_ARGUMENT, "path = NULL");
  CHECK(patron_lifecycle_load("/nonexistent/table.json", &lc) == PATRON_IO_ERROR);
  CHECK(lc == NULL);
  CHECK_OK(patron_lifecycle_builtin("four", &lc));
  CHECK_FAILS(patron_lifecycle_classify(lc, "purchase", from, 2, NULL, 0, to), PATRON_OUT_OF_RANGE,
              "patron_lifecycle_classify:2: from = ");
  CHECK_FAILS(patron_lifecycle_classify(lc, "visit", ok_from, 2, NULL, 0, to), PATRON_BAD_RULE, "event = \"visit\": no such event");
  CHECK_FAILS(patron_lifecycle_classify(lc, NULL, ok_from, 2, NULL, 0, to), PATRON_INVALID_ARGUMENT, "event = NULL");
  CHECK_FAILS(patron_lifecycle_classify(lc, "review", ok_from, 2, NULL, 0, to), PATRON_BAD_RULE, "recency_days");
  CHECK_FAILS(patron_lifecycle_classify(lc, "review", ok_from, 2, features, 12, to), PATRON_INVALID_ARGUMENT,
              "n_features = 12");
  CHECK_FAILS(patron_lifecycle_classify(lc, "review", ok_from, 2, NULL, 3, to), PATRON_INVALID_ARGUMENT,
              "features = NULL");
  CHECK_FAILS(patron_lifecycle_classify(lc, "purchase", NULL, 2, NULL, 0, to), PATRON_INVALID_ARGUMENT, "from = NULL");
  CHECK_FAILS(patron_lifecycle_classify(lc, "purchase", ok_from, 2, NULL, 0, NULL), PATRON_INVALID_ARGUMENT, "to = NULL");
  CHECK_OK(patron_lifecycle_classify(lc, "purchase", NULL, 0, NULL, 0, NULL));
  CHECK_FAILS(patron_lifecycle_classify((const patron_lifecycle*)(const void*)from, "purchase", ok_from, 2, NULL, 0, to),
              PATRON_INVALID_ARGUMENT, "wrong handle kind");
  CHECK_FAILS(patron_lifecycle_state(lc, "gone", &state), PATRON_BAD_RULE, "state = \"gone\": no such state");
  CHECK_FAILS(patron_lifecycle_state(lc, "new", NULL), PATRON_INVALID_ARGUMENT, "state = NULL");
  CHECK_FAILS(patron_lifecycle_state_name(lc, 4, &name), PATRON_INVALID_ARGUMENT, "state = 4");
  CHECK_FAILS(patron_lifecycle_state_name(lc, -1, &name), PATRON_INVALID_ARGUMENT, "state = -1");
  CHECK_FAILS(patron_lifecycle_state_count(lc, NULL), PATRON_INVALID_ARGUMENT, "count = NULL");
  CHECK_FAILS(patron_lifecycle_state_count(NULL, &count), PATRON_INVALID_ARGUMENT, "lifecycle = NULL");
  CHECK_FAILS(patron_lifecycle_initial(lc, NULL), PATRON_INVALID_ARGUMENT, "state = NULL");
  patron_lifecycle_free(lc);
  patron_lifecycle_free(NULL);
}

/* ---- threads: several threads score on one handle ----------------------------------------------- */

enum { kThreads = 6, kRounds = 15 };

struct thread_job {
  const patron_bgnbd* bg;
  const patron_pnbd* pn;
  const double *x, *t_x, *T, *ref_alive, *ref_expected, *ref_pnbd;
  size_t n;
  int index;
  int mismatches;
  int errors;
};

static void* score_thread(void* arg) {
  struct thread_job* job = arg;
  double* out = malloc(job->n * sizeof *out);
  double bad_x[8];
  char want[64];
  int round;
  size_t i;
  if (!out) return NULL;
  for (round = 0; round < kRounds; ++round) {
    if (patron_bgnbd_p_alive(job->bg, job->x, job->t_x, job->T, job->n, out) != PATRON_OK) ++job->errors;
    for (i = 0; i < job->n; ++i) job->mismatches += out[i] != job->ref_alive[i];
    if (patron_bgnbd_expected_purchases(job->bg, 52, job->x, job->t_x, job->T, job->n, out) != PATRON_OK)
      ++job->errors;
    for (i = 0; i < job->n; ++i) job->mismatches += out[i] != job->ref_expected[i];
    if (patron_pnbd_p_alive(job->pn, job->x, job->t_x, job->T, job->n, out) != PATRON_OK) ++job->errors;
    for (i = 0; i < job->n; ++i) job->mismatches += out[i] != job->ref_pnbd[i];
    /* Each thread's own error: NaN in row index+1; the message must be this thread's. */
    for (i = 0; i < 8; ++i) bad_x[i] = job->x[i];
    bad_x[job->index] = NAN;
    if (patron_bgnbd_p_alive(job->bg, bad_x, job->t_x, job->T, 8, out) != PATRON_OUT_OF_RANGE) ++job->errors;
    snprintf(want, sizeof want, "patron_bgnbd_p_alive:%d: x = ", job->index + 1);
    if (strstr(patron_last_error(), want) == NULL) ++job->errors;
  }
  free(out);
  return NULL;
}

static void test_threads(void) {
  patron_summary* s = read_cdnow();
  const double *x, *t_x, *T, *m;
  const double p[4] = {0.243, 4.414, 0.793, 2.426}, pp[4] = {0.553, 10.578, 0.606, 11.669};
  patron_bgnbd* bg = NULL;
  patron_pnbd* pn = NULL;
  pthread_t threads[kThreads];
  struct thread_job jobs[kThreads];
  double *ref_alive, *ref_expected, *ref_pnbd;
  size_t n = 0;
  int k;
  cdnow_columns(s, &x, &t_x, &T, &m, &n);
  CHECK_OK(patron_bgnbd_new(p, 4, 7, &bg));
  CHECK_OK(patron_pnbd_new(pp, 4, 7, &pn));
  ref_alive = malloc(n * sizeof *ref_alive);
  ref_expected = malloc(n * sizeof *ref_expected);
  ref_pnbd = malloc(n * sizeof *ref_pnbd);
  if (!ref_alive || !ref_expected || !ref_pnbd) exit(2);
  /* The single-threaded results are the reference: every thread must reproduce them bit for bit. */
  CHECK_OK(patron_bgnbd_p_alive(bg, x, t_x, T, n, ref_alive));
  CHECK_OK(patron_bgnbd_expected_purchases(bg, 52, x, t_x, T, n, ref_expected));
  CHECK_OK(patron_pnbd_p_alive(pn, x, t_x, T, n, ref_pnbd));
  for (k = 0; k < kThreads; ++k) {
    struct thread_job j = {bg, pn, x, t_x, T, ref_alive, ref_expected, ref_pnbd, n, k, 0, 0};
    jobs[k] = j;
    CHECK(pthread_create(&threads[k], NULL, score_thread, &jobs[k]) == 0);
  }
  for (k = 0; k < kThreads; ++k) {
    CHECK(pthread_join(threads[k], NULL) == 0);
    CHECK(jobs[k].mismatches == 0);
    CHECK(jobs[k].errors == 0);
  }
  /* The main thread's message is untouched by the others' failures. */
  CHECK(strcmp(patron_last_error(), "") == 0);
  patron_bgnbd_free(bg);
  patron_pnbd_free(pn);
  patron_summary_free(s);
  free(ref_alive);
  free(ref_expected);
  free(ref_pnbd);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: capi_test reference|errors|threads [data dir] [scratch dir]\n");
    return 2;
  }
  if (argc > 2) data_dir = argv[2];
  if (argc > 3) scratch_dir = argv[3];
  if (strcmp(argv[1], "reference") == 0) {
    test_version();
    test_cdnow_reference();
    test_mbgnbd();
    test_round_trip();
    test_log_and_summary();
    test_rfm();
    test_kmeans();
    test_recommend();
    test_lifecycle();
  } else if (strcmp(argv[1], "errors") == 0) {
    test_errors();
    test_rfm_errors();
    test_kmeans_errors();
    test_recommend_errors();
    test_lifecycle_errors();
  } else if (strcmp(argv[1], "threads") == 0) {
    test_threads();
  } else {
    fprintf(stderr, "unknown test group %s\n", argv[1]);
    return 2;
  }
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
