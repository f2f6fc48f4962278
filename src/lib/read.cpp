// SPDX-License-Identifier: MIT
// The transaction reader: delimited text (optionally gzip'd) → transaction_log + ingest_report.
#include "patron/data/read.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_set>
#if defined(__linux__)
#  include <sys/mman.h>
#endif

#include "patron/error.hpp"
#include "read_input.hpp"
#include "read_parse.hpp"

namespace patron::inline v1 {

using detail::date_status;
using detail::number_status;

// --- options and report ------------------------------------------------------------------------

column_ref column_ref::parse(std::string_view text) {
  const std::string_view t = detail::trim(text);
  column_ref c;
  int v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (!t.empty() && ec == std::errc{} && p == t.data() + t.size() && v > 0 &&
      std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    c.position = v;
  } else {
    c.name = std::string(t);
  }
  return c;
}

void read_options::validate() const {
  constexpr const char* where = "read_options";
  if (delimiter != 0 && delimiter != ',' && delimiter != ';' && delimiter != '\t' &&
      delimiter != '|' && delimiter != ' ') {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(delimiter));
    throw invalid_argument_error(where, "delimiter", buf,
                                 "must be ',', ';', tab, '|', ' ' (runs of blanks) or 0 (detect)");
  }
  const std::pair<const char*, const column_ref*> cols[] = {
      {"customer", &customer}, {"date", &date},   {"amount", &amount},  {"price", &price},
      {"quantity", &quantity}, {"item", &item},   {"invoice", &invoice}};
  for (const auto& [name, c] : cols)
    if (c->position < 0)
      throw invalid_argument_error(where, name, std::to_string(c->position),
                                   "a column position is 1-based");
  if (price.given() && !quantity.given())
    throw invalid_argument_error(where, "price", price.name.empty() ? std::to_string(price.position)
                                                                    : price.name,
                                 "amount = quantity × price needs the quantity column too");
  if (price.given() && amount.given())
    throw invalid_argument_error(where, "amount", amount.name.empty()
                                                      ? std::to_string(amount.position)
                                                      : amount.name,
                                 "give either amount or price (× quantity), not both");
  if (max_line_bytes == 0)
    throw invalid_argument_error(where, "max_line_bytes", "0", "must be > 0");
  if (!(max_abs_amount > 0) || !std::isfinite(max_abs_amount)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", max_abs_amount);
    throw invalid_argument_error(where, "max_abs_amount", buf, "must be a finite number > 0");
  }
  if (header != header_mode::detect && header != header_mode::yes && header != header_mode::no)
    throw invalid_argument_error(where, "header", std::to_string(static_cast<int>(header)),
                                 "not a header_mode");
  if (static_cast<int>(dates) < 0 || static_cast<int>(dates) > static_cast<int>(date_format::mdy))
    throw invalid_argument_error(where, "dates", std::to_string(static_cast<int>(dates)),
                                 "not a date_format");
}

std::uint64_t ingest_report::count(std::string_view reason) const noexcept {
  for (const auto& o : outcomes)
    if (o.reason == reason) return o.count;
  return 0;
}

std::uint64_t ingest_report::rows_skipped() const noexcept {
  std::uint64_t n = 0;
  for (const auto& o : outcomes) n += o.count;
  return n;
}

std::string ingest_report::to_text() const {
  std::string s = "source: " + source + "\n";
  s += "rows read: " + std::to_string(rows_read) + "\n";
  s += "rows kept: " + std::to_string(rows_kept) + "\n";
  s += "rows skipped: " + std::to_string(rows_skipped()) + "\n";
  for (const auto& o : outcomes) {
    s += "  " + o.reason + ": " + std::to_string(o.count);
    if (!o.examples.empty()) {
      s += " (e.g. ";
      for (std::size_t i = 0; i < o.examples.size(); ++i) s += (i ? ", " : "") + o.examples[i];
      s += ")";
    }
    s += "\n";
  }
  if (returns_netted > 0) s += "returns kept as negative amounts: " + std::to_string(returns_netted) + "\n";
  s += "bytes read: " + std::to_string(bytes_read) + "\n";
  s += "bindings:\n";
  for (const auto& b : bindings) s += "  " + b + "\n";
  return s;
}

namespace {

// --- roles and column names ----------------------------------------------------------------------

enum role : int { r_customer, r_date, r_amount, r_quantity, r_price, r_item, r_invoice, n_roles };
constexpr std::array<const char*, n_roles> role_name = {"customer", "date",  "amount", "quantity",
                                                        "price",    "item",  "invoice"};

// clang-format off
// Header names bound when no column is given (compared case-insensitively, trimmed).
const std::array<std::vector<std::string_view>, n_roles> common_names = {{
  {"customer_id", "customerid", "customer", "id", "client"},
  {"date", "invoicedate", "order_date", "timestamp"},
  {"amount", "dollar_value", "revenue", "sales", "total", "value"},
  {"quantity", "qty"},
  {"unitprice", "price"},
  {"stockcode", "item", "product", "sku"},
  {"invoiceno", "invoice", "order_id"},
}};
// clang-format on

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

const char* date_format_label(date_format f) {
  switch (f) {
    case date_format::ymd_compact: return "YYYYMMDD";
    case date_format::iso: return "YYYY-MM-DD[ HH:MM[:SS]]";
    case date_format::mdy: return "M/D/YYYY[ H:MM]";
    case date_format::detect: break;
  }
  return "a date";
}

std::string format_amount_limit(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// --- interning with a flat hash table in front of id_table -------------------------------------

// Interns ids during the scan: open addressing over (hash tag, index + 1) with the bytes in one
// arena, so a hit costs one probe and one memcmp and a new id one append. The id_table is filled
// once at the end (reserved, in first-seen order), which keeps its node-based map and per-id
// strings out of the row loop.
class intern_cache {
 public:
  intern_cache() {
    offsets_.push_back(0);
    rehash(1u << 12);
  }

  std::uint32_t get(std::string_view s) {
    if (last_ != id_table::npos && s == name(last_)) return last_;
    const std::uint64_t h = detail::hash_id(s);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t i = h & mask_;
    for (;;) {
      const std::uint64_t e = slots_[i];
      if (e == 0) break;
      if (static_cast<std::uint32_t>(e >> 32) == tag) {
        const auto idx = static_cast<std::uint32_t>(e) - 1;
        if (name(idx) == s) return last_ = idx;
      }
      i = (i + 1) & mask_;
    }
    const auto idx = static_cast<std::uint32_t>(offsets_.size() - 1);
    arena_.append(s);
    offsets_.push_back(arena_.size());
    slots_[i] = (std::uint64_t{tag} << 32) | (idx + 1u);
    if (size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return last_ = idx;
  }

  [[nodiscard]] std::size_t size() const noexcept { return offsets_.size() - 1; }
  [[nodiscard]] std::string_view name(std::uint32_t idx) const noexcept {
    return std::string_view(arena_).substr(offsets_[idx], offsets_[idx + 1] - offsets_[idx]);
  }

  /// Moves the ids into `table`, whose indices then equal the ones get() returned.
  void fill(id_table& table) const {
    table.reserve(size());
    for (std::uint32_t i = 0; i < size(); ++i) table.intern(name(i));
  }

 private:
  void rehash(std::size_t n) {
    slots_.assign(n, 0);
    mask_ = n - 1;
    for (std::uint32_t idx = 0; idx < size(); ++idx) {
      const std::uint64_t h = detail::hash_id(name(idx));
      std::size_t i = h & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (std::uint64_t{static_cast<std::uint32_t>(h >> 32)} << 32) | (idx + 1u);
    }
  }

  std::string arena_;
  std::vector<std::size_t> offsets_;  // id i is arena_[offsets_[i], offsets_[i + 1])
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  std::uint32_t last_ = id_table::npos;
};

// Asks Linux for transparent huge pages on a freshly reserved column: first-touch page faults
// on the 4 KiB pages of a 200 MB log otherwise cost as much as parsing it. A hint only.
template <class T>
void advise_huge_pages(std::vector<T>& v) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  const auto b = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t e = b + v.capacity() * sizeof(T);
  const std::uintptr_t ab = (b + huge - 1) & ~(huge - 1);
  const std::uintptr_t ae = e & ~(huge - 1);
  if (ae > ab) (void)::madvise(reinterpret_cast<void*>(ab), ae - ab, MADV_HUGEPAGE);
#else
  (void)v;
#endif
}

// Transparent hashing for the duplicate set, so lookups take the reusable key buffer as a view.
struct key_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return detail::hash_id(s); }
};

// --- the reader ----------------------------------------------------------------------------------

constexpr std::size_t chunk_bytes = std::size_t{1} << 20;
constexpr std::size_t sample_bytes = std::size_t{1} << 16;
constexpr std::size_t sample_rows = 20;

// Signals a row skipped in lenient mode (strict mode throws data_error instead).
struct row_skipped {};

class reader {
 public:
  reader(detail::byte_input& in, const read_options& opt, std::string name)
      : in_(in), opt_(opt), name_(std::move(name)) {
    buf_.resize(std::min<std::size_t>(opt.max_line_bytes, std::size_t{4} << 20) + chunk_bytes);
  }

  read_result run();

 private:
  // buffer
  bool refill();
  struct record {
    char* b = nullptr;
    char* e = nullptr;
    std::uint64_t lines = 1;
    bool quoted = false;
    bool too_long = false;
    std::uint64_t length = 0;
  };
  bool next_record(record& r);
  void skip_long_line(record& r, std::size_t scanned);
  void split(record& r, std::size_t max_fields);

  // setup
  void detect_delimiter(std::string_view sample);
  std::vector<std::vector<std::string>> sample_records(std::string_view sample, bool& complete,
                                                       std::size_t& bytes);
  bool detect_header(const std::vector<std::vector<std::string>>& rows) const;
  void bind(const std::vector<std::string>* header);
  void detect_dates(const std::vector<std::vector<std::string>>& rows, bool header);

  // rows
  void process_row(std::uint64_t line);
  [[noreturn]] void bad(errc code, const char* reason, int r, std::string_view value,
                        const std::string& problem, std::uint64_t line);
  void skip(const char* reason, std::uint64_t line);
  void fail_whole(errc code, const std::string& reason, std::uint64_t line,
                  const std::string& problem);
  double number_field(int r, std::uint64_t line);
  std::string_view id_field(int r, std::uint64_t line);

  detail::byte_input& in_;
  const read_options& opt_;
  std::string name_;
  std::vector<char> buf_;
  std::size_t beg_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t quote_pos_ = 0;  // first '"' at or after beg_ (end_ when none)
  bool quote_known_ = false;
  char delim_ = 0;

  std::array<int, n_roles> col_{};  // 0-based column per role, -1 when unbound
  std::size_t need_fields_ = 0;
  bool amount_from_price_ = false;
  date_format dates_ = date_format::detect;
  double max_abs_ = 1e15;

  std::vector<std::string_view> fields_;
  read_result out_;
  std::optional<intern_cache> customers_, items_, invoices_;
  std::string last_date_text_;
  timestamp last_date_ = 0;
  bool last_date_valid_ = false;
  std::unordered_set<std::string, key_hash, std::equal_to<>> seen_rows_;
  std::string key_;
};

bool reader::refill() {
  if (eof_) return false;
  if (beg_ > 0) {
    std::memmove(buf_.data(), buf_.data() + beg_, end_ - beg_);
    end_ -= beg_;
    beg_ = 0;
  }
  if (buf_.size() - end_ < chunk_bytes / 2) buf_.resize(buf_.size() * 2);
  const std::size_t k = in_.read(buf_.data() + end_, buf_.size() - end_);
  quote_known_ = false;
  if (k == 0) {
    eof_ = true;
    return false;
  }
  end_ += k;
  out_.report.bytes_read += k;
  return true;
}

// Consumes a line longer than the limit up to its '\n' (quotes ignored), measuring it.
void reader::skip_long_line(record& r, std::size_t scanned) {
  std::uint64_t len = scanned;
  beg_ += scanned;
  for (;;) {
    const char* p = buf_.data() + beg_;
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end_ - beg_));
    if (nl != nullptr) {
      len += static_cast<std::uint64_t>(nl - p);
      beg_ += static_cast<std::size_t>(nl - p) + 1;
      break;
    }
    len += end_ - beg_;
    beg_ = end_;
    if (!refill()) break;
  }
  quote_known_ = false;
  r.too_long = true;
  r.length = len;
  r.lines = 1;
  r.b = r.e = nullptr;
}

bool reader::next_record(record& r) {
  r = record{};
  for (;;) {
    char* p = buf_.data() + beg_;
    char* e = buf_.data() + end_;
    if (p != e) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)));
      if (nl != nullptr) {
        if (!quote_known_ || quote_pos_ < beg_) {
          const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
          quote_pos_ = q != nullptr ? static_cast<std::size_t>(q - buf_.data()) : end_;
          quote_known_ = true;
        }
        const auto nl_off = static_cast<std::size_t>(nl - buf_.data());
        if (quote_pos_ >= nl_off) {  // fast path: a line without quotes
          const auto len = static_cast<std::size_t>(nl - p);
          if (len > opt_.max_line_bytes) {
            skip_long_line(r, 0);
            return true;
          }
          r.b = p;
          r.e = p + len;
          beg_ = nl_off + 1;
          if (r.e > r.b && r.e[-1] == '\r') --r.e;
          return true;
        }
        std::uint64_t inner = 0;
        const char* end = detail::find_quoted_record_end(p, e, delim_, inner);
        if (end != nullptr) {
          const auto len = static_cast<std::size_t>(end - p);
          if (len > opt_.max_line_bytes) {
            skip_long_line(r, 0);
            return true;
          }
          r.b = p;
          r.e = p + len;
          r.quoted = true;
          r.lines = 1 + inner;
          beg_ = static_cast<std::size_t>(end - buf_.data()) + 1;
          if (r.e > r.b && r.e[-1] == '\r') --r.e;
          return true;
        }
      }
      if (static_cast<std::size_t>(e - p) > opt_.max_line_bytes) {
        skip_long_line(r, 0);
        return true;
      }
    }
    if (!refill()) {
      // End of input: what is left (no final newline) is the last record.
      p = buf_.data() + beg_;
      e = buf_.data() + end_;
      if (p == e) return false;
      r.b = p;
      r.e = e;
      r.quoted = std::memchr(p, '"', static_cast<std::size_t>(e - p)) != nullptr;
      r.lines = 1;
      beg_ = end_;
      if (r.e > r.b && r.e[-1] == '\r') --r.e;
      return true;
    }
  }
}

void reader::split(record& r, std::size_t max_fields) {
  if (r.quoted)
    detail::split_quoted(r.b, r.e, delim_, max_fields, fields_);
  else
    detail::split_plain(r.b, r.e, delim_, max_fields, fields_);
}

// Picks the delimiter outside quotes that appears equally often (and at least once) on the first
// lines, preferring ',' then tab, ';', '|'; without one, runs of blanks.
void reader::detect_delimiter(std::string_view sample) {
  constexpr std::array<char, 4> cands = {',', '\t', ';', '|'};
  std::array<std::vector<std::size_t>, 4> counts;
  std::size_t pos = 0;
  for (int line = 0; line < 10 && pos < sample.size(); ++line) {
    std::array<std::size_t, 4> c{};
    bool in_quotes = false;
    std::size_t i = pos;
    for (; i < sample.size(); ++i) {
      const char ch = sample[i];
      if (ch == '"') in_quotes = !in_quotes;
      if (ch == '\n' && !in_quotes) break;
      if (!in_quotes)
        for (std::size_t k = 0; k < cands.size(); ++k) c[k] += ch == cands[k];
    }
    const std::string_view text = detail::trim(sample.substr(pos, i - pos));
    pos = i + 1;
    if (text.empty()) continue;
    for (std::size_t k = 0; k < cands.size(); ++k) counts[k].push_back(c[k]);
  }
  for (std::size_t k = 0; k < cands.size(); ++k) {
    const auto& v = counts[k];
    if (!v.empty() && v[0] > 0 && std::all_of(v.begin(), v.end(), [&](std::size_t n) { return n == v[0]; })) {
      delim_ = cands[k];
      return;
    }
  }
  // No consistent count (e.g. a quoted field with a stray delimiter): the most common one.
  std::size_t best = 0;
  for (std::size_t k = 0; k < cands.size(); ++k) {
    if (counts[k].empty()) continue;
    const std::size_t m = *std::min_element(counts[k].begin(), counts[k].end());
    if (m > best) {
      best = m;
      delim_ = cands[k];
    }
  }
  if (best == 0) delim_ = ' ';
}

std::vector<std::vector<std::string>> reader::sample_records(std::string_view sample, bool& complete,
                                                             std::size_t& bytes) {
  std::string copy(sample);  // splitting unquotes in place; the buffer itself stays untouched
  std::vector<std::vector<std::string>> rows;
  char* p = copy.data();
  char* e = p + copy.size();
  std::vector<std::string_view> f;
  while (p < e && rows.size() < sample_rows) {
    char* end = nullptr;
    std::uint64_t inner = 0;
    const char* q = detail::find_quoted_record_end(p, e, delim_, inner);
    if (q != nullptr) {
      end = const_cast<char*>(q);  // q points into `copy`, which we own
    } else if (complete) {
      end = e;
    } else {
      break;
    }
    char* re = end;
    if (re > p && re[-1] == '\r') --re;
    detail::split_quoted(p, re, delim_, std::size_t(-1), f);
    const bool blank = f.empty() || (f.size() == 1 && detail::trim(f[0]).empty());
    if (!blank) {
      std::vector<std::string> row;
      for (auto s : f) row.emplace_back(s);
      rows.push_back(std::move(row));
    }
    p = end == e ? e : end + 1;
  }
  complete = p >= e;
  bytes = static_cast<std::size_t>(p - copy.data());
  return rows;
}

bool looks_numeric(std::string_view s) {
  s = detail::trim(s);
  double v = 0;
  return detail::parse_number(s, v) == number_status::ok ||
         detail::date_shape(s) != date_format::detect;
}

// Header rule (header_mode::detect): the first row is a header when, in some column, it holds a
// non-empty value that is neither a number nor a date while the second row holds a number or a
// date there; with a single row, when none of its fields is a number or date. Naming a column
// implies a header.
bool reader::detect_header(const std::vector<std::vector<std::string>>& rows) const {
  if (opt_.header == header_mode::yes) return true;
  if (opt_.header == header_mode::no) return false;
  for (const column_ref* c : {&opt_.customer, &opt_.date, &opt_.amount, &opt_.price,
                              &opt_.quantity, &opt_.item, &opt_.invoice})
    if (c->position == 0 && !c->name.empty()) return true;
  if (rows.empty()) return false;
  const auto& first = rows[0];
  if (rows.size() == 1)
    return std::none_of(first.begin(), first.end(), [](const std::string& s) { return looks_numeric(s); });
  const auto& second = rows[1];
  for (std::size_t j = 0; j < std::min(first.size(), second.size()); ++j)
    if (!detail::trim(first[j]).empty() && !looks_numeric(first[j]) && looks_numeric(second[j]))
      return true;
  return false;
}

void reader::bind(const std::vector<std::string>* header) {
  col_.fill(-1);
  const std::array<const column_ref*, n_roles> given = {&opt_.customer, &opt_.date,
                                                        &opt_.amount,   &opt_.quantity,
                                                        &opt_.price,    &opt_.item,
                                                        &opt_.invoice};
  auto headers_seen = [&] {
    std::string s;
    for (std::size_t j = 0; header != nullptr && j < header->size(); ++j)
      s += (j ? ", " : "") + std::string(detail::trim((*header)[j]));
    return s;
  };
  auto find_name = [&](std::string_view name) -> int {
    if (header == nullptr) return -1;
    for (std::size_t j = 0; j < header->size(); ++j)
      if (iequal(detail::trim((*header)[j]), detail::trim(name))) return static_cast<int>(j);
    return -1;
  };
  for (int r = 0; r < n_roles; ++r) {
    const column_ref& c = *given[static_cast<std::size_t>(r)];
    if (c.position > 0) {
      col_[static_cast<std::size_t>(r)] = c.position - 1;
      if (header != nullptr && static_cast<std::size_t>(c.position) > header->size())
        throw data_error(errc::missing_column, name_, 1, 0, role_name[static_cast<std::size_t>(r)],
                         std::to_string(c.position),
                         "no such column; the header has " + std::to_string(header->size()) +
                             ": " + headers_seen());
    } else if (!c.name.empty()) {
      if (header == nullptr)
        throw invalid_argument_error("read_options", role_name[static_cast<std::size_t>(r)], c.name,
                                     "a column named by header, but the file has no header");
      const int j = find_name(c.name);
      if (j < 0)
        throw data_error(errc::missing_column, name_, 1, 0, role_name[static_cast<std::size_t>(r)],
                         c.name, "no such column; headers: " + headers_seen());
      col_[static_cast<std::size_t>(r)] = j;
    }
  }
  // Columns not given: bind by common header names.
  if (header != nullptr) {
    for (int r = 0; r < n_roles; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      if (given[ru]->given()) continue;
      if ((r == r_amount && opt_.price.given()) || (r == r_price && opt_.amount.given())) continue;
      for (auto n : common_names[ru]) {
        const int j = find_name(n);
        if (j >= 0 && std::find(col_.begin(), col_.end(), j) == col_.end()) {
          col_[ru] = j;
          break;
        }
      }
    }
  }
  // amount = quantity × price when price is bound and amount is not.
  if (col_[r_price] >= 0 && col_[r_amount] < 0 && col_[r_quantity] >= 0) amount_from_price_ = true;
  if (!amount_from_price_) col_[r_price] = -1;  // a price alone is not used

  std::vector<std::string> missing;
  if (col_[r_customer] < 0) missing.emplace_back("customer");
  if (col_[r_date] < 0) missing.emplace_back("date");
  if (opt_.require_amount && col_[r_amount] < 0 && !amount_from_price_) missing.emplace_back("amount");
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
    if (header == nullptr)
      throw invalid_argument_error(
          "read_options", "columns", list,
          "not given, and the file has no header to bind them by name (give 1-based positions)");
    throw data_error(errc::missing_column, name_, 1, 0, missing[0], "",
                     "no such column (looked for " + list + " by common names); headers: " +
                         headers_seen());
  }
  need_fields_ = 0;
  for (int r = 0; r < n_roles; ++r) {
    const int j = col_[static_cast<std::size_t>(r)];
    if (j < 0) continue;
    need_fields_ = std::max(need_fields_, static_cast<std::size_t>(j) + 1);
    std::string b = std::string(role_name[static_cast<std::size_t>(r)]) + " <- column " +
                    std::to_string(j + 1);
    if (header != nullptr && static_cast<std::size_t>(j) < header->size())
      b += " (" + std::string(detail::trim((*header)[static_cast<std::size_t>(j)])) + ")";
    out_.report.bindings.push_back(std::move(b));
  }
  if (amount_from_price_)
    out_.report.bindings.push_back("amount <- quantity * price (columns " +
                                   std::to_string(col_[r_quantity] + 1) + " * " +
                                   std::to_string(col_[r_price] + 1) + ")");
}

// The first date in the sample that reads in some layout fixes the layout for the whole file.
void reader::detect_dates(const std::vector<std::vector<std::string>>& rows, bool header) {
  dates_ = opt_.dates;
  if (dates_ == date_format::detect) {
    const auto j = static_cast<std::size_t>(col_[r_date]);
    for (std::size_t i = header ? 1 : 0; i < rows.size(); ++i) {
      if (j >= rows[i].size()) continue;
      const date_format f = detail::date_shape(detail::trim(rows[i][j]));
      if (f != date_format::detect) {
        dates_ = f;
        break;
      }
    }
    if (dates_ == date_format::detect) dates_ = date_format::iso;  // every row will say why not
  }
  out_.report.bindings.push_back(std::string("dates as ") + date_format_label(dates_));
}

// --- row handling --------------------------------------------------------------------------------

void reader::skip(const char* reason, std::uint64_t line) {
  auto& outs = out_.report.outcomes;
  auto it = std::find_if(outs.begin(), outs.end(), [&](const ingest_outcome& o) { return o.reason == reason; });
  if (it == outs.end()) {
    outs.push_back(ingest_outcome{reason, 0, {}});
    it = outs.end() - 1;
  }
  ++it->count;
  if (it->examples.size() < 5) it->examples.push_back(name_ + ":" + std::to_string(line));
}

// A bad value: strict mode throws, lenient mode counts the row under `reason` and skips it.
void reader::bad(errc code, const char* reason, int r, std::string_view value,
                 const std::string& problem, std::uint64_t line) {
  if (!opt_.lenient)
    throw data_error(code, name_, line, static_cast<std::uint32_t>(col_[static_cast<std::size_t>(r)] + 1),
                     role_name[static_cast<std::size_t>(r)], std::string(value), problem);
  skip(reason, line);
  throw row_skipped{};
}

// A problem with the row as a whole (no single field): same policy as bad().
void reader::fail_whole(errc code, const std::string& reason, std::uint64_t line,
                        const std::string& problem) {
  if (!opt_.lenient) throw data_error(code, name_, line, 0, "", "", problem);
  skip(reason.c_str(), line);
}

double reader::number_field(int r, std::uint64_t line) {
  const std::string_view raw = fields_[static_cast<std::size_t>(col_[static_cast<std::size_t>(r)])];
  const std::string_view s = detail::trim(raw);
  double v = 0;
  switch (detail::parse_number(s, v)) {
    case number_status::ok: break;
    case number_status::empty:
      bad(errc::missing_value, r == r_amount ? "missing_amount" : "missing_value", r, raw, "empty", line);
    case number_status::bad:
      bad(errc::bad_number, "bad_number", r, raw, "not a number (decimal separator is '.')", line);
    case number_status::not_finite:
      bad(errc::bad_number, "bad_number", r, raw, "not a finite number", line);
  }
  if (std::fabs(v) > max_abs_)
    bad(errc::out_of_range, "out_of_range", r, raw, "beyond ±" + format_amount_limit(max_abs_), line);
  return v;
}

std::string_view reader::id_field(int r, std::uint64_t line) {
  const std::string_view s = detail::trim(fields_[static_cast<std::size_t>(col_[static_cast<std::size_t>(r)])]);
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t at = detail::invalid_utf8_at(s);
      if (at != std::string_view::npos)
        bad(errc::bad_encoding, "bad_encoding", r, s, "invalid UTF-8 at byte " + std::to_string(at), line);
      break;
    }
  }
  return s;
}

void reader::process_row(std::uint64_t line) {
  ++out_.report.rows_read;
  if (fields_.size() < need_fields_) {
    fail_whole(errc::ragged_row, "ragged_row", line,
               "fields = " + std::to_string(fields_.size()) + ": expected at least " +
                   std::to_string(need_fields_));
    return;
  }
  try {
    // customer
    std::string_view cust = id_field(r_customer, line);
    if (cust.empty()) bad(errc::missing_value, "missing_customer", r_customer, cust, "empty", line);
    if (opt_.numeric_ids) cust = detail::canonical_numeric_id(cust);
    // date
    const std::string_view dtext =
        detail::trim(fields_[static_cast<std::size_t>(col_[r_date])]);
    timestamp t = 0;
    if (last_date_valid_ && dtext == last_date_text_) {
      t = last_date_;
    } else {
      if (dtext.empty()) bad(errc::missing_value, "missing_date", r_date, dtext, "empty", line);
      switch (detail::parse_date_as(dates_, dtext, t)) {
        case date_status::ok: break;
        case date_status::no_such_day: bad(errc::bad_date, "bad_date", r_date, dtext, "no such day", line);
        case date_status::year_range:
          bad(errc::bad_date, "bad_date", r_date, dtext, "year outside 1900..2200", line);
        case date_status::bad_time:
          bad(errc::bad_date, "bad_date", r_date, dtext, "not a time of day (H:MM[:SS])", line);
        case date_status::shape:
          bad(errc::bad_date, "bad_date", r_date, dtext,
              std::string("not a date as ") + date_format_label(dates_), line);
      }
      last_date_text_.assign(dtext);
      last_date_ = t;
      last_date_valid_ = true;
    }
    // amount, quantity, price
    double quantity = 0, amount = 0;
    if (col_[r_quantity] >= 0) quantity = number_field(r_quantity, line);
    if (amount_from_price_) {
      const double price = number_field(r_price, line);
      amount = quantity * price;
      if (std::fabs(amount) > max_abs_)
        bad(errc::out_of_range, "out_of_range", r_price,
            fields_[static_cast<std::size_t>(col_[r_price])],
            "quantity * price beyond ±" + format_amount_limit(max_abs_), line);
    } else if (col_[r_amount] >= 0) {
      const std::string_view a = detail::trim(fields_[static_cast<std::size_t>(col_[r_amount])]);
      if (!a.empty() || opt_.require_amount) amount = number_field(r_amount, line);
    }
    std::string_view item, invoice;
    if (col_[r_item] >= 0) item = id_field(r_item, line);
    if (col_[r_invoice] >= 0) invoice = id_field(r_invoice, line);

    // returns and cancellations
    const bool cancelled = !opt_.cancel_prefix.empty() && invoice.starts_with(opt_.cancel_prefix);
    if (cancelled || amount < 0 || quantity < 0) {
      switch (opt_.returns) {
        case returns_policy::drop: skip("return_dropped", line); return;
        case returns_policy::error: {
          int r = r_invoice;
          if (!cancelled) r = quantity < 0 ? r_quantity : amount_from_price_ ? r_price : r_amount;
          throw data_error(errc::return_row, name_, line,
                           static_cast<std::uint32_t>(col_[static_cast<std::size_t>(r)] + 1),
                           role_name[static_cast<std::size_t>(r)],
                           std::string(detail::trim(fields_[static_cast<std::size_t>(col_[static_cast<std::size_t>(r)])])),
                           "a return or cancellation (returns policy: error)");
        }
        case returns_policy::net:
          amount = -std::fabs(amount);
          ++out_.report.returns_netted;
          break;
      }
    }
    // exact duplicates: every bound field equal
    if (opt_.duplicates == duplicates_policy::drop) {
      key_.clear();
      key_.append(cust);
      for (int r = r_date; r < n_roles; ++r) {
        const int j = col_[static_cast<std::size_t>(r)];
        if (j < 0) continue;
        key_ += '\x1f';
        key_.append(detail::trim(fields_[static_cast<std::size_t>(j)]));
      }
      if (seen_rows_.find(std::string_view(key_)) != seen_rows_.end()) {
        skip("duplicate_dropped", line);
        return;
      }
      seen_rows_.emplace(key_);
    }

    transaction_log& log = out_.log;
    log.customer.push_back(customers_->get(cust));
    log.time.push_back(t);
    log.amount.push_back(amount);
    if (col_[r_item] >= 0) log.item.push_back(items_->get(item));
    if (col_[r_quantity] >= 0) log.quantity.push_back(quantity);
    if (col_[r_invoice] >= 0) log.invoice.push_back(invoices_->get(invoice));
    ++out_.report.rows_kept;
  } catch (const row_skipped&) {
  }
}

read_result reader::run() {
  max_abs_ = opt_.max_abs_amount;
  out_.report.source = name_;
  // Fill a first window for detection.
  while (end_ < sample_bytes && refill()) {
  }
  if (end_ == 0) throw data_error(errc::empty_input, name_, 0, 0, "", "", "no data rows (0 bytes)");
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) beg_ = 3;  // UTF-8 BOM

  const std::string_view window(buf_.data() + beg_, std::min(end_ - beg_, sample_bytes));
  delim_ = opt_.delimiter != 0 ? opt_.delimiter : 0;
  if (delim_ == 0) detect_delimiter(window);
  bool complete = eof_ && end_ - beg_ <= sample_bytes;
  std::size_t sampled_bytes = 0;
  const auto rows = sample_records(window, complete, sampled_bytes);
  const bool header = detect_header(rows);
  if (header && rows.empty())
    throw data_error(errc::empty_input, name_, 0, 0, "", "", "no data rows");
  bind(header ? &rows[0] : nullptr);
  detect_dates(rows, header);
  {
    char d[8];
    if (delim_ == '\t')
      std::snprintf(d, sizeof d, "tab");
    else if (delim_ == ' ')
      std::snprintf(d, sizeof d, "blanks");
    else
      std::snprintf(d, sizeof d, "'%c'", delim_);
    out_.report.bindings.push_back(std::string("delimiter ") + d + (header ? ", header" : ", no header"));
  }

  customers_.emplace();
  items_.emplace();
  invoices_.emplace();
  // Rows estimated from the file size and the sample's bytes per row (plain files only).
  if (!in_.compressed() && in_.size_hint() > 0 && !rows.empty()) {
    const std::size_t per_row = std::max<std::size_t>(1, sampled_bytes / rows.size());
    const std::size_t est = in_.size_hint() / per_row + in_.size_hint() / per_row / 8 + 16;  // +12%
    transaction_log& log = out_.log;
    log.reserve(est);
    if (col_[r_item] >= 0) log.item.reserve(est);
    if (col_[r_quantity] >= 0) log.quantity.reserve(est);
    if (col_[r_invoice] >= 0) log.invoice.reserve(est);
    advise_huge_pages(log.customer);
    advise_huge_pages(log.time);
    advise_huge_pages(log.amount);
    advise_huge_pages(log.item);
    advise_huge_pages(log.quantity);
    advise_huge_pages(log.invoice);
  }

  std::uint64_t line = 1;
  bool header_pending = header;
  record r;
  while (next_record(r)) {
    const std::uint64_t at = line;
    line += r.lines;
    if (r.too_long) {
      ++out_.report.rows_read;
      fail_whole(errc::line_too_long, "line_too_long", at,
                 "length = " + std::to_string(r.length) + ": over the " +
                     std::to_string(opt_.max_line_bytes) + "-byte limit");
      continue;
    }
    if (r.b == r.e) continue;  // blank line: not a row
    split(r, header_pending ? std::size_t(-1) : need_fields_);
    if (fields_.empty() || (fields_.size() == 1 && detail::trim(fields_[0]).empty()))
      continue;  // only blanks: not a row
    if (header_pending) {
      header_pending = false;
      continue;
    }
    process_row(at);
  }
  customers_->fill(out_.log.customers);
  items_->fill(out_.log.items);
  invoices_->fill(out_.log.invoices);
  if (out_.report.rows_kept == 0) {
    if (out_.report.rows_read == 0)
      throw data_error(errc::empty_input, name_, 0, 0, "", "", "no data rows");
    throw data_error(errc::empty_input, name_, 0, 0, "", "",
                     "no data rows kept: " + std::to_string(out_.report.rows_read) +
                         " read, all skipped (" + out_.report.to_text() + ")");
  }
  return std::move(out_);
}

}  // namespace

read_result read_transactions(const std::string& path, const read_options& options) {
  options.validate();
  auto in = detail::byte_input::open_file(path, path == "-" ? std::string("<stdin>") : path);
  reader rd(in, options, path == "-" ? std::string("<stdin>") : path);
  return rd.run();
}

read_result read_transactions_from_string(std::string_view text, const read_options& options,
                                          const std::string& name) {
  options.validate();
  auto in = detail::byte_input::from_memory(text, name);
  reader rd(in, options, name);
  return rd.run();
}

}  // namespace patron::inline v1
