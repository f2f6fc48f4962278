// SPDX-License-Identifier: MIT
// RFM files: thresholds JSON, rule tables (CSV/JSON) and customer-level CSV tables.
#include "patron/rfm/io.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <fast_float/fast_float.h>
#include <nlohmann/json.hpp>

#include "csv_record.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::rfm {
namespace {

using json = nlohmann::json;
constexpr const char* thresholds_format = "patron.rfm.thresholds";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One CSV record (RFC 4180 quotes, no embedded newlines); a trailing CR is dropped.
std::vector<std::string> split_record(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return detail::split_csv_record(line);
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parse_double(std::string_view text, double& out) {
  const std::string t = trim(text);
  const char* b = t.data();
  const char* e = b + t.size();
  if (b != e && *b == '+') ++b;
  const auto r = fast_float::from_chars(b, e, out);
  return b != e && r.ec == std::errc() && r.ptr == e;
}

bool parse_int(std::string_view text, int& out) {
  const std::string t = trim(text);
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  return !t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size();
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

json cuts_json(const metric_cuts& mc) {
  json cuts = json::array();
  for (double c : mc.cuts) {
    if (std::isinf(c)) cuts.push_back(nullptr);
    else cuts.push_back(c);
  }
  return json{{"cuts", cuts}, {"left_closed", mc.left_closed}};
}

[[noreturn]] void bad_json(const std::string& source, std::string_view field, std::string_view problem) {
  throw data_error(errc::bad_rule, source, 0, 0, std::string(field), "", std::string(problem));
}

metric_cuts cuts_from(const json& j, const std::string& source, const char* name) {
  if (!j.is_object() || !j.contains("cuts") || !j["cuts"].is_array())
    bad_json(source, name, "expected {\"cuts\": [...], \"left_closed\": true|false}");
  metric_cuts mc;
  for (const json& c : j["cuts"]) {
    if (c.is_null()) mc.cuts.push_back(std::numeric_limits<double>::infinity());
    else if (c.is_number()) mc.cuts.push_back(c.get<double>());
    else bad_json(source, name, "cut points must be numbers (null = +inf)");
  }
  if (j.contains("left_closed")) {
    if (!j["left_closed"].is_boolean()) bad_json(source, name, "left_closed must be true or false");
    mc.left_closed = j["left_closed"].get<bool>();
  }
  return mc;
}

score_range range_from_json(const json& j, const std::string& where) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_number_integer() || !j[1].is_number_integer())
    throw data_error(errc::bad_rule, where, 0, 0, "", "", "a range is [lo, hi] with two whole numbers");
  return {j[0].get<int>(), j[1].get<int>()};
}

segment_table segment_table_from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw data_error(errc::bad_rule, source, 0, 0, "", "", std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("rules") || !j["rules"].is_array())
    bad_json(source, "rules", "expected {\"rules\": [{\"name\": ..., \"r\": [lo, hi], ...}]}");
  segment_table t;
  if (j.contains("bins")) {
    if (!j["bins"].is_number_integer()) bad_json(source, "bins", "must be a whole number");
    t.bins = j["bins"].get<int>();
  }
  if (j.contains("fallback")) {
    if (!j["fallback"].is_string()) bad_json(source, "fallback", "must be a string");
    t.fallback = j["fallback"].get<std::string>();
  }
  std::size_t k = 0;
  for (const json& r : j["rules"]) {
    ++k;
    const std::string where = source + ": rule " + std::to_string(k);
    if (!r.is_object() || !r.contains("name") || !r["name"].is_string() || !r.contains("r") ||
        !r.contains("f") || !r.contains("m"))
      throw data_error(errc::bad_rule, where, 0, 0, "", "", "a rule needs name, r, f and m");
    t.rules.push_back({r["name"].get<std::string>(), range_from_json(r["r"], where),
                       range_from_json(r["f"], where), range_from_json(r["m"], where)});
  }
  return t;
}

segment_table segment_table_from_csv(std::string_view text, const std::string& source) {
  const auto lines = lines_of(text);
  if (lines.empty()) throw data_error(errc::empty_input, source, 0, 0, "", "", "no rules");
  const auto header = split_record(lines[0]);
  const char* names[7] = {"name", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"};
  std::size_t col[7];
  for (int c = 0; c < 7; ++c) {
    const auto it = std::find_if(header.begin(), header.end(),
                                 [&](const std::string& h) { return lower(trim(h)) == names[c]; });
    if (it == header.end())
      throw data_error(errc::missing_column, source, 1, 0, names[c], "", "no such column; the header is "
                       "name,r_min,r_max,f_min,f_max,m_min,m_max");
    col[c] = static_cast<std::size_t>(it - header.begin());
  }
  const std::size_t need = *std::max_element(col, col + 7) + 1;
  segment_table t;
  for (std::size_t ln = 1; ln < lines.size(); ++ln) {
    if (trim(lines[ln]).empty()) continue;
    const auto f = split_record(lines[ln]);
    if (f.size() == 2 && trim(f[0]) == "fallback") {
      t.fallback = f[1];
      continue;
    }
    if (f.size() < need)
      throw data_error(errc::ragged_row, source, ln + 1, 0, "fields", std::to_string(f.size()),
                       "expected " + std::to_string(need));
    const std::string name = f[col[0]];
    int v[6];
    for (int c = 1; c < 7; ++c)
      if (!parse_int(f[col[c]], v[c - 1]))
        throw data_error(errc::bad_rule, source, ln + 1, static_cast<std::uint32_t>(col[c] + 1), names[c],
                         f[col[c]], "not a whole number");
    segment_rule r{name, {v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}};
    const int bins = t.bins;
    for (int c = 0; c < 3; ++c) {
      const int lo = v[2 * c], hi = v[2 * c + 1];
      if (lo < 1 || hi > bins || lo > hi)
        throw data_error(errc::bad_rule, source, ln + 1, static_cast<std::uint32_t>(col[2 * c + 1] + 1),
                         names[2 * c + 1], std::to_string(lo) + "-" + std::to_string(hi),
                         "rule \"" + name + "\": each range needs 1 <= lo <= hi <= " + std::to_string(bins));
    }
    t.rules.push_back(std::move(r));
  }
  return t;
}

}  // namespace

std::string thresholds_to_json(const thresholds& t) {
  json j{{"format", thresholds_format},
         {"version", 1},
         {"method", std::string(to_string(t.method))},
         {"bins", t.bins},
         {"recency", cuts_json(t.recency)},
         {"frequency", cuts_json(t.frequency)},
         {"monetary", cuts_json(t.monetary)}};
  return j.dump(2) + "\n";
}

thresholds thresholds_from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw data_error(errc::bad_rule, source, 0, 0, "", "", std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != thresholds_format)
    bad_json(source, "format", std::string("expected \"") + thresholds_format + "\"");
  if (!j.contains("version") || j["version"] != 1) bad_json(source, "version", "expected 1");
  thresholds t;
  try {
    t.method = parse_binning_method(j.value("method", std::string()), "method");
  } catch (const invalid_argument_error& e) {
    bad_json(source, "method", e.what());
  }
  if (!j.contains("bins") || !j["bins"].is_number_integer()) bad_json(source, "bins", "must be a whole number");
  t.bins = j["bins"].get<int>();
  for (const char* name : {"recency", "frequency", "monetary"})
    if (!j.contains(name)) bad_json(source, name, "missing");
  t.recency = cuts_from(j["recency"], source, "recency");
  t.frequency = cuts_from(j["frequency"], source, "frequency");
  t.monetary = cuts_from(j["monetary"], source, "monetary");
  try {
    t.validate();
  } catch (const error& e) {
    // Keep the problem, not the inner "[patron.bad_rule] rfm thresholds: " prefix.
    const std::string what = e.what();
    const std::size_t cut = what.find("rfm thresholds: ");
    throw data_error(errc::bad_rule, source, 0, 0, "", "", cut == std::string::npos ? what : what.substr(cut + 16));
  }
  return t;
}

void save_thresholds(const std::string& path, const thresholds& t) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open for writing: ") + std::strerror(errno));
  out << thresholds_to_json(t);
  out.flush();
  if (!out) throw data_error(errc::io_error, path, 0, 0, "", "", "write failed");
}

thresholds load_thresholds(const std::string& path) { return thresholds_from_json(read_file(path), path); }

segment_table segment_table_from_string(std::string_view text, const std::string& source) {
  std::size_t p = 0;
  while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
  segment_table t = p < text.size() && text[p] == '{' ? segment_table_from_json(text, source)
                                                       : segment_table_from_csv(text, source);
  try {
    t.check(source);
  } catch (const error& e) {
    throw data_error(errc::bad_rule, source, 0, 0, "", "", e.what());
  }
  return t;
}

segment_table read_segment_table(const std::string& path) {
  return segment_table_from_string(read_file(path), path);
}

rfm_table read_customer_table_from_string(std::string_view text, const std::string& source,
                                          const customer_columns& cols, std::optional<date> as_of,
                                          bool allow_negative) {
  const auto lines = lines_of(text);
  if (lines.empty()) throw data_error(errc::empty_input, source, 0, 0, "", "", "no header");
  auto header = split_record(lines[0]);
  for (auto& h : header) h = trim(h);
  const std::string* want[4] = {&cols.id, &cols.recency, &cols.frequency, &cols.monetary};
  const char* role[4] = {"id", "recency", "frequency", "monetary"};
  std::size_t col[4];
  for (int c = 0; c < 4; ++c) {
    const auto it = std::find(header.begin(), header.end(), *want[c]);
    if (it == header.end()) {
      std::string all;
      for (const auto& h : header) all += (all.empty() ? "" : ", ") + h;
      throw data_error(errc::missing_column, source, 1, 0, role[c], *want[c], "no such column; headers: " + all);
    }
    col[c] = static_cast<std::size_t>(it - header.begin());
  }
  const std::size_t need = *std::max_element(col, col + 4) + 1;
  rfm_table t;
  for (std::size_t ln = 1; ln < lines.size(); ++ln) {
    if (trim(lines[ln]).empty()) continue;
    const auto f = split_record(lines[ln]);
    if (f.size() < need)
      throw data_error(errc::ragged_row, source, ln + 1, 0, "fields", std::to_string(f.size()),
                       "expected at least " + std::to_string(need));
    double v[3];
    for (int c = 1; c < 4; ++c) {
      const std::string& raw = f[col[c]];
      const auto column = static_cast<std::uint32_t>(col[c] + 1);
      if (c == 1 && as_of && raw.find('-', 1) != std::string::npos) {
        const auto d = parse_date(trim(raw));
        if (!d) throw data_error(errc::bad_date, source, ln + 1, column, *want[c], raw, "not a date (YYYY-MM-DD)");
        v[0] = static_cast<double>(*as_of - *d);
        continue;
      }
      if (!parse_double(raw, v[c - 1]))
        throw data_error(errc::bad_number, source, ln + 1, column, *want[c], raw, "not a number");
      if (!std::isfinite(v[c - 1]))
        throw data_error(errc::bad_number, source, ln + 1, column, *want[c], raw, "not finite");
    }
    const char* problem[3] = {"negative: the analysis date is before the last purchase", "negative",
                              "negative (refunds: allow them with allow_negative / --allow-negative)"};
    for (int c = 0; c < 3; ++c)
      if (v[c] < 0 && (c < 2 || !allow_negative))
        throw data_error(errc::out_of_range, source, ln + 1, static_cast<std::uint32_t>(col[c + 1] + 1),
                         *want[c + 1], trim(f[col[c + 1]]), std::string(problem[c]) + " (customer \"" + f[col[0]] + "\")");
    t.id.push_back(f[col[0]]);
    t.recency.push_back(v[0]);
    t.frequency.push_back(v[1]);
    t.monetary.push_back(v[2]);
  }
  if (t.empty()) throw data_error(errc::empty_input, source, 0, 0, "", "", "no data rows");
  return t;
}

rfm_table read_customer_table(const std::string& path, const customer_columns& cols,
                              std::optional<date> as_of, bool allow_negative) {
  return read_customer_table_from_string(read_file(path), path, cols, as_of, allow_negative);
}

}  // namespace patron::inline v1::rfm
