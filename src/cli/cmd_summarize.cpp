// SPDX-License-Identifier: MIT
// `patron summarize`: purchase log → one row per customer (x, t_x, T, monetary, ...).
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/summary_io.hpp"
#include "reader_options.hpp"

namespace patron::cli {

void add_summarize_command(CLI::App& app) {
  struct state {
    reader_cli reader;
    std::string unit = "week", observation_end, calibration_end, output;
    bool merge_by_unit = false;
  };
  auto s = std::make_shared<state>();
  CLI::App* cmd = app.add_subcommand(
      "summarize", "Purchase log → per-customer summary CSV: customer_id,x,t_x,T,monetary,total,orders,first,last");
  add_reader_options(*cmd, s->reader);
  cmd->add_option("--unit", s->unit, "Model time unit: day|week|month|<days> (default week)");
  cmd->add_option("--observation-end", s->observation_end, "Last day observed, YYYY-MM-DD (default: last day in the log)");
  cmd->add_option("--calibration-end", s->calibration_end, "End of calibration, YYYY-MM-DD: adds x_holdout,monetary_holdout");
  cmd->add_flag("--merge-by-unit", s->merge_by_unit, "Merge purchases in the same period instead of the same day");
  cmd->add_option("-o,--output", s->output, "Output CSV (default: standard output)");
  cmd->callback([s] {
    const read_options ro = to_read_options(s->reader);
    summary_options so;
    so.unit = time_unit::parse(s->unit);
    so.observation_end = parse_date_option(s->observation_end, "--observation-end");
    so.calibration_end = parse_date_option(s->calibration_end, "--calibration-end");
    so.merge_by_unit = s->merge_by_unit;
    so.validate();
    read_result r = read_purchase_log(s->reader, ro);
    std::cerr << r.report.to_text();
    const customer_summary sum = summarize(r.log, so);
    std::cerr << "summarize: " << sum.size() << " customers, unit " << sum.unit.name() << ", observation end "
              << to_string(sum.observation_end);
    if (sum.calibration_end) std::cerr << ", calibration end " << to_string(*sum.calibration_end);
    std::cerr << "; rows after observation end ignored: " << sum.rows_after_observation_end
              << "; customers first seen after calibration end: " << sum.customers_after_calibration << '\n';
    output out(s->output);
    write_summary_csv(out.stream(), sum);
    out.close();
  });
}

}  // namespace patron::cli
