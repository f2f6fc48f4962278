// SPDX-License-Identifier: MIT
// summarize() on 10 million rows of 1 million customers, and the incremental accumulator's
// daily batch and observation-end moves on a 1-million-customer state.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#ifdef __GLIBC__
#  include <malloc.h>
#endif

#include "patron/data/accumulator.hpp"
#include "patron/data/simulate.hpp"
#include "patron/data/summary.hpp"
#include "patron/detail/random.hpp"

using namespace patron;

namespace {

constexpr std::size_t n_customers = 1'000'000;
constexpr std::size_t n_rows = 10'000'000;
constexpr std::int32_t span_days = 730;
const date start = from_ymd(2022, 1, 1);

std::string customer_name(std::size_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "c%07zu", k);
  return buf;
}

/// A time-ordered log as a shop exports it: customers interleaved, uniform over two years.
const transaction_log& big_log() {
  static const transaction_log log = [] {
    transaction_log l;
    l.customers.reserve(n_customers);
    for (std::size_t k = 0; k < n_customers; ++k) (void)l.customers.intern(customer_name(k));
    l.reserve(n_rows);
    detail::xoshiro256ss g(2024);
    const double seconds = static_cast<double>(span_days) * seconds_per_day;
    for (std::size_t i = 0; i < n_rows; ++i) {
      l.customer.push_back(static_cast<std::uint32_t>(detail::uniform_index(g, n_customers)));
      const double t = (static_cast<double>(i) + detail::uniform01(g)) / n_rows * seconds;
      l.time.push_back(start_of(start) + static_cast<timestamp>(t));
      l.amount.push_back(1.0 + 99.0 * detail::uniform01(g));
    }
    return l;
  }();
  return log;
}

/// Naive reference: customers with a row and Σx = distinct (customer, day) pairs − customers,
/// by sorting packed keys (independent of summarize()'s counting sort).
std::pair<std::size_t, double> naive_counts(const transaction_log& log) {
  std::vector<std::uint64_t> keys(log.size());
  for (std::size_t i = 0; i < log.size(); ++i)
    keys[i] = (std::uint64_t{log.customer[i]} << 32) | static_cast<std::uint32_t>(day_of(log.time[i]).days);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::size_t customers = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) customers += (i == 0 || keys[i] >> 32 != keys[i - 1] >> 32);
  return {customers, static_cast<double>(keys.size() - customers)};
}

void set_per_row(benchmark::State& state, std::size_t rows) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
  // Seconds per row (shown as ns with the default time unit conversions of the counter).
  state.counters["s_per_row"] = benchmark::Counter(static_cast<double>(rows),
                                                   benchmark::Counter::kIsIterationInvariantRate |
                                                       benchmark::Counter::kInvert);
}

void BM_summary_summarize(benchmark::State& state) {
  const transaction_log& log = big_log();
#ifdef __GLIBC__
  // warm: keep freed memory in the heap so repeated calls reuse pages instead of mapping fresh
  // ones; measures the computation without the kernel's first-touch page faults.
  if (state.range(0) == 1) {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  }
#endif
  summary_options o;
  o.unit = time_unit::week();
  {  // check, then time
    const customer_summary s = summarize(log, o);
    const auto [customers, sum_x] = naive_counts(log);
    double got = 0;
    for (double v : s.x) got += v;
    if (s.size() != customers || got != sum_x) {
      state.SkipWithError("summarize() disagrees with the naive count");
      return;
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(summarize(log, o));
  set_per_row(state, log.size());
#ifdef __GLIBC__
  if (state.range(0) == 1) {  // back to glibc's defaults (dynamic thresholds)
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  }
#endif
}
BENCHMARK(BM_summary_summarize)->ArgName("warm")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Baseline: only sorting the (customer, time) pairs, what a sort-based summary would pay.
void BM_summary_sort_baseline(benchmark::State& state) {
  const transaction_log& log = big_log();
  std::vector<std::uint64_t> keys(log.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < log.size(); ++i)
      keys[i] = (std::uint64_t{log.customer[i]} << 32) |
                static_cast<std::uint32_t>(log.time[i] - start_of(start));
    std::sort(keys.begin(), keys.end());
    benchmark::DoNotOptimize(keys.data());
  }
  set_per_row(state, log.size());
}
BENCHMARK(BM_summary_sort_baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The 10M-row history loaded into an accumulator once (outside every timed loop), checked
/// against the naive count: same customers, same Σx.
struct loaded_state {
  summary_accumulator acc{time_unit::week()};
  bool ok = false;
};
loaded_state& big_state() {
  static loaded_state st = [] {
    loaded_state s;
    s.acc.reserve(n_customers);
    s.acc.add(big_log());
    const auto [customers, sum_x] = naive_counts(big_log());
    double got = 0;
    for (double v : s.acc.profiles().x) got += v;
    s.ok = s.acc.size() == customers && got == sum_x && s.acc.rows() == n_rows;
    return s;
  }();
  return st;
}

/// One day's batch: 10,000 rows of random existing customers, each batch on the next day (so the
/// observation end moves and T is rewritten, as in daily use). Batches for a fixed number of
/// iterations are built before the loop.
constexpr int day_batches = 40;
void BM_summary_accumulator_add_day(benchmark::State& state) {
  if (!big_state().ok) {
    state.SkipWithError("the accumulator disagrees with the naive count");
    return;
  }
  summary_accumulator& acc = big_state().acc;
  detail::xoshiro256ss g(7);
  std::vector<transaction_log> batches(day_batches);
  const date next = *acc.observation_end() + 1;
  for (std::size_t k = 0; k < batches.size(); ++k) {
    const timestamp t = start_of(next + static_cast<std::int32_t>(k)) + 3600;
    for (std::size_t i = 0; i < 10'000; ++i)
      batches[k].add(customer_name(detail::uniform_index(g, n_customers)), t,
                     1.0 + 99.0 * detail::uniform01(g));
  }
  std::size_t k = 0;
  for (auto _ : state) acc.add(batches[k++]);
  set_per_row(state, 10'000);
  state.counters["customers"] = static_cast<double>(acc.size());
}
BENCHMARK(BM_summary_accumulator_add_day)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(day_batches);

/// Moving the observation end one day: rewrites T of 1M customers.
void BM_summary_accumulator_advance_to(benchmark::State& state) {
  if (!big_state().ok) {
    state.SkipWithError("the accumulator disagrees with the naive count");
    return;
  }
  summary_accumulator& acc = big_state().acc;
  for (auto _ : state) {
    acc.advance_to(*acc.observation_end() + 1);
    benchmark::DoNotOptimize(acc.profiles().T.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * acc.size()));
}
BENCHMARK(BM_summary_accumulator_advance_to)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The direct simulated summary used by parameter-recovery tests: 100,000 BG/NBD customers.
void BM_summary_simulate_summary(benchmark::State& state) {
  simulation_options o;
  o.customers = 100'000;
  for (auto _ : state) benchmark::DoNotOptimize(simulate_summary(o));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * o.customers));
}
BENCHMARK(BM_summary_simulate_summary)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
