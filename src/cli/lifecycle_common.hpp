// SPDX-License-Identifier: MIT
// Options shared by `patron lifecycle` and `patron triggers`: input, table, evaluation dates, model.
// Kept light on purpose (no JSON, no Eigen, no model headers): those live in lifecycle_common.cpp,
// compiled once instead of in both commands.
#ifndef PATRON_CLI_LIFECYCLE_COMMON_HPP
#define PATRON_CLI_LIFECYCLE_COMMON_HPP

#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/date.hpp"
#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/lifecycle.hpp"
#include "patron/lifecycle/replay.hpp"
#include "patron/lifecycle/state_machine.hpp"
#include "reader_options.hpp"

namespace patron::cli::lifecycle_cli {

struct options {
  reader_cli reader;  ///< the shared reader options (summarize's set, CRM presets included)
  std::string table = "seven";
  std::string at, every, from, to;
  std::string model;
  reader_cli crm;  ///< --preset and its options (docs/crm.md); only the CRM fields are used
};

inline void add_common_options(CLI::App* cmd, options& o) {
  cmd->add_option("--input,-i", o.input, "Transactions file (CSV/TSV/whitespace, .gz ok; - = stdin)")->required();
  cmd->add_option("--customer", o.customer, "Customer id column (header name or 1-based position)");
  cmd->add_option("--date", o.date_col, "Date column (header name or 1-based position)");
  cmd->add_option("--amount", o.amount, "Amount column (header name or 1-based position)");
  cmd->add_option("--delimiter", o.delimiter, "Field delimiter: , ; tab | space (default: detect)");
  cmd->add_flag("--lenient", o.lenient, "Skip bad rows (counted on stderr) instead of stopping");
  cmd->add_option("--table", o.table, "Lifecycle table: seven, four, or a .json/.csv file")->capture_default_str();
  cmd->add_option("--at", o.at, "One evaluation date (YYYY-MM-DD)");
  cmd->add_option("--every", o.every, "Evaluation step: month (month ends) or a number of days");
  cmd->add_option("--from", o.from, "First evaluation date (with --every)");
  cmd->add_option("--to", o.to, "Last evaluation date (with --every)");
  cmd->add_option("--model", o.model,
                  "BG/NBD model JSON {\"model\": \"bgnbd\", \"r\", \"alpha\", \"a\", \"b\", \"unit_days\"}: "
                  "adds the P(alive) guards");
  const char* g = "CRM export (--preset; docs/crm.md)";
  cmd->add_option("--preset", o.crm.preset, "Read a CRM export: zoho-invoices|zoho-salesorders|zoho-deals|fxiaoke-salesorder|fxiaoke-payment")
      ->check(CLI::IsMember({"zoho-invoices", "zoho-salesorders", "zoho-deals", "fxiaoke-salesorder", "fxiaoke-payment"}))->group(g);
  cmd->add_option("--col", o.crm.cols, "With --preset: bind a column, canonical=Header; repeatable")->group(g);
  cmd->add_option("--encoding", o.crm.encoding, "With --preset: utf-8|utf-16|gb18030|gbk|detect")->group(g);
  cmd->add_option("--tz", o.crm.tz, "With --preset: zone for epochs (default Asia/Shanghai for fxiaoke-*, UTC for zoho-*)")->group(g);
  cmd->add_option("--currency", o.crm.currency, "With --preset: keep only rows in this currency")->group(g);
  cmd->add_flag("--decimal-comma", o.crm.decimal_comma, "With --preset: ',' is the decimal separator")->group(g);
  cmd->add_flag("--include-pending", o.crm.include_pending, "With --preset fxiaoke-*: keep orders under review")->group(g);
}

inline read_result read_input(const options& o) {
  if (!o.crm.preset.empty()) {
    // The preset binds the columns; --customer/--date/--amount by name override it, as --col.
    reader_cli rc = o.crm;
    rc.input = o.input;
    rc.customer = o.customer;
    rc.date = o.date_col;
    rc.amount = o.amount;
    rc.lenient = o.lenient;
    read_result res = read_purchase_log(rc, read_options{});
    std::cerr << res.report.to_text();
    return res;
  }
  read_options r;
  if (!o.customer.empty()) r.customer = column_ref::parse(o.customer);
  if (!o.date_col.empty()) r.date = column_ref::parse(o.date_col);
  if (!o.amount.empty()) r.amount = column_ref::parse(o.amount);
  if (o.delimiter == "tab") r.delimiter = '\t';
  else if (o.delimiter == "space") r.delimiter = ' ';
  else if (o.delimiter.size() == 1) r.delimiter = o.delimiter[0];
  else if (!o.delimiter.empty())
    throw invalid_argument_error("--delimiter", "delimiter", o.delimiter, "one character, tab or space");
  r.lenient = o.lenient;
  reader_cli plain = o.crm;  // refuses --col/--encoding/... without --preset
  plain.input = o.input;
  read_result res = read_purchase_log(plain, r);
  if (o.lenient && res.report.rows_kept != res.report.rows_read) std::cerr << res.report.to_text();
  return res;
}
/// Adds the reader options and --table, --at, --every, --from, --to, --model to `cmd`.
void add_common_options(CLI::App* cmd, options& o);

/// Reads the purchase log; the reader's report (rows read, kept, skipped) goes to stderr.
[[nodiscard]] read_result read_input(const options& o);

/// The evaluation dates: --at, or --every with --from/--to (defaults: the log's first and last day).
[[nodiscard]] std::vector<date> evaluation_dates(const options& o, const transaction_log& log);

/// The replay's model columns for --model (empty without it): P(alive) and expected purchases in
/// the next year, per (date, customer), from a BG/NBD, MBG/NBD or Pareto/NBD file written by
/// `patron fit`; NaN before a customer's first purchase.
[[nodiscard]] lifecycle::replay_inputs model_inputs(const options& o, const transaction_log& log,
                                                    const std::vector<date>& dates);

/// The state machine for --table (seven, four or a .json/.csv file), with the P(alive) guards of
/// the built-in tables when --model is given. A file failing validation is a data_error (exit 3).
[[nodiscard]] lifecycle::state_machine make_machine(const options& o);

}  // namespace patron::cli::lifecycle_cli

#endif  // PATRON_CLI_LIFECYCLE_COMMON_HPP
