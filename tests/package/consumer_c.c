/* SPDX-License-Identifier: MIT */
/* Links against an installed libpatron_c and scores one customer with the published BG/NBD
 * parameters (Fader, Hardie & Lee 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426). */
#include <patron/c/patron.h>

#include <math.h>
#include <stdio.h>

int main(void) {
  const double params[4] = {0.243, 4.414, 0.793, 2.426};
  const double x = 2, t_x = 30.43, T = 38.86;
  double e = 0;
  patron_bgnbd* model = NULL;
  if (patron_bgnbd_new(params, 4, 7.0, &model) != PATRON_OK ||
      patron_bgnbd_expected_purchases(model, 39.0, &x, &t_x, &T, 1, &e) != PATRON_OK) {
    fprintf(stderr, "patron_c: %s\n", patron_last_error());
    patron_bgnbd_free(model);
    return 1;
  }
  patron_bgnbd_free(model);
  printf("patron_c %s: E[X(39) | 2, 30.43, 38.86] = %.3f\n", patron_version_string(), e);
  /* FHL (2005) section 5 reports 1.226 for this customer. */
  return fabs(e - 1.226) < 0.0005 ? 0 : 1;
}
