// SPDX-License-Identifier: MIT
// Recommendation hot paths: rules on Groceries, item-cosine fit + top-10 for every Online Retail
// customer, ALS (64 factors, 10 sweeps), each single-threaded, beside naive baselines.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "patron/data/read.hpp"
#include "patron/recommend.hpp"

namespace {

namespace rc = patron::recommend;
const std::string data_dir = PATRON_BENCH_DATA_DIR;

const rc::basket_set& groceries() {
  static const rc::basket_set b = rc::read_baskets(data_dir + "/groceries.csv");
  return b;
}

const rc::interactions& retail() {
  static const rc::interactions m = [] {
    patron::read_options o;
    o.customer = patron::column_ref::parse("CustomerID");
    o.date = patron::column_ref::parse("InvoiceDate");
    o.quantity = patron::column_ref::parse("Quantity");
    o.price = patron::column_ref::parse("UnitPrice");
    o.item = patron::column_ref::parse("StockCode");
    o.invoice = patron::column_ref::parse("InvoiceNo");
    o.cancel_prefix.push_back('C');
    o.numeric_ids = true;
    o.lenient = true;
    return rc::make_interactions(patron::read_transactions(data_dir + "/online_retail.csv.gz", o).log);
  }();
  return m;
}

// Frequent itemsets (min_support 0.01) and rules (confidence >= 0.3): mlxtend takes 126 ms.
void BM_rules_groceries(benchmark::State& state) {
  const auto& b = groceries();
  rc::itemset_options io;
  io.min_support = 0.01;
  rc::rule_options ro;
  ro.min_threshold = 0.3;
  for (auto _ : state) {
    const auto sets = rc::frequent_itemsets(b, io);
    auto rules = rc::association_rules(sets, b.size(), ro);
    benchmark::DoNotOptimize(rules.data());
  }
}
BENCHMARK(BM_rules_groceries)->Unit(benchmark::kMillisecond);

// Naive baseline: every 1-, 2- and 3-subset of every basket counted in a std::map of label
// vectors (what a straightforward script does), then the frequent ones kept.
void BM_rules_groceries_naive_count(benchmark::State& state) {
  const auto& b = groceries();
  for (auto _ : state) {
    std::map<std::vector<std::string>, std::size_t> counts;
    for (std::size_t k = 0; k < b.size(); ++k) {
      std::vector<std::string> v;
      for (auto i : b.basket(k)) v.push_back(b.items.name(i));
      for (std::size_t i = 0; i < v.size(); ++i) {
        counts[{v[i]}]++;
        for (std::size_t j = i + 1; j < v.size(); ++j) {
          counts[{v[i], v[j]}]++;
          for (std::size_t l = j + 1; l < v.size(); ++l) counts[{v[i], v[j], v[l]}]++;
        }
      }
    }
    std::size_t frequent = 0;
    for (const auto& [k, c] : counts) frequent += static_cast<double>(c) / static_cast<double>(b.size()) >= 0.01;
    benchmark::DoNotOptimize(frequent);
  }
}
BENCHMARK(BM_rules_groceries_naive_count)->Unit(benchmark::kMillisecond);

// Item-cosine fit (K = 20) and top-10 for every customer, one thread.
void BM_item_cosine_online_retail(benchmark::State& state) {
  const auto& m = retail();
  rc::item_knn_options o;
  o.threads = 1;
  const std::size_t k = 10;
  std::vector<std::uint32_t> items(m.n_customers() * k);
  std::vector<double> scores(items.size());
  for (auto _ : state) {
    const auto knn = rc::item_knn::fit(m, o);
    rc::recommend_all(m.n_customers(), k,
                      [&](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
                        return knn.recommend(m, u, it, s);
                      },
                      items, scores, 1);
    benchmark::DoNotOptimize(items.data());
  }
  state.counters["customers"] = static_cast<double>(m.n_customers());
  state.counters["nnz"] = static_cast<double>(m.nnz());
}
BENCHMARK(BM_item_cosine_online_retail)->Unit(benchmark::kMillisecond);

// Naive baseline for the item-cosine fit alone: every item pair's cosine by merging the two
// sorted customer columns (what a straightforward all-pairs loop does, O(n_items · nnz)), then
// the K = 20 best per item. No recommendation step, so it understates the naive total.
void BM_item_cosine_naive_all_pairs(benchmark::State& state) {
  const auto& m = retail();
  const std::size_t n = m.n_items(), k = 20;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> col(n);
  for (std::size_t u = 0; u < m.n_customers(); ++u)
    for (std::size_t j = 0; j < m.items_of(u).size(); ++j)
      col[m.items_of(u)[j]].push_back({static_cast<std::uint32_t>(u), m.values_of(u)[j]});
  std::vector<double> norm(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& [u, v] : col[i]) norm[i] += v * v;
  for (auto _ : state) {
    std::vector<std::vector<std::pair<double, std::uint32_t>>> sims(n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double dot = 0;
        auto a = col[i].begin(), b = col[j].begin();
        while (a != col[i].end() && b != col[j].end()) {
          if (a->first < b->first) ++a;
          else if (b->first < a->first) ++b;
          else dot += (a++)->second * (b++)->second;
        }
        if (dot <= 0) continue;
        const double c = dot / std::sqrt(norm[i] * norm[j]);
        sims[i].push_back({c, static_cast<std::uint32_t>(j)});
        sims[j].push_back({c, static_cast<std::uint32_t>(i)});
      }
    for (auto& s : sims) {
      const auto keep = std::min(k, s.size());
      std::partial_sort(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(keep), s.end(),
                        [](const auto& x, const auto& y) { return x.first > y.first; });
      s.resize(keep);
    }
    benchmark::DoNotOptimize(sims.data());
  }
}
BENCHMARK(BM_item_cosine_naive_all_pairs)->Unit(benchmark::kMillisecond)->Iterations(1);

// Popularity top-10 for every customer: the cheapest baseline a CRM would otherwise ship.
void BM_popular_online_retail(benchmark::State& state) {
  const auto& m = retail();
  const std::size_t k = 10;
  std::vector<std::uint32_t> items(m.n_customers() * k);
  std::vector<double> scores(items.size());
  for (auto _ : state) {
    const auto pop = rc::popularity::fit(m);
    rc::recommend_all(m.n_customers(), k,
                      [&](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> s) {
                        return pop.recommend(m, u, it, s);
                      },
                      items, scores, 1);
    benchmark::DoNotOptimize(items.data());
  }
}
BENCHMARK(BM_popular_online_retail)->Unit(benchmark::kMillisecond);

// ALS: 64 factors, 10 sweeps, 3 CG steps, one thread.
void BM_als_online_retail(benchmark::State& state) {
  const auto& m = retail();
  rc::als_options o;
  o.factors = 64;
  o.iterations = 10;
  o.threads = 1;
  for (auto _ : state) {
    auto model = rc::als_model::fit(m, o);
    benchmark::DoNotOptimize(model.item_factors().data());
  }
}
BENCHMARK(BM_als_online_retail)->Unit(benchmark::kMillisecond)->Iterations(3);

// Baseline for one ALS half-sweep: an exact Cholesky solve per customer (Hu et al.'s direct
// method, O(f³ + n_u f²) each, via fold_in), which CG replaces. One sweep = a customer and an
// item half-sweep, so 10 sweeps cost about 20× a half-sweep of this size.
void BM_als_exact_half_sweep(benchmark::State& state) {
  const auto& m = retail();
  rc::als_options o;
  o.factors = 64;
  o.iterations = 1;
  o.threads = 1;
  const auto model = rc::als_model::fit(m, o);
  std::vector<double> x(64);
  for (auto _ : state) {
    for (std::size_t u = 0; u < m.n_customers(); ++u) model.fold_in(m.items_of(u), m.values_of(u), x);
    benchmark::DoNotOptimize(x.data());
  }
}
BENCHMARK(BM_als_exact_half_sweep)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
