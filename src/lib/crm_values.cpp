// SPDX-License-Identifier: MIT
// Values as CRMs write them: money with symbols, codes and local separators; dates, datetimes and epochs; UTC offsets.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "patron/crm/presets.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::crm {
namespace {

struct currency_token {
  std::string_view text, code;
};
// Longest first where one token is a prefix of another ("US$" before "$").
// clang-format off
constexpr currency_token currency_tokens[] = {
  {"US$", "USD"}, {"USD", "USD"}, {"$", "USD"},
  {"RMB", "CNY"}, {"CNY", "CNY"}, {"\xC2\xA5", "CNY"} /* ¥ */, {"\xEF\xBF\xA5", "CNY"} /* ￥ */, {"\xE5\x85\x83", "CNY"} /* 元 */,
  {"EUR", "EUR"}, {"\xE2\x82\xAC", "EUR"} /* € */,
  {"GBP", "GBP"}, {"\xC2\xA3", "GBP"} /* £ */,
};
// Spaces that may group thousands or pad a symbol: space, NBSP, thin space, narrow NBSP, ideographic space.
constexpr std::string_view space_tokens[] = {" ", "\t", "\xC2\xA0", "\xE2\x80\x89", "\xE2\x80\xAF", "\xE3\x80\x80"};
// clang-format on

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Digits, '.', ',', ' ' (any space), '-', '+', '(' and ')' of `text`; currency tokens removed
/// and reported. False when something else is in the text or two currencies are.
bool clean_money(std::string_view text, std::string& out, std::string& code) {
  out.clear();
  code.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    bool matched = false;
    for (const auto& t : currency_tokens) {
      if (text.substr(i).starts_with(t.text)) {
        if (!code.empty() && code != t.code) return false;
        code = std::string(t.code);
        i += t.text.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    for (const auto sp : space_tokens) {
      if (text.substr(i).starts_with(sp)) {
        out += ' ';
        i += sp.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const char c = text[i];
    if (is_digit(c) || c == '.' || c == ',' || c == '-' || c == '+' || c == '(' || c == ')') {
      out += c;
      ++i;
      continue;
    }
    return false;
  }
  // Trim spaces that padded a symbol ("$ 12", "12 元").
  const auto b = out.find_first_not_of(' ');
  if (b == std::string::npos) {
    out.clear();
    return true;
  }
  out = out.substr(b, out.find_last_not_of(' ') - b + 1);
  return true;
}

}  // namespace

bool shows_other_decimal(std::string_view text, bool decimal_comma) noexcept {
  const char other = decimal_comma ? '.' : ',';
  const char mine = decimal_comma ? ',' : '.';
  std::string digits;
  for (char c : text)
    if (is_digit(c) || c == '.' || c == ',') digits += c;
  const auto p = digits.rfind(other);
  if (p == std::string::npos) return false;
  const auto last_mine = digits.rfind(mine);
  if (last_mine != std::string::npos && last_mine > p) return false;  // "1,234.50": ',' groups
  if (digits.find(mine) < p) return true;                              // "1.234,50"
  const std::size_t after = digits.size() - p - 1;
  return after != 3 && after > 0 && digits.find(other) == p;  // "12,5" "12,50"; not "1,234" nor "1,234,567"
}

money_status parse_money(std::string_view text, bool decimal_comma, bool file_has_other_decimal, money& out) {
  std::string s, code;
  if (!clean_money(text, s, code)) return money_status::bad;
  if (s.empty()) return code.empty() ? money_status::empty : money_status::bad;
  bool negative = false;
  if (s.front() == '(' && s.back() == ')') {
    negative = true;
    s = s.substr(1, s.size() - 2);
  }
  // Trim inside the parentheses, then a sign on either side.
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = negative != (s.front() == '-');
    s.erase(0, 1);
  } else if (!s.empty() && s.back() == '-') {
    negative = !negative;
    s.pop_back();
  }
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  const char dec = decimal_comma ? ',' : '.';
  const char grp = decimal_comma ? '.' : ',';
  const auto dpos = s.find(dec);
  if (dpos != std::string::npos && s.find(dec, dpos + 1) != std::string::npos) return money_status::bad;
  const std::string int_part = s.substr(0, dpos);
  const std::string frac = dpos == std::string::npos ? std::string() : s.substr(dpos + 1);
  for (char c : frac)
    if (!is_digit(c)) return money_status::bad;
  if (dpos != std::string::npos && frac.empty()) return money_status::bad;
  // Integer part: digits, optionally grouped by threes with one kind of separator.
  std::string digits;
  std::size_t groups = 0, group_len = 0, first_len = 0, grp_seen = 0;
  char sep = 0;
  for (char c : int_part) {
    if (is_digit(c)) {
      digits += c;
      ++group_len;
      continue;
    }
    if (c != grp && c != ' ') return money_status::bad;
    if (sep != 0 && c != sep) return money_status::bad;
    sep = c;
    if (c == grp) ++grp_seen;
    if (groups == 0) first_len = group_len;
    else if (group_len != 3) return money_status::bad;
    if (group_len == 0 || (groups == 0 && first_len > 3)) return money_status::bad;
    ++groups;
    group_len = 0;
  }
  if (groups > 0 && group_len != 3) return money_status::bad;
  if (digits.empty()) return money_status::bad;
  // "1,234" could be 1234 or 1.234 when the file also writes decimal commas: never guess.
  if (file_has_other_decimal && dpos == std::string::npos && grp_seen == 1 && groups == 1) return money_status::ambiguous;
  std::string plain = digits;
  if (!frac.empty()) plain += "." + frac;
  double v = 0;
  const auto r = std::from_chars(plain.data(), plain.data() + plain.size(), v);
  if (r.ec != std::errc() || r.ptr != plain.data() + plain.size() || !std::isfinite(v)) return money_status::bad;
  out.value = negative ? -v : v;
  out.currency = code;
  return money_status::ok;
}

namespace {

struct cursor {
  std::string_view s;
  std::size_t i = 0;
  [[nodiscard]] bool done() const noexcept { return i >= s.size(); }
  [[nodiscard]] bool eat(std::string_view t) noexcept {
    if (s.substr(i).starts_with(t)) {
      i += t.size();
      return true;
    }
    return false;
  }
  /// Reads min..max digits.
  [[nodiscard]] bool num(int min, int max, int& v) noexcept {
    v = 0;
    int n = 0;
    while (i < s.size() && n < max && is_digit(s[i])) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    return n >= min;
  }
};

}  // namespace

std::optional<timestamp> parse_crm_datetime(std::string_view text, std::int32_t utc_offset) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && is_digit(c);
  if (all_digits && (text.size() == 13 || text.size() == 10)) {
    std::int64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    const std::int64_t sec = text.size() == 13 ? (v >= 0 ? v / 1000 : -((-v + 999) / 1000)) : v;
    return sec + utc_offset;
  }
  cursor c{text};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!c.num(4, 4, y)) return std::nullopt;
  std::string_view sep2;
  if (c.eat("-")) sep2 = "-";
  else if (c.eat("/")) sep2 = "/";
  else if (c.eat("\xE5\xB9\xB4")) sep2 = "\xE6\x9C\x88";  // 年 … 月
  else return std::nullopt;
  if (!c.num(1, 2, mo)) return std::nullopt;
  if (!c.eat(sep2)) return std::nullopt;
  if (!c.num(1, 2, d)) return std::nullopt;
  if (sep2 != "-" && sep2 != "/") (void)c.eat("\xE6\x97\xA5");  // 日
  if (!is_valid_ymd(y, mo, d) || y < 1900 || y > 2200) return std::nullopt;
  bool has_zone = false;
  std::int32_t zone = 0;
  if (!c.done()) {
    if (!c.eat("T") && !c.eat(" ")) return std::nullopt;
    while (c.eat(" ")) {}
    if (!c.num(1, 2, h) || !c.eat(":") || !c.num(2, 2, mi)) return std::nullopt;
    if (c.eat(":")) {
      if (!c.num(2, 2, se)) return std::nullopt;
      if (c.eat(".")) {
        int frac = 0;
        if (!c.num(1, 9, frac)) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
    if (c.eat("Z")) {
      has_zone = true;
    } else if (!c.done() && (c.s[c.i] == '+' || c.s[c.i] == '-')) {
      const int sign = c.s[c.i] == '-' ? -1 : 1;
      ++c.i;
      int zh = 0, zm = 0;
      if (!c.num(2, 2, zh)) return std::nullopt;
      (void)c.eat(":");
      if (!c.done() && !c.num(2, 2, zm)) return std::nullopt;
      if (zh > 14 || zm > 59) return std::nullopt;
      has_zone = true;
      zone = sign * (zh * 3600 + zm * 60);
    }
    if (!c.done()) return std::nullopt;
  }
  const timestamp written = start_of(from_ymd(y, mo, d)) + h * 3600 + mi * 60 + se;
  return has_zone ? written - zone + utc_offset : written;
}

std::int32_t parse_utc_offset(std::string_view tz) {
  // clang-format off
  struct named { std::string_view name; std::int32_t seconds; };
  constexpr named fixed_zones[] = {
    {"utc", 0}, {"z", 0}, {"gmt", 0}, {"etc/utc", 0}, {"etc/gmt", 0},
    {"asia/shanghai", 8 * 3600}, {"asia/chongqing", 8 * 3600}, {"asia/hong_kong", 8 * 3600}, {"asia/macau", 8 * 3600},
    {"asia/taipei", 8 * 3600}, {"asia/singapore", 8 * 3600}, {"asia/kuala_lumpur", 8 * 3600}, {"asia/manila", 8 * 3600},
    {"asia/tokyo", 9 * 3600}, {"asia/seoul", 9 * 3600}, {"asia/kolkata", 19800}, {"asia/calcutta", 19800},
    {"asia/dubai", 4 * 3600}, {"prc", 8 * 3600},
  };
  // clang-format on
  std::string k;
  for (char ch : tz) k += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  for (const auto& z : fixed_zones)
    if (k == z.name) return z.seconds;
  std::string_view rest = k;
  if (rest.starts_with("utc") || rest.starts_with("gmt")) rest.remove_prefix(3);
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    const int sign = rest[0] == '-' ? -1 : 1;
    cursor c{rest.substr(1)};
    int h = 0, m = 0;
    if (c.num(1, 2, h)) {
      const bool colon = c.eat(":");
      if ((c.done() && !colon) || (c.num(2, 2, m) && c.done())) {
        if (h <= 14 && m <= 59) return sign * (h * 3600 + m * 60);
      }
    }
  }
  throw invalid_argument_error("--tz", "tz", tz,
                               "expected UTC, an offset like +08:00 or UTC+8, or a zone without daylight saving time "
                               "(Asia/Shanghai, Asia/Tokyo, ...); patron carries no tz database, so give the offset");
}

}  // namespace patron::inline v1::crm
