// SPDX-License-Identifier: MIT
// Loading lifecycle transition tables from JSON or CSV (compiled in src/: nlohmann/json is private).
#ifndef PATRON_LIFECYCLE_TABLE_IO_HPP
#define PATRON_LIFECYCLE_TABLE_IO_HPP

#include <string>
#include <string_view>

#include "patron/lifecycle/state_machine.hpp"

namespace patron::inline v1::lifecycle {

/// Parses a guard written as text: conditions `<feature> <op> <number>[*<feature>]` joined by
/// `&` (all) or `|` (any), not mixed; empty or "always" is no guard. Example:
/// `recency_days > 2*mean_interpurchase_days | p_alive < 0.5`. Throws invalid_argument_error
/// (bad_rule) naming the piece that does not parse.
[[nodiscard]] guard parse_guard(std::string_view text);

/// The text form parse_guard() reads back ("" for no guard).
[[nodiscard]] std::string to_string(const guard& g);

/// JSON layout:
/// ```
/// {"name": "mine", "states": ["a", "b"], "events": ["go"], "initial": "a",
///  "rows": [{"from": "a", "event": "go", "to": "b", "name": "why",
///            "guard": {"all": [{"feature": "recency_days", "op": ">", "value": 2,
///                               "times": "mean_interpurchase_days"}]}}]}
/// ```
/// `guard` may be absent (always), `{"all": [...]}`, `{"any": [...]}` or a string in the
/// parse_guard() form; `times` and `name` are optional. Throws data_error(bad_rule) naming
/// `source` and the JSON path of the bad value. The table is not validated here: compile it
/// with state_machine, or call validate().
[[nodiscard]] transition_table table_from_json(std::string_view text, const std::string& source = "<memory>");

/// CSV layout: a header `from,event,to,guard[,name]` then one row per transition; guards in the
/// parse_guard() form (no commas). States and events are listed in order of first appearance;
/// the initial state is the first row's `from`. Throws data_error(bad_rule) naming source:line.
[[nodiscard]] transition_table table_from_csv(std::string_view text, const std::string& source = "<memory>");

/// Reads a table file: `.json` as JSON, anything else as CSV. Throws data_error(io_error)
/// when the file cannot be read.
[[nodiscard]] transition_table load_table(const std::string& path);

/// The JSON form table_from_json() reads back.
[[nodiscard]] std::string table_to_json(const transition_table& table);

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_TABLE_IO_HPP
