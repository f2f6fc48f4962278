// SPDX-License-Identifier: MIT
// `patron tiers`: Pareto / 80-20 figures and ABC value tiers per customer.
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli.hpp"
#include "patron/error.hpp"
#include "patron/value/tiers.hpp"
#include "rfm_input.hpp"

namespace patron::cli {
namespace {

struct tiers_args {
  rfm_input_args in;
  std::string cuts = "0.8,0.95", names = "A,B,C", output, value, service;
  double share = 0.8;
};

template <class T, class F>
std::vector<T> split_list(const std::string& text, const char* field, F convert) {
  std::vector<T> v;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      v.push_back(convert(item));
    } catch (const std::exception&) {
      throw invalid_argument_error("patron tiers", field, item, "not a valid list item");
    }
  }
  return v;
}

void run_tiers(const tiers_args& a) {
  value::tier_cuts cuts;
  cuts.shares = split_list<double>(a.cuts, "--cuts", [](const std::string& s) {
    std::size_t used = 0;
    const double d = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
    return d;
  });
  cuts.names = split_list<std::string>(a.names, "--names", [](const std::string& s) { return s; });
  cuts.validate();
  if (!(a.share > 0 && a.share <= 1))
    throw invalid_argument_error("patron tiers", "--share", format_double(a.share), "must be in (0, 1]");

  rfm_input_args in = a.in;
  if (!a.value.empty()) {
    // One value column of a customer table (spend, or predicted CLV from `patron score`): the
    // customer-table reader takes it for all three metric columns.
    in.level = "customer";
    in.recency = in.frequency = in.monetary = a.value;
  }
  std::optional<value::service_table> service;
  if (!a.service.empty()) service = value::service_table::read_csv(a.service);
  const rfm::rfm_table t = load_rfm_input(in);
  const value::pareto_analysis p = value::pareto(t.monetary);
  std::vector<std::uint8_t> tier(t.size());
  value::abc_tiers(p, cuts, tier);
  {
    output out(a.output);
    std::ostream& os = out.stream();
    os << "customer_id,value,cumulative_share,tier" << (service ? ",service_level\n" : "\n");
    for (std::size_t k = 0; k < p.size(); ++k) {
      const std::uint32_t i = p.order[k];
      put_csv_field(os, t.id[i]);
      os << ',' << format_double(t.monetary[i]) << ',' << format_double(p.cumulative_share[k]) << ',';
      put_csv_field(os, cuts.names[tier[i]]);
      if (service) {
        os << ',';
        put_csv_field(os, service->level_of(cuts.names[tier[i]]));
      }
      os << '\n';
    }
    out.close();
  }
  std::ostream& fig = a.output.empty() || a.output == "-" ? std::cerr : std::cout;
  const std::size_t k = p.customers_for(a.share);
  fig << std::fixed << std::setprecision(2);
  fig << p.size() << " customers, total value " << p.total << "\n";
  fig << k << " customers (" << 100 * p.customer_share_for(a.share) << "%) bring " << 100 * a.share
      << "% of the value\n";
  fig << "top 20% of customers bring " << 100 * p.revenue_share_of_top(0.2) << "% of the value\n";
  fig << std::setprecision(4) << "Gini coefficient " << p.gini() << "\n" << std::setprecision(2);
  std::vector<std::size_t> count(cuts.names.size(), 0);
  std::vector<double> sum(cuts.names.size(), 0.0);
  for (std::size_t i = 0; i < tier.size(); ++i) {
    ++count[tier[i]];
    sum[tier[i]] += t.monetary[i];
  }
  for (std::size_t j = 0; j < count.size(); ++j)
    fig << "tier " << cuts.names[j] << ": " << count[j] << " customers ("
        << 100 * static_cast<double>(count[j]) / static_cast<double>(p.size()) << "%), "
        << 100 * sum[j] / p.total << "% of the value\n";
}

}  // namespace

void add_tiers_command(CLI::App& app) {
  auto args = std::make_shared<tiers_args>();
  CLI::App* cmd = app.add_subcommand(
      "tiers",
      "Pareto / 80-20 analysis and ABC value tiers. Writes CSV customer_id,value,cumulative_share,"
      "tier (largest value first) and prints the 80-20 figures (stderr, or stdout with --output)");
  add_rfm_input_options(cmd, args->in);
  cmd->add_option("--value", args->value,
                  "Rank a customer table by this column (e.g. predicted CLV) instead of order spend");
  cmd->add_option("--cuts", args->cuts, "Cumulative value shares closing each tier but the last")->capture_default_str();
  cmd->add_option("--names", args->names, "Tier names (one more than --cuts)")->capture_default_str();
  cmd->add_option("--share", args->share, "Report how many customers bring this share of value")->capture_default_str();
  cmd->add_option("--service", args->service,
                  "Service-level table (CSV key,level[,note]; key * = fallback): adds a service_level column");
  cmd->add_option("--output", args->output, "Output CSV (default: stdout)");
  cmd->callback([args] { run_tiers(*args); });
}

}  // namespace patron::cli
