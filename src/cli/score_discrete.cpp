// SPDX-License-Identifier: MIT
// `patron score` for bgbb and sbg model files (see score_discrete.hpp).
#include "score_discrete.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli.hpp"
#include "patron/data/discrete_io.hpp"
#include "patron/error.hpp"
#include "patron/models/model_io.hpp"
#include "patron/value/discount.hpp"

namespace patron::cli {

bool is_discrete_model_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  // A cheap look at the "model" field; the loader does the full parse and checks.
  for (const char* name : {"\"bgbb\"", "\"sbg\""}) {
    const auto k = text.find("\"model\"");
    if (k == std::string::npos) return false;
    const auto colon = text.find(':', k);
    const auto v = text.find_first_not_of(" \t\r\n", colon + 1);
    if (colon != std::string::npos && v != std::string::npos && text.compare(v, std::string(name).size(), name) == 0)
      return true;
  }
  return false;
}

namespace {

void put_id(std::ostream& os, const std::string& id) {
  if (id.find_first_of(",\"\n\r") == std::string::npos) {
    os << id;
    return;
  }
  os << '"';
  for (char ch : id) os << (ch == '"' ? "\"\"" : std::string(1, ch));
  os << '"';
}

}  // namespace

void run_score_discrete(const std::string& model, const std::string& input, const std::string& output_path,
                        std::optional<double> horizon, std::optional<double> discount, const std::string& rate_unit,
                        const std::string& rate_type_name) {
  const discrete_model m = load_discrete_model(model);
  if (rate_unit != "annual" && rate_unit != "period")
    throw invalid_argument_error("score", "--rate-unit", rate_unit, "must be annual or period");
  if (rate_type_name != "discrete" && rate_type_name != "continuous")
    throw invalid_argument_error("score", "--rate-type", rate_type_name, "must be discrete or continuous");
  const time_unit unit = std::visit([](const auto& x) { return x.unit(); }, m);
  if (horizon && (!(*horizon >= 0) || *horizon != std::floor(*horizon) || *horizon > 1e6))
    throw invalid_argument_error("score", "--horizon", format_double(*horizon),
                                 "must be a whole number of opportunities or periods >= 0");
  // The discount rate as a discrete rate per opportunity / period (what FHS 2010 and FH 2010 use).
  std::optional<double> d;
  if (discount) {
    const rate_type rt = rate_type_name == "discrete" ? rate_type::discrete : rate_type::continuous;
    const auto rate = rate_unit == "annual" ? discount_rate<double>::annual(*discount, rt)
                                            : discount_rate<double>::per_period(*discount, unit, rt);
    d = rate.discrete_per(unit);
    if (!(*d > 0)) throw invalid_argument_error("score", "--discount-rate", format_double(*discount), "must be > 0");
  }
  output out(output_path);
  auto& os = out.stream();
  if (const auto* b = std::get_if<bgbb>(&m)) {
    const bgbb_table t = read_bgbb_csv(input);
    const std::size_t n = t.x.size();
    std::vector<double> pa(n), ep(n), de;
    b->p_alive(t.view(), pa);
    b->expected_purchases(horizon.value_or(1.0), t.view(), ep);
    if (d) {
      de.resize(n);
      b->dert(*d, t.view(), de);
    }
    os << "customer_id,p_alive,expected_purchases" << (d ? ",dert" : "") << '\n';
    for (std::size_t i = 0; i < n; ++i) {
      put_id(os, t.id[i]);
      os << ',' << format_double(pa[i]) << ',' << format_double(ep[i]);
      if (d) os << ',' << format_double(de[i]);
      os << '\n';
    }
  } else {
    const sbg& s = std::get<sbg>(m);
    const survivor_table t = read_survivors_csv(input);
    os << "cohort,period,alive,expected_alive,survival,retention,churn_probability" << (d ? ",derl" : "") << '\n';
    for (std::size_t c = 0; c < t.alive.size(); ++c) {
      const auto& a = t.alive[c];
      const double last = horizon.value_or(static_cast<double>(a.size() - 1));
      for (double p = 0; p <= last; p += 1) {
        const auto k = static_cast<std::size_t>(p);
        put_id(os, t.cohort[c]);
        os << ',' << format_double(p) << ',' << (k < a.size() ? format_double(a[k]) : std::string());
        const double surv = s.survival(p);
        os << ',' << format_double(a[0] * surv) << ',' << format_double(surv) << ','
           << (p >= 1 ? format_double(s.retention(p)) : std::string()) << ','
           << (p >= 1 ? format_double(s.churn_probability(p)) : std::string());
        if (d) os << ',' << format_double(s.derl(*d, p));
        os << '\n';
      }
    }
  }
  out.close();
}

}  // namespace patron::cli
