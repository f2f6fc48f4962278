// SPDX-License-Identifier: MIT
// BG/BB and sBG scoring: ns per customer for batch BG/BB scoring against the scalar path, sBG
// DERL by its 2F1 closed form against direct summation, and the donations fit.
// Each benchmark checks its first result against the reference before timing.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "patron/models/bgbb.hpp"
#include "patron/models/sbg.hpp"

namespace {

using namespace patron;

// Simulated BG/BB customers (FHS 2010 donation estimates) over n opportunities.
struct bgbb_data {
  std::vector<double> x, t_x, n;
};

const bgbb_data& customers(std::size_t count, int opportunities) {
  static std::vector<std::pair<std::pair<std::size_t, int>, bgbb_data>> cache;
  for (const auto& [k, v] : cache)
    if (k.first == count && k.second == opportunities) return v;
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> ga(1.204, 1.0), gb(0.750, 1.0), gg(0.657, 1.0), gd(2.783, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  bgbb_data d;
  for (std::size_t i = 0; i < count; ++i) {
    const double a = ga(rng), b = gb(rng), g = gg(rng), e = gd(rng);
    const double p = a / (a + b), th = g / (g + e);
    double x = 0, tx = 0;
    for (int t = 1; t <= opportunities; ++t) {
      if (u(rng) < th) break;
      if (u(rng) < p) {
        x += 1;
        tx = t;
      }
    }
    d.x.push_back(x);
    d.t_x.push_back(tx);
    d.n.push_back(opportunities);
  }
  cache.emplace_back(std::make_pair(count, opportunities), std::move(d));
  return cache.back().second;
}

bool same(double a, double b) { return std::abs(a - b) <= 1e-10 * std::max(1.0, std::abs(b)); }

void per_customer(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["ns_per_customer"] = benchmark::Counter(static_cast<double>(n) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

const bgbb model({1.204, 0.750, 0.657, 2.783});

// Batch: P(alive), E[next 5 opportunities] and DERT(10 %) per customer.
void BM_discrete_bgbb_score(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& d = customers(n, static_cast<int>(state.range(1)));
  const customer_summary_view v(d.x, d.t_x, d.n);
  std::vector<double> pa(n), ex(n), de(n);
  model.dert(0.1, v, de);
  if (!same(de[0], model.dert(0.1, d.x[0], d.t_x[0], d.n[0]))) state.SkipWithError("batch DERT differs from the scalar one");
  for (auto _ : state) {
    model.p_alive(v, pa);
    model.expected_purchases(5, v, ex);
    model.dert(0.1, v, de);
    benchmark::DoNotOptimize(pa.data());
    benchmark::DoNotOptimize(ex.data());
    benchmark::DoNotOptimize(de.data());
  }
  per_customer(state, n);
}

// Baseline: the scalar DERT per customer (its 2F1 recomputed every time).
void BM_discrete_bgbb_dert_scalar(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& d = customers(n, static_cast<int>(state.range(1)));
  std::vector<double> de(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) de[i] = model.dert(0.1, d.x[i], d.t_x[i], d.n[i]);
    benchmark::DoNotOptimize(de.data());
  }
  per_customer(state, n);
}

void BM_discrete_bgbb_dert_batch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& d = customers(n, static_cast<int>(state.range(1)));
  const customer_summary_view v(d.x, d.t_x, d.n);
  std::vector<double> de(n);
  for (auto _ : state) {
    model.dert(0.1, v, de);
    benchmark::DoNotOptimize(de.data());
  }
  per_customer(state, n);
}

// sBG: DERL for renewals 0..999 (one value per "customer" tenure) by the 2F1 form.
void BM_discrete_sbg_derl(benchmark::State& state) {
  const sbg m({0.704, 1.182});
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> out(n);
  // Reference: direct summation of S(n+1+k)/S(n)·1.1^(−k).
  double ref = 0;
  for (int k = 0; k < 5000; ++k) ref += m.survival(1 + k) * std::pow(1.1, -k);
  if (!same(m.derl(0.1, 0), ref)) state.SkipWithError("DERL differs from the direct sum");
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) out[i] = m.derl(0.1, static_cast<double>(i % 1000));
    benchmark::DoNotOptimize(out.data());
  }
  per_customer(state, n);
}

// Baseline: DERL as FH 2010 eq. 5 reads, Σₖ S(n+1+k)/S(n)·(1+d)^(−k) with S from sbg::survival,
// until the terms fall below 1e-13 of the sum.
void BM_discrete_sbg_derl_sum(benchmark::State& state) {
  const sbg m({0.704, 1.182});
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> out(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      const double r = static_cast<double>(i % 1000), s_n = m.survival(r);
      double sum = 0, zk = 1;
      for (int k = 0;; ++k) {
        const double term = m.survival(r + 1 + k) / s_n * zk;
        sum += term;
        if (term < 1e-13 * sum) break;
        zk /= 1.1;
      }
      out[i] = sum;
    }
    benchmark::DoNotOptimize(out.data());
  }
  per_customer(state, n);
}

void BM_discrete_bgbb_fit(benchmark::State& state) {
  const auto& d = customers(11104, 6);
  const customer_summary_view v(d.x, d.t_x, d.n);
  for (auto _ : state) {
    auto r = bgbb::fit(v);
    benchmark::DoNotOptimize(r.log_likelihood);
  }
}

}  // namespace

BENCHMARK(BM_discrete_bgbb_score)->Args({100'000, 6})->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_discrete_bgbb_dert_batch)->Args({100'000, 6})->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_discrete_bgbb_dert_scalar)->Args({100'000, 6})->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_discrete_sbg_derl)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_discrete_sbg_derl_sum)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_discrete_bgbb_fit)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
