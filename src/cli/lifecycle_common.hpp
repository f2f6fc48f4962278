// SPDX-License-Identifier: MIT
// Options shared by `patron lifecycle` and `patron triggers`: input, table, evaluation dates, model.
#ifndef PATRON_CLI_LIFECYCLE_COMMON_HPP
#define PATRON_CLI_LIFECYCLE_COMMON_HPP

#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/lifecycle.hpp"
#include "reader_options.hpp"

namespace patron::cli::lifecycle_cli {

struct options {
  std::string input;
  std::string customer, date_col, amount, delimiter;
  bool lenient = false;
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

/// The evaluation dates: --at, or --every with --from/--to (defaults: the log's first and last day).
inline std::vector<date> evaluation_dates(const options& o, const transaction_log& log) {
  if (!o.at.empty()) {
    if (!o.every.empty()) throw invalid_argument_error("lifecycle", "--at", o.at, "give --at or --every, not both");
    return {parse_date_or_throw(o.at, "--at")};
  }
  date lo{std::numeric_limits<std::int32_t>::max()}, hi{std::numeric_limits<std::int32_t>::min()};
  for (timestamp t : log.time) {
    lo = std::min(lo, day_of(t));
    hi = std::max(hi, day_of(t));
  }
  const date from = o.from.empty() ? lo : parse_date_or_throw(o.from, "--from");
  const date to = o.to.empty() ? hi : parse_date_or_throw(o.to, "--to");
  if (to < from) throw invalid_argument_error("lifecycle", "--to", o.to, "before --from");
  const std::string every = o.every.empty() ? "month" : o.every;
  if (every == "month") return lifecycle::month_ends(from, to);
  char* end = nullptr;
  const long step = std::strtol(every.c_str(), &end, 10);
  if (end == every.c_str() || *end != '\0' || step <= 0 || step > 36600)
    throw invalid_argument_error("lifecycle", "--every", every, "month or a positive number of days");
  std::vector<date> out;
  for (date d = from; d <= to; d = d + static_cast<std::int32_t>(step)) out.push_back(d);
  return out;
}

/// BG/NBD parameters from a model file (provisional layout until the CLV models' own files land).
struct bgnbd_params {
  double r, alpha, a, b, unit_days;
};

inline bgnbd_params read_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
    const nlohmann::json& p = j.contains("params") ? j.at("params") : j;
    if (j.contains("model") && j.at("model").get<std::string>() != "bgnbd")
      throw data_error(errc::bad_model, path, 0, 0, "model", j.at("model").get<std::string>(),
                       "only bgnbd models give P(alive) here");
    bgnbd_params b{p.at("r").get<double>(), p.at("alpha").get<double>(), p.at("a").get<double>(),
                   p.at("b").get<double>(), j.value("unit_days", 7.0)};
    for (double v : {b.r, b.alpha, b.a, b.b, b.unit_days})
      if (!(v > 0) || !std::isfinite(v))
        throw data_error(errc::bad_model, path, 0, 0, "params", std::to_string(v), "must be finite and > 0");
    return b;
  } catch (const nlohmann::json::exception& e) {
    throw data_error(errc::bad_model, path, 0, 0, "", "", e.what());
  }
}

/// BG/NBD P(alive | x, t_x, T) (Fader, Hardie & Lee 2005, Marketing Science 24(2), eq. 8 without
/// the δ term for x = 0): 1 / (1 + [x > 0] a/(b + x − 1) ((α + T)/(α + t_x))^(r + x)).
inline double bgnbd_p_alive(const bgnbd_params& m, double x, double t_x, double T) {
  if (x <= 0) return 1.0;
  return 1.0 / (1.0 + m.a / (m.b + x - 1.0) * std::pow((m.alpha + T) / (m.alpha + t_x), m.r + x));
}

/// P(alive) per (date, customer) for a replay: NaN before a customer's first purchase.
inline lifecycle::replay_inputs p_alive_inputs(const bgnbd_params& m, const transaction_log& log,
                                               const std::vector<date>& dates) {
  const lifecycle::purchase_history h = lifecycle::purchase_days(log);
  const std::size_t nc = log.customers.size();
  lifecycle::replay_inputs in;
  in.columns.push_back({lifecycle::feature::p_alive,
                        std::vector<double>(nc * dates.size(), std::numeric_limits<double>::quiet_NaN())});
  std::vector<double>& v = in.columns[0].values;
  for (std::size_t c = 0; c < nc; ++c) {
    std::size_t k = h.offsets[c];
    for (std::size_t d = 0; d < dates.size(); ++d) {
      while (k < h.offsets[c + 1] && h.day[k] <= dates[d]) ++k;
      if (k == h.offsets[c]) continue;
      const date first = h.day[h.offsets[c]], last = h.day[k - 1];
      const double x = static_cast<double>(k - h.offsets[c] - 1);
      v[d * nc + c] = bgnbd_p_alive(m, x, (last - first) / m.unit_days, (dates[d] - first) / m.unit_days);
    }
  }
  return in;
}

/// The state machine for --table, with P(alive) guards when a model is given.
inline lifecycle::state_machine make_machine(const options& o) {
  const bool p_alive = !o.model.empty();
  if (o.table == "seven") {
    lifecycle::seven_stage_options so;
    so.use_p_alive = p_alive;
    return lifecycle::state_machine(lifecycle::seven_stage_table(so));
  }
  if (o.table == "four") {
    lifecycle::four_stage_options fo;
    fo.use_p_alive = p_alive;
    return lifecycle::state_machine(lifecycle::four_stage_table(fo));
  }
  lifecycle::transition_table t = lifecycle::load_table(o.table);
  lifecycle::feature_set have;
  for (auto f : {lifecycle::feature::recency_days, lifecycle::feature::frequency, lifecycle::feature::monetary,
                 lifecycle::feature::total_spend, lifecycle::feature::tenure_days,
                 lifecycle::feature::mean_interpurchase_days})
    have.add(f);
  if (p_alive) have.add(lifecycle::feature::p_alive);
  // An inconsistent table file is bad input data (exit 3), like a file that does not parse.
  for (const auto& issue : lifecycle::validate(t, have)) {
    if (issue.is_error) throw data_error(errc::bad_rule, o.table, 0, 0, "", "", issue.message);
    std::cerr << o.table << ": warning: " << issue.message << '\n';
  }
  return lifecycle::state_machine(std::move(t), have);
}

}  // namespace patron::cli::lifecycle_cli

#endif  // PATRON_CLI_LIFECYCLE_COMMON_HPP
