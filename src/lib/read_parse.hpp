// SPDX-License-Identifier: MIT
// Internal: field splitting, number, date and id parsing for the transaction reader. Inline so
// the reader's row loop sees through them; exposed (detail) so tests can probe the pieces.
#ifndef PATRON_SRC_LIB_READ_PARSE_HPP
#define PATRON_SRC_LIB_READ_PARSE_HPP

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/read.hpp"

namespace patron::inline v1::detail {

[[nodiscard]] inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// --- records and fields ------------------------------------------------------------------------

/// End of the record that starts at `p` when it holds a quote: the '\n' outside quotes that ends
/// it, or nullptr when [p, e) ends inside the record. A quote opens a quoted field only at the
/// start of a field; inside, "" is a literal quote. `newlines` counts '\n' inside quotes.
[[nodiscard]] inline const char* find_quoted_record_end(const char* p, const char* e, char delim,
                                                        std::uint64_t& newlines) noexcept {
  const bool ws = delim == ' ';
  bool field_start = true;
  newlines = 0;
  for (const char* q = p; q < e; ++q) {
    const char c = *q;
    if (c == '\n') return q;
    if (c == '"' && field_start) {
      ++q;
      for (;;) {
        if (q >= e) return nullptr;
        if (*q == '"') {
          if (q + 1 >= e) return nullptr;  // cannot tell "" from a closing quote yet
          if (q[1] != '"') break;
          q += 2;
          continue;
        }
        if (*q == '\n') ++newlines;
        ++q;
      }
      field_start = false;
      continue;
    }
    field_start = ws ? is_blank(c) : c == delim;
  }
  return nullptr;
}

/// Splits an unquoted line [b, e) (no line end) into at most `max_fields` fields.
inline void split_plain(const char* b, const char* e, char delim, std::size_t max_fields,
                        std::vector<std::string_view>& out) {
  out.clear();
  if (delim == ' ') {
    const char* p = b;
    while (out.size() < max_fields) {
      while (p < e && is_blank(*p)) ++p;
      if (p == e) break;
      const char* s = p;
      while (p < e && !is_blank(*p)) ++p;
      out.emplace_back(s, static_cast<std::size_t>(p - s));
    }
    return;
  }
  const char* p = b;
  for (;;) {
    const auto* q = static_cast<const char*>(std::memchr(p, delim, static_cast<std::size_t>(e - p)));
    if (q == nullptr) {
      out.emplace_back(p, static_cast<std::size_t>(e - p));
      return;
    }
    out.emplace_back(p, static_cast<std::size_t>(q - p));
    if (out.size() == max_fields) return;
    p = q + 1;
  }
}

/// Splits a record [b, e) that may hold quoted fields, unquoting in place ("" → ").
inline void split_quoted(char* b, char* e, char delim, std::size_t max_fields,
                         std::vector<std::string_view>& out) {
  out.clear();
  const bool ws = delim == ' ';
  auto is_delim = [&](char c) { return ws ? is_blank(c) : c == delim; };
  char* p = b;
  for (;;) {
    if (ws) {
      while (p < e && is_blank(*p)) ++p;
      if (p == e) return;
    }
    if (out.size() == max_fields) return;
    char* start = p;
    if (p < e && *p == '"') {
      char* w = p;  // write position: unquoted bytes move left over the quotes
      char* r = p + 1;
      while (r < e) {
        if (*r == '"') {
          if (r + 1 < e && r[1] == '"') {
            *w++ = '"';
            r += 2;
            continue;
          }
          ++r;
          break;
        }
        *w++ = *r++;
      }
      while (r < e && !is_delim(*r)) *w++ = *r++;  // text after the closing quote (not RFC)
      out.emplace_back(start, static_cast<std::size_t>(w - start));
      p = r;
    } else {
      while (p < e && !is_delim(*p)) ++p;
      out.emplace_back(start, static_cast<std::size_t>(p - start));
    }
    if (p == e) return;
    ++p;  // past the delimiter: another field follows (possibly empty)
    if (!ws && p == e) {
      if (out.size() < max_fields) out.emplace_back(p, 0);
      return;
    }
  }
}

// --- numbers -----------------------------------------------------------------------------------

enum class number_status { ok, empty, bad, not_finite };

/// Parses a whole trimmed field as a decimal number ("+" allowed, no thousands separators).
[[nodiscard]] inline number_status parse_number(std::string_view s, double& out) noexcept {
  if (s.empty()) return number_status::empty;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+' && e - b > 1 && *(b + 1) != '-' && *(b + 1) != '+') ++b;
  auto r = fast_float::from_chars(b, e, out);
  if (r.ec != std::errc() || r.ptr != e) {
    // fast_float reports overflow (1e400) as out of range: that is a finite-number problem too.
    if (r.ptr == e && r.ec == std::errc::result_out_of_range) return number_status::not_finite;
    return number_status::bad;
  }
  if (!std::isfinite(out)) return number_status::not_finite;
  return number_status::ok;
}

// --- dates -------------------------------------------------------------------------------------

enum class date_status { ok, shape, no_such_day, year_range, bad_time };

[[nodiscard]] inline bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] inline date_status finish_ymd(int y, int m, int d, timestamp& t) noexcept {
  if (y < 1900 || y > 2200) return date_status::year_range;
  if (!is_valid_ymd(y, m, d)) return date_status::no_such_day;
  t = start_of(from_ymd(y, m, d));
  return date_status::ok;
}

/// Reads 1 or 2 digits (exactly 2 when `two`) at s[i..], advancing i.
[[nodiscard]] inline bool read_small(std::string_view s, std::size_t& i, bool two, int& v) noexcept {
  if (i >= s.size() || !digit(s[i])) return false;
  v = s[i++] - '0';
  if (i < s.size() && digit(s[i])) {
    v = v * 10 + (s[i++] - '0');
  } else if (two) {
    return false;
  }
  return true;
}

/// "H:MM[:SS[.fff]][Z]" → seconds in the day.
[[nodiscard]] inline date_status parse_time_of_day(std::string_view s, std::int64_t& secs) noexcept {
  std::size_t i = 0;
  int h = 0, m = 0, sec = 0;
  if (!read_small(s, i, false, h) || i >= s.size() || s[i] != ':') return date_status::bad_time;
  ++i;
  if (!read_small(s, i, true, m)) return date_status::bad_time;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_small(s, i, true, sec)) return date_status::bad_time;
    if (i < s.size() && s[i] == '.') {  // fractional seconds are ignored
      ++i;
      if (i >= s.size() || !digit(s[i])) return date_status::bad_time;
      while (i < s.size() && digit(s[i])) ++i;
    }
  }
  if (i < s.size() && s[i] == 'Z') ++i;
  if (i != s.size() || h > 23 || m > 59 || sec > 59) return date_status::bad_time;
  secs = h * 3600 + m * 60 + sec;
  return date_status::ok;
}

/// YYYYMMDD.
[[nodiscard]] inline date_status parse_ymd_compact(std::string_view s, timestamp& t) noexcept {
  if (s.size() != 8) return date_status::shape;
  int v[8];
  for (int i = 0; i < 8; ++i) {
    if (!digit(s[static_cast<std::size_t>(i)])) return date_status::shape;
    v[i] = s[static_cast<std::size_t>(i)] - '0';
  }
  return finish_ymd(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5], v[6] * 10 + v[7],
                    t);
}

/// YYYY-MM-DD, optionally followed by ' ' or 'T' and a time of day.
[[nodiscard]] inline date_status parse_iso(std::string_view s, timestamp& t) noexcept {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return date_status::shape;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!digit(s[i])) return date_status::shape;
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int m = (s[5] - '0') * 10 + (s[6] - '0');
  const int d = (s[8] - '0') * 10 + (s[9] - '0');
  std::int64_t secs = 0;
  if (s.size() > 10) {
    if (s[10] != ' ' && s[10] != 'T') return date_status::shape;
    if (parse_time_of_day(s.substr(11), secs) != date_status::ok) return date_status::bad_time;
  }
  const date_status st = finish_ymd(y, m, d, t);
  t += secs;
  return st;
}

/// M/D/YYYY, optionally followed by ' ' and H:MM[:SS].
[[nodiscard]] inline date_status parse_mdy(std::string_view s, timestamp& t) noexcept {
  std::size_t i = 0;
  int m = 0, d = 0;
  if (!read_small(s, i, false, m) || i >= s.size() || s[i] != '/') return date_status::shape;
  ++i;
  if (!read_small(s, i, false, d) || i >= s.size() || s[i] != '/') return date_status::shape;
  ++i;
  if (i + 4 > s.size()) return date_status::shape;
  int y = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (!digit(s[i + k])) return date_status::shape;
    y = y * 10 + (s[i + k] - '0');
  }
  i += 4;
  std::int64_t secs = 0;
  if (i < s.size()) {
    if (s[i] != ' ') return date_status::shape;
    if (parse_time_of_day(s.substr(i + 1), secs) != date_status::ok) return date_status::bad_time;
  }
  const date_status st = finish_ymd(y, m, d, t);
  t += secs;
  return st;
}

[[nodiscard]] inline date_status parse_date_as(date_format f, std::string_view s,
                                               timestamp& t) noexcept {
  switch (f) {
    case date_format::ymd_compact: return parse_ymd_compact(s, t);
    case date_format::iso: return parse_iso(s, t);
    case date_format::mdy: return parse_mdy(s, t);
    case date_format::detect: break;
  }
  return date_status::shape;
}

/// The layout a date is written in, judged by its shape alone (detect when none fits).
[[nodiscard]] inline date_format date_shape(std::string_view s) noexcept {
  timestamp t = 0;
  for (date_format f : {date_format::ymd_compact, date_format::iso, date_format::mdy}) {
    const date_status st = parse_date_as(f, s, t);
    if (st != date_status::shape && st != date_status::bad_time) return f;
  }
  return date_format::detect;
}

// --- ids ---------------------------------------------------------------------------------------

/// Offset of the first byte that breaks UTF-8 (overlongs and surrogates included), or npos.
[[nodiscard]] inline std::size_t invalid_utf8_at(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

/// With numeric ids: "017850.00" → "17850" (leading zeros and an all-zero fraction dropped), as a
/// view into the same bytes. Anything that is not digits[.zeros] comes back unchanged.
[[nodiscard]] inline std::string_view canonical_numeric_id(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && digit(s[i])) ++i;
  if (i == 0) return s;
  std::size_t int_end = i;
  if (i < s.size()) {
    if (s[i] != '.') return s;
    for (std::size_t k = i + 1; k < s.size(); ++k)
      if (s[k] != '0') return s;
  }
  std::size_t b = 0;
  while (b + 1 < int_end && s[b] == '0') ++b;
  return s.substr(b, int_end - b);
}

/// A fast 64-bit hash for short ids (multiply-xorshift over 8-byte words).
[[nodiscard]] inline std::uint64_t hash_id(std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = s.size() * k;
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  if (n > 0) std::memcpy(&w, p, n);
  h = (h ^ w) * k;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

}  // namespace patron::inline v1::detail

#endif  // PATRON_SRC_LIB_READ_PARSE_HPP
