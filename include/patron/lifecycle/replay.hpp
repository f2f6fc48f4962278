// SPDX-License-Identifier: MIT
// Replaying a purchase log through a lifecycle table: stages at evaluation dates, transitions, funnel.
#ifndef PATRON_LIFECYCLE_REPLAY_HPP
#define PATRON_LIFECYCLE_REPLAY_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/transaction_log.hpp"
#include "patron/lifecycle/state_machine.hpp"

namespace patron::inline v1::lifecycle {

/// Extra input features during a replay (P(alive), CLV, RFM segment, days since contact, ...):
/// one column per (feature, evaluation date), `values[d * customers + c]` for the log's customer
/// index c. They apply to the review at date d and to purchases in (date d−1, date d].
struct replay_inputs {
  struct column {
    feature f;
    std::vector<double> values;
  };
  std::vector<column> columns;
};

struct replay_options {
  std::string purchase_event = "purchase";  ///< fired once per purchase day
  std::string review_event = "review";      ///< fired at each evaluation date
};

/// One change of stage (or an unhandled event): `row` is the table row that fired (-1 for an
/// unhandled event, whose from == to). Self-transitions ("stay" rows) are not listed.
struct transition_record {
  std::uint32_t customer;  ///< index into transaction_log::customers
  date on;
  state_id from, to;
  std::int32_t row;
};

/// Result of replay(). Customers are the log's interned customers (index c).
struct replay_result {
  std::vector<date> dates;
  std::size_t customers = 0;
  /// stage[d * customers + c]: customer c's stage at evaluation date d (after that day's purchases
  /// and the review).
  std::vector<state_id> stage;
  /// Every stage change (and unhandled event) in time order per customer, customers in index order.
  std::vector<transition_record> transitions;
  /// funnel[d * states + s]: customers in stage s at date d.
  std::vector<std::uint64_t> funnel;
  /// migration[a * states + b]: customers in stage a at one date and b at the next (staying
  /// included): the counts a Markov migration model is estimated from.
  std::vector<std::uint64_t> migration;
  /// Events no row handled (a sign of an incomplete table).
  std::uint64_t unhandled = 0;

  [[nodiscard]] state_id stage_at(std::size_t d, std::uint32_t c) const { return stage[d * customers + c]; }
};

/// Replays `log` through `machine` at `dates` (strictly increasing). Each customer starts in the
/// initial state. For each purchase day up to the last date (same-day rows merged, amounts added),
/// `purchase` fires with features measured that day; at each date, `review` fires with features
/// measured on that date. A table without one of the two events simply never receives it (a
/// review-only table classifies on features alone); a table with neither is a bad_rule error. Features computed from the log: recency_days, frequency, monetary,
/// total_spend, tenure_days, mean_interpurchase_days; others come from `inputs` (NaN otherwise —
/// a table testing a feature that is neither is a bad_rule error). O(rows log rows +
/// customers × dates × rows-per-(state, event)). Throws invalid_argument_error for unsorted
/// dates or inputs of the wrong size.
[[nodiscard]] replay_result replay(const transaction_log& log, std::span<const date> dates,
                                   const state_machine& machine, const replay_inputs& inputs = {},
                                   const replay_options& options = {});

/// The last day of every month from the month of `from` to the month of `to`.
[[nodiscard]] std::vector<date> month_ends(date from, date to);

/// Purchase days of one customer (amounts of a day added), sorted, as the replay sees them.
struct purchase_history {
  std::vector<std::uint32_t> offsets;  ///< customer c's days are [offsets[c], offsets[c+1])
  std::vector<date> day;
  std::vector<double> amount;
};
/// Groups a log into per-customer purchase days. Rows with amount ≤ 0 still count as a day.
[[nodiscard]] purchase_history purchase_days(const transaction_log& log);

/// Sets the log-derived features (recency_days, frequency, monetary, total_spend, tenure_days,
/// mean_interpurchase_days) of a customer whose purchase days so far are `days` (with
/// `amounts`), measured on `on`; other features of `out` are left alone.
void history_features(std::span<const date> days, std::span<const double> amounts, date on,
                      feature_row& out) noexcept;

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_REPLAY_HPP
