// SPDX-License-Identifier: MIT
// Generic numeric customer-table reader (id + chosen numeric columns) for segmentation input.
#include "patron/data/table_io.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "patron/error.hpp"

namespace patron::inline v1 {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits one record; quoted fields may contain the delimiter and doubled quotes.
void split(std::string_view line, char delim, std::vector<std::string>& out) {
  out.clear();
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == delim) {
      out.push_back(was_quoted ? cur : std::string(trim(cur)));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
  }
  out.push_back(was_quoted ? cur : std::string(trim(cur)));
}

}  // namespace

numeric_table read_numeric_table_from_string(std::string_view text,
                                             const table_read_options& options,
                                             const std::string& name) {
  if (options.columns.empty())
    throw invalid_argument_error("read_numeric_table", "columns", "", "choose at least one column");
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  numeric_table t;
  t.source = name;
  std::vector<std::string> fields;
  std::vector<std::size_t> pick;
  std::size_t id_col = 0, header_fields = 0;
  std::uint64_t line_no = 0;
  bool have_header = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    split(line, options.delimiter, fields);
    if (!have_header) {
      have_header = true;
      header_fields = fields.size();
      std::string all;
      for (const auto& f : fields) all += (all.empty() ? "" : ",") + f;
      const auto find = [&](const std::string& want) -> std::size_t {
        for (std::size_t j = 0; j < fields.size(); ++j)
          if (fields[j] == want) return j;
        for (std::size_t j = 0; j < fields.size(); ++j)
          if (lower(fields[j]) == lower(want)) return j;
        return fields.size();
      };
      if (!options.id_column.empty()) {
        id_col = find(options.id_column);
        if (id_col == fields.size())
          throw data_error(errc::missing_column, name, line_no, 0, "id", options.id_column,
                           "no such column; headers: " + all);
      } else {
        id_col = fields.size();
        for (const char* alias : {"customer_id", "id", "customer", "customerid"})
          if (id_col == fields.size()) id_col = find(alias);
        if (id_col == fields.size()) id_col = 0;
      }
      t.id_column = fields[id_col];
      for (const auto& c : options.columns) {
        const std::size_t j = find(c);
        if (j == fields.size())
          throw data_error(errc::missing_column, name, line_no, 0, "column", c,
                           "no such column; headers: " + all);
        pick.push_back(j);
        t.columns.push_back(fields[j]);
      }
      continue;
    }
    std::size_t need = id_col + 1;
    for (std::size_t j : pick) need = std::max(need, j + 1);
    if (fields.size() < need)
      throw data_error(errc::ragged_row, name, line_no, 0, "fields", std::to_string(fields.size()),
                       "expected " + std::to_string(header_fields) + " as in the header");
    if (fields[id_col].empty())
      throw data_error(errc::missing_value, name, line_no, static_cast<std::uint32_t>(id_col + 1),
                       t.id_column, "", "empty customer id");
    t.ids.push_back(fields[id_col]);
    t.lines.push_back(line_no);
    for (std::size_t c = 0; c < pick.size(); ++c) {
      const std::string& f = fields[pick[c]];
      const auto col = static_cast<std::uint32_t>(pick[c] + 1);
      if (f.empty())
        throw data_error(errc::missing_value, name, line_no, col, t.columns[c], f, "empty");
      const char* b = f.data();
      if (*b == '+') ++b;
      double v = 0.0;
      const auto r = std::from_chars(b, f.data() + f.size(), v);
      if (r.ec == std::errc::result_out_of_range)
        throw data_error(errc::out_of_range, name, line_no, col, t.columns[c], f,
                         "out of the range of a double");
      if (r.ec != std::errc{} || r.ptr != f.data() + f.size())
        throw data_error(errc::bad_number, name, line_no, col, t.columns[c], f,
                         f.find(',') != std::string::npos
                             ? "not a number (decimal separator is '.')"
                             : "not a number");
      if (!std::isfinite(v))
        throw data_error(errc::bad_number, name, line_no, col, t.columns[c], f,
                         "not a finite number");
      t.values.push_back(v);
    }
  }
  if (!have_header || t.ids.empty())
    throw data_error(errc::empty_input, name, 0, 0, "", "", "no data rows");
  return t;
}

numeric_table read_numeric_table(const std::string& path, const table_read_options& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw data_error(errc::io_error, path, 0, 0, "", "",
                     std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return read_numeric_table_from_string(ss.str(), options, path);
}

}  // namespace patron::inline v1
