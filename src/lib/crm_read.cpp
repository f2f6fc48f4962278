// SPDX-License-Identifier: MIT
// Reader presets for CRM exports: ordered header aliases per canonical column, status filters, verbatim ids.
#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>

#include "patron/crm/presets.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::crm {
namespace {

using alias_list = std::vector<std::string>;

// clang-format off
// Ordered aliases: UI export label first, then the API name (docs/crm.md; ../shared/CRM-FORMATS.md §3).
const std::array<alias_list, canonical_count>& alias_table(preset p) {
  static const std::array<alias_list, canonical_count> zoho_invoices = {{
    {"Account Name.id", "Account_Name.id", "Contact Name.id", "Contact_Name.id"},
    {"Account Name", "Account_Name.Account_Name", "Account_Name.name", "Contact Name", "Contact_Name.name"},
    {"Record Id", "id", "Invoice Number", "Invoice_Number"},
    {"Invoice Date", "Invoice_Date", "Created Time", "Created_Time"},
    {"Grand Total", "Grand_Total"},
    {"Currency"},
    {"Status"},
    {"Product Name", "Product_Name", "Product_Name.name"},
    {"Quantity", "quantity"},
  }};
  static const std::array<alias_list, canonical_count> zoho_salesorders = {{
    zoho_invoices[0], zoho_invoices[1],
    {"Record Id", "id", "SO Number", "SO_Number"},
    {"Created Time", "Created_Time"},
    {"Grand Total", "Grand_Total"},
    {"Currency"},
    {"Status"},
    zoho_invoices[7], zoho_invoices[8],
  }};
  static const std::array<alias_list, canonical_count> zoho_deals = {{
    zoho_invoices[0], zoho_invoices[1],
    {"Record Id", "id"},
    {"Closing Date", "Closing_Date"},
    {"Amount"},
    {"Currency"},
    {"Stage"},
    {}, {},
  }};
  static const std::array<alias_list, canonical_count> fxiaoke_salesorder = {{
    {"客户ID", "客户编号", "account_id"},
    {"客户名称", "account_id__r", "account_id__r.name", "account_name"},
    {"销售订单编号", "_id", "name"},
    {"下单日期", "order_time", "创建时间", "create_time"},
    {"销售订单金额(元)", "销售订单金额", "订单金额", "order_amount"},
    {"币种", "currency"},
    {"生命状态", "life_status"},
    {"产品名称", "product_id"},
    {"数量", "quantity"},
  }};
  static const std::array<alias_list, canonical_count> fxiaoke_payment = {{
    {"客户ID", "客户编号", "account_id"},
    {"客户名称", "客户", "account_id__r", "account_id__r.name", "account_name"},
    {"回款编号", "_id", "name"},
    {"回款日期", "payment_time", "创建时间", "create_time"},
    {"回款金额", "本次回款金额", "回款金额(元)", "payment_amount", "amount"},
    {"币种", "currency"},
    {"生命状态", "life_status"},
    {}, {},
  }};
  // clang-format on
  switch (p) {
    case preset::zoho_invoices: return zoho_invoices;
    case preset::zoho_salesorders: return zoho_salesorders;
    case preset::zoho_deals: return zoho_deals;
    case preset::fxiaoke_salesorder: return fxiaoke_salesorder;
    case preset::fxiaoke_payment: return fxiaoke_payment;
  }
  return zoho_invoices;
}

constexpr std::array<const char*, canonical_count> canonical_names = {
    "customer", "customer_name", "order_id", "date", "amount", "currency", "status", "item", "quantity"};

enum class status_action { keep, cancelled, invalid, pending, not_won };

status_action classify_status(preset p, const std::string& key) {
  switch (p) {
    case preset::zoho_invoices:
    case preset::zoho_salesorders:
      return key == "cancelled" || key == "canceled" ? status_action::cancelled : status_action::keep;
    case preset::zoho_deals:
      return key == "closedwon" ? status_action::keep : status_action::not_won;
    case preset::fxiaoke_salesorder:
    case preset::fxiaoke_payment:
      if (key == "作废" || key == "invalid" || key == "已作废") return status_action::invalid;
      if (key == "审核中" || key == "under_review" || key == "未生效" || key == "ineffective" || key == "变更中" ||
          key == "in_change")
        return status_action::pending;
      return status_action::keep;
  }
  return status_action::keep;
}

const char* status_reason(status_action a) {
  switch (a) {
    case status_action::cancelled: return "status_cancelled";
    case status_action::invalid: return "status_invalid";
    case status_action::pending: return "status_pending";
    case status_action::not_won: return "stage_not_won";
    case status_action::keep: break;
  }
  return "status";
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

/// ISO code of a currency column value ("USD", "¥", "人民币", "RMB" → "CNY").
std::string currency_code(std::string_view v) {
  std::string k = header_key(v);
  std::transform(k.begin(), k.end(), k.begin(), [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); });
  if (k == "RMB" || k == "CNY" || k == "\xC2\xA5" || k == "\xEF\xBF\xA5" || k == "\xE5\x85\x83" || k == "人民币") return "CNY";
  if (k == "$" || k == "US$") return "USD";
  if (k == "\xE2\x82\xAC") return "EUR";
  if (k == "\xC2\xA3") return "GBP";
  return k;
}

class reporter {
 public:
  explicit reporter(ingest_report& r) : r_(r) {}
  void skip(const std::string& reason, const std::string& where) {
    for (auto& o : r_.outcomes) {
      if (o.reason == reason) {
        ++o.count;
        if (o.examples.size() < 5) o.examples.push_back(where);
        return;
      }
    }
    r_.outcomes.push_back({reason, 1, {where}});
  }

 private:
  ingest_report& r_;
};

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

preset parse_preset(std::string_view name) {
  if (name == "zoho-invoices") return preset::zoho_invoices;
  if (name == "zoho-salesorders") return preset::zoho_salesorders;
  if (name == "zoho-deals") return preset::zoho_deals;
  if (name == "fxiaoke-salesorder") return preset::fxiaoke_salesorder;
  if (name == "fxiaoke-payment") return preset::fxiaoke_payment;
  throw invalid_argument_error("--preset", "preset", name,
                               "expected zoho-invoices, zoho-salesorders, zoho-deals, fxiaoke-salesorder or fxiaoke-payment");
}

const char* preset_name(preset p) noexcept {
  switch (p) {
    case preset::zoho_invoices: return "zoho-invoices";
    case preset::zoho_salesorders: return "zoho-salesorders";
    case preset::zoho_deals: return "zoho-deals";
    case preset::fxiaoke_salesorder: return "fxiaoke-salesorder";
    case preset::fxiaoke_payment: return "fxiaoke-payment";
  }
  return "?";
}

bool is_fxiaoke(preset p) noexcept { return p == preset::fxiaoke_salesorder || p == preset::fxiaoke_payment; }

const char* canonical_name(canonical c) noexcept { return canonical_names[static_cast<std::size_t>(c)]; }

std::vector<std::string> aliases(preset p, canonical c) { return alias_table(p)[static_cast<std::size_t>(c)]; }

std::string normalise_id(std::string_view verbatim) {
  std::string s = trim(verbatim);
  if (s.size() > 5 && (s.starts_with("zcrm_") || s.starts_with("ZCRM_"))) s.erase(0, 5);
  return s;
}

void read_options::validate() const {
  if (!tz.empty()) (void)parse_utc_offset(tz);
  for (const auto& [col, header] : columns) {
    if (std::find(canonical_names.begin(), canonical_names.end(), col) == canonical_names.end())
      throw invalid_argument_error("--col", "column", col,
                                   "expected customer, customer_name, order_id, date, amount, currency, status, item or quantity");
    if (trim(header).empty()) throw invalid_argument_error("--col", col, header, "empty header name");
  }
}

read_result read_export(const std::string& path, const read_options& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return read_export_from_string(s.str(), options, path);
}

read_result read_export_from_string(std::string_view bytes, const read_options& options, const std::string& name) {
  options.validate();
  read_result out;
  ingest_report& rep = out.report;
  rep.source = name;
  rep.bytes_read = bytes.size();
  reporter skipped(rep);
  const std::string text = to_utf8(bytes, options.encoding, name, &out.encoding);
  const char delim = sniff_delimiter(text);
  const csv_table table = parse_csv(text, delim, name);
  if (table.rows.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header and no data rows");
  const auto& header = table.rows[0];
  std::vector<std::string> keys;
  for (const auto& h : header) keys.push_back(header_key(h));
  const auto find = [&](std::string_view h) -> int {
    const std::string k = header_key(h);
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == k) return static_cast<int>(i);
    return -1;
  };
  const auto headers_seen = [&] {
    std::vector<std::string> hs;
    for (const auto& h : header) hs.push_back(trim(h));
    return "headers: " + join(hs, ", ");
  };

  // Bind: --col overrides, then the preset's aliases in order.
  std::array<int, canonical_count> col{};
  col.fill(-1);
  std::array<std::string, canonical_count> how{};
  for (std::size_t c = 0; c < canonical_count; ++c) {
    const std::string cname = canonical_names[c];
    const auto over = std::find_if(options.columns.begin(), options.columns.end(), [&](const auto& kv) { return kv.first == cname; });
    if (over != options.columns.end()) {
      col[c] = find(over->second);
      if (col[c] < 0)
        throw data_error(errc::missing_column, name, table.lines[0], 0, cname, over->second, "no such column (--col); " + headers_seen());
      how[c] = "(--col)";
      continue;
    }
    for (const auto& a : alias_table(options.preset)[c]) {
      col[c] = find(a);
      if (col[c] >= 0) break;
    }
  }
  const auto idx = [](canonical c) { return static_cast<std::size_t>(c); };
  if (col[idx(canonical::customer)] < 0 && col[idx(canonical::customer_name)] >= 0 && is_fxiaoke(options.preset)) {
    col[idx(canonical::customer)] = col[idx(canonical::customer_name)];
    out.keyed_by_name = true;
    how[idx(canonical::customer)] = "(customer name: no id column)";
  }
  for (canonical c : {canonical::customer, canonical::date, canonical::amount}) {
    if (col[idx(c)] >= 0) continue;
    const auto& al = alias_table(options.preset)[idx(c)];
    throw data_error(errc::missing_column, name, table.lines[0], 0, canonical_name(c), join(al, " | "),
                     std::string("no such column for --preset ") + preset_name(options.preset) + "; " + headers_seen());
  }
  for (std::size_t c = 0; c < canonical_count; ++c) {
    if (col[c] < 0) continue;
    std::string b = std::string(canonical_names[c]) + " \xE2\x86\x90 " + trim(header[static_cast<std::size_t>(col[c])]);
    if (!how[c].empty()) b += " " + how[c];
    rep.bindings.push_back(std::move(b));
  }
  const std::int32_t offset = parse_utc_offset(!options.tz.empty() ? options.tz : is_fxiaoke(options.preset) ? "Asia/Shanghai" : "UTC");
  {
    const char* enc = out.encoding == text_encoding::gb18030 ? "GB18030" : out.encoding == text_encoding::utf16 ? "UTF-16" : "UTF-8";
    char tzbuf[32];
    const int a = offset < 0 ? -offset : offset;
    std::snprintf(tzbuf, sizeof tzbuf, "UTC%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, (a % 3600) / 60);
    rep.bindings.push_back(std::string("preset ") + preset_name(options.preset) + ", encoding " + enc + ", delimiter '" +
                           (delim == '\t' ? std::string("tab") : std::string(1, delim)) + "', epochs and offsets shown in " + tzbuf);
  }

  const int c_cust = col[idx(canonical::customer)], c_name = col[idx(canonical::customer_name)],
            c_order = col[idx(canonical::order_id)], c_date = col[idx(canonical::date)], c_amt = col[idx(canonical::amount)],
            c_cur = col[idx(canonical::currency)], c_status = col[idx(canonical::status)], c_item = col[idx(canonical::item)],
            c_qty = col[idx(canonical::quantity)];
  const auto field = [](const std::vector<std::string>& row, int c) -> std::string_view {
    return c >= 0 && static_cast<std::size_t>(c) < row.size() ? std::string_view(row[static_cast<std::size_t>(c)]) : std::string_view();
  };
  const int needed = std::max({c_cust, c_date, c_amt});

  // Does the file show the other decimal separator anywhere? Then "1,234" is ambiguous.
  bool other_decimal = false;
  std::uint64_t other_decimal_line = 0;
  for (std::size_t r = 1; r < table.rows.size() && !other_decimal; ++r) {
    if (shows_other_decimal(field(table.rows[r], c_amt), options.decimal_comma)) {
      other_decimal = true;
      other_decimal_line = table.lines[r];
    }
  }

  const std::string wanted = options.currency.empty() ? std::string() : currency_code(options.currency);
  struct seen_currency {
    std::uint64_t rows = 0, first_line = 0;
  };
  std::map<std::string, seen_currency> currencies;
  std::set<std::string> orders;
  const bool with_items = c_item >= 0;
  const auto fail = [&](errc code, std::uint64_t line, int c, const char* fname, std::string_view value, const std::string& problem) {
    throw data_error(code, name, line, static_cast<std::uint32_t>(c + 1), fname, std::string(value), problem);
  };

  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::uint64_t line = table.lines[r];
    const std::string where = name + ":" + std::to_string(line);
    ++rep.rows_read;
    if (static_cast<int>(row.size()) <= needed) {
      if (!options.lenient)
        throw data_error(errc::ragged_row, name, line, 0, "fields", std::to_string(row.size()),
                         "expected at least " + std::to_string(needed + 1));
      skipped.skip("ragged_row", where);
      continue;
    }
    if (c_status >= 0) {
      const status_action a = classify_status(options.preset, header_key(field(row, c_status)));
      if (a != status_action::keep && !(a == status_action::pending && options.include_pending)) {
        skipped.skip(status_reason(a), where);
        continue;
      }
    }
    const std::string verbatim = trim(field(row, c_cust));
    if (verbatim.empty()) {
      if (!options.lenient) fail(errc::missing_value, line, c_cust, "customer", "", "empty");
      skipped.skip("missing_customer", where);
      continue;
    }
    const std::string_view dtext = field(row, c_date);
    const auto t = parse_crm_datetime(dtext, offset);
    if (!t) {
      const bool empty = trim(dtext).empty();
      if (!options.lenient)
        fail(empty ? errc::missing_value : errc::bad_date, line, c_date, "date", dtext,
             empty ? "empty" : "not a date (yyyy-MM-dd[ HH:mm:ss], ISO 8601, yyyy/M/d, yyyy年M月d日, 10/13-digit epoch)");
      skipped.skip(empty ? "missing_date" : "bad_date", where);
      continue;
    }
    const std::string_view atext = field(row, c_amt);
    money m;
    const money_status ms = parse_money(atext, options.decimal_comma, other_decimal, m);
    if (ms != money_status::ok) {
      const char* reason = ms == money_status::empty ? "missing_amount" : ms == money_status::ambiguous ? "ambiguous_amount" : "bad_number";
      if (!options.lenient) {
        std::string problem;
        if (ms == money_status::empty) problem = "empty";
        else if (ms == money_status::ambiguous)
          problem = std::string("ambiguous: the file also writes decimal ") + (options.decimal_comma ? "points" : "commas") +
                    " (line " + std::to_string(other_decimal_line) + "); " +
                    (options.decimal_comma ? "drop --decimal-comma or fix the value" : "give --decimal-comma or fix the value");
        else
          problem = std::string("not an amount (decimal separator is '") + (options.decimal_comma ? "," : ".") + "')";
        fail(ms == money_status::empty ? errc::missing_value : errc::bad_number, line, c_amt, "amount", atext, problem);
      }
      skipped.skip(reason, where);
      continue;
    }
    std::string cur = c_cur >= 0 ? currency_code(field(row, c_cur)) : std::string();
    if (cur.empty()) cur = m.currency;
    if (!wanted.empty() && !cur.empty() && cur != wanted) {
      skipped.skip("other_currency", where);
      continue;
    }
    const std::string order = trim(field(row, c_order));
    if (!with_items && !order.empty() && !orders.insert(order).second) {
      skipped.skip("duplicate_order", where);
      continue;
    }
    if (!cur.empty()) {
      auto& sc = currencies[cur];
      if (sc.rows++ == 0) sc.first_line = line;
    }
    const std::string key = out.keyed_by_name ? verbatim : normalise_id(verbatim);
    const std::size_t before = out.log.customers.size();
    if (with_items) {
      double q = 1;
      if (c_qty >= 0) {
        money qm;
        if (parse_money(field(row, c_qty), options.decimal_comma, false, qm) == money_status::ok) q = qm.value;
      }
      out.log.add(key, *t, m.value, trim(field(row, c_item)), q, order);
    } else {
      out.log.add(key, *t, m.value);
    }
    if (out.log.customers.size() > before) {
      out.record_id.push_back(verbatim);
      out.name.push_back(trim(field(row, c_name)));
    }
    ++rep.rows_kept;
  }

  if (currencies.size() > 1 && wanted.empty()) {
    std::string seen, codes;
    for (const auto& [code, sc] : currencies) {
      codes += (codes.empty() ? "" : ",") + code;
      seen += (seen.empty() ? "" : ", ") + code + " " + std::to_string(sc.rows) + " rows from line " + std::to_string(sc.first_line);
    }
    throw data_error(errc::invalid_argument, name, 0, 0, "currency", codes,
                     "mixed currencies (" + seen + "); name the one to keep with --currency");
  }
  if (!currencies.empty()) out.currency = currencies.begin()->first;
  if (!wanted.empty()) out.currency = wanted;

  // Customers sharing a display name: a name-keyed write-back would mix them up.
  std::unordered_map<std::string, int> by_name;
  for (const auto& n : out.name)
    if (!n.empty()) ++by_name[n];
  for (const auto& [n, k] : by_name)
    if (k > 1) ++out.shared_names;
  if (out.shared_names > 0)
    out.warnings.push_back(std::to_string(out.shared_names) + " customer name(s) shared by more than one customer id");
  if (out.keyed_by_name)
    out.warnings.push_back("customers keyed by name (no id column): customers with the same name are merged; "
                           "include the customer id (account_id / 客户编号) in the export to separate them");
  for (const auto& w : out.warnings) rep.bindings.push_back("warning: " + w);
  if (rep.rows_kept == 0)
    throw data_error(errc::empty_input, name, 0, 0, "", "",
                     "no data rows kept (" + std::to_string(rep.rows_read) + " read, all skipped)\n" + rep.to_text());
  return out;
}

}  // namespace patron::inline v1::crm
