// SPDX-License-Identifier: MIT
// Fits BG/NBD + Gamma-Gamma to the CDNOW summary and prints P(alive) and CLV for a few customers.
// Run from the repository root: ./build/examples/example_clv_cdnow
#include <cstdio>
#include <vector>

#include "patron/data/summary_io.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/value/discount.hpp"

int main() {
  using namespace patron;
  const auto table = read_summary_csv("../shared/data/cdnow_customers_summary_with_transactions.csv",
                                      time_unit::week());
  const auto& s = table.summary;
  const customer_summary_view v(s.x, s.t_x, s.T, s.monetary);

  const auto bg = bgnbd::fit(v);  // never throws on non-convergence: check the status
  const auto gg = gamma_gamma::fit(v);
  const auto& p = bg.model.params();
  std::printf("BG/NBD (%s): r=%.3f alpha=%.3f a=%.3f b=%.3f LL=%.1f\n", to_string(bg.status), p.r,
              p.alpha, p.a, p.b, bg.log_likelihood);
  const auto& q = gg.model.params();
  std::printf("Gamma-Gamma (%s): p=%.2f q=%.2f gamma=%.2f on %zu customers (%zu without repeats, %zu with spend <= 0 left out)\n",
              to_string(gg.status), q.p, q.q, q.gamma, gg.n_used, gg.n_excluded_no_repeat,
              gg.n_excluded_nonpositive_spend);

  // 10 % a year, converted to the model's weekly unit by the discount_rate type.
  const auto rate = discount_rate<double>::annual(0.10);
  std::vector<double> alive(v.size()), next_year(v.size()), value(v.size());
  bg.model.p_alive(v, alive);
  bg.model.expected_purchases(52, v, next_year);
  clv(bg.model, gg.model, rate, v, value, /*margin=*/0.3);

  std::printf("%-6s %4s %7s %7s %9s %10s\n", "id", "x", "t_x", "P(alive)", "E[X(52)]", "CLV(30%)");
  for (std::size_t i = 0; i < 6; ++i)
    std::printf("%-6s %4.0f %7.2f %8.3f %9.3f %10.2f\n", s.id[i].c_str(), s.x[i], s.t_x[i], alive[i],
                next_year[i], value[i]);
  return 0;
}
