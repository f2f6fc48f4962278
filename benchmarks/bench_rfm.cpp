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

// The per-customer approach, for the quantile (left_closed = false) and r-rfm (true) rules: sort a
// copy of each metric, take the type-7 cut points from it (R's quantile(): interpolate only
// between different neighbours; r-rfm adds 1), then binary-search every customer's bin and walk
// the rule list. Bins: quantile counts cuts < v (closed on the right), r-rfm cuts <= v.
void naive_score_segment(const base& b, const patron::rfm::segment_table& table, bool left_closed,
                         std::vector<std::uint8_t>& r, std::vector<std::uint8_t>& f,
                         std::vector<std::uint8_t>& m, std::vector<std::uint16_t>& s) {
  const std::size_t n = b.recency.size();
  std::vector<double> cuts[3];
  const std::vector<double>* col[3] = {&b.recency, &b.frequency, &b.monetary};
  for (int j = 0; j < 3; ++j) {
    std::vector<double> x = *col[j];
    std::sort(x.begin(), x.end());
    for (std::size_t k = 1; k < 5; ++k) {
      const std::size_t num = (n - 1) * k, lo = num / 5;
      const double h = static_cast<double>(num % 5) / 5.0;
      const double a = x[lo], c = x[std::min(lo + 1, n - 1)];
      cuts[j].push_back((a == c || h == 0 ? a : (1 - h) * a + h * c) + (left_closed ? 1.0 : 0.0));
    }
  }
  auto bin = [&](int j, double v) {
    const auto& c = cuts[j];
    const auto it = left_closed ? std::upper_bound(c.begin(), c.end(), v)
                                : std::lower_bound(c.begin(), c.end(), v);
    return 1 + static_cast<int>(it - c.begin());
  };
  for (std::size_t i = 0; i < n; ++i) {
    r[i] = static_cast<std::uint8_t>(6 - bin(0, b.recency[i]));
    f[i] = static_cast<std::uint8_t>(bin(1, b.frequency[i]));
    m[i] = static_cast<std::uint8_t>(bin(2, b.monetary[i]));
    s[i] = static_cast<std::uint16_t>(table.match(r[i], f[i], m[i]));
  }
}

void BM_rfm_score_segment(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const base& b = customers(n);
  patron::rfm::binning_options o;
  o.method = static_cast<patron::rfm::binning_method>(state.range(1));
  const patron::rfm::segmenter seg(patron::rfm::rfm10_table());
  std::vector<std::uint8_t> r(n), f(n), m(n);
  std::vector<std::uint16_t> s(n);

  // Check, then time: quantile and r-rfm against the naive path, mean-split against the
  // one-customer thresholds::*_score() calls.
  {
    const auto t = patron::rfm::score(b.recency, b.frequency, b.monetary, o, {r, f, m});
    seg.assign(r, f, m, s);
    std::vector<std::uint8_t> r0(n), f0(n), m0(n);
    std::vector<std::uint16_t> s0(n);
    if (o.method == patron::rfm::binning_method::mean_split) {
      for (std::size_t i = 0; i < n; ++i) {
        r0[i] = static_cast<std::uint8_t>(t.r_score(b.recency[i]));
        f0[i] = static_cast<std::uint8_t>(t.f_score(b.frequency[i]));
        m0[i] = static_cast<std::uint8_t>(t.m_score(b.monetary[i]));
        s0[i] = seg(r0[i], f0[i], m0[i]);
      }
    } else {
      naive_score_segment(b, seg.table(), o.method == patron::rfm::binning_method::r_rfm, r0, f0,
                          m0, s0);
    }
    if (r != r0 || f != f0 || m != m0 || s != s0) {
      state.SkipWithError("scores differ from the reference path");
      return;
    }
  }

  for (auto _ : state) {
    const auto t = patron::rfm::score(b.recency, b.frequency, b.monetary, o, {r, f, m});
    seg.assign(r, f, m, s);
    benchmark::DoNotOptimize(t);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

void BM_rfm_naive(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const base& b = customers(n);
  const patron::rfm::segment_table table = patron::rfm::rfm10_table();
  std::vector<std::uint8_t> r(n), f(n), m(n);
  std::vector<std::uint16_t> s(n);
  for (auto _ : state) {
    naive_score_segment(b, table, false, r, f, m, s);
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
