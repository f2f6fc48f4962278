// SPDX-License-Identifier: MIT
// Reader options shared by every command that reads a purchase log.
#include "reader_options.hpp"

#include <iostream>
#include <sstream>
#include <utility>

#include "patron/crm/presets.hpp"
#include "patron/data/date.hpp"
#include "patron/error.hpp"

namespace patron::cli {

void add_reader_options(CLI::App& cmd, reader_cli& r) {
  cmd.add_option("-i,--input", r.input, "Purchase log: CSV/TSV/whitespace text, gzip detected, - for stdin")->required();
  cmd.add_option("--delimiter", r.delimiter, "Field delimiter: , ; tab | space (runs of whitespace); default: detect");
  cmd.add_option("--header", r.header, "yes|no|detect")->check(CLI::IsMember({"yes", "no", "detect"}));
  cmd.add_option("--customer", r.customer, "Customer id column: header name or 1-based position");
  cmd.add_option("--date", r.date, "Date column: header name or 1-based position");
  cmd.add_option("--amount", r.amount, "Amount column (money per row)");
  cmd.add_option("--quantity", r.quantity, "Quantity column (amount = quantity × price with --price)");
  cmd.add_option("--price", r.price, "Unit price column");
  cmd.add_option("--item", r.item, "Item/product column");
  cmd.add_option("--invoice", r.invoice, "Invoice/order column");
  cmd.add_option("--date-format", r.date_format, "detect|yyyymmdd|iso|mdy")
      ->check(CLI::IsMember({"detect", "yyyymmdd", "iso", "mdy"}));
  cmd.add_option("--returns", r.returns, "Returns and cancellations: drop|net|error")
      ->check(CLI::IsMember({"drop", "net", "error"}));
  cmd.add_option("--cancel-prefix", r.cancel_prefix, "Invoice prefix marking a cancellation (e.g. C)");
  cmd.add_flag("--numeric-ids", r.numeric_ids, "17850.0 and 17850 are the same customer");
  cmd.add_option("--duplicates", r.duplicates, "Exact duplicate rows: keep|drop")->check(CLI::IsMember({"keep", "drop"}));
  cmd.add_flag("--lenient", r.lenient, "Skip bad rows (counted and reported) instead of stopping");
  cmd.add_option("--preset", r.preset, "CRM export layout: zoho-invoices|zoho-salesorders|zoho-deals|fxiaoke-salesorder|fxiaoke-payment")
      ->check(CLI::IsMember({"zoho-invoices", "zoho-salesorders", "zoho-deals", "fxiaoke-salesorder", "fxiaoke-payment"}));
  cmd.add_option("--col", r.cols, "With --preset: bind a column, canonical=Header (e.g. customer=\"Contact Name.id\"); repeatable");
  cmd.add_option("--encoding", r.encoding, "With --preset: utf-8|utf-16|gb18030|gbk|detect (default detect)");
  cmd.add_option("--tz", r.tz, "With --preset: zone for epochs and offsets (default Asia/Shanghai for fxiaoke-*, UTC for zoho-*)");
  cmd.add_flag("--decimal-comma", r.decimal_comma, "With --preset: amounts use ',' as the decimal separator");
  cmd.add_flag("--include-pending", r.include_pending, "With --preset fxiaoke-*: keep orders under review / not yet effective");
  cmd.add_option("--currency", r.currency, "With --preset: keep only rows in this currency (USD, CNY, ...); mixed currencies are refused otherwise");
}

read_options to_read_options(const reader_cli& r) {
  read_options o;
  if (!r.delimiter.empty()) {
    const std::string& d = r.delimiter;
    if (d == "tab" || d == "\\t" || d == "\t") o.delimiter = '\t';
    else if (d == "space" || d == "whitespace" || d == " ") o.delimiter = ' ';
    else if (d.size() == 1) o.delimiter = d[0];
    else throw invalid_argument_error("--delimiter", "delimiter", d, "expected one of , ; | tab space");
  }
  o.header = r.header == "yes" ? header_mode::yes : r.header == "no" ? header_mode::no : header_mode::detect;
  o.customer = column_ref::parse(r.customer);
  o.date = column_ref::parse(r.date);
  o.amount = column_ref::parse(r.amount);
  o.quantity = column_ref::parse(r.quantity);
  o.price = column_ref::parse(r.price);
  o.item = column_ref::parse(r.item);
  o.invoice = column_ref::parse(r.invoice);
  o.dates = r.date_format == "yyyymmdd" ? date_format::ymd_compact
            : r.date_format == "iso"    ? date_format::iso
            : r.date_format == "mdy"    ? date_format::mdy
                                        : date_format::detect;
  o.returns = r.returns == "net" ? returns_policy::net : r.returns == "error" ? returns_policy::error : returns_policy::drop;
  o.cancel_prefix = r.cancel_prefix;
  o.numeric_ids = r.numeric_ids;
  o.duplicates = r.duplicates == "drop" ? duplicates_policy::drop : duplicates_policy::keep;
  o.lenient = r.lenient;
  o.validate();
  return o;
}

read_result read_purchase_log(const reader_cli& r, const read_options& ro) {
  if (r.preset.empty()) {
    if (!r.cols.empty() || !r.encoding.empty() || !r.tz.empty() || !r.currency.empty() || r.decimal_comma || r.include_pending)
      throw invalid_argument_error("--preset", "preset", "", "--col, --encoding, --tz, --currency, --decimal-comma and --include-pending need --preset");
    return read_transactions(r.input, ro);
  }
  crm::read_options co;
  co.preset = crm::parse_preset(r.preset);
  co.encoding = crm::parse_encoding(r.encoding);
  co.tz = r.tz;
  co.currency = r.currency;
  co.decimal_comma = r.decimal_comma;
  co.include_pending = r.include_pending;
  co.lenient = r.lenient;
  // --customer/--date/--amount/--item/--quantity/--invoice by name act as --col.
  const std::pair<const char*, const std::string*> named[] = {{"customer", &r.customer}, {"date", &r.date},   {"amount", &r.amount},
                                                              {"item", &r.item},         {"quantity", &r.quantity}, {"order_id", &r.invoice}};
  for (const auto& [canon, value] : named)
    if (!value->empty()) co.columns.emplace_back(canon, *value);
  for (const auto& c : r.cols) {
    const auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0)
      throw invalid_argument_error("--col", "col", c, "expected canonical=Header, e.g. customer=\"Account Name.id\"");
    co.columns.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  co.validate();
  crm::read_result cr;
  if (r.input == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    cr = crm::read_export_from_string(s.str(), co, "<stdin>");
  } else {
    cr = crm::read_export(r.input, co);
  }
  return read_result{std::move(cr.log), std::move(cr.report)};
}

std::optional<date> parse_date_option(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  const auto d = parse_date(text);
  if (!d) throw invalid_argument_error(option, option, text, "expected a date YYYY-MM-DD between 1900 and 2200");
  return d;
}

}  // namespace patron::cli
