// SPDX-License-Identifier: MIT
// RFM files: thresholds as JSON, rule tables from CSV/JSON, customer-level tables from CSV.
#ifndef PATRON_RFM_IO_HPP
#define PATRON_RFM_IO_HPP

#include <optional>
#include <string>
#include <string_view>

#include "patron/data/date.hpp"
#include "patron/rfm/binning.hpp"
#include "patron/rfm/metrics.hpp"
#include "patron/rfm/segments.hpp"

namespace patron::inline v1::rfm {

/// `{"format":"patron.rfm.thresholds","version":1,"method":"r-rfm","bins":5,
///   "recency":{"cuts":[115,181,297.4,482],"left_closed":true},"frequency":{...},"monetary":{...}}`.
/// Doubles are written in shortest round-trip form, so a reload scores identically; +inf
/// (an empty top bin) is written as null.
[[nodiscard]] std::string thresholds_to_json(const thresholds& t);
/// Throws data_error(bad_rule) naming `source` and the field for a malformed document.
[[nodiscard]] thresholds thresholds_from_json(std::string_view text,
                                              const std::string& source = "<memory>");
void save_thresholds(const std::string& path, const thresholds& t);
[[nodiscard]] thresholds load_thresholds(const std::string& path);

/// A rule table from text. CSV: header `name,r_min,r_max,f_min,f_max,m_min,m_max` (any order),
/// one rule per row in match order; an optional two-field row `fallback,LABEL` sets the fallback.
/// JSON: `{"bins":5,"fallback":"Others","rules":[{"name":"Champions","r":[5,5],"f":[5,5],
/// "m":[5,5]}, ...]}`. `bins` defaults to 5. The table is checked (segment_table::check): a
/// typo'd range is data_error(bad_rule) naming source:line (CSV) or the rule.
[[nodiscard]] segment_table segment_table_from_string(std::string_view text, const std::string& source);
/// Reads a rule table file; `.json` (or text starting with '{') is JSON, anything else CSV.
[[nodiscard]] segment_table read_segment_table(const std::string& path);

/// Column names of a customer-level table.
struct customer_columns {
  std::string id = "customer_id";
  std::string recency = "recency_days";  ///< days, or dates (YYYY-MM-DD) when as_of is given
  std::string frequency = "number_of_orders";
  std::string monetary = "revenue";
};

/// Reads a customer-level CSV (header, RFC 4180 quotes). With `as_of`, a recency column of
/// dates becomes as_of − date in days. Values are checked (validate_metrics); errors are
/// data_error naming file:line:column, the field and the value.
[[nodiscard]] rfm_table read_customer_table(const std::string& path, const customer_columns& cols,
                                            std::optional<date> as_of = std::nullopt,
                                            bool allow_negative = false);
[[nodiscard]] rfm_table read_customer_table_from_string(std::string_view text,
                                                        const std::string& source,
                                                        const customer_columns& cols,
                                                        std::optional<date> as_of = std::nullopt,
                                                        bool allow_negative = false);

}  // namespace patron::inline v1::rfm

#endif  // PATRON_RFM_IO_HPP
