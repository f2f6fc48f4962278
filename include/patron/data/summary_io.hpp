// SPDX-License-Identifier: MIT
// Customer summaries as CSV: what `patron summarize` writes and `patron fit/score/rfm` read.
#ifndef PATRON_DATA_SUMMARY_IO_HPP
#define PATRON_DATA_SUMMARY_IO_HPP

#include <iosfwd>
#include <string>
#include <vector>

#include "patron/data/summary.hpp"

namespace patron::inline v1 {

/// Writes `customer_id,x,t_x,T,monetary,total,orders,first,last` (+ `x_holdout,monetary_holdout`
/// when the summary has a holdout), one row per customer, doubles in shortest round-trip form
/// (full precision), dates as YYYY-MM-DD. Ids are quoted (RFC 4180) when they need it.
void write_summary_csv(std::ostream& out, const customer_summary& s);

/// A summary table read back from CSV. Only the model columns are required; the others are
/// filled when present (empty otherwise).
struct summary_table {
  customer_summary summary;    ///< id, x, t_x, T, monetary (0 when absent), total/orders if present
  std::vector<double> weight;  ///< from a `weight` column (compressed data), or empty
  bool has_monetary = false;
};

/// Reads a comma-separated summary with a header. Header aliases (case-insensitive):
/// `customer_id|id|ID|customer`, `x|frequency`, `t_x|recency`, `T|age`,
/// `monetary|zbar|monetary_value|m` (optional), `weight|weights|count` (optional),
/// `x_holdout`, `monetary_holdout`, `total`, `orders` (optional).
/// Every value is checked (validate_summary); errors name file:line, the field and the value.
/// The time unit is not in the file: pass it (default week) so the table carries it on.
[[nodiscard]] summary_table read_summary_csv(const std::string& path, time_unit unit = time_unit::week());

/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] summary_table read_summary_csv_from_string(const std::string& text, const std::string& name,
                                                         time_unit unit = time_unit::week());

}  // namespace patron::inline v1

#endif  // PATRON_DATA_SUMMARY_IO_HPP
