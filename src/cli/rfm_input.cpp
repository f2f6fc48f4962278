// SPDX-License-Identifier: MIT
// Loads RFM metrics for the CLI from an order log (via read_transactions) or a customer table.
#include "rfm_input.hpp"

#include <iostream>
#include <optional>

#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/rfm/io.hpp"

namespace patron::cli {

void add_rfm_input_options(CLI::App* cmd, rfm_input_args& a) {
  cmd->add_option("--input", a.input, "Order log (CSV/TSV, .gz ok) or customer table; - = stdin")->required();
  cmd->add_option("--level", a.level, "order: one row per order/invoice line; customer: one row per customer")
      ->check(CLI::IsMember({"order", "customer"}))
      ->capture_default_str();
  const char* g = "Order log (reader options)";
  cmd->add_option("--customer", a.customer, "Customer id column (name or 1-based position)")->group(g)->capture_default_str();
  cmd->add_option("--date", a.date_col, "Order date column")->group(g)->capture_default_str();
  cmd->add_option("--amount", a.amount, "Amount column (or use --quantity with --price)")->group(g);
  cmd->add_option("--price", a.price, "Unit price column (amount = quantity x price)")->group(g);
  cmd->add_option("--quantity", a.quantity, "Quantity column")->group(g);
  cmd->add_option("--invoice", a.invoice, "Invoice column: frequency counts distinct invoices")->group(g);
  cmd->add_option("--delimiter", a.delimiter, "Field delimiter (default: detect; 'space' for runs of blanks)")->group(g);
  cmd->add_option("--dates", a.dates, "Date layout: detect, ymd, iso, mdy")
      ->check(CLI::IsMember({"detect", "ymd", "iso", "mdy"}))->group(g)->capture_default_str();
  cmd->add_option("--returns", a.returns, "Returns/cancellations: drop, net, error")
      ->check(CLI::IsMember({"drop", "net", "error"}))->group(g)->capture_default_str();
  cmd->add_option("--cancel-prefix", a.cancel_prefix, "Invoice prefix of cancellations (e.g. C)")->group(g);
  cmd->add_flag("--numeric-ids", a.numeric_ids, "Ids 17850.0 and 17850 are one customer")->group(g);
  cmd->add_flag("--lenient", a.lenient, "Skip bad rows (counted on stderr) instead of stopping")->group(g);
  cmd->add_option("--as-of", a.as_of, "Analysis date YYYY-MM-DD (default: the day after the last order)")->group(g);
  cmd->add_option("--frequency-by", a.frequency_by, "Frequency counts orders or distinct purchase days")
      ->check(CLI::IsMember({"orders", "days"}))->group(g)->capture_default_str();
  cmd->add_option("--monetary-by", a.monetary_by, "Monetary is the total or the mean per order/day")
      ->check(CLI::IsMember({"total", "mean"}))->group(g)->capture_default_str();
  const char* c = "Customer table (--level customer)";
  cmd->add_option("--id", a.id, "Customer id column")->group(c)->capture_default_str();
  cmd->add_option("--recency", a.recency, "Recency column: days, or dates with --as-of")->group(c)->capture_default_str();
  cmd->add_option("--frequency", a.frequency, "Frequency column")->group(c)->capture_default_str();
  cmd->add_option("--monetary", a.monetary, "Monetary column")->group(c)->capture_default_str();
  cmd->add_flag("--allow-negative", a.allow_negative,
                "Accept negative monetary values (refunds); by default they are an error");
}

rfm::rfm_table load_rfm_input(const rfm_input_args& a) {
  std::optional<date> as_of;
  if (!a.as_of.empty()) as_of = parse_date_or_throw(a.as_of, "--as-of");
  if (a.level == "customer") {
    rfm::customer_columns cols{a.id, a.recency, a.frequency, a.monetary};
    return rfm::read_customer_table(a.input, cols, as_of, a.allow_negative);
  }
  read_options o;
  o.customer = column_ref::parse(a.customer);
  o.date = column_ref::parse(a.date_col);
  if (!a.amount.empty()) o.amount = column_ref::parse(a.amount);
  if (!a.price.empty()) o.price = column_ref::parse(a.price);
  if (!a.quantity.empty()) o.quantity = column_ref::parse(a.quantity);
  if (!a.invoice.empty()) o.invoice = column_ref::parse(a.invoice);
  if (a.delimiter == "space") o.delimiter = ' ';
  else if (a.delimiter == "tab" || a.delimiter == "\\t") o.delimiter = '\t';
  else if (a.delimiter.size() == 1) o.delimiter = a.delimiter[0];
  else if (!a.delimiter.empty())
    throw invalid_argument_error("patron rfm", "--delimiter", a.delimiter, "one character, 'space' or 'tab'");
  o.dates = a.dates == "ymd" ? date_format::ymd_compact
            : a.dates == "iso" ? date_format::iso
            : a.dates == "mdy" ? date_format::mdy
                               : date_format::detect;
  o.returns = a.returns == "net" ? returns_policy::net
              : a.returns == "error" ? returns_policy::error
                                     : returns_policy::drop;
  o.cancel_prefix = a.cancel_prefix;
  o.numeric_ids = a.numeric_ids;
  o.lenient = a.lenient;
  const read_result rr = read_transactions(a.input, o);
  if (!rr.report.outcomes.empty()) std::cerr << rr.report.to_text();
  rfm::metrics_options mo;
  if (as_of) {
    mo.as_of = *as_of;
  } else {
    timestamp last = rr.log.time.front();
    for (timestamp t : rr.log.time) last = std::max(last, t);
    mo.as_of = day_of(last) + 1;
  }
  mo.frequency = a.frequency_by == "days" ? rfm::frequency_basis::days : rfm::frequency_basis::orders;
  mo.monetary = a.monetary_by == "mean" ? rfm::monetary_basis::mean : rfm::monetary_basis::total;
  mo.allow_negative = a.allow_negative;
  return rfm::compute_metrics(rr.log, mo);
}

void put_csv_field(std::ostream& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char ch : s) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

}  // namespace patron::cli
