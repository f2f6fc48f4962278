// SPDX-License-Identifier: MIT
// Summary CSV writer and reader. The reader is small on purpose: summary files are ours or
// published tables (one header, numbers, an id column), so it needs only RFC 4180 fields.
#include "patron/data/summary_io.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include <fast_float/fast_float.h>

#include "csv_record.hpp"
#include "patron/error.hpp"

namespace patron::inline v1 {
namespace {

void put_double(std::ostream& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.write(buf, r.ptr - buf);
}

void put_id(std::ostream& out, const std::string& id) {
  if (id.find_first_of(",\"\r\n") == std::string::npos) {
    out << id;
    return;
  }
  out << '"';
  for (char c : id) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

// Splits one CSV record (RFC 4180 quotes; no embedded newlines in summary files).
std::vector<std::string> split_record(std::string_view line) {
  std::vector<std::string> fields = detail::split_csv_record(line);
  for (auto& f : fields) {  // trim spaces around unquoted values
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string{} : f.substr(b, e - b + 1);
  }
  return fields;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::initializer_list<const char*> aliases) {
  for (const char* a : aliases)
    for (std::size_t j = 0; j < header.size(); ++j)
      if (lower(header[j]) == a) return j;
  return std::nullopt;
}

}  // namespace

void write_summary_csv(std::ostream& out, const customer_summary& s) {
  out << "customer_id,x,t_x,T,monetary,total,orders,first,last";
  if (s.has_holdout()) out << ",x_holdout,monetary_holdout";
  out << '\n';
  for (std::size_t i = 0; i < s.size(); ++i) {
    put_id(out, s.id[i]);
    for (double v : {s.x[i], s.t_x[i], s.T[i], s.monetary[i], s.total[i], s.orders[i]}) {
      out << ',';
      put_double(out, v);
    }
    out << ',' << to_string(s.first[i]) << ',' << to_string(s.last[i]);
    if (s.has_holdout()) {
      out << ',';
      put_double(out, s.x_holdout[i]);
      out << ',';
      put_double(out, s.monetary_holdout[i]);
    }
    out << '\n';
  }
}

summary_table read_summary_csv_from_string(const std::string& text, const std::string& name,
                                           time_unit unit) {
  summary_table t;
  customer_summary& s = t.summary;
  s.unit = unit;
  std::istringstream in(text);
  std::string line;
  std::uint64_t line_no = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) break;
  }
  if (line.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header and no data rows");
  header = split_record(line);
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);  // UTF-8 BOM
  std::string seen;
  for (const auto& h : header) seen += (seen.empty() ? "" : ", ") + h;
  auto require = [&](std::initializer_list<const char*> aliases, const char* field) {
    const auto c = find_column(header, aliases);
    if (!c) throw data_error(errc::missing_column, name, line_no, 0, field, "", "no such column; headers: " + seen);
    return *c;
  };
  const std::size_t c_id = require({"customer_id", "id", "customer"}, "customer_id");
  const std::size_t c_x = require({"x", "frequency"}, "x");
  const std::size_t c_tx = require({"t_x", "recency"}, "t_x");
  const std::size_t c_T = require({"t", "age"}, "T");
  const auto c_m = find_column(header, {"monetary", "zbar", "monetary_value", "m"});
  const auto c_w = find_column(header, {"weight", "weights", "count"});
  const auto c_xh = find_column(header, {"x_holdout"});
  const auto c_mh = find_column(header, {"monetary_holdout"});
  const auto c_total = find_column(header, {"total"});
  const auto c_orders = find_column(header, {"orders"});
  t.has_monetary = c_m.has_value();

  auto number = [&](const std::vector<std::string>& f, std::size_t col, const char* field) {
    const std::string& v = f[col];
    double d = 0;
    const auto r = fast_float::from_chars(v.data(), v.data() + v.size(), d);
    if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size())
      throw data_error(errc::bad_number, name, line_no, static_cast<std::uint32_t>(col + 1), field, v, "not a number");
    if (!std::isfinite(d))
      throw data_error(errc::bad_number, name, line_no, static_cast<std::uint32_t>(col + 1), field, v, "not finite");
    return d;
  };
  const std::size_t need = std::max({c_id, c_x, c_tx, c_T, c_m.value_or(0), c_w.value_or(0)}) + 1;
  std::vector<std::uint64_t> lines;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto f = split_record(line);
    if (f.size() < need)
      throw data_error(errc::ragged_row, name, line_no, 0, "fields", std::to_string(f.size()),
                       "expected at least " + std::to_string(need));
    if (f[c_id].empty()) throw data_error(errc::missing_value, name, line_no, static_cast<std::uint32_t>(c_id + 1), "customer_id", "", "empty");
    s.id.push_back(f[c_id]);
    s.x.push_back(number(f, c_x, "x"));
    s.t_x.push_back(number(f, c_tx, "t_x"));
    s.T.push_back(number(f, c_T, "T"));
    s.monetary.push_back(c_m ? number(f, *c_m, "monetary") : 0.0);
    if (c_w) t.weight.push_back(number(f, *c_w, "weight"));
    if (c_xh && c_mh) {
      s.x_holdout.push_back(number(f, *c_xh, "x_holdout"));
      s.monetary_holdout.push_back(number(f, *c_mh, "monetary_holdout"));
    }
    if (c_total) s.total.push_back(number(f, *c_total, "total"));
    if (c_orders) s.orders.push_back(number(f, *c_orders, "orders"));
    lines.push_back(line_no);
  }
  if (s.x.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no data rows");
  try {
    validate_summary(customer_summary_view(s.x, s.t_x, s.T, s.monetary, t.weight), name);
  } catch (const data_error& e) {  // re-anchor the row index to the file's line number
    throw data_error(e.code(), name, lines[e.line() - 1], 0, e.field(), e.value(), e.problem());
  }
  return t;
}

summary_table read_summary_csv(const std::string& path, time_unit unit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return read_summary_csv_from_string(buf.str(), path, unit);
}

}  // namespace patron::inline v1
