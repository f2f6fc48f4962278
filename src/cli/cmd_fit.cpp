// SPDX-License-Identifier: MIT
// `patron fit`: fits a CLV model (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma) to a summary CSV.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/discrete_io.hpp"
#include "patron/data/summary_io.hpp"
#include "patron/error.hpp"
#include "patron/models/model_io.hpp"

namespace patron::cli {
namespace {

struct fit_args {
  std::string model, input, output, unit = "week";
  double penalty = 0;
  bool unit_given = false;
};

void run_fit(const fit_args& a) {
  if (a.model != "bgnbd" && a.model != "mbgnbd" && a.model != "pnbd" && a.model != "gg" && a.model != "bgbb" &&
      a.model != "sbg")
    throw invalid_argument_error("fit", "--model", a.model, "must be bgnbd, mbgnbd, pnbd, gg, bgbb or sbg");
  if (!(a.penalty >= 0)) throw invalid_argument_error("fit", "--penalty", std::to_string(a.penalty), "must be >= 0");
  if (a.model == "bgbb" || a.model == "sbg") {
    // Discrete opportunities / contract periods: default one year each.
    const time_unit period = a.unit_given ? time_unit::parse(a.unit) : time_unit{365.25};
    fit_options o;
    o.penalty = a.penalty;
    std::string text;
    if (a.model == "bgbb") {
      const bgbb_table t = read_bgbb_csv(a.input);
      const auto r = bgbb::fit(t.view(), o, period);
      text = model_to_json(discrete_model(r.model), info_of(r));
    } else {
      const survivor_table t = read_survivors_csv(a.input);
      const auto r = sbg::fit(std::span<const std::vector<double>>(t.alive), o, period);
      text = model_to_json(discrete_model(r.model), info_of(r));
    }
    output out(a.output);
    out.stream() << text;
    out.close();
    return;
  }
  const time_unit unit = time_unit::parse(a.unit);
  const summary_table t = read_summary_csv(a.input, unit);
  const customer_summary_view v(t.summary.x, t.summary.t_x, t.summary.T, t.summary.monetary, t.weight);
  fit_options o;
  o.penalty = a.penalty;
  std::string text;
  if (a.model == "bgnbd") {
    const auto r = bgnbd::fit(v, o, unit);
    text = model_to_json(r.model, info_of(r));
  } else if (a.model == "mbgnbd") {
    const auto r = mbgnbd::fit(v, o, unit);
    text = model_to_json(r.model, info_of(r));
  } else if (a.model == "pnbd") {
    const auto r = pnbd::fit(v, o, unit);
    text = model_to_json(r.model, info_of(r));
  } else {
    if (!t.has_monetary)
      throw data_error(errc::missing_column, a.input, 1, 0, "monetary", "", "gg needs a monetary|zbar|monetary_value column");
    const auto r = gamma_gamma::fit(v, o);
    text = model_to_json(r.model, info_of(r));
  }
  output out(a.output);
  out.stream() << text;
  out.close();
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<fit_args>();
  auto* c = app.add_subcommand("fit", "Fit a model (bgnbd, mbgnbd, pnbd, gg to a summary CSV; bgbb to frequency,recency,periods[,weights]; sbg to [cohort,]period,alive); writes JSON");
  c->add_option("--model", args->model, "bgnbd | mbgnbd | pnbd | gg | bgbb | sbg")->required();
  c->add_option("--input", args->input, "summary CSV (customer_id, x, t_x, T[, monetary][, weight])")->required();
  c->add_option("--output", args->output, "model JSON file (default: standard output)");
  c->add_option("--penalty", args->penalty, "L2 penalty on the parameters (like lifetimes' penalizer_coef)");
  auto* tu = c->add_option("--time-unit", args->unit,
                           "time unit of the summary: day | week | month | <days> (default week; bgbb/sbg: the length "
                           "of one opportunity or period, default 365.25 days)");
  c->callback([args, tu] {
    args->unit_given = tu->count() > 0;
    run_fit(*args);
  });
}

}  // namespace patron::cli
