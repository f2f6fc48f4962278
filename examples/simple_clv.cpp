// SPDX-License-Identifier: MIT
// CLV without purchase histories: NPV, retention-rate CLV, expected lifetime, contribution view.
#include <cstdio>
#include <vector>

#include "patron/value/clv_formulas.hpp"
#include "patron/value/discount.hpp"

int main() {
  using namespace patron;
  // Rates carry their unit: 12 % a year, used monthly.
  const auto rate = discount_rate<double>::annual(0.12);
  const auto month = time_unit::month();
  std::printf("12%% a year = %.4f%% a month (discrete)\n", 100 * rate.discrete_per(month));

  const std::vector<double> cash{120, 120, 120, 120, 120, 120};
  std::printf("NPV of 6 monthly payments of 120: %.2f\n", npv<double>(cash, rate, month));

  // Gupta & Lehmann (2003): margin 100 a year, 80 % retention, 10 % discount.
  std::printf("CLV = m r / (1 + d - r) = %.2f; over 5 years: %.2f\n", clv_retention(100.0, 0.8, 0.1),
              clv_retention(100.0, 0.8, 0.1, 5));
  std::printf("Expected lifetime at 25%% churn: %.1f periods\n", expected_lifetime(0.25));

  contribution_inputs<double> in;
  in.base_profit = 30;
  in.cross_sell_profit = 8;
  in.cost_savings = 3;
  in.retention_cost = 4;
  in.churn_cost = 25;
  in.acquisition_cost = 60;
  in.retention = 0.9;
  in.periods = 24;
  const auto c = clv_contribution(in, rate, month);
  std::printf("Contribution CLV over 24 months: base %.2f + cross-sell %.2f + savings %.2f - retention %.2f"
              " - churn %.2f - acquisition %.2f = %.2f\n",
              c.base_profit, c.cross_sell_profit, c.cost_savings, c.retention_cost, c.churn_cost,
              c.acquisition_cost, c.total);
  return 0;
}
