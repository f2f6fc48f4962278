// SPDX-License-Identifier: MIT
// Per-customer summaries (x, t_x, T, monetary, ...) from a purchase log: what every model scores.
#ifndef PATRON_DATA_SUMMARY_HPP
#define PATRON_DATA_SUMMARY_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1 {

/// The model time unit: day, week (7 days), month (365.25/12 days) or any positive number of days.
struct time_unit {
  double days = 7.0;

  [[nodiscard]] static constexpr time_unit day() noexcept { return {1.0}; }
  [[nodiscard]] static constexpr time_unit week() noexcept { return {7.0}; }
  [[nodiscard]] static constexpr time_unit month() noexcept { return {365.25 / 12.0}; }
  /// "day", "week", "month" or a positive number of days ("14"); throws invalid_argument_error.
  [[nodiscard]] static time_unit parse(std::string_view text);
  /// "day", "week", "month" or the number of days.
  [[nodiscard]] std::string name() const;
  friend constexpr bool operator==(time_unit, time_unit) = default;
};

/// Options of summarize().
struct summary_options {
  time_unit unit = time_unit::week();
  /// Last day observed (inclusive); later rows are ignored (and counted). Default: the log's last day.
  std::optional<date> observation_end;
  /// End of the calibration period (inclusive). When set, x, t_x, T and monetary describe the
  /// calibration period and x_holdout/monetary_holdout the days after it up to observation_end.
  std::optional<date> calibration_end;
  /// Purchases on the same calendar day are one transaction (the papers' rule, and what
  /// reproduces the CDNOW tables). When true, purchases in the same model period (same week
  /// counted from the customer's first purchase) merge instead, as `lifetimes` does with freq='W'.
  bool merge_by_unit = false;

  void validate() const;
};

/// One row per customer, as columns. Times are in `unit`s; money in the log's currency.
///   x        number of repeat purchase days after the first purchase day
///   t_x      time from the first purchase to the last repeat purchase (0 when x = 0)
///   T        time from the first purchase to the end of calibration (or observation)
///   monetary mean value of the repeat purchase days, same-day values added first (0 when x = 0)
///   total    total spend in the period, first purchase included
///   orders   distinct invoices when the log has them, otherwise transaction rows
struct customer_summary {
  std::vector<std::string> id;
  std::vector<double> x, t_x, T, monetary, total, orders;
  std::vector<date> first, last;
  /// With a calibration end only: repeat purchase days in (calibration_end, observation_end]
  /// and their mean value (0 when none).
  std::vector<double> x_holdout, monetary_holdout;

  time_unit unit;
  date observation_end{};
  std::optional<date> calibration_end;
  /// Length of the holdout period in units (0 without a calibration end).
  double holdout_length = 0.0;
  /// Rows after observation_end, ignored.
  std::uint64_t rows_after_observation_end = 0;
  /// Customers whose first purchase is after calibration_end: not in the table.
  std::uint64_t customers_after_calibration = 0;

  [[nodiscard]] std::size_t size() const noexcept { return x.size(); }
  [[nodiscard]] bool has_holdout() const noexcept { return calibration_end.has_value(); }
};

/// A non-owning view of the columns models score: x, t_x, T (required, equal lengths),
/// monetary and weight (optional: empty, or the same length). Lengths are checked once here.
struct customer_summary_view {
  std::span<const double> x, t_x, T, monetary, weight;

  customer_summary_view() = default;
  /// Throws invalid_argument_error when lengths differ.
  customer_summary_view(std::span<const double> x_, std::span<const double> t_x_,
                        std::span<const double> T_, std::span<const double> monetary_ = {},
                        std::span<const double> weight_ = {});
  customer_summary_view(const customer_summary& s)  // NOLINT: implicit on purpose
      : customer_summary_view(s.x, s.t_x, s.T, s.monetary) {}

  [[nodiscard]] std::size_t size() const noexcept { return x.size(); }
  [[nodiscard]] double w(std::size_t i) const noexcept { return weight.empty() ? 1.0 : weight[i]; }
};

/// Summarizes a purchase log per customer. Customers appear in order of first appearance in
/// the log. Rows are scattered into per-customer runs (a counting sort on the dense customer
/// index) and each run is sorted by time. A NaN or infinite amount throws
/// data_error(errc::bad_number) naming the 1-based row.
/// Throws invalid_argument_error for an invalid option or when calibration_end > observation_end,
/// data_error(errc::empty_input) for an empty log.
[[nodiscard]] customer_summary summarize(const transaction_log& log, const summary_options& options);

/// The observation end a summary of `log` uses: options.observation_end, else the day of the
/// log's last row; data_error(errc::empty_input) for an empty log without an observation end.
[[nodiscard]] date observation_end_of(const transaction_log& log, const summary_options& options);

/// Validates a summary's columns (x ≥ 0 and integral, 0 ≤ t_x ≤ T, finite; monetary finite)
/// before a model uses them; throws data_error naming `source`, the 1-based row and the field.
void validate_summary(const customer_summary_view& s, const std::string& source);

}  // namespace patron::inline v1

#endif  // PATRON_DATA_SUMMARY_HPP
