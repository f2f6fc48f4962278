// SPDX-License-Identifier: MIT
// Options shared by `patron lifecycle` and `patron triggers`: reading, dates, model columns, table.
#include "lifecycle_common.hpp"

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

#include "patron/error.hpp"
#include "patron/lifecycle/builtin.hpp"
#include "patron/lifecycle/table_io.hpp"
#include "patron/models/model_io.hpp"

namespace patron::cli::lifecycle_cli {

void add_common_options(CLI::App* cmd, options& o) {
  add_reader_options(*cmd, o.reader);
  cmd->add_option("--table", o.table, "Lifecycle table: seven, four, or a .json/.csv file")->capture_default_str();
  cmd->add_option("--at", o.at, "One evaluation date (YYYY-MM-DD)");
  cmd->add_option("--every", o.every, "Evaluation step: month (month ends, the default) or a number of days");
  cmd->add_option("--from", o.from, "First evaluation date (with --every; default: the log's first day)");
  cmd->add_option("--to", o.to, "Last evaluation date (with --every; default: the log's last day)");
  cmd->add_option("--model", o.model,
                  "BG/NBD, MBG/NBD or Pareto/NBD model file from `patron fit`: adds the P(alive) guards of "
                  "the built-in tables and the p_alive, expected_purchases (next year) features");
}

read_result read_input(const options& o) {
  const read_options ro = to_read_options(o.reader);
  read_result res = read_purchase_log(o.reader, ro);
  std::cerr << res.report.to_text();
  return res;
}

std::vector<date> evaluation_dates(const options& o, const transaction_log& log) {
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

lifecycle::replay_inputs model_inputs(const options& o, const transaction_log& log, const std::vector<date>& dates) {
  lifecycle::replay_inputs in;
  if (o.model.empty()) return in;
  const any_model model = load_model(o.model);
  if (std::holds_alternative<gamma_gamma>(model))
    throw invalid_argument_error("lifecycle", "--model", o.model,
                                 "is a spend model (gg): P(alive) needs a bgnbd, mbgnbd or pnbd model");
  const lifecycle::purchase_history h = lifecycle::purchase_days(log);
  const std::size_t nc = log.customers.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> pa(nc * dates.size(), nan), ep(nc * dates.size(), nan);
  std::visit(
      [&](const auto& m) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(m)>, gamma_gamma>) {
          // The models' x, t_x, T in their own time unit, as `patron summarize` computes them
          // (x = repeat purchase days), at each evaluation date; the horizon is one year, like
          // `patron score`'s default.
          const double unit = m.unit().days, horizon = 365.25 / unit;
          for (std::size_t c = 0; c < nc; ++c) {
            std::size_t k = h.offsets[c];
            for (std::size_t d = 0; d < dates.size(); ++d) {
              while (k < h.offsets[c + 1] && h.day[k] <= dates[d]) ++k;
              if (k == h.offsets[c]) continue;
              const date first = h.day[h.offsets[c]], last = h.day[k - 1];
              const double x = static_cast<double>(k - h.offsets[c] - 1);
              const double t_x = (last - first) / unit, T = (dates[d] - first) / unit;
              pa[d * nc + c] = m.p_alive(x, t_x, T);
              ep[d * nc + c] = m.expected_purchases(horizon, x, t_x, T);
            }
          }
        }
      },
      model);
  in.columns.push_back({lifecycle::feature::p_alive, std::move(pa)});
  in.columns.push_back({lifecycle::feature::expected_purchases, std::move(ep)});
  return in;
}

lifecycle::state_machine make_machine(const options& o) {
  const bool with_model = !o.model.empty();
  if (o.table == "seven") {
    lifecycle::seven_stage_options so;
    so.use_p_alive = with_model;
    return lifecycle::state_machine(lifecycle::seven_stage_table(so));
  }
  if (o.table == "four") {
    lifecycle::four_stage_options fo;
    fo.use_p_alive = with_model;
    return lifecycle::state_machine(lifecycle::four_stage_table(fo));
  }
  lifecycle::transition_table t = lifecycle::load_table(o.table);
  lifecycle::feature_set have;
  for (auto f : {lifecycle::feature::recency_days, lifecycle::feature::frequency, lifecycle::feature::monetary,
                 lifecycle::feature::total_spend, lifecycle::feature::tenure_days,
                 lifecycle::feature::mean_interpurchase_days})
    have.add(f);
  if (with_model) {
    have.add(lifecycle::feature::p_alive);
    have.add(lifecycle::feature::expected_purchases);
  }
  // An inconsistent table file is bad input data (exit 3), like a file that does not parse.
  for (const auto& issue : lifecycle::validate(t, have)) {
    if (issue.is_error) throw data_error(errc::bad_rule, o.table, 0, 0, "", "", issue.message);
    std::cerr << o.table << ": warning: " << issue.message << '\n';
  }
  return lifecycle::state_machine(std::move(t), have);
}

}  // namespace patron::cli::lifecycle_cli
