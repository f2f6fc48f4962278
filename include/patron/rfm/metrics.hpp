// SPDX-License-Identifier: MIT
// RFM metrics per customer (recency in days, frequency, monetary) from a purchase log or a table.
#ifndef PATRON_RFM_METRICS_HPP
#define PATRON_RFM_METRICS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1::rfm {

/// What frequency counts.
enum class frequency_basis : std::uint8_t {
  orders,  ///< distinct invoices when the log has an invoice column, otherwise rows (one row = one order)
  days,    ///< distinct purchase days
};

/// What monetary measures.
enum class monetary_basis : std::uint8_t {
  total,  ///< total spend over the customer's rows
  mean,   ///< total spend / frequency (per order, or per purchase day with frequency_basis::days)
};

/// Options of compute_metrics().
struct metrics_options {
  date as_of{};  ///< analysis date: recency = as_of − day of the last purchase, in whole days
  frequency_basis frequency = frequency_basis::orders;
  monetary_basis monetary = monetary_basis::total;
  /// Refunds can make a customer's spend negative. Default: refused (data_error naming the
  /// customer); true lets negative monetary values through, and they score in the lowest bins.
  bool allow_negative = false;
};

/// One row per customer, as columns: the input of rfm::fit_thresholds()/rfm::score().
struct rfm_table {
  std::vector<std::string> id;
  std::vector<double> recency;    ///< days since the last purchase (≥ 0)
  std::vector<double> frequency;  ///< orders or purchase days (≥ 1 from a log)
  std::vector<double> monetary;   ///< total or mean spend

  [[nodiscard]] std::size_t size() const noexcept { return recency.size(); }
  [[nodiscard]] bool empty() const noexcept { return recency.empty(); }
};

/// RFM metrics of every customer of `log`, in the order of `log.customers` (first appearance).
/// Example: a customer who bought for 10 on 2006-12-01 and for 30 on 2006-12-20, as_of
/// 2006-12-31 → recency 11, frequency 2, monetary 40 (total) or 20 (mean).
/// O(rows) plus a sort of (customer, key) pairs for distinct invoices/days.
/// Throws data_error(empty_input) for an empty log, data_error(out_of_range) naming the customer
/// when as_of is before one of its purchases, data_error(bad_number) for a NaN/inf amount, and
/// data_error(out_of_range) for a negative monetary unless allow_negative.
[[nodiscard]] rfm_table compute_metrics(const transaction_log& log, const metrics_options& options);

/// Checks metric columns given as a table (customer level): equal lengths, all finite,
/// recency ≥ 0, frequency ≥ 0, monetary ≥ 0 unless `allow_negative`. Throws data_error naming
/// `source`, the 1-based row, the customer id (when `id` is not empty) and the field.
void validate_metrics(std::span<const double> recency, std::span<const double> frequency,
                      std::span<const double> monetary, bool allow_negative,
                      std::span<const std::string> id = {}, std::string_view source = "rfm");

}  // namespace patron::inline v1::rfm

#endif  // PATRON_RFM_METRICS_HPP
