// SPDX-License-Identifier: MIT
// One CSV record split into fields, for the small tables patron reads besides transaction logs
// (summaries, RFM customer tables). RFC 4180 quotes (a quoted field may hold the delimiter and
// doubled quotes), no embedded newlines; the caller trims or strips a CR as its format needs.
#ifndef PATRON_SRC_LIB_CSV_RECORD_HPP
#define PATRON_SRC_LIB_CSV_RECORD_HPP

#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1::detail {

[[nodiscard]] inline std::vector<std::string> split_csv_record(std::string_view line, char delim = ',') {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        cur += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delim) {
      fields.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  fields.push_back(std::move(cur));
  return fields;
}

/// A field quoted for CSV output when it holds the delimiter ',', a quote or a line break
/// (RFC 4180: quotes doubled inside).
[[nodiscard]] inline std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + '"';
}

}  // namespace patron::inline v1::detail

#endif  // PATRON_SRC_LIB_CSV_RECORD_HPP
