// SPDX-License-Identifier: MIT
// Reader options shared by every command that reads a purchase log.
#include "reader_options.hpp"

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

std::optional<date> parse_date_option(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  const auto d = parse_date(text);
  if (!d) throw invalid_argument_error(option, option, text, "expected a date YYYY-MM-DD between 1900 and 2200");
  return d;
}

}  // namespace patron::cli
