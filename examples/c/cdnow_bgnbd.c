/* SPDX-License-Identifier: MIT */
/* Fits BG/NBD and Gamma-Gamma to the CDNOW summary through the C ABI and scores every customer
 * (P(alive), expected purchases in the next 52 weeks, CLV at 10 % a year and a 30 % margin).
 * Every call's status is checked; on failure the library's message is printed.
 * Run from the repository root: ./build/examples/example_c_cdnow_bgnbd [summary.csv]
 * Build elsewhere: cc -std=c11 cdnow_bgnbd.c $(pkg-config --cflags --libs patron_c) */
#include <patron/c/patron.h>

#include <stdio.h>
#include <stdlib.h>

/* Prints the failing call and the library's message; returns nonzero on failure. */
static int failed(patron_status status, const char* call) {
  if (status == PATRON_OK) return 0;
  fprintf(stderr, "%s failed: %s (%s)\n", call, patron_last_error(), patron_status_name(status));
  return 1;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "../shared/data/cdnow_customers_summary_with_transactions.csv";
  patron_summary* summary = NULL;
  patron_bgnbd* bg = NULL;
  patron_gamma_gamma* gg = NULL;
  patron_fit_report bg_report, gg_report;
  const double *x = NULL, *t_x = NULL, *T = NULL, *m = NULL;
  double *alive = NULL, *next_year = NULL, *clv = NULL;
  size_t n = 0, i, k;
  int rc = 1;

  if (failed(patron_summary_read(path, 7.0, &summary), "patron_summary_read")) goto done;
  if (failed(patron_summary_column(summary, PATRON_COLUMN_X, &x, &n), "patron_summary_column(x)") ||
      failed(patron_summary_column(summary, PATRON_COLUMN_T_X, &t_x, &k), "patron_summary_column(t_x)") ||
      failed(patron_summary_column(summary, PATRON_COLUMN_T, &T, &k), "patron_summary_column(T)") ||
      failed(patron_summary_column(summary, PATRON_COLUMN_MONETARY, &m, &k), "patron_summary_column(monetary)"))
    goto done;

  /* A fit that does not converge still gives a model: check the report's status. */
  if (failed(patron_fit_report_init(&bg_report), "patron_fit_report_init") ||
      failed(patron_bgnbd_fit(x, t_x, T, n, 7.0, NULL, &bg, &bg_report), "patron_bgnbd_fit"))
    goto done;
  if (bg_report.status != PATRON_FIT_CONVERGED)
    fprintf(stderr, "warning: BG/NBD fit status %d (not converged)\n", (int)bg_report.status);
  printf("BG/NBD on %zu customers: r=%.3f alpha=%.3f a=%.3f b=%.3f LL=%.1f\n", n, bg_report.params[0],
         bg_report.params[1], bg_report.params[2], bg_report.params[3], bg_report.log_likelihood);

  if (failed(patron_fit_report_init(&gg_report), "patron_fit_report_init") ||
      failed(patron_gamma_gamma_fit(x, m, n, NULL, &gg, &gg_report), "patron_gamma_gamma_fit"))
    goto done;
  printf("Gamma-Gamma: p=%.2f q=%.2f gamma=%.2f (%zu customers used, %zu left out)\n", gg_report.params[0],
         gg_report.params[1], gg_report.params[2], gg_report.n_used, gg_report.n_excluded);

  alive = malloc(n * sizeof *alive);
  next_year = malloc(n * sizeof *next_year);
  clv = malloc(n * sizeof *clv);
  if (!alive || !next_year || !clv) {
    fprintf(stderr, "out of memory\n");
    goto done;
  }
  /* One call per score for all customers; outputs are the caller's arrays. */
  if (failed(patron_bgnbd_p_alive(bg, x, t_x, T, n, alive), "patron_bgnbd_p_alive") ||
      failed(patron_bgnbd_expected_purchases(bg, 52.0, x, t_x, T, n, next_year),
             "patron_bgnbd_expected_purchases") ||
      failed(patron_bgnbd_clv(bg, gg, 0.10, 0.30, x, t_x, T, m, n, clv), "patron_bgnbd_clv"))
    goto done;

  printf("%-6s %4s %7s %8s %9s %10s\n", "id", "x", "t_x", "P(alive)", "E[X(52)]", "CLV(30%)");
  for (i = 0; i < 6 && i < n; ++i) {
    const char* id = NULL;
    if (failed(patron_summary_id(summary, i, &id), "patron_summary_id")) goto done;
    printf("%-6s %4.0f %7.2f %8.3f %9.3f %10.2f\n", id, x[i], t_x[i], alive[i], next_year[i], clv[i]);
  }
  {
    double total = 0;
    for (i = 0; i < n; ++i) total += clv[i];
    printf("total CLV of %zu customers: %.0f\n", n, total);
  }
  rc = 0;

done:
  free(alive);
  free(next_year);
  free(clv);
  patron_gamma_gamma_free(gg);
  patron_bgnbd_free(bg);
  patron_summary_free(summary);
  return rc;
}
