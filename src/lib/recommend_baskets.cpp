// SPDX-License-Identifier: MIT
// Basket files (one basket per line, comma-separated items) and baskets from a purchase log.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>

#include "patron/error.hpp"
#include "patron/recommend/baskets.hpp"

namespace patron::inline v1::recommend {

void basket_set::add(std::span<const std::string_view> labels) {
  std::vector<std::uint32_t> idx;
  idx.reserve(labels.size());
  for (auto l : labels) idx.push_back(items.intern(l));
  add_indices(std::move(idx));
}

void basket_set::add_indices(std::vector<std::uint32_t> indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  item.insert(item.end(), indices.begin(), indices.end());
  offsets.push_back(item.size());
}

namespace {

[[noreturn]] void fail(errc code, const std::string& file, std::uint64_t line,
                       std::uint32_t column, std::string_view value, const char* problem) {
  throw data_error(code, file, line, column, "item", std::string(value), problem);
}

}  // namespace

basket_set read_baskets_from_string(std::string_view text, const std::string& name) {
  basket_set out;
  std::vector<std::string> fields;
  std::vector<std::string_view> views;
  std::uint64_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) fail(errc::missing_value, name, line_no, 0, "", "empty line (no items)");
    fields.clear();
    std::string cur;
    std::uint32_t column = 1;
    bool quoted = false, was_quoted = false;
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
          if (i + 1 < line.size() && line[i + 1] != ',')
            fail(errc::bad_encoding, name, line_no, column, cur,
                 "text after a closing quote (RFC 4180 field)");
        }
      } else if (c == '"') {
        if (!cur.empty()) fail(errc::bad_encoding, name, line_no, column, cur, "quote inside an unquoted field");
        quoted = was_quoted = true;
      } else if (c == ',') {
        if (cur.empty() && !was_quoted) fail(errc::missing_value, name, line_no, column, "", "empty item");
        fields.push_back(std::move(cur));
        cur.clear();
        was_quoted = false;
        ++column;
      } else {
        cur += c;
      }
    }
    if (quoted) fail(errc::bad_encoding, name, line_no, column, cur, "unterminated quote");
    if (cur.empty() && !was_quoted) fail(errc::missing_value, name, line_no, column, "", "empty item");
    fields.push_back(std::move(cur));
    views.assign(fields.begin(), fields.end());
    out.add(views);
  }
  if (out.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no baskets");
  return out;
}

basket_set read_baskets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw data_error(errc::io_error, path, 0, 0, "", "",
                     std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw data_error(errc::io_error, path, 0, 0, "", "", "read failed");
  return read_baskets_from_string(ss.str(), path);
}

basket_set baskets_from_log(const transaction_log& log) {
  if (!log.has_items())
    throw invalid_argument_error("baskets_from_log", "log.item", "empty",
                                 "the log has no item column");
  basket_set out;
  out.items = log.items;
  // Key of a row's basket: its invoice, or (customer, day) packed in 64 bits.
  std::unordered_map<std::uint64_t, std::uint32_t> basket_of;
  std::vector<std::vector<std::uint32_t>> rows;
  for (std::size_t r = 0; r < log.size(); ++r) {
    // A return is no purchase: counting it would put returned items into baskets.
    if (log.amount[r] < 0 || (log.has_quantity() && log.quantity[r] < 0)) continue;
    const std::uint64_t key =
        log.has_invoices()
            ? log.invoice[r]
            : (std::uint64_t{log.customer[r]} << 32) |
                  static_cast<std::uint32_t>(day_of(log.time[r]).days);
    auto [it, added] = basket_of.try_emplace(key, static_cast<std::uint32_t>(rows.size()));
    if (added) rows.emplace_back();
    rows[it->second].push_back(log.item[r]);
  }
  for (auto& b : rows) out.add_indices(std::move(b));
  return out;
}

}  // namespace patron::inline v1::recommend
