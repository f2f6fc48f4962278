// SPDX-License-Identifier: MIT
// Simple CLV formulas finance teams use: NPV, retention-rate CLV, lifetime, contribution view.
#ifndef PATRON_VALUE_CLV_FORMULAS_HPP
#define PATRON_VALUE_CLV_FORMULAS_HPP

#include <cmath>
#include <span>
#include <string>

#include "patron/error.hpp"
#include "patron/real_number.hpp"
#include "patron/value/discount.hpp"

namespace patron::inline v1 {

/// Net present value of cash flows cf[k] received at the end of period k+1 (k = 0, 1, ...):
/// Σ cf[k]·(1+d)^(−(k+1)), d the discrete rate per period of `unit`. Pass `first_at_zero` to
/// receive cf[0] now (undiscounted) instead.
template <real_number Real>
[[nodiscard]] Real npv(std::span<const Real> cash_flows, const discount_rate<Real>& rate, time_unit unit,
                       bool first_at_zero = false) {
  const Real v = Real(1) / (Real(1) + rate.discrete_per(unit));
  Real f = first_at_zero ? Real(1) : v, sum = 0;
  for (const Real& c : cash_flows) {
    sum += c * f;
    f *= v;
  }
  return sum;
}

/// Gupta & Lehmann (2003), "Customers as assets", J. Interactive Marketing 17(1): with margin m
/// per period, retention r and discount d per period, CLV = m·r/(1 + d − r) (infinite horizon,
/// margins at period ends). Requires 0 ≤ r < 1 + d.
template <real_number Real>
[[nodiscard]] Real clv_retention(Real margin, Real retention, Real d) {
  if (!(retention >= 0) || !(retention <= 1) || !(d > -1))
    throw invalid_argument_error("clv_retention", "retention", "", "needs 0 <= retention <= 1 and d > -1");
  return margin * retention / (Real(1) + d - retention);
}

/// The same over a finite horizon of n periods: Σ_{t=1..n} m·rᵗ/(1+d)ᵗ.
template <real_number Real>
[[nodiscard]] Real clv_retention(Real margin, Real retention, Real d, int periods) {
  if (!(retention >= 0) || !(retention <= 1) || !(d > -1) || periods < 0)
    throw invalid_argument_error("clv_retention", "periods", std::to_string(periods), "needs periods >= 0, 0 <= retention <= 1, d > -1");
  Real f = 1, sum = 0;
  for (int t = 1; t <= periods; ++t) {
    f *= retention / (Real(1) + d);
    sum += margin * f;
  }
  return sum;
}

/// Expected customer lifetime in periods for a cohort with constant churn rate c per period:
/// 1/c (mean of the geometric number of periods until churn). Requires 0 < c ≤ 1.
template <real_number Real>
[[nodiscard]] Real expected_lifetime(Real churn) {
  if (!(churn > 0) || !(churn <= 1))
    throw invalid_argument_error("expected_lifetime", "churn", "", "must be in (0, 1]");
  return Real(1) / churn;
}

/// Per-period amounts of the contribution view of CLV (product brief): profits and savings
/// the customer brings, costs of keeping them; acquisition is paid once, now.
template <real_number Real>
struct contribution_inputs {
  Real base_profit = 0;       ///< margin on the customer's own purchases, per period
  Real cross_sell_profit = 0; ///< extra margin from cross-/up-selling, per period
  Real cost_savings = 0;      ///< e.g. referrals, lower service cost, per period
  Real retention_cost = 0;    ///< loyalty rewards, retention campaigns, per period
  Real churn_cost = 0;        ///< cost incurred when the customer churns (win-back, closing)
  Real acquisition_cost = 0;  ///< once, at time 0, undiscounted
  Real retention = 1;         ///< probability of staying from one period to the next, [0, 1]
  int periods = 12;           ///< horizon, ≥ 0
};

/// Each component's discounted value, so a CRM can show where value comes from.
/// total = base + cross_sell + savings − retention_cost − churn_cost − acquisition.
template <real_number Real>
struct contribution_clv {
  Real base_profit = 0, cross_sell_profit = 0, cost_savings = 0;
  Real retention_cost = 0, churn_cost = 0, acquisition_cost = 0, total = 0;
};

/// Contribution-view CLV: period t = 1..n is reached with survival S_t = rᵗ⁻¹·r = rᵗ (the
/// customer must stay through t), worth (1+d)^(−t); per-period amounts are weighted by S_t, the
/// churn cost by the probability of churning in period t, S_{t−1}(1 − r). d is the discrete rate
/// per period of `unit`.
template <real_number Real>
[[nodiscard]] contribution_clv<Real> clv_contribution(const contribution_inputs<Real>& in,
                                                      const discount_rate<Real>& rate, time_unit unit) {
  if (!(in.retention >= 0) || !(in.retention <= 1) || in.periods < 0)
    throw invalid_argument_error("clv_contribution", "retention", "", "needs 0 <= retention <= 1 and periods >= 0");
  const Real v = Real(1) / (Real(1) + rate.discrete_per(unit));
  contribution_clv<Real> out;
  Real surv_prev = 1, disc = 1, weight_alive = 0, weight_churn = 0;
  for (int t = 1; t <= in.periods; ++t) {
    disc *= v;
    const Real surv = surv_prev * in.retention;
    weight_alive += surv * disc;
    weight_churn += surv_prev * (Real(1) - in.retention) * disc;
    surv_prev = surv;
  }
  out.base_profit = in.base_profit * weight_alive;
  out.cross_sell_profit = in.cross_sell_profit * weight_alive;
  out.cost_savings = in.cost_savings * weight_alive;
  out.retention_cost = in.retention_cost * weight_alive;
  out.churn_cost = in.churn_cost * weight_churn;
  out.acquisition_cost = in.acquisition_cost;
  out.total = out.base_profit + out.cross_sell_profit + out.cost_savings - out.retention_cost -
              out.churn_cost - out.acquisition_cost;
  return out;
}

}  // namespace patron::inline v1

#endif  // PATRON_VALUE_CLV_FORMULAS_HPP
