// SPDX-License-Identifier: MIT
// `patron evaluate`: fit purchase models on a calibration period and score them on the holdout.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/models/evaluate.hpp"
#include "reader_options.hpp"

namespace patron::cli {
namespace {

std::string num_json(double v) { return std::isfinite(v) ? format_double(v) : std::string("null"); }

std::string array_json(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + num_json(v[i]);
  return s + "]";
}

// The report as JSON (written by hand so doubles keep their shortest round-trip form).
std::string report_json(const evaluation_report& r, const summary_options& so) {
  std::ostringstream o;
  o << "{\n  \"format\": \"patron-evaluation\",\n  \"format_version\": 1,\n";
  o << "  \"customers\": " << r.customers << ",\n  \"time_unit\": \"" << so.unit.name() << "\",\n";
  o << "  \"calibration_end\": \"" << to_string(r.calibration_end) << "\",\n  \"observation_end\": \""
    << to_string(r.observation_end) << "\",\n  \"holdout_length\": " << num_json(r.holdout_length) << ",\n";
  o << "  \"tracking\": {\"origin\": \"" << to_string(r.tracking.origin) << "\", \"times\": " << array_json(r.tracking.times)
    << ",\n    \"actual_incremental\": " << array_json(r.tracking.actual_incremental)
    << ",\n    \"actual_cumulative\": " << array_json(r.tracking.actual_cumulative) << "},\n";
  o << "  \"models\": [";
  for (std::size_t k = 0; k < r.models.size(); ++k) {
    const auto& m = r.models[k];
    o << (k ? ",\n" : "\n") << "    {\"model\": \"" << m.model << "\", \"rank\": " << m.rank << ", \"status\": \"" << m.status
      << "\",\n     \"params\": {";
    for (std::size_t i = 0; i < m.params.size(); ++i)
      o << (i ? ", " : "") << '"' << m.param_names[i] << "\": " << num_json(m.params[i]);
    o << "},\n     \"log_likelihood\": " << num_json(m.log_likelihood) << ", \"mae\": " << num_json(m.mae)
      << ", \"rmse\": " << num_json(m.rmse) << ", \"predicted_total\": " << num_json(m.predicted_total)
      << ", \"actual_total\": " << num_json(m.actual_total) << ",\n     \"auc\": " << num_json(m.auc)
      << ", \"brier\": " << num_json(m.brier) << ", \"auc_p_alive\": " << num_json(m.auc_p_alive) << ",\n";
    o << "     \"by_frequency\": {\"customers\": " << array_json(m.by_x_customers) << ", \"actual\": " << array_json(m.by_x_actual)
      << ", \"predicted\": " << array_json(m.by_x_predicted) << "},\n";
    o << "     \"tracking_incremental\": " << array_json(m.tracking_incremental)
      << ",\n     \"tracking_cumulative\": " << array_json(m.tracking_cumulative) << "}";
  }
  o << "\n  ]\n}\n";
  return o.str();
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  struct state {
    reader_cli reader;
    std::string unit = "week", observation_end, calibration_end, models = "bgnbd,mbgnbd,pnbd", output;
    std::size_t max_frequency = 7;
  };
  auto s = std::make_shared<state>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Fit purchase models on a calibration period and compare them with the holdout (MAE, RMSE, AUC, Brier, tracking); writes JSON");
  add_reader_options(*cmd, s->reader);
  cmd->add_option("--unit", s->unit, "Model time unit: day|week|month|<days> (default week)");
  cmd->add_option("--calibration-end", s->calibration_end, "End of calibration, YYYY-MM-DD (required)")->required();
  cmd->add_option("--observation-end", s->observation_end, "Last day observed, YYYY-MM-DD (default: last day in the log)");
  cmd->add_option("--models", s->models, "Comma-separated: bgnbd,mbgnbd,pnbd (default all three)");
  cmd->add_option("--max-frequency", s->max_frequency, "Last calibration-frequency bucket of the by_frequency table (default 7 = '7+')");
  cmd->add_option("-o,--output", s->output, "Output JSON (default: standard output)");
  cmd->callback([s] {
    const read_options ro = to_read_options(s->reader);
    summary_options so;
    so.unit = time_unit::parse(s->unit);
    so.observation_end = parse_date_option(s->observation_end, "--observation-end");
    so.calibration_end = parse_date_option(s->calibration_end, "--calibration-end");
    so.validate();
    evaluation_options eo;
    eo.models.clear();
    std::stringstream list(s->models);
    for (std::string m; std::getline(list, m, ',');)
      if (!m.empty()) eo.models.push_back(m);
    if (eo.models.empty()) throw invalid_argument_error("evaluate", "--models", s->models, "name at least one model");
    for (const auto& m : eo.models)
      if (m != "bgnbd" && m != "mbgnbd" && m != "pnbd")
        throw invalid_argument_error("evaluate", "--models", m, "must be bgnbd, mbgnbd or pnbd");
    if (s->max_frequency < 1)
      throw invalid_argument_error("evaluate", "--max-frequency", std::to_string(s->max_frequency), "must be >= 1");
    eo.max_frequency = s->max_frequency;
    read_result r = read_purchase_log(s->reader, ro);
    std::cerr << r.report.to_text();
    const evaluation_report rep = evaluate(r.log, so, eo);
    std::cerr << "evaluate: " << rep.customers << " customers, holdout " << rep.holdout_length << ' ' << so.unit.name()
              << "s\n  model    rank   MAE     RMSE    predicted  actual   AUC     Brier\n";
    for (const auto& m : rep.models) {
      char line[200];
      std::snprintf(line, sizeof line, "  %-8s %4zu  %.4f  %.4f  %9.1f  %7.0f  %.4f  %.4f\n", m.model.c_str(), m.rank, m.mae,
                    m.rmse, m.predicted_total, m.actual_total, m.auc, m.brier);
      std::cerr << line;
    }
    output out(s->output);
    out.stream() << report_json(rep, so);
    out.close();
  });
}

}  // namespace patron::cli
