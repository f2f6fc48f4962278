// SPDX-License-Identifier: MIT
// CRM exports as text: encoding sniffing and conversion to UTF-8 (glibc iconv), RFC 4180 CSV, header keys.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "patron/crm/presets.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::crm {
namespace {

/// Offset of the first byte that breaks UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    const unsigned char c = p[i];
    std::size_t n = 0;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) n = 2;
    else if (c >= 0xF0 && c <= 0xF4) n = 3;
    else return i;
    if (i + n >= s.size()) return i;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    if (c == 0xE0 && p[i + 1] < 0xA0) return i;  // overlong
    if (c == 0xED && p[i + 1] >= 0xA0) return i;  // surrogates
    if (c == 0xF0 && p[i + 1] < 0x90) return i;
    if (c == 0xF4 && p[i + 1] >= 0x90) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

std::uint64_t line_of(std::string_view bytes, std::size_t offset) noexcept {
  return 1 + static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

[[noreturn]] void throw_bad_bytes(std::string_view bytes, std::size_t offset, const char* encoding, const std::string& name) {
  const std::size_t n = std::min<std::size_t>(4, bytes.size() - offset);
  throw data_error(errc::bad_encoding, name, line_of(bytes, offset), 0, "bytes", std::string(bytes.substr(offset, n)),
                   std::string("invalid ") + encoding + " at byte offset " + std::to_string(offset));
}

/// Converts with iconv; on EILSEQ/EINVAL reports the offset of the offending input byte.
std::string convert(std::string_view bytes, const char* from, std::size_t skip, const std::string& name) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw data_error(errc::io_error, name, 0, 0, "", "", std::string("iconv cannot convert from ") + from);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data()) + skip;
  std::size_t in_left = bytes.size() - skip;
  std::size_t done = 0;
  while (in_left > 0) {
    char* dst = out.data() + done;
    std::size_t out_left = out.size() - done;
    const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      const auto offset = static_cast<std::size_t>(in - bytes.data());
      iconv_close(cd);
      throw_bad_bytes(bytes, offset, from, name);
    }
  }
  iconv_close(cd);
  out.resize(done);
  return out;
}

}  // namespace

text_encoding parse_encoding(std::string_view name) {
  std::string k;
  for (char c : name)
    if (c != '-' && c != '_') k += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (k.empty() || k == "detect" || k == "auto") return text_encoding::detect;
  if (k == "utf8" || k == "utf8bom") return text_encoding::utf8;
  if (k == "utf16" || k == "ucs2") return text_encoding::utf16;
  if (k == "gb18030" || k == "gbk" || k == "gb2312" || k == "cp936") return text_encoding::gb18030;
  throw invalid_argument_error("--encoding", "encoding", name, "expected utf-8, utf-16, gb18030, gbk or detect");
}

std::string to_utf8(std::string_view bytes, text_encoding encoding, const std::string& name, text_encoding* used) {
  const bool utf8_bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  const bool le_bom = bytes.size() >= 2 && bytes.substr(0, 2) == "\xFF\xFE";
  const bool be_bom = bytes.size() >= 2 && bytes.substr(0, 2) == "\xFE\xFF";
  text_encoding e = encoding;
  if (e == text_encoding::detect) {
    if (utf8_bom) e = text_encoding::utf8;
    else if (le_bom || be_bom) e = text_encoding::utf16;
    else e = first_invalid_utf8(bytes) == std::string_view::npos ? text_encoding::utf8 : text_encoding::gb18030;
  }
  if (used) *used = e;
  switch (e) {
    case text_encoding::utf8: {
      const std::size_t skip = utf8_bom ? 3 : 0;
      const std::size_t bad = first_invalid_utf8(bytes.substr(skip));
      if (bad != std::string_view::npos) throw_bad_bytes(bytes, bad + skip, "UTF-8", name);
      return std::string(bytes.substr(skip));
    }
    case text_encoding::utf16:
      if (!le_bom && !be_bom)
        throw data_error(errc::bad_encoding, name, 1, 0, "bytes", std::string(bytes.substr(0, std::min<std::size_t>(2, bytes.size()))),
                         "UTF-16 without a byte-order mark (FF FE or FE FF) at byte offset 0");
      return convert(bytes, le_bom ? "UTF-16LE" : "UTF-16BE", 2, name);
    case text_encoding::gb18030:
    case text_encoding::detect:
      break;
  }
  return convert(bytes, "GB18030", 0, name);
}

char sniff_delimiter(std::string_view s) noexcept {
  constexpr char candidates[] = {',', ';', '\t', '|'};
  std::size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) break;
    if (quoted) continue;
    for (std::size_t k = 0; k < 4; ++k)
      if (c == candidates[k]) ++counts[k];
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

csv_table parse_csv(std::string_view s, char delimiter, const std::string& name) {
  csv_table t;
  std::vector<std::string> row;
  std::string field;
  std::uint64_t line = 1, row_line = 1;
  bool quoted = false, any = false;
  std::size_t i = 0;
  auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      t.rows.push_back(std::move(row));
      t.lines.push_back(row_line);
    }
    row.clear();
    any = false;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == delimiter) {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      end_row();
      ++line;
      row_line = line;
    } else {
      field += c;
      any = true;
    }
    ++i;
  }
  if (quoted)
    throw data_error(errc::ragged_row, name, row_line, 0, "quote", "\"", "quoted field not closed before the end of the file");
  if (any || !field.empty() || !row.empty()) end_row();
  return t;
}

std::string header_key(std::string_view h) {
  std::string k;
  for (std::size_t i = 0; i < h.size();) {
    const auto c = static_cast<unsigned char>(h[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { ++i; continue; }
    if (h.substr(i).starts_with("\xC2\xA0")) { i += 2; continue; }         // NBSP
    if (h.substr(i).starts_with("\xE3\x80\x80")) { i += 3; continue; }     // U+3000 ideographic space
    if (h.substr(i).starts_with("\xEF\xBC\x88")) { k += '('; i += 3; continue; }  // （
    if (h.substr(i).starts_with("\xEF\xBC\x89")) { k += ')'; i += 3; continue; }  // ）
    if (h.substr(i).starts_with("\xEF\xBB\xBF")) { i += 3; continue; }     // stray BOM
    k += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    ++i;
  }
  return k;
}

}  // namespace patron::inline v1::crm
