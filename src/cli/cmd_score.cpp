// SPDX-License-Identifier: MIT
// `patron score`: P(alive), expected purchases, DERT, expected spend and CLV per customer.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/summary_io.hpp"
#include "patron/error.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/model_io.hpp"
#include "patron/value/discount.hpp"
#include "score_discrete.hpp"

namespace patron::cli {
namespace {

struct score_args {
  std::string model, spend, input, output, rate_unit = "annual", rate_type_name = "discrete";
  std::optional<double> horizon, discount;
};

void run_score(const score_args& a) {
  if (is_discrete_model_file(a.model)) {  // bgbb, sbg: src/cli/score_discrete.cpp
    run_score_discrete(a.model, a.input, a.output, a.horizon, a.discount, a.rate_unit, a.rate_type_name);
    return;
  }
  const any_model m = load_model(a.model);
  if (std::holds_alternative<gamma_gamma>(m))
    throw invalid_argument_error("score", "--model", a.model, "is a spend model (gg): pass it as --spend");
  std::optional<gamma_gamma> spend;
  if (!a.spend.empty()) {
    const any_model s = load_model(a.spend);
    if (!std::holds_alternative<gamma_gamma>(s))
      throw invalid_argument_error("score", "--spend", a.spend, "must be a gg model file");
    spend = std::get<gamma_gamma>(s);
  }
  if (a.rate_unit != "annual" && a.rate_unit != "period")
    throw invalid_argument_error("score", "--rate-unit", a.rate_unit, "must be annual or period");
  if (a.rate_type_name != "discrete" && a.rate_type_name != "continuous")
    throw invalid_argument_error("score", "--rate-type", a.rate_type_name, "must be discrete or continuous");
  const time_unit unit = std::visit([](const auto& x) { return x.unit(); }, m);
  // Default horizon: one year in the model's unit.
  const double horizon = a.horizon.value_or(365.25 / unit.days);
  if (!(horizon >= 0)) throw invalid_argument_error("score", "--horizon", std::to_string(horizon), "must be >= 0");
  std::optional<discount_rate<double>> rate;
  if (a.discount) {
    const rate_type rt = a.rate_type_name == "discrete" ? rate_type::discrete : rate_type::continuous;
    rate = a.rate_unit == "annual" ? discount_rate<double>::annual(*a.discount, rt)
                                   : discount_rate<double>::per_period(*a.discount, unit, rt);
    if (!(rate->continuous_annual() > 0))
      throw invalid_argument_error("score", "--discount-rate", std::to_string(*a.discount), "must be > 0");
  }
  const summary_table t = read_summary_csv(a.input, unit);
  const auto& s = t.summary;
  if (spend && !t.has_monetary)
    throw data_error(errc::missing_column, a.input, 1, 0, "monetary", "", "--spend needs a monetary|zbar|monetary_value column");
  const customer_summary_view v(s.x, s.t_x, s.T, s.monetary);
  const std::size_t n = v.size();
  std::vector<double> pa(n), ep(n), pz, dert, es, clv_v;
  std::visit(
      [&](const auto& model) {
        using M = std::decay_t<decltype(model)>;
        if constexpr (!std::is_same_v<M, gamma_gamma>) {
          model.p_alive(v, pa);
          model.expected_purchases(horizon, v, ep);
          pz.resize(n);
          model.prob_purchases(0, horizon, v, pz);
          if (rate) {
            dert.resize(n);
            model.dert(rate->continuous_per(unit), v, dert);
          }
        }
      },
      m);
  if (spend) {
    es.resize(n);
    spend->expected_spend(v, es);
    if (rate) {
      clv_v.resize(n);
      for (std::size_t i = 0; i < n; ++i) clv_v[i] = dert[i] * es[i];
    }
  }
  output out(a.output);
  auto& os = out.stream();
  os << "customer_id,p_alive,expected_purchases,prob_zero" << (rate ? ",dert" : "")
     << (spend ? ",expected_spend" : "") << (spend && rate ? ",clv" : "") << '\n';
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& id = s.id[i];
    const bool quote = id.find_first_of(",\"\n\r") != std::string::npos;
    if (quote) {
      os << '"';
      for (char ch : id) os << (ch == '"' ? "\"\"" : std::string(1, ch));
      os << '"';
    } else {
      os << id;
    }
    os << ',' << format_double(pa[i]) << ',' << format_double(ep[i]);
    os << ',' << format_double(pz[i]);
    if (rate) os << ',' << format_double(dert[i]);
    if (spend) os << ',' << format_double(es[i]);
    if (spend && rate) os << ',' << format_double(clv_v[i]);
    os << '\n';
  }
  out.close();
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto args = std::make_shared<score_args>();
  auto* c = app.add_subcommand("score", "Score customers with a fitted model: P(alive), expected purchases, DERT, spend, CLV");
  c->add_option("--model", args->model, "purchase model JSON (bgnbd, mbgnbd, pnbd) from patron fit")->required();
  c->add_option("--spend", args->spend, "Gamma-Gamma model JSON: adds expected_spend (and clv with a discount rate)");
  c->add_option("--input", args->input, "summary CSV")->required();
  c->add_option("--horizon", args->horizon, "t for expected purchases and prob_zero, in the model's unit (default: one year)");
  c->add_option("--discount-rate", args->discount, "discount rate d: adds dert (and clv with --spend)");
  c->add_option("--rate-unit", args->rate_unit, "annual (default) | period (per model time unit)");
  c->add_option("--rate-type", args->rate_type_name, "discrete (default) | continuous");
  c->add_option("--output", args->output, "output CSV (default: standard output)");
  c->callback([args] { run_score(*args); });
}

}  // namespace patron::cli
