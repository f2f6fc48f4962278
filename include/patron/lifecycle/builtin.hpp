// SPDX-License-Identifier: MIT
// The built-in lifecycles: the seven-stage customer relationship lifecycle and the four-stage one.
#ifndef PATRON_LIFECYCLE_BUILTIN_HPP
#define PATRON_LIFECYCLE_BUILTIN_HPP

#include "patron/lifecycle/state_machine.hpp"

namespace patron::inline v1::lifecycle {

/// Events of both built-in tables: `purchase` fires on each purchase day (features measured
/// just after it, so recency_days = 0); `review` fires at each evaluation date.
inline constexpr std::string_view purchase_event = "purchase";
inline constexpr std::string_view review_event = "review";

/// Default guards of the seven-stage table (units: days, repeat purchase days, probabilities).
struct seven_stage_options {
  /// Repeat purchase days (frequency) from which a repeat buyer is mature.
  double maturity_frequency = 3;
  /// A repeat buyer declines when recency_days > decline_factor × mean_interpurchase_days.
  double decline_factor = 2.0;
  /// A one-time buyer (no inter-purchase time yet) declines after this many days without a purchase.
  double development_decline_days = 180;
  /// Termination after this many days without a purchase.
  double termination_days = 365;
  /// Use P(alive) too (needs the p_alive column): decline when P(alive) < decline_p_alive,
  /// terminate when P(alive) < termination_p_alive.
  bool use_p_alive = false;
  double decline_p_alive = 0.5;
  double termination_p_alive = 0.1;

  /// Throws invalid_argument_error naming the first field out of range.
  void validate() const;
};

/// The seven-stage relationship lifecycle (initial state prospect):
///
/// | stage (潜在 开发 成长 成熟 衰退 终止 恢复) | meaning |
/// |---|---|
/// | prospect 潜在    | no purchase yet |
/// | development 开发 | one purchase day (frequency 0) |
/// | growth 成长      | repeat buyer, frequency < maturity_frequency |
/// | maturity 成熟    | repeat buyer, frequency ≥ maturity_frequency |
/// | decline 衰退     | overdue: recency > decline_factor × own mean inter-purchase time (one-time buyers: > development_decline_days), or P(alive) < decline_p_alive |
/// | termination 终止 | recency > termination_days, or P(alive) < termination_p_alive |
/// | recovery 恢复    | bought again after termination; the next purchase makes it maturity |
///
/// Rows, in order (first match wins):
///   purchase: prospect→development; development→growth; growth→maturity [frequency ≥ m];
///             growth→growth; maturity→maturity; decline→maturity [frequency ≥ m];
///             decline→growth; termination→recovery; recovery→maturity.
///   review:   development|growth|maturity|decline|recovery → termination [termination guard];
///             development → decline [recency > development_decline_days (or P(alive) low)];
///             growth|maturity|recovery → decline [recency > k × mean IPT (or P(alive) low)];
///             every state → itself (so a review is never unhandled).
[[nodiscard]] transition_table seven_stage_table(const seven_stage_options& options = {});

/// Default guards of the four-stage table.
struct four_stage_options {
  /// Churned after this many days without a purchase.
  double churn_days = 365;
  /// Use P(alive) too: churned when P(alive) < churn_p_alive.
  bool use_p_alive = false;
  double churn_p_alive = 0.1;

  void validate() const;
};

/// The four-stage lifecycle (initial state potential): potential (no purchase) → new (first
/// purchase) → existing (a repeat purchase) → churned (review: recency > churn_days or P(alive)
/// low); a churned customer who buys again is existing.
[[nodiscard]] transition_table four_stage_table(const four_stage_options& options = {});

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_BUILTIN_HPP
