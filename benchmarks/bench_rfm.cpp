// SPDX-License-Identifier: MIT
// RFM end to end (fit cut points, score, segment) on 10 million customers, single thread, beside
// a naive baseline (full sort per metric, binary search per customer, rule walk per customer).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "patron/rfm.hpp"

namespace {

struct base {
  std::vector<double> recency, frequency, monetary;
};

// A synthetic base shaped like retail data: recency uniform over two years (whole days),
// frequency 1 + geometric (many ties), monetary log-normal with cents.
const base& customers(std::size_t n) {
  static base b;
  if (b.recency.size() == n) return b;
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<int> rec(0, 730);
  std::geometric_distribution<int> freq(0.25);
  std::lognormal_distribution<double> mon(5.5, 1.0);
  b.recency.resize(n);
  b.frequency.resize(n);
  b.monetary.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.recency[i] = rec(rng);
    b.frequency[i] = 1 + freq(rng);
    b.monetary[i] = std::round(mon(rng) * 100) / 100;
  }
  return b;
}

void set_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["per_customer"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_rfm_score_segment(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const base& b = customers(n);
  patron::rfm::binning_options o;
  o.method = static_cast<patron::rfm::binning_method>(state.range(1));
  const patron::rfm::segmenter seg(patron::rfm::rfm10_table());
  std::vector<std::uint8_t> r(n), f(n), m(n);
  std::vector<std::uint16_t> s(n);
  for (auto _ : state) {
    const auto t = patron::rfm::score(b.recency, b.frequency, b.monetary, o, {r, f, m});
    seg.assign(r, f, m, s);
    benchmark::DoNotOptimize(t);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

// The per-customer approach: sort a copy of each metric, compute type-7 cut points from it,
// then for every customer binary-search its bin and walk the rule list.
void BM_rfm_naive(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const base& b = customers(n);
  const patron::rfm::segment_table table = patron::rfm::rfm10_table();
  std::vector<std::uint8_t> r(n), f(n), m(n);
  std::vector<std::uint16_t> s(n);
  for (auto _ : state) {
    std::vector<double> cuts[3];
    const std::vector<double>* col[3] = {&b.recency, &b.frequency, &b.monetary};
    for (int j = 0; j < 3; ++j) {
      std::vector<double> x = *col[j];
      std::sort(x.begin(), x.end());
      for (int k = 1; k < 5; ++k) {
        const double h = static_cast<double>(n - 1) * k / 5.0;
        const auto lo = static_cast<std::size_t>(h);
        const double fr = h - static_cast<double>(lo);
        cuts[j].push_back(x[lo] + fr * (x[std::min(lo + 1, n - 1)] - x[lo]));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      auto bin = [&](int j, double v) {
        return 1 + static_cast<int>(std::upper_bound(cuts[j].begin(), cuts[j].end(), v) - cuts[j].begin());
      };
      r[i] = static_cast<std::uint8_t>(6 - bin(0, b.recency[i]));
      f[i] = static_cast<std::uint8_t>(bin(1, b.frequency[i]));
      m[i] = static_cast<std::uint8_t>(bin(2, b.monetary[i]));
      s[i] = static_cast<std::uint16_t>(table.match(r[i], f[i], m[i]));
    }
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

constexpr std::int64_t ten_million = 10'000'000;

BENCHMARK(BM_rfm_score_segment)
    ->ArgNames({"customers", "method"})
    ->Args({ten_million, static_cast<std::int64_t>(patron::rfm::binning_method::quantile)})
    ->Args({ten_million, static_cast<std::int64_t>(patron::rfm::binning_method::r_rfm)})
    ->Args({ten_million, static_cast<std::int64_t>(patron::rfm::binning_method::mean_split)})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_rfm_naive)->Arg(ten_million)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
