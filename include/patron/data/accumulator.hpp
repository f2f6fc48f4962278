// SPDX-License-Identifier: MIT
// Incremental customer summaries: profiles that follow new transactions without recomputing history.
#ifndef PATRON_DATA_ACCUMULATOR_HPP
#define PATRON_DATA_ACCUMULATOR_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/id_table.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1 {

/// Keeps per-customer purchase state so that summaries follow new data in time proportional to
/// the new rows (plus O(customers) when the observation end moves), not to the history.
///
/// State per customer: its distinct purchase days in order, each with the day's amount and row
/// count, and (when rows carry invoices) each distinct invoice with the first day it was seen.
/// That is enough to reproduce summarize() exactly for any options, including rows that arrive
/// out of order (an older day is inserted in place and the customer's profile recomputed).
///
/// Two ways to read it:
///  - profiles(): a live customer_summary in the accumulator's unit, with same-day merging, no
///    calibration split, and the observation end observation_end(). Its T column is
///    materialised: advance_to() rewrites it in O(customers) without touching transactions;
///    add() refreshes only the customers it touched (and T of everyone when a row moves the
///    observation end forward).
///  - summary(options): the same table summarize() would return for the log of every row added
///    so far (same columns, customer order, holdout columns, exclusion counters). O(customers +
///    stored days); a copy of profiles() when the options ask for exactly that table.
///
/// Customers are listed in order of first appearance in the rows added, as summarize() lists
/// them for a log built row by row. Not thread-safe for writing; const members may be called
/// concurrently.
class summary_accumulator {
 public:
  /// `unit` is the unit of profiles() (summary() takes its own from the options).
  /// Throws invalid_argument_error when unit.days is not finite and > 0.
  explicit summary_accumulator(time_unit unit = time_unit::week());

  /// Adds one transaction row. Use one form (with or without invoice) for every row.
  /// Throws data_error(errc::bad_number) for a NaN or infinite amount and invalid_argument_error
  /// when the invoice form differs from earlier rows; the state is unchanged after a throw.
  /// A day after observation_end() moves it forward (then T of every customer is rewritten).
  void add(std::string_view customer_id, timestamp time, double amount);
  void add(std::string_view customer_id, timestamp time, double amount, std::string_view invoice);

  /// Adds a batch (e.g. one day's rows). All rows are validated first: a NaN or infinite amount
  /// throws data_error(errc::bad_number) naming the batch's 1-based row, and nothing is added.
  /// Throws invalid_argument_error when column lengths differ or the invoice column's presence
  /// differs from earlier rows. O(rows · log days-per-customer + touched customers' days).
  void add(const transaction_log& batch);

  /// Moves the observation end to `end` and rewrites T = (end − first) / unit of every customer
  /// in O(customers); transactions are not touched. Throws invalid_argument_error when `end` is
  /// before the current observation end (which is never before the last purchase day added):
  /// the observation end only moves forward.
  void advance_to(date end);

  /// The later of the last advance_to() date and the last purchase day added; nullopt before any.
  [[nodiscard]] std::optional<date> observation_end() const noexcept { return end_; }
  /// Live profiles (see the class comment). Valid until the next non-const call.
  [[nodiscard]] const customer_summary& profiles() const noexcept { return live_; }

  /// What summarize(log_of_all_rows_added, options) returns. options.observation_end defaults to
  /// observation_end(). Throws invalid_argument_error for invalid options or a calibration end
  /// after the observation end, data_error(errc::empty_input) when no row has been added.
  [[nodiscard]] customer_summary summary(const summary_options& options) const;

  [[nodiscard]] const id_table& customers() const noexcept { return ids_; }
  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  [[nodiscard]] time_unit unit() const noexcept { return live_.unit; }
  void reserve(std::size_t customers);

 private:
  struct day_entry {
    std::int32_t day;     // days since 1970-01-01
    std::uint32_t rows;   // rows on this day
    double amount;        // their amounts added in arrival order
  };
  struct invoice_entry {
    std::uint32_t invoice;    // index into invoice_ids_
    std::int32_t first_day;   // earliest day a row of this invoice was seen for this customer
  };
  enum class invoice_mode : std::uint8_t { unknown, rows, invoices };

  [[nodiscard]] std::uint32_t customer_index(std::string_view id);
  void check_mode(bool has_invoice, std::uint64_t row) const;
  void insert(std::uint32_t c, std::int32_t day, double amount, std::uint32_t invoice);
  void refresh(std::uint32_t c);
  void rewrite_T();

  id_table ids_, invoice_ids_;
  std::vector<std::vector<day_entry>> days_;
  std::vector<std::vector<invoice_entry>> invoices_;
  customer_summary live_;
  std::optional<date> end_;
  std::uint64_t rows_ = 0;
  invoice_mode mode_ = invoice_mode::unknown;
  std::vector<std::uint8_t> dirty_;  // scratch of add(batch): customers touched
};

}  // namespace patron::inline v1

#endif  // PATRON_DATA_ACCUMULATOR_HPP
