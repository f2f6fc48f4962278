// SPDX-License-Identifier: MIT
// A runtime-configured finite state machine: a transition table {from, event, guard, to} as data.
#ifndef PATRON_LIFECYCLE_STATE_MACHINE_HPP
#define PATRON_LIFECYCLE_STATE_MACHINE_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/lifecycle/features.hpp"

namespace patron::inline v1::lifecycle {

/// How a condition compares a feature with its threshold.
enum class comparison : std::uint8_t { lt, le, gt, ge, eq, ne };

/// "<", "<=", ">", ">=", "==", "!=".
[[nodiscard]] std::string_view comparison_symbol(comparison c) noexcept;

/// One test: `lhs op threshold` or, with a scale feature, `lhs op threshold × scale`
/// (e.g. recency_days > 2 × mean_interpurchase_days). NaN on either side makes every comparison
/// false except `ne`.
struct condition {
  feature lhs = feature::recency_days;
  comparison op = comparison::gt;
  double threshold = 0.0;
  feature scale = feature::none;

  friend bool operator==(const condition&, const condition&) = default;
};

/// How a guard combines its conditions.
enum class combine : std::uint8_t { all, any };

/// A predicate over a customer's features as data: all (or any) of its conditions. No
/// conditions means "always".
struct guard {
  combine mode = combine::all;
  std::vector<condition> conditions;

  [[nodiscard]] bool always() const noexcept { return conditions.empty(); }
  friend bool operator==(const guard&, const guard&) = default;
};

/// One row of a transition table, by names. `name` identifies the row in replay output (the
/// "reason"); empty means "<from>-<event>-><to>".
struct transition_row {
  std::string from;
  std::string event;
  guard when;
  std::string to;
  std::string name;
};

/// A lifecycle definition: states, events, the initial state and the transition rows. Rows are
/// tried in order and the first whose guard holds fires.
struct transition_table {
  std::string name;
  std::vector<std::string> states;
  std::vector<std::string> events;
  std::string initial;
  std::vector<transition_row> rows;
};

/// What validate() found. Errors stop a table from compiling; warnings do not.
enum class issue_kind : std::uint8_t {
  no_states,        ///< error: the table lists no states
  duplicate_name,   ///< error: a state or event listed twice
  unknown_state,    ///< error: a row (or `initial`) names a state not in `states`
  unknown_event,    ///< error: a row names an event not in `events`
  missing_feature,  ///< error: a guard tests a feature the caller does not supply
  bad_threshold,    ///< error: a threshold that is NaN or infinite
  ambiguous,        ///< error: two rows with the same from/event and the same guard
  never_fires,      ///< error: a row shadowed by an earlier always-row, or an unsatisfiable guard
  unreachable,      ///< warning: a state no chain of rows reaches from `initial`
};

struct validation_issue {
  issue_kind kind;
  bool is_error;
  int row;  ///< 0-based row index, or -1 when the issue is not about one row
  std::string message;
};

/// Checks a table against the features the caller will supply. O(rows² + states·rows).
[[nodiscard]] std::vector<validation_issue> validate(const transition_table& table,
                                                     feature_set available = feature_set::all());

using state_id = std::uint16_t;
using event_id = std::uint16_t;

/// Outcome of one event: the new state and the row that fired, or `unhandled` (state unchanged).
struct step_result {
  static constexpr std::int32_t unhandled = -1;
  state_id to;
  std::int32_t row;
};

/// A validated, compiled transition table. Immutable; const members are thread-safe.
/// Rows are indexed by (from, event), so firing an event scans only that pair's rows.
class state_machine {
 public:
  /// Validates `table` (see validate()) and compiles it; throws invalid_argument_error with
  /// errc::bad_rule naming the first error.
  explicit state_machine(transition_table table, feature_set available = feature_set::all());

  [[nodiscard]] const transition_table& table() const noexcept { return table_; }
  [[nodiscard]] std::size_t state_count() const noexcept { return table_.states.size(); }
  [[nodiscard]] std::size_t event_count() const noexcept { return table_.events.size(); }
  [[nodiscard]] const std::string& state_name(state_id s) const { return table_.states[s]; }
  [[nodiscard]] const std::string& event_name(event_id e) const { return table_.events[e]; }
  /// The row's name (its `name`, or "<from>-<event>-><to>").
  [[nodiscard]] const std::string& row_name(std::int32_t row) const { return row_names_[static_cast<std::size_t>(row)]; }
  [[nodiscard]] state_id initial() const noexcept { return initial_; }
  /// Throws invalid_argument_error when there is no such state / event.
  [[nodiscard]] state_id state(std::string_view name) const;
  [[nodiscard]] event_id event(std::string_view name) const;
  /// The features some guard tests; those the rows of event `e` test.
  [[nodiscard]] feature_set required() const noexcept { return required_; }
  [[nodiscard]] feature_set required(event_id e) const { return required_by_event_.at(e); }

  /// Fires `e` for one customer in state `from` with features `f`. No allocation.
  [[nodiscard]] step_result fire(state_id from, event_id e, const feature_row& f) const noexcept;

  /// Batch: fires `e` for every customer. `from`, `to`, `row` and every column the table tests
  /// have the same length (checked, O(1) per column); `to` may alias `from`. `row` may be empty.
  /// Throws invalid_argument_error(bad_rule) when a feature some row of event `e` tests has no
  /// column (columns for other events' features are not needed).
  void classify(std::span<const state_id> from, event_id e, const feature_columns& features,
                std::span<state_id> to, std::span<std::int32_t> row = {}) const;

  /// The compiled form, public for the benchmark and tests (no stability promise).
  struct compiled_row {
    std::uint32_t first_condition, condition_count;
    combine mode;
    state_id to;
    std::int32_t row;  ///< index in table().rows
  };
  struct range {
    std::uint32_t begin, end;
  };

 private:
  transition_table table_;
  std::vector<std::string> row_names_;
  std::vector<condition> conditions_;
  std::vector<compiled_row> rows_;  // grouped by (from, event), table order kept within a group
  std::vector<range> index_;        // [from * event_count + event] → rows_
  state_id initial_ = 0;
  feature_set required_{};
  std::vector<feature_set> required_by_event_;
};

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_STATE_MACHINE_HPP
