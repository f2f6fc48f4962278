// SPDX-License-Identifier: MIT
// BG/BB on the donations data (discrete opportunities) and sBG on two subscription cohorts.
// Run from the repository root: ./build/examples/example_discrete_models
#include <cstdio>
#include <span>
#include <utility>
#include <vector>

#include "patron/data/discrete_io.hpp"
#include "patron/models/bgbb.hpp"
#include "patron/models/sbg.hpp"
#include "patron/value/discount.hpp"

int main() {
  using namespace patron;
  // --- BG/BB: 11,104 donors, 6 yearly opportunities, 22 patterns with weights ---------------
  const bgbb_table t = read_bgbb_csv("../shared/data/donations.csv");
  const auto fit = bgbb::fit(t.view());  // never throws on non-convergence: check the status
  const auto& p = fit.model.params();
  std::printf("BG/BB (%s): alpha=%.3f beta=%.3f gamma=%.3f delta=%.3f LL=%.1f\n", to_string(fit.status), p.alpha,
              p.beta, p.gamma, p.delta, fit.log_likelihood);
  std::printf("  x t_x n   P(alive 2002)  E[donations 2002-2006]  DERT(10%%)\n");
  for (auto [x, tx] : {std::pair{6.0, 6.0}, std::pair{3.0, 6.0}, std::pair{3.0, 3.0}, std::pair{0.0, 0.0}})
    std::printf("  %.0f %.0f   6   %.3f          %.3f                   %.3f\n", x, tx, fit.model.p_alive(x, tx, 6),
                fit.model.expected_purchases(5, x, tx, 6), fit.model.dert(0.10, x, tx, 6));
  // CLV at 10 % a year and $50 per donation: the rate is converted to the opportunity's unit.
  std::vector<double> value(t.x.size(), 50.0), clv_out(t.x.size());
  clv(fit.model, discount_rate<double>::annual(0.10), t.view(), value, clv_out);
  for (std::size_t i = 0; i < t.x.size(); ++i)
    if (t.x[i] == 6) std::printf("  CLV of a 6-of-6 donor: $%.2f\n", clv_out[i]);

  // --- sBG: two cohorts of 1,000 subscribers, survivors for years 0..7 ----------------------
  const std::vector<double> regular{1000, 631, 468, 382, 326, 289, 262, 241};
  const std::vector<double> high_end{1000, 869, 743, 653, 593, 551, 517, 491};
  for (const auto* cohort : {&regular, &high_end}) {
    const auto r = sbg::fit(*cohort);
    const sbg& m = r.model;
    std::printf("sBG (%s): alpha=%.3f beta=%.3f; survival year 12 = %.1f %%; retention year 1 %.3f → year 12 %.3f; "
                "DEL(10%%) = %.2f years; DERL after 4 renewals = %.2f\n",
                to_string(r.status), m.params().alpha, m.params().beta, 100 * m.survival(12), m.retention(1),
                m.retention(12), m.del(0.10), m.derl(0.10, 4));
  }
  return 0;
}
