// SPDX-License-Identifier: MIT
// Loads RFM metrics for the CLI from an order log (via read_transactions) or a customer table.
#include "cli.hpp"
#include "rfm_input.hpp"

#include <iostream>
#include <optional>

#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/rfm/io.hpp"
#include "reader_options.hpp"

namespace patron::cli {
namespace {

// --preset: the CRM layer binds the columns itself, so --customer/--date defaults are not passed on.
read_result read_crm_log(const rfm_input_args& a) {
  reader_cli rc;
  rc.input = a.input;
  rc.preset = a.preset;
  rc.encoding = a.encoding;
  rc.tz = a.tz;
  rc.currency = a.currency;
  rc.cols = a.cols;
  rc.decimal_comma = a.decimal_comma;
  rc.include_pending = a.include_pending;
  rc.lenient = a.lenient;
  return read_purchase_log(rc, read_options{});
}

}  // namespace

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
  const char* p = "CRM export (--preset; docs/crm.md)";
  cmd->add_option("--preset", a.preset, "Read a CRM export: zoho-invoices|zoho-salesorders|zoho-deals|fxiaoke-salesorder|fxiaoke-payment")
      ->check(CLI::IsMember({"zoho-invoices", "zoho-salesorders", "zoho-deals", "fxiaoke-salesorder", "fxiaoke-payment"}))->group(p);
  cmd->add_option("--col", a.cols, "With --preset: bind a column, canonical=Header; repeatable")->group(p);
  cmd->add_option("--encoding", a.encoding, "With --preset: utf-8|utf-16|gb18030|gbk|detect")->group(p);
  cmd->add_option("--tz", a.tz, "With --preset: zone for epochs (default Asia/Shanghai for fxiaoke-*, UTC for zoho-*)")->group(p);
  cmd->add_option("--currency", a.currency, "With --preset: keep only rows in this currency")->group(p);
  cmd->add_flag("--decimal-comma", a.decimal_comma, "With --preset: ',' is the decimal separator")->group(p);
  cmd->add_flag("--include-pending", a.include_pending, "With --preset fxiaoke-*: keep orders under review")->group(p);
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
  const bool crm_options = !a.cols.empty() || !a.encoding.empty() || !a.tz.empty() || !a.currency.empty() || a.decimal_comma || a.include_pending;
  if ((a.preset.empty() && crm_options) || (!a.preset.empty() && a.level == "customer"))
    throw invalid_argument_error("--preset", "preset", a.preset,
                                 "--preset reads an order log (--level order); --col, --encoding, --tz, --currency, "
                                 "--decimal-comma and --include-pending need --preset");
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
  const read_result rr = a.preset.empty() ? read_transactions(a.input, o) : read_crm_log(a);
  if (!a.preset.empty() || !rr.report.outcomes.empty()) std::cerr << rr.report.to_text();
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

void put_csv_field(std::ostream& out, const std::string& s) { out << csv_field(s); }

}  // namespace patron::cli
