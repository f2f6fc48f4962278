// SPDX-License-Identifier: MIT
// Marketing triggers (birthday, cart abandonment, overdue repurchase, habit change, stage change)
// and frequency capping.
#ifndef PATRON_LIFECYCLE_TRIGGERS_HPP
#define PATRON_LIFECYCLE_TRIGGERS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/transaction_log.hpp"
#include "patron/lifecycle/replay.hpp"
#include "patron/lifecycle/state_machine.hpp"

namespace patron::inline v1::lifecycle {

enum class trigger_kind : std::uint8_t { cart_abandonment, overdue_repurchase, stage_change, habit_change, birthday };
inline constexpr std::size_t trigger_kind_count = 5;

/// "cart_abandonment", "overdue_repurchase", "stage_change", "habit_change", "birthday".
[[nodiscard]] std::string_view trigger_name(trigger_kind k) noexcept;

/// One message a CRM could send: to `customer` (index into the log's customers) on `on`.
struct trigger_event {
  std::uint32_t customer;
  date on;
  trigger_kind kind;
  std::string reason;
};

/// Inputs beyond the purchase log, all optional. Customer indices are the log's.
struct trigger_inputs {
  /// Birthdays from a customer attributes table (only month and day are used).
  std::vector<std::uint32_t> birthday_customer;
  std::vector<date> birthday;
  /// Add-to-cart events, when the source records them.
  std::vector<std::uint32_t> cart_customer;
  std::vector<timestamp> cart_time;
  /// Stage changes: a replay over the same dates and the machine it ran.
  const replay_result* replay = nullptr;
  const state_machine* machine = nullptr;
};

struct trigger_options {
  /// Cart abandonment: an add-to-cart with no purchase within this many hours (emitted on the
  /// day the window ends). Purchases are known by day, so any purchase on the cart's day or up to
  /// the window's last day counts as an order.
  double cart_window_hours = 24;
  /// Overdue repurchase: recency_days > overdue_factor × the customer's mean inter-purchase time
  /// (needs ≥ 1 repeat purchase). Emitted at the first date of each overdue spell.
  double overdue_factor = 2.0;
  /// Habit change: purchase days per day in the last habit_window_days vs before it, or mean
  /// spend per purchase day in the window vs before, dropped by ≥ habit_drop (0.5 = halved).
  /// Needs ≥ habit_min_days purchase days before the window and a history ≥ one window long.
  /// Emitted at the first date of each spell.
  double habit_window_days = 90;
  double habit_drop = 0.5;
  std::size_t habit_min_days = 3;

  void validate() const;
};

/// Evaluates the triggers over the periods (dates[d−1], dates[d]]. The first period reaches back
/// to the log's start for carts and as far as the second period is long (one day with a single
/// date) for birthdays. Events are sorted by (customer, date, kind). Throws invalid_argument_error
/// for unsorted dates, inputs of unequal lengths or a replay over other dates.
[[nodiscard]] std::vector<trigger_event> evaluate_triggers(const transaction_log& log, std::span<const date> dates,
                                                           const trigger_options& options = {},
                                                           const trigger_inputs& inputs = {});

/// Frequency capping: at most `max_per_window` messages per customer in any `window_days`
/// consecutive days, and at least `min_gap_days` between two messages (0 = no gap rule).
/// Messages are considered in priority order (lower number first, then earlier date), so a
/// high-priority message keeps its slot even when a lower-priority one came earlier.
struct capping_options {
  std::size_t max_per_window = 2;
  std::int32_t window_days = 7;
  std::int32_t min_gap_days = 1;
  /// Priority per trigger_kind (index = kind); defaults: cart abandonment, overdue, stage change,
  /// habit change, birthday.
  std::array<int, trigger_kind_count> priority{0, 1, 2, 3, 4};

  void validate() const;
};

struct capping_result {
  std::vector<trigger_event> kept;  ///< sorted by (customer, date, kind)
  std::array<std::uint64_t, trigger_kind_count> suppressed{};
  [[nodiscard]] std::uint64_t suppressed_total() const noexcept {
    std::uint64_t n = 0;
    for (auto s : suppressed) n += s;
    return n;
  }
};

[[nodiscard]] capping_result apply_capping(std::span<const trigger_event> events, const capping_options& options = {});

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_TRIGGERS_HPP
