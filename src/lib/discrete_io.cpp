// SPDX-License-Identifier: MIT
// Readers for BG/BB pattern tables and sBG survivor curves (see patron/data/discrete_io.hpp).
#include "patron/data/discrete_io.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fast_float/fast_float.h>

#include "csv_record.hpp"
#include "patron/error.hpp"
#include "patron/models/bgbb.hpp"
#include "patron/models/sbg.hpp"

namespace patron::inline v1 {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> split_trimmed(std::string_view line) {
  std::vector<std::string> f = detail::split_csv_record(line);
  for (auto& s : f) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    s = b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
  }
  return f;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::initializer_list<const char*> aliases) {
  for (const char* a : aliases)
    for (std::size_t j = 0; j < header.size(); ++j) {
      std::string h = header[j];
      std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (h == a) return j;
    }
  return std::nullopt;
}

// Lines of a small CSV with its header split off; shared by both readers.
struct csv_lines {
  std::vector<std::string> header;
  std::string header_text;
  std::vector<std::pair<std::uint64_t, std::vector<std::string>>> rows;  // (line number, fields)
};

csv_lines split_lines(const std::string& text, const std::string& name) {
  csv_lines out;
  std::istringstream in(text);
  std::string line;
  std::uint64_t line_no = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!have_header) {
      out.header = split_trimmed(line);
      if (!out.header.empty() && out.header[0].rfind("\xEF\xBB\xBF", 0) == 0) out.header[0].erase(0, 3);
      for (const auto& h : out.header) out.header_text += (out.header_text.empty() ? "" : ", ") + h;
      have_header = true;
      continue;
    }
    out.rows.emplace_back(line_no, split_trimmed(line));
  }
  if (!have_header) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header and no data rows");
  if (out.rows.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no data rows");
  return out;
}

double number(const std::string& name, std::uint64_t line, std::size_t col, const char* field, const std::string& v) {
  double d = 0;
  const auto r = fast_float::from_chars(v.data(), v.data() + v.size(), d);
  if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size())
    throw data_error(errc::bad_number, name, line, static_cast<std::uint32_t>(col + 1), field, v, "not a number");
  if (!std::isfinite(d))
    throw data_error(errc::bad_number, name, line, static_cast<std::uint32_t>(col + 1), field, v, "not finite");
  return d;
}

std::size_t require(const csv_lines& c, const std::string& name, std::initializer_list<const char*> aliases,
                    const char* field) {
  const auto col = find_column(c.header, aliases);
  if (!col) throw data_error(errc::missing_column, name, 1, 0, field, "", "no such column; headers: " + c.header_text);
  return *col;
}

}  // namespace

bgbb_table read_bgbb_csv_from_string(const std::string& text, const std::string& name) {
  const csv_lines c = split_lines(text, name);
  const std::size_t cx = require(c, name, {"frequency", "x"}, "x");
  const std::size_t ct = require(c, name, {"recency", "t_x"}, "t_x");
  const std::size_t cn = require(c, name, {"periods", "n"}, "n");
  const auto cw = find_column(c.header, {"weights", "weight", "count"});
  const auto cid = find_column(c.header, {"customer_id", "id", "customer"});
  const std::size_t need = std::max({cx, ct, cn, cw.value_or(0), cid.value_or(0)}) + 1;
  bgbb_table t;
  std::size_t row = 0;
  for (const auto& [line, f] : c.rows) {
    ++row;
    if (f.size() < need)
      throw data_error(errc::ragged_row, name, line, 0, "fields", std::to_string(f.size()), "expected at least " + std::to_string(need));
    t.id.push_back(cid ? f[*cid] : std::to_string(row));
    t.x.push_back(number(name, line, cx, "x", f[cx]));
    t.t_x.push_back(number(name, line, ct, "t_x", f[ct]));
    t.n.push_back(number(name, line, cn, "n", f[cn]));
    if (cw) t.weight.push_back(number(name, line, *cw, "weight", f[*cw]));
    // The row rules, reported with this file's line and column.
    try {
      const std::vector<double> w1 = cw ? std::vector<double>{t.weight.back()} : std::vector<double>{};
      validate_bgbb(customer_summary_view(std::span<const double>(&t.x.back(), 1), std::span<const double>(&t.t_x.back(), 1),
                                          std::span<const double>(&t.n.back(), 1), {}, w1),
                    name);
    } catch (const data_error& e) {
      const std::size_t col = e.field() == "x" ? cx : e.field() == "t_x" ? ct : e.field() == "n" ? cn : cw.value_or(0);
      throw data_error(errc::out_of_range, name, line, static_cast<std::uint32_t>(col + 1), e.field(), e.value(), e.problem());
    }
  }
  return t;
}

bgbb_table read_bgbb_csv(const std::string& path) { return read_bgbb_csv_from_string(read_file(path), path); }

survivor_table read_survivors_csv_from_string(const std::string& text, const std::string& name) {
  const csv_lines c = split_lines(text, name);
  const std::size_t cp = require(c, name, {"period", "t"}, "period");
  const std::size_t ca = require(c, name, {"alive", "survivors", "active"}, "alive");
  const auto cc = find_column(c.header, {"cohort"});
  const std::size_t need = std::max({cp, ca, cc.value_or(0)}) + 1;
  survivor_table t;
  std::vector<std::uint64_t> first_line;
  for (const auto& [line, f] : c.rows) {
    if (f.size() < need)
      throw data_error(errc::ragged_row, name, line, 0, "fields", std::to_string(f.size()), "expected at least " + std::to_string(need));
    const std::string cohort = cc ? f[*cc] : std::string("1");
    auto it = std::find(t.cohort.begin(), t.cohort.end(), cohort);
    std::size_t k = static_cast<std::size_t>(it - t.cohort.begin());
    if (it == t.cohort.end()) {
      t.cohort.push_back(cohort);
      t.alive.emplace_back();
      first_line.push_back(line);
    }
    const double p = number(name, line, cp, "period", f[cp]);
    const double a = number(name, line, ca, "alive", f[ca]);
    const double expected = static_cast<double>(t.alive[k].size());
    if (p != expected)
      throw data_error(errc::out_of_range, name, line, static_cast<std::uint32_t>(cp + 1), "period", f[cp],
                       "periods of cohort " + cohort + " must run 0, 1, 2, ... in order; expected " +
                           std::to_string(t.alive[k].size()));
    if (!(a >= 0))
      throw data_error(errc::out_of_range, name, line, static_cast<std::uint32_t>(ca + 1), "alive", f[ca], "survivors must be >= 0");
    if (p == 0 && !(a > 0))
      throw data_error(errc::out_of_range, name, line, static_cast<std::uint32_t>(ca + 1), "alive", f[ca], "cohort size at period 0 must be > 0");
    if (p > 0 && a > t.alive[k].back())
      throw data_error(errc::out_of_range, name, line, static_cast<std::uint32_t>(ca + 1), "alive", f[ca],
                       "survivors increase from period " + std::to_string(t.alive[k].size() - 1) + ": a cohort can only shrink");
    t.alive[k].push_back(a);
  }
  for (std::size_t k = 0; k < t.alive.size(); ++k)
    if (t.alive[k].size() < 2)
      throw data_error(errc::empty_input, name, first_line[k], 0, "cohort", t.cohort[k],
                       "needs the size at period 0 and at least one later count");
  return t;
}

survivor_table read_survivors_csv(const std::string& path) { return read_survivors_csv_from_string(read_file(path), path); }

}  // namespace patron::inline v1
