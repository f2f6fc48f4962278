// SPDX-License-Identifier: MIT
// Item texts for content-based recommendations, from a catalogue or a purchase log with a
// description column.
#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "csv_record.hpp"
#include "patron/error.hpp"
#include "patron/recommend/content.hpp"
#include "read_input.hpp"

namespace patron::inline v1::recommend {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t find_column(const std::vector<std::string>& header, const std::string& want, const std::string& name,
                        const char* field) {
  auto it = std::find(header.begin(), header.end(), want);
  if (it == header.end())
    it = std::find_if(header.begin(), header.end(), [&](const std::string& h) { return lower(h) == lower(want); });
  if (it == header.end()) {
    std::string heads;
    for (const auto& h : header) heads += (heads.empty() ? "" : ", ") + h;
    throw data_error(errc::missing_column, name, 1, 0, field, want, "no such column; headers: " + heads);
  }
  return static_cast<std::size_t>(it - header.begin());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

item_catalog read_item_catalog_from_string(std::string_view text, const std::string& item_column,
                                           const std::string& text_column, char delimiter, const std::string& name) {
  item_catalog c;
  c.source = name;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0;
  std::uint64_t line_no = 0;
  std::vector<std::string> header;
  std::size_t item_at = 0, text_at = 0, needed = 0;
  std::unordered_map<std::string, std::size_t> index;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      header = detail::split_csv_record(line, delimiter);
      for (auto& h : header) h = std::string(trim(h));
      item_at = find_column(header, item_column, name, "item");
      text_at = find_column(header, text_column, name, "text");
      needed = std::max(item_at, text_at) + 1;
      continue;
    }
    if (trim(line).empty()) continue;
    const std::vector<std::string> f = detail::split_csv_record(line, delimiter);
    if (f.size() < needed)
      throw data_error(errc::ragged_row, name, line_no, 0, "fields", std::to_string(f.size()),
                       "expected at least " + std::to_string(needed));
    const std::string item(trim(f[item_at]));
    if (item.empty())
      throw data_error(errc::missing_value, name, line_no, static_cast<std::uint32_t>(item_at + 1), "item", "", "empty");
    const std::string_view t = trim(f[text_at]);
    ++c.rows;
    auto [it, fresh] = index.try_emplace(item, c.items.size());
    if (fresh) {
      c.items.push_back(item);
      c.texts.emplace_back();
    }
    std::string& kept = c.texts[it->second];
    if (t.empty()) {
      ++c.blank_texts;
    } else if (kept.empty()) {
      kept = std::string(t);
    } else if (kept != t) {
      ++c.other_texts;
    }
  }
  if (line_no == 0) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header line");
  if (c.items.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no data rows");
  return c;
}

item_catalog read_item_catalog(const std::string& path, const std::string& item_column, const std::string& text_column,
                               char delimiter) {
  detail::byte_input in = detail::byte_input::open_file(path, path);
  std::string bytes;
  std::vector<char> buf(1 << 16);
  while (const std::size_t n = in.read(buf.data(), buf.size())) bytes.append(buf.data(), n);
  return read_item_catalog_from_string(bytes, item_column, text_column, delimiter, path);
}

}  // namespace patron::inline v1::recommend
