// SPDX-License-Identifier: MIT
// Lifecycle classify: a data-driven 20-row table vs the same rules compiled into a switch.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "patron/lifecycle.hpp"

namespace {

using namespace patron::lifecycle;

// Five states a..e, one event; per state 4 rows (20 in all), first match wins:
//   s → next(s) [recency_days > 30 & frequency >= 2]
//   s → prev(s) [p_alive < 0.3]
//   s → e       [monetary > 100 | recency_days > 300]
//   s → s
// GCC 12 raises a false -Wrestrict on std::string assignments at -O3 (GCC bug 105651).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
transition_table twenty_rows() {
  transition_table t;
  t.name = "bench20";
  t.states = {"a", "b", "c", "d", "e"};
  t.events = {"review"};
  t.initial = "a";
  const guard up{combine::all, {{feature::recency_days, comparison::gt, 30.0, feature::none},
                                {feature::frequency, comparison::ge, 2.0, feature::none}}};
  const guard down{combine::all, {{feature::p_alive, comparison::lt, 0.3, feature::none}}};
  const guard out{combine::any, {{feature::monetary, comparison::gt, 100.0, feature::none},
                                 {feature::recency_days, comparison::gt, 300.0, feature::none}}};
  auto name = [](int s) { return std::string(1, static_cast<char>('a' + s)); };
  auto row = [&](int from, const guard& g, int to) {
    transition_row r;
    r.from = name(from);
    r.event = "review";
    r.when = g;
    r.to = name(to);
    t.rows.push_back(std::move(r));
  };
  for (int s = 0; s < 5; ++s) {
    row(s, up, (s + 1) % 5);
    row(s, down, (s + 4) % 5);
    row(s, out, 4);
    row(s, guard{}, s);
  }
  return t;
}
#pragma GCC diagnostic pop

// The compile-time baseline: the same 20 rows as a switch.
inline state_id by_switch(state_id s, double recency, double frequency, double monetary, double p_alive) {
  switch (s) {
#define PATRON_BENCH_CASE(S)                                                        \
  case S:                                                                           \
    if (recency > 30.0 && frequency >= 2.0) return static_cast<state_id>((S + 1) % 5); \
    if (p_alive < 0.3) return static_cast<state_id>((S + 4) % 5);                   \
    if (monetary > 100.0 || recency > 300.0) return 4;                              \
    return S;
    PATRON_BENCH_CASE(0)
    PATRON_BENCH_CASE(1)
    PATRON_BENCH_CASE(2)
    PATRON_BENCH_CASE(3)
    PATRON_BENCH_CASE(4)
#undef PATRON_BENCH_CASE
    default: return s;
  }
}

struct batch {
  std::vector<state_id> from, to;
  std::vector<double> recency, frequency, monetary, p_alive;
};

batch& make_batch(std::size_t n) {
  static std::size_t made = 0;
  static batch b;
  if (made == n) return b;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> st(0, 4);
  std::uniform_real_distribution<double> rec(0, 400), fr(0, 6), mon(0, 150), pa(0, 1);
  b = batch{};
  b.from.resize(n);
  b.to.resize(n);
  b.recency.resize(n);
  b.frequency.resize(n);
  b.monetary.resize(n);
  b.p_alive.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.from[i] = static_cast<state_id>(st(rng));
    b.recency[i] = rec(rng);
    b.frequency[i] = std::floor(fr(rng));
    b.monetary[i] = mon(rng);
    b.p_alive[i] = pa(rng);
  }
  made = n;
  return b;
}

void BM_lifecycle_classify_table(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  batch& b = make_batch(n);
  const state_machine m(twenty_rows());
  feature_columns cols(n);
  cols.set(feature::recency_days, b.recency);
  cols.set(feature::frequency, b.frequency);
  cols.set(feature::monetary, b.monetary);
  cols.set(feature::p_alive, b.p_alive);
  // Check, then time: the table must agree with the switch on every customer.
  m.classify(b.from, 0, cols, b.to);
  for (std::size_t i = 0; i < n; ++i)
    if (b.to[i] != by_switch(b.from[i], b.recency[i], b.frequency[i], b.monetary[i], b.p_alive[i])) {
      state.SkipWithError("table and switch disagree");
      return;
    }
  for (auto _ : state) {
    m.classify(b.from, 0, cols, b.to);
    benchmark::DoNotOptimize(b.to.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["s_per_customer"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_lifecycle_classify_switch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  batch& b = make_batch(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      b.to[i] = by_switch(b.from[i], b.recency[i], b.frequency[i], b.monetary[i], b.p_alive[i]);
    benchmark::DoNotOptimize(b.to.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["s_per_customer"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_lifecycle_classify_table)->RangeMultiplier(10)->Range(10'000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_lifecycle_classify_switch)->RangeMultiplier(10)->Range(10'000, 10'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
