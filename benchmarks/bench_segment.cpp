// SPDX-License-Identifier: MIT
// k-means hot paths: one Lloyd iteration and whole fits on 1,000,000 customers × 5 features,
// k = 8, on one thread and on every core (the argument is the OpenMP thread count).
//
// Baseline, scikit-learn 1.2.1 (Debian 12 python3-sklearn, numpy 1.24.2), same shape (uniform
// data, 1M × 5, k = 8), KMeans(algorithm="lloyd", tol=0), OMP_NUM_THREADS=1, measured with
// tests/reference/segment_reference.py on this machine (2 vCPU AMD EPYC, shared) on 2026-11-23:
// one Lloyd iteration = (21-iteration fit − 1-iteration fit) / 20.
//   quiet machine (load ≈ 2):   sklearn 26.1–28.5 ms, median 26.2 ns/point (wall);
//   loaded machine (load ≈ 11): sklearn median 29.8 ns/point (CPU time).
// The goal (issue 8) is at least 3× faster per iteration single-threaded, i.e. ≤ 8.7 ns/point.
// Whole fits (k-means++ and Lloyd to convergence, n_init = 1): sklearn 6.7–18.6 s wall for
// 53–169 iterations under load.
//
// patron before the kernel rework (2026-11-23 13:00 UTC, load ≈ 0.4, medians of 5, wall):
// BM_lloyd_iteration/1 9.21–9.36 ns/point (2.8× sklearn's 26.2: goal not met), /2 4.44;
// BM_fit_lloyd 935 ms (1 thread) / 684 ms (2), BM_fit_hamerly 1582 / 958 ms, BM_fit_minibatch
// 475 / 437 ms. (At load ≈ 11, 12:10 UTC, CPU time: /1 9.8 ns/point, BM_fit_lloyd/1 1.04 s.)
//
// patron now (2026-11-23 17:40–18:10 UTC; medians of 5, wall; each run started with both CPUs
// ≥ 95 % idle over 3 s, 1-minute load 0.9–1.9 from another engineer's intermittent builds):
// BM_lloyd_iteration/1 median 5.2 ns/point over eight such windows (4.9–6.7; the old kernel,
// run back to back in the same windows, 9.1–11.4, median 9.7) → 5.0× faster than sklearn's
// 26.2 (3.9× even at the slowest window); /2 3.0–4.0 ns/point (median 3.5; the old kernel
// 4.9–5.0 in the same windows). Whole fits, one thread, four runs: BM_fit_lloyd/1 median
// 679 ms (638–698, 64 iterations), BM_fit_hamerly/1 1727 ms (1649–2098), BM_fit_minibatch/1
// 539 ms (496–628); two threads, only the runs the other engineer left alone (wall = CPU):
// BM_fit_lloyd/2 479–527 ms, BM_fit_hamerly/2 1106 ms, BM_fit_minibatch/2 497 ms. Hamerly
// and mini-batch do not use the block kernel in their loops: their changes are noise.
// What changed: vector loads/stores that GCC no longer splits into 16-byte halves (the halves'
// 32-byte reload failed store-to-load forwarding), and one pass per block for labels, distances
// and the M-step sums (rows added into per-cluster accumulators; src/lib/segment_kmeans.cpp).
//
// Run: bench_segment --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// ns_per_point is time per point per Lloyd iteration (wall clock).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#ifdef _OPENMP
#  include <omp.h>
#endif

#include "patron/segment/kmeans.hpp"

namespace {

namespace sg = patron::segment;

constexpr std::size_t n_points = 1'000'000, n_features = 5, n_clusters = 8;

const sg::row_matrix& points() {
  static const sg::row_matrix x = [] {
    std::mt19937_64 g(42);
    sg::row_matrix m(static_cast<Eigen::Index>(n_points), static_cast<Eigen::Index>(n_features));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j)
        m(i, j) = static_cast<double>(g() >> 11) * 0x1.0p-53;
    return m;
  }();
  return x;
}

int set_threads(const benchmark::State& state) {
  const auto t = static_cast<int>(state.range(0));
#ifdef _OPENMP
  omp_set_num_threads(t);
#endif
  return t;
}

void thread_args(benchmark::internal::Benchmark* b) {
  b->Arg(1);
#ifdef _OPENMP
  if (omp_get_num_procs() > 1) b->Arg(omp_get_num_procs());
#endif
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

void BM_lloyd_iteration(benchmark::State& state) {
  set_threads(state);
  const sg::row_matrix& x = points();
  sg::lloyd_iteration lloyd(x);
  sg::row_matrix c = x.topRows(n_clusters);
  std::vector<std::int32_t> labels(n_points, -1);
  double inertia = lloyd.step(c, labels);  // warm-up; check the result is sane
  if (!(inertia > 0.0)) state.SkipWithError("inertia not positive");
  for (auto _ : state) {
    inertia = lloyd.step(c, labels);
    benchmark::DoNotOptimize(inertia);
  }
  state.counters["ns_per_point"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n_points) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_lloyd_iteration)->Apply(thread_args);

void fit(benchmark::State& state, sg::kmeans_algorithm alg) {
  set_threads(state);
  const sg::row_matrix& x = points();
  sg::kmeans_options o;
  o.k = n_clusters;
  o.n_init = 1;
  o.seed = 1;
  o.algorithm = alg;
  std::size_t iterations = 0;
  for (auto _ : state) {
    const sg::kmeans_result r = sg::kmeans(x, o);
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.inertia);
  }
  state.counters["iterations"] = static_cast<double>(iterations);
}

void BM_fit_hamerly(benchmark::State& state) { fit(state, sg::kmeans_algorithm::hamerly); }
void BM_fit_lloyd(benchmark::State& state) { fit(state, sg::kmeans_algorithm::lloyd); }
BENCHMARK(BM_fit_hamerly)->Apply(thread_args);
BENCHMARK(BM_fit_lloyd)->Apply(thread_args);

void BM_fit_minibatch(benchmark::State& state) {
  set_threads(state);
  const sg::row_matrix& x = points();
  sg::kmeans_options o;
  o.k = n_clusters;
  o.n_init = 3;
  o.seed = 1;
  for (auto _ : state) {
    const sg::kmeans_result r = sg::minibatch_kmeans(x, o);
    benchmark::DoNotOptimize(r.inertia);
  }
}
BENCHMARK(BM_fit_minibatch)->Apply(thread_args);

}  // namespace

BENCHMARK_MAIN();
