// SPDX-License-Identifier: MIT
// Input tables of the discrete-time and contractual models: BG/BB patterns and sBG survivor curves.
#ifndef PATRON_DATA_DISCRETE_IO_HPP
#define PATRON_DATA_DISCRETE_IO_HPP

#include <string>
#include <vector>

#include "patron/data/summary.hpp"

namespace patron::inline v1 {

/// A BG/BB table: one row per customer or per pattern (with weights). view() gives the columns
/// as BG/BB reads them (x, t_x, T = n, weight).
struct bgbb_table {
  std::vector<std::string> id;  ///< from an id column, else the 1-based row number
  std::vector<double> x, t_x, n, weight;  ///< weight empty without a weight column
  [[nodiscard]] customer_summary_view view() const { return {x, t_x, n, {}, weight}; }
};

/// Reads a comma-separated BG/BB table with a header. Columns (case-insensitive aliases):
/// `frequency|x`, `recency|t_x`, `periods|n`, optional `weights|weight|count` and
/// `customer_id|id|customer`. Every row is checked (validate_bgbb's rules); errors are
/// data_error naming file:line:column, the field and the value.
[[nodiscard]] bgbb_table read_bgbb_csv(const std::string& path);
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] bgbb_table read_bgbb_csv_from_string(const std::string& text, const std::string& name);

/// Survivor curves of one or more cohorts, alive[c][t] for period t = 0, 1, ...
struct survivor_table {
  std::vector<std::string> cohort;             ///< names in order of appearance
  std::vector<std::vector<double>> alive;      ///< per cohort, periods 0..Tᵢ
};

/// Reads `period,alive` (one cohort) or `cohort,period,alive` (several) with a header. Within a
/// cohort, periods must run 0, 1, 2, ... in order; survivors finite, ≥ 0, non-increasing, the
/// period-0 count > 0. Errors are data_error naming file:line, the field and the value.
[[nodiscard]] survivor_table read_survivors_csv(const std::string& path);
[[nodiscard]] survivor_table read_survivors_csv_from_string(const std::string& text, const std::string& name);

}  // namespace patron::inline v1

#endif  // PATRON_DATA_DISCRETE_IO_HPP
