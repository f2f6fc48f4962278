// SPDX-License-Identifier: MIT
// `patron triggers`: marketing trigger events over a replay, after frequency capping.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "lifecycle_common.hpp"
#include "patron/error.hpp"
#include "patron/lifecycle/triggers.hpp"

namespace patron::cli {

namespace {

struct extra_options {
  std::string birthdays, carts, output;
  lifecycle::trigger_options trig;
  lifecycle::capping_options cap;
  bool no_stage = false;
};

// Reads "customer_id,value" lines (a header line is skipped when its value does not parse).
// Customers not in the log are counted and reported, never dropped silently.
template <class T, class Parse>
void read_pairs(const std::string& path, const transaction_log& log, std::vector<std::uint32_t>& who,
                std::vector<T>& values, Parse parse) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  std::string line;
  std::uint64_t n = 0, unknown = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t comma = line.find(',');
    if (comma == std::string::npos)
      throw data_error(errc::ragged_row, path, n, 0, "fields", "1", "expected customer_id,value");
    const std::string id = line.substr(0, comma), value = line.substr(comma + 1);
    const std::optional<T> v = parse(value);
    if (!v) {
      if (n == 1) continue;  // header
      throw data_error(errc::bad_date, path, n, 2, "value", value, "not a date or timestamp");
    }
    const std::uint32_t c = log.customers.find(id);
    if (c == id_table::npos) {
      ++unknown;
      continue;
    }
    who.push_back(c);
    values.push_back(*v);
  }
  if (unknown > 0) std::cerr << path << ": " << unknown << " rows name customers not in the log (skipped)\n";
}

std::optional<timestamp> parse_timestamp(const std::string& s) {
  if (s.size() < 10) return std::nullopt;
  const auto d = parse_date(std::string_view(s).substr(0, 10));
  if (!d) return std::nullopt;
  timestamp t = start_of(*d);
  if (s.size() == 10) return t;
  int hh = 0, mm = 0, ss = 0;
  if (std::sscanf(s.c_str() + 11, "%d:%d:%d", &hh, &mm, &ss) < 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
      ss < 0 || ss > 59)
    return std::nullopt;
  return t + hh * 3600 + mm * 60 + ss;
}

}  // namespace

void add_triggers_command(CLI::App& app) {
  auto o = std::make_shared<lifecycle_cli::options>();
  auto x = std::make_shared<extra_options>();
  CLI::App* cmd = app.add_subcommand(
      "triggers",
      "Marketing triggers (birthday, cart abandonment, overdue repurchase, habit change, stage change) "
      "at each evaluation date, after frequency capping: writes customer_id,date,trigger,reason");
  lifecycle_cli::add_common_options(cmd, *o);
  cmd->add_option("--birthdays", x->birthdays, "CSV customer_id,birthday (YYYY-MM-DD)");
  cmd->add_option("--carts", x->carts, "CSV customer_id,add-to-cart time (YYYY-MM-DD[ HH:MM[:SS]])");
  cmd->add_option("--cart-hours", x->trig.cart_window_hours, "Cart abandoned without an order within N hours")
      ->capture_default_str();
  cmd->add_option("--overdue-factor", x->trig.overdue_factor, "Overdue when recency > k x own mean interval")
      ->capture_default_str();
  cmd->add_option("--habit-window", x->trig.habit_window_days, "Habit-change window in days")->capture_default_str();
  cmd->add_option("--habit-drop", x->trig.habit_drop, "Habit change when rate or spend drops by this share")
      ->capture_default_str();
  cmd->add_flag("--no-stage-change", x->no_stage, "Do not emit stage-change triggers");
  cmd->add_option("--max-per-window", x->cap.max_per_window, "At most N messages per customer per window")
      ->capture_default_str();
  cmd->add_option("--window-days", x->cap.window_days, "Capping window in days")->capture_default_str();
  cmd->add_option("--min-gap", x->cap.min_gap_days, "Minimum days between two messages")->capture_default_str();
  cmd->add_option("--output,-o", x->output, "CSV output (default: stdout; the summary then goes to stderr)");
  cmd->callback([o, x] {
    x->trig.validate();
    x->cap.validate();
    const lifecycle::state_machine m = lifecycle_cli::make_machine(*o);
    const read_result in = lifecycle_cli::read_input(*o);
    const std::vector<date> dates = lifecycle_cli::evaluation_dates(*o, in.log);
    lifecycle::trigger_inputs ti;
    if (!x->birthdays.empty())
      read_pairs(x->birthdays, in.log, ti.birthday_customer, ti.birthday,
                 [](const std::string& v) { return parse_date(v); });
    if (!x->carts.empty())
      read_pairs(x->carts, in.log, ti.cart_customer, ti.cart_time, parse_timestamp);
    lifecycle::replay_result r;
    if (!x->no_stage) {
      r = lifecycle::replay(in.log, dates, m, lifecycle_cli::model_inputs(*o, in.log, dates));
      ti.replay = &r;
      ti.machine = &m;
    }
    const auto events = lifecycle::evaluate_triggers(in.log, dates, x->trig, ti);
    const lifecycle::capping_result capped = lifecycle::apply_capping(events, x->cap);
    output out(x->output);
    std::ostream& os = out.stream();
    os << "customer_id,date,trigger,reason\n";
    for (const auto& e : capped.kept)
      os << in.log.customers.name(e.customer) << ',' << to_string(e.on) << ',' << lifecycle::trigger_name(e.kind)
         << ",\"" << e.reason << "\"\n";
    out.close();
    std::ostream& rep = x->output.empty() || x->output == "-" ? std::cerr : std::cout;
    rep << "trigger,emitted,kept,suppressed\n";
    for (std::size_t k = 0; k < lifecycle::trigger_kind_count; ++k) {
      std::uint64_t emitted = 0, kept = 0;
      for (const auto& e : events) emitted += static_cast<std::size_t>(e.kind) == k ? 1 : 0;
      for (const auto& e : capped.kept) kept += static_cast<std::size_t>(e.kind) == k ? 1 : 0;
      rep << lifecycle::trigger_name(static_cast<lifecycle::trigger_kind>(k)) << ',' << emitted << ',' << kept << ','
          << capped.suppressed[k] << '\n';
    }
  });
}

}  // namespace patron::cli
