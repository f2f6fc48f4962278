// SPDX-License-Identifier: MIT
// `patron recommend`: top-N items per customer from a purchase log, optionally evaluated by
// leave-last-out with implicit-style ranking metrics.
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/recommend.hpp"
#include "reader_options.hpp"
#include "recommend_cli.hpp"

namespace patron::cli {
namespace {

struct recommend_args {
  std::string input, method = "item-cosine", evaluate, output, value = "count";
  std::size_t k = 10, neighbours = 20, factors = 64, iterations = 15;
  double regularization = 0.01, alpha = 1.0;
  std::uint64_t seed = 1;
  int threads = 0;
  transaction_flags tx;  ///< column options, or --preset for a CRM export
  std::string catalog, catalog_item, text_column = "Description";  ///< --method content
};

/// A fitted model behind one recommend_fn; owns what the function refers to.
struct fitted {
  std::shared_ptr<void> model;
  recommend::recommend_fn fn;
  std::vector<std::string> extra_items;  ///< content: catalogue items after the log's items
};

/// Content-based: TF-IDF item profiles over the catalogue's texts. Model items are the log's
/// items (same indices) followed by catalogue items nobody has bought yet, which can be
/// recommended too.
void fit_content(const recommend_args& a, const recommend::interactions& train, fitted& f, bool log_items_only) {
  const std::string path = a.catalog.empty() ? a.input : a.catalog;
  const std::string item_col = a.catalog_item.empty() ? a.tx.item : a.catalog_item;
  const recommend::item_catalog c = recommend::read_item_catalog(path, item_col, a.text_column);
  std::vector<std::string> texts(train.n_items());
  std::size_t matched = 0;
  for (std::size_t k = 0; k < c.items.size(); ++k) {
    const std::uint32_t i = train.items.find(c.items[k]);
    if (i != id_table::npos) {
      texts[i] = c.texts[k];
      ++matched;
    } else if (!log_items_only) {
      f.extra_items.push_back(c.items[k]);
      texts.push_back(c.texts[k]);
    }
  }
  std::cerr << "patron recommend: catalogue " << path << ": " << c.rows << " rows, " << c.items.size() << " items ("
            << matched << " bought, " << (c.items.size() - matched) << " never bought" << (log_items_only ? ", left out when evaluating" : "") << "), " << c.blank_texts
            << " rows with an empty " << a.text_column << ", " << c.other_texts
            << " rows with a second text for an item (first kept)\n";
  auto m = std::make_shared<recommend::content_model>(recommend::content_model::fit_text(texts));
  f.fn = [m, &train](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
    return m->recommend(train, u, it, s);
  };
  f.model = m;
}

fitted fit(const recommend_args& a, const recommend::interactions& train, bool log_items_only = false) {
  fitted f;
  if (a.method.rfind("item-", 0) == 0) {
    recommend::item_knn_options o;
    o.similarity = recommend::parse_item_similarity(a.method.substr(5));
    o.neighbours = a.neighbours;
    o.threads = a.threads;
    auto m = std::make_shared<recommend::item_knn>(recommend::item_knn::fit(train, o));
    f.fn = [m, &train](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
      return m->recommend(train, u, it, s);
    };
    f.model = m;
  } else if (a.method == "als") {
    recommend::als_options o;
    o.factors = a.factors;
    o.iterations = a.iterations;
    o.regularization = a.regularization;
    o.alpha = a.alpha;
    o.seed = a.seed;
    o.threads = a.threads;
    auto m = std::make_shared<recommend::als_model>(recommend::als_model::fit(train, o));
    f.fn = [m, &train](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
      return m->recommend(train, u, it, s);
    };
    f.model = m;
  } else if (a.method == "content") {
    fit_content(a, train, f, log_items_only);
  } else {
    auto m = std::make_shared<recommend::popularity>(recommend::popularity::fit(train));
    f.fn = [m, &train](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
      return m->recommend(train, u, it, s);
    };
    f.model = m;
  }
  return f;
}

recommend::interaction_value parse_value(const std::string& v) {
  if (v == "binary") return recommend::interaction_value::binary;
  if (v == "quantity") return recommend::interaction_value::quantity;
  if (v == "spend") return recommend::interaction_value::spend;
  return recommend::interaction_value::count;
}

void run(const recommend_args& a) {
  if (a.k == 0) throw invalid_argument_error("patron recommend", "--k", "0", "must be >= 1");
  const auto r = a.tx.read(a.input);
  std::cerr << r.report.to_text();
  const auto& log = r.log;
  const auto kind = parse_value(a.value);
  if (!a.evaluate.empty()) {
    const auto split = recommend::leave_last_out(log);
    const auto train = recommend::make_interactions(log, split.train, kind);
    const auto test = recommend::make_interactions(log, split.test, kind);
    const auto t0 = std::chrono::steady_clock::now();
    const auto f = fit(a, train, true);  // evaluation ranks the log's items only
    const auto t1 = std::chrono::steady_clock::now();
    const auto m = recommend::ranking_metrics_at_k(train, test, a.k, f.fn, true, a.threads);
    const auto t2 = std::chrono::steady_clock::now();
    nlohmann::ordered_json j;
    j["method"] = a.method;
    j["evaluate"] = a.evaluate;
    j["k"] = m.k;
    j["customers"] = m.customers;
    j["items"] = train.n_items();
    j["train_interactions"] = train.nnz();
    j["precision"] = m.precision;
    j["recall"] = m.recall;
    j["map"] = m.map;
    j["ndcg"] = m.ndcg;
    j["auc"] = m.auc;
    j["hit_rate"] = m.hit_rate;
    j["coverage"] = m.coverage;
    j["fit_seconds"] = std::chrono::duration<double>(t1 - t0).count();
    j["evaluate_seconds"] = std::chrono::duration<double>(t2 - t1).count();
    std::cout << j.dump(2) << '\n';
    if (a.output.empty()) return;
  }
  const auto data = recommend::make_interactions(log, kind);
  const auto f = fit(a, data);
  const std::size_t n = data.n_customers();
  std::vector<std::uint32_t> items(n * a.k);
  std::vector<double> scores(n * a.k);
  recommend::recommend_all(n, a.k, f.fn, items, scores, a.threads);
  output out(a.output);
  auto& os = out.stream();
  os << "customer_id,rank,item,score\n";
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t j = 0; j < a.k; ++j) {
      const auto i = items[u * a.k + j];
      if (i == id_table::npos) break;
      const std::string& name = i < data.n_items() ? data.items.name(i) : f.extra_items[i - data.n_items()];
      os << csv_field(data.customers.name(static_cast<std::uint32_t>(u))) << ',' << j + 1 << ','
         << csv_field(name) << ',' << format_double(scores[u * a.k + j]) << '\n';
    }
  out.close();
}

}  // namespace

void add_recommend_command(CLI::App& app) {
  auto args = std::make_shared<recommend_args>();
  auto* cmd = app.add_subcommand(
      "recommend", "Top-N unseen items per customer (item-item, ALS or popularity), optionally "
                   "evaluated by leave-last-out");
  cmd->add_option("--input", args->input, "Transaction file with customer, date and item columns")
      ->required();
  cmd->add_option("--method", args->method, "Recommender")
      ->check(CLI::IsMember({"item-cosine", "item-bm25", "item-jaccard", "item-tfidf", "als",
                             "popular", "content"}))
      ->capture_default_str();
  cmd->add_option("--k", args->k, "Items per customer (and the k of the metrics)")->capture_default_str();
  cmd->add_option("--neighbours", args->neighbours, "Item-item: neighbours kept per item")
      ->capture_default_str();
  cmd->add_option("--factors", args->factors, "ALS: latent factors")->capture_default_str();
  cmd->add_option("--iterations", args->iterations, "ALS: sweeps")->capture_default_str();
  cmd->add_option("--regularization", args->regularization, "ALS: lambda")->capture_default_str();
  cmd->add_option("--alpha", args->alpha, "ALS: confidence c = 1 + alpha r")->capture_default_str();
  cmd->add_option("--seed", args->seed, "ALS: seed of the initial factors")->capture_default_str();
  cmd->add_option("--value", args->value, "Cell value: count (invoice lines), binary, quantity, spend")
      ->check(CLI::IsMember({"count", "binary", "quantity", "spend"}))
      ->capture_default_str();
  cmd->add_option("--text-column", args->text_column,
                  "content: the item text column (TF-IDF over its words)")->capture_default_str();
  cmd->add_option("--catalog", args->catalog,
                  "content: item catalogue CSV with the item and text columns (default: the input file)");
  cmd->add_option("--catalog-item", args->catalog_item, "content: the catalogue's item column (default: --item)");
  cmd->add_option("--threads", args->threads, "Threads (0 = all; results do not depend on it)")
      ->capture_default_str();
  cmd->add_option("--evaluate", args->evaluate,
                  "leave-last-out: hold out each customer's last invoice, print metrics at k as "
                  "JSON (recommendations then only with --output)")
      ->check(CLI::IsMember({"leave-last-out"}));
  cmd->add_option("--output", args->output, "Output CSV customer_id,rank,item,score (default: stdout)");
  args->tx.add_to(*cmd);
  cmd->callback([args] { run(*args); });
}

}  // namespace patron::cli
