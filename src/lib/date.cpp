// SPDX-License-Identifier: MIT
// Formatting and parsing of calendar dates.
#include "patron/data/date.hpp"

#include <cstdio>

#include "patron/error.hpp"

namespace patron::inline v1 {

std::string to_string(date d) {
  const ymd v = to_ymd(d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buf;
}

std::string timestamp_to_string(timestamp t) {
  const date d = day_of(t);
  const auto s = static_cast<int>(t - start_of(d));
  char buf[48];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return to_string(d) + buf;
}

namespace {
bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
}  // namespace

std::optional<date> parse_date(std::string_view t) noexcept {
  int y = 0, m = 0, d = 0;
  bool ok = false;
  if (t.size() == 8) {
    ok = digits(t.substr(0, 4), y) && digits(t.substr(4, 2), m) && digits(t.substr(6, 2), d);
  } else if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    ok = digits(t.substr(0, 4), y) && digits(t.substr(5, 2), m) && digits(t.substr(8, 2), d);
  }
  if (!ok || y < 1900 || y > 2200 || !is_valid_ymd(y, m, d)) return std::nullopt;
  return from_ymd(y, m, d);
}

date parse_date_or_throw(std::string_view text, std::string_view field) {
  if (auto d = parse_date(text)) return *d;
  throw invalid_argument_error(field, field, std::string("\"") + std::string(text) + "\"",
                               "not a date (YYYY-MM-DD between 1900 and 2200)");
}

}  // namespace patron::inline v1
