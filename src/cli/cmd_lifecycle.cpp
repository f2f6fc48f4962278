// SPDX-License-Identifier: MIT
// `patron lifecycle`: replay a purchase log through a lifecycle table; stages per date, funnel, matrix.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "lifecycle_common.hpp"

namespace patron::cli {

namespace {

void print_report(std::ostream& os, const lifecycle::state_machine& m, const lifecycle::replay_result& r) {
  const std::size_t ns = m.state_count();
  os << "funnel (customers per stage at each date)\ndate";
  for (std::size_t s = 0; s < ns; ++s) os << ',' << m.state_name(static_cast<lifecycle::state_id>(s));
  os << '\n';
  for (std::size_t d = 0; d < r.dates.size(); ++d) {
    os << to_string(r.dates[d]);
    for (std::size_t s = 0; s < ns; ++s) os << ',' << r.funnel[d * ns + s];
    os << '\n';
  }
  os << "\ntransitions between consecutive dates (row: from, column: to)\nfrom\\to";
  for (std::size_t s = 0; s < ns; ++s) os << ',' << m.state_name(static_cast<lifecycle::state_id>(s));
  os << '\n';
  for (std::size_t a = 0; a < ns; ++a) {
    os << m.state_name(static_cast<lifecycle::state_id>(a));
    for (std::size_t b = 0; b < ns; ++b) os << ',' << r.migration[a * ns + b];
    os << '\n';
  }
  if (r.unhandled > 0) os << "\nunhandled events: " << r.unhandled << '\n';
}

}  // namespace

void add_lifecycle_command(CLI::App& app) {
  auto o = std::make_shared<lifecycle_cli::options>();
  auto out_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "lifecycle",
      "Replay a purchase log through a lifecycle (seven-stage, four-stage or a table file): "
      "writes customer_id,date,stage,previous_stage,rule and prints the funnel and transition matrix");
  lifecycle_cli::add_common_options(cmd, *o);
  cmd->add_option("--output,-o", *out_path, "CSV output (default: stdout; the report then goes to stderr)");
  cmd->callback([o, out_path] {
    const lifecycle::state_machine m = lifecycle_cli::make_machine(*o);
    const read_result in = lifecycle_cli::read_input(*o);
    const std::vector<date> dates = lifecycle_cli::evaluation_dates(*o, in.log);
    const lifecycle::replay_result r = lifecycle::replay(in.log, dates, m, lifecycle_cli::model_inputs(*o, in.log, dates));

    // Per (customer, date): the stage, the stage at the previous date (the initial state before
    // the first), and the last row that changed the stage in between ("" when none did).
    output out(*out_path);
    std::ostream& os = out.stream();
    os << "customer_id,date,stage,previous_stage,rule\n";
    std::size_t t = 0;  // transitions are grouped by customer, in time order
    for (std::uint32_t c = 0; c < r.customers; ++c) {
      lifecycle::state_id prev = m.initial();
      for (std::size_t d = 0; d < dates.size(); ++d) {
        std::int32_t rule = lifecycle::step_result::unhandled;
        bool changed = false;
        while (t < r.transitions.size() && r.transitions[t].customer == c && r.transitions[t].on <= dates[d]) {
          if (r.transitions[t].row != lifecycle::step_result::unhandled) {
            rule = r.transitions[t].row;
            changed = true;
          }
          ++t;
        }
        const lifecycle::state_id s = r.stage_at(d, c);
        os << in.log.customers.name(c) << ',' << to_string(dates[d]) << ',' << m.state_name(s) << ','
           << m.state_name(prev) << ',' << (changed ? m.row_name(rule) : std::string()) << '\n';
        prev = s;
      }
      while (t < r.transitions.size() && r.transitions[t].customer == c) ++t;
    }
    out.close();
    print_report(out_path->empty() || *out_path == "-" ? std::cerr : std::cout, m, r);
  });
}

}  // namespace patron::cli
