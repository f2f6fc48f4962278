// SPDX-License-Identifier: MIT
// Calendar dates and timestamps as plain integers: days and seconds since 1970-01-01.
#ifndef PATRON_DATA_DATE_HPP
#define PATRON_DATA_DATE_HPP

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::inline v1 {

/// A proleptic-Gregorian calendar day, stored as days since 1970-01-01 (negative before).
/// No time zone: a date is the shop's local calendar day.
struct date {
  std::int32_t days = 0;

  friend constexpr auto operator<=>(date, date) = default;
  /// Days between two dates (b − a).
  friend constexpr std::int32_t operator-(date b, date a) noexcept { return b.days - a.days; }
  friend constexpr date operator+(date d, std::int32_t n) noexcept { return date{d.days + n}; }
};

/// Seconds since 1970-01-01 00:00:00 shop-local time (no zone, no leap seconds).
using timestamp = std::int64_t;

inline constexpr std::int64_t seconds_per_day = 86'400;

/// The calendar day of a timestamp (floor division, so times before 1970 work too).
[[nodiscard]] constexpr date day_of(timestamp t) noexcept {
  std::int64_t q = t / seconds_per_day;
  if (t % seconds_per_day < 0) --q;
  return date{static_cast<std::int32_t>(q)};
}
[[nodiscard]] constexpr timestamp start_of(date d) noexcept {
  return static_cast<timestamp>(d.days) * seconds_per_day;
}

/// True when y-m-d is a real Gregorian day.
[[nodiscard]] constexpr bool is_valid_ymd(int y, int m, int d) noexcept {
  if (m < 1 || m > 12 || d < 1) return false;
  constexpr int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= len[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

/// y-m-d → days since 1970-01-01 (valid input assumed; see is_valid_ymd). Counts whole
/// 400-year eras of 146,097 days from 0000-03-01, with March as the first month.
[[nodiscard]] constexpr date from_ymd(int y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                  // [0, 399]
  const int mp = (m + 9) % 12;                                    // March = 0
  const int doy = (153 * mp + 2) / 5 + d - 1;                     // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return date{era * 146097 + doe - 719468};
}

struct ymd {
  int year, month, day;
};

/// days since 1970-01-01 → y-m-d (inverse of from_ymd).
[[nodiscard]] constexpr ymd to_ymd(date dt) noexcept {
  const int z = dt.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return ymd{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

/// "YYYY-MM-DD".
[[nodiscard]] std::string to_string(date d);
/// "YYYY-MM-DD HH:MM:SS".
[[nodiscard]] std::string timestamp_to_string(timestamp t);

/// Parses "YYYY-MM-DD" or "YYYYMMDD" (years 1900..2200); nullopt when it is not a real day.
[[nodiscard]] std::optional<date> parse_date(std::string_view text) noexcept;

/// Parses an ISO date, throwing invalid_argument_error naming `field` when it is not one.
[[nodiscard]] date parse_date_or_throw(std::string_view text, std::string_view field);

}  // namespace patron::inline v1

#endif  // PATRON_DATA_DATE_HPP
