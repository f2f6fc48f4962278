// SPDX-License-Identifier: MIT
// Keeps customer profiles current day by day with summary_accumulator instead of re-summarising.
#include <cstdio>

#include "patron/data/accumulator.hpp"

int main() {
  using namespace patron;
  summary_accumulator acc(time_unit::week());
  const date monday = from_ymd(2024, 6, 3);

  // Day 1: yesterday's export, one batch.
  transaction_log day1;
  day1.add("alice", start_of(monday) + 9 * 3600, 25.0);
  day1.add("bob", start_of(monday) + 11 * 3600, 40.0);
  acc.add(day1);

  // Later: single rows as the shop sends them, one of them late (an older day).
  acc.add("alice", start_of(monday + 7) + 10 * 3600, 30.0);
  acc.add("bob", start_of(monday + 14), 15.0);
  acc.add("bob", start_of(monday + 2), 5.0);  // arrived late: inserted in place

  // Nights without sales: move the observation end; only T changes, in one pass.
  acc.advance_to(monday + 21);

  const customer_summary& p = acc.profiles();
  for (std::size_t i = 0; i < p.size(); ++i)
    std::printf("%-6s x = %g  t_x = %.2f  T = %.2f weeks  monetary = %.2f  total = %.2f\n",
                p.id[i].c_str(), p.x[i], p.t_x[i], p.T[i], p.monetary[i], p.total[i]);

  // Any other view (calibration split, other unit) comes from summary(options).
  summary_options o;
  o.unit = time_unit::day();
  o.calibration_end = monday + 10;
  const customer_summary split = acc.summary(o);
  std::printf("calibration to %s: alice x = %g, holdout x = %g\n",
              to_string(*o.calibration_end).c_str(), split.x[0], split.x_holdout[0]);
  return 0;
}
