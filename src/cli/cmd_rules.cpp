// SPDX-License-Identifier: MIT
// `patron rules`: frequent itemsets and association rules from a basket or transaction file.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/recommend/baskets.hpp"
#include "patron/recommend/rules.hpp"
#include "recommend_cli.hpp"

namespace patron::cli {
namespace {

struct rules_args {
  std::string input, format = "baskets", output;
  double min_support = 0.01, min_confidence = 0.3, min_lift = 0.0;
  std::size_t max_len = 0;
  transaction_flags tx;
};

std::string join(const recommend::basket_set& bs, const std::vector<std::uint32_t>& v) {
  std::vector<std::string> names;
  for (auto i : v) names.push_back(bs.items.name(i));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += '|';
    out += n;
  }
  return out;
}

std::string num(double v) { return std::isinf(v) ? "inf" : format_double(v); }

void run(const rules_args& a, const CLI::App& cmd) {
  recommend::basket_set bs;
  if (a.format == "baskets" && a.tx.crm.preset.empty()) {
    bs = recommend::read_baskets(a.input);
  } else {
    const auto r = a.tx.read(a.input);
    std::cerr << r.report.to_text();
    bs = recommend::baskets_from_log(r.log);
  }
  recommend::itemset_options io;
  io.min_support = a.min_support;
  io.max_len = a.max_len;
  const auto sets = recommend::frequent_itemsets(bs, io);
  recommend::rule_options ro;
  if (cmd.count("--min-lift") > 0) {
    ro.metric = recommend::rule_metric::lift;
    ro.min_threshold = a.min_lift;
  } else {
    ro.metric = recommend::rule_metric::confidence;
    ro.min_threshold = a.min_confidence;
  }
  auto rules = recommend::association_rules(sets, bs.size(), ro);
  struct row {
    std::string ant, con;
    const recommend::association_rule* r;
  };
  std::vector<row> rows;
  rows.reserve(rules.size());
  for (const auto& r : rules) rows.push_back({join(bs, r.antecedent), join(bs, r.consequent), &r});
  // Strongest first: lift, then confidence, then the item names (a total, stable order).
  std::sort(rows.begin(), rows.end(), [](const row& x, const row& y) {
    if (x.r->lift != y.r->lift) return x.r->lift > y.r->lift;
    if (x.r->confidence != y.r->confidence) return x.r->confidence > y.r->confidence;
    if (x.ant != y.ant) return x.ant < y.ant;
    return x.con < y.con;
  });
  output out(a.output);
  auto& os = out.stream();
  os << "antecedents,consequents,support,confidence,lift,leverage,conviction\n";
  for (const auto& w : rows)
    os << csv_field(w.ant) << ',' << csv_field(w.con) << ',' << num(w.r->support) << ','
       << num(w.r->confidence) << ',' << num(w.r->lift) << ',' << num(w.r->leverage) << ','
       << num(w.r->conviction) << '\n';
  out.close();
  std::cerr << "patron rules: " << bs.size() << " baskets, " << bs.items.size() << " items, "
            << sets.size() << " frequent itemsets, " << rows.size() << " rules\n";
}

}  // namespace

void add_rules_command(CLI::App& app) {
  auto args = std::make_shared<rules_args>();
  auto* cmd = app.add_subcommand(
      "rules",
      "Association rules (support, confidence, lift, leverage, conviction) from market baskets");
  cmd->add_option("--input", args->input, "Basket file (one basket per line) or transaction file")
      ->required();
  cmd->add_option("--format", args->format,
                  "baskets: one basket per line, comma-separated items; transactions: a "
                  "purchase log read with the column options (baskets = invoices); --preset implies transactions")
      ->check(CLI::IsMember({"baskets", "transactions"}))
      ->capture_default_str();
  cmd->add_option("--min-support", args->min_support, "Minimum itemset support, in (0, 1]")
      ->capture_default_str();
  cmd->add_option("--min-confidence", args->min_confidence, "Minimum rule confidence")
      ->capture_default_str();
  cmd->add_option("--min-lift", args->min_lift,
                  "Filter rules on lift instead of confidence");
  cmd->add_option("--max-len", args->max_len, "Longest itemset (0 = no limit)")
      ->capture_default_str();
  cmd->add_option("--output", args->output, "Output CSV (default: standard output)");
  args->tx.add_to(*cmd);
  cmd->callback([args, cmd] { run(*args, *cmd); });
}

}  // namespace patron::cli
