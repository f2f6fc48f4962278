// SPDX-License-Identifier: MIT
// Cost of the C ABI: BG/NBD P(alive) for 1M customers through patron_bgnbd_p_alive (handle check,
// exception barrier, per-row input validation) beside the C++ batch call it wraps. Goal: the C
// path adds <= 2 ns per customer (issue 10). Both results are compared before timing.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "patron/c/patron.h"
#include "patron/data/simulate.hpp"
#include "patron/models/bgnbd.hpp"

namespace {

using namespace patron;

const simulated_customers& customers(std::size_t n) {
  static std::vector<std::pair<std::size_t, simulated_customers>> cache;
  for (const auto& [k, v] : cache)
    if (k == n) return v;
  simulation_options o;
  o.model = purchase_model::bg_nbd;
  o.customers = n;
  o.seed = 7;
  cache.emplace_back(n, simulate_summary(o));
  return cache.back().second;
}

void per_customer(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["ns_per_customer"] = benchmark::Counter(static_cast<double>(n) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Fader, Hardie & Lee (2005) CDNOW parameters.
constexpr double kParams[4] = {0.243, 4.414, 0.793, 2.426};

void BM_capi_palive_cpp(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& s = customers(n).summary;
  const customer_summary_view v(s);
  const bgnbd m({kParams[0], kParams[1], kParams[2], kParams[3]});
  std::vector<double> out(n);
  for (auto _ : state) {
    m.p_alive(v, out);
    benchmark::DoNotOptimize(out.data());
  }
  per_customer(state, n);
}

void BM_capi_palive_c(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& s = customers(n).summary;
  const customer_summary_view v(s);
  patron_bgnbd* h = nullptr;
  if (patron_bgnbd_new(kParams, 4, 7.0, &h) != PATRON_OK) {
    state.SkipWithError(patron_last_error());
    return;
  }
  // Check, then time: the C path must give the C++ batch's values bit for bit.
  std::vector<double> out(n), ref(n);
  bgnbd({kParams[0], kParams[1], kParams[2], kParams[3]}).p_alive(v, ref);
  if (patron_bgnbd_p_alive(h, s.x.data(), s.t_x.data(), s.T.data(), n, out.data()) != PATRON_OK ||
      std::memcmp(out.data(), ref.data(), n * sizeof(double)) != 0)
    state.SkipWithError("C ABI result differs from the C++ batch call");
  for (auto _ : state) {
    benchmark::DoNotOptimize(patron_bgnbd_p_alive(h, s.x.data(), s.t_x.data(), s.T.data(), n, out.data()));
    benchmark::DoNotOptimize(out.data());
  }
  per_customer(state, n);
  patron_bgnbd_free(h);
}

}  // namespace

BENCHMARK(BM_capi_palive_cpp)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_capi_palive_c)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
