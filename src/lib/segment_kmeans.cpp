// SPDX-License-Identifier: MIT
// k-means: greedy k-means++ seeding, Lloyd and Hamerly iterations, mini-batch k-means.
//
// Determinism: every sum over points is taken per fixed chunk (chunk_size(), a function of k
// and d only) and the chunk results are added in chunk order, so the thread count never
// changes a bit of the result. Random draws use std::mt19937_64 (its output is fixed by the
// standard) turned into doubles by hand (53 high bits), not std::uniform_*_distribution,
// whose output differs between standard libraries.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "patron/error.hpp"
#include "patron/segment/kmeans.hpp"

#ifdef _OPENMP
#  define PATRON_OMP_PARALLEL_FOR _Pragma("omp parallel for schedule(static)")
#else
#  define PATRON_OMP_PARALLEL_FOR
#endif

namespace patron::inline v1::segment {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr std::size_t block_size = 256;  // points per kernel call: the scratch stays in L1

std::size_t chunk_size(std::size_t k, std::size_t d) {
  return std::max<std::size_t>(4096, 8 * k * d);
}

std::size_t chunk_count(std::size_t n, std::size_t chunk) { return (n + chunk - 1) / chunk; }

double unit_draw(std::mt19937_64& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;  // [0, 1)
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// ---------------------------------------------------------------------------------------------
// Points in two layouts: rows (for per-point work: Hamerly, seeding) and columns
// (structure of arrays, for the blocked Lloyd kernel).
struct dataset {
  std::size_t n = 0, d = 0;
  const double* rows = nullptr;  // caller's memory, row i at rows + i * row_stride
  std::size_t row_stride = 0;
  std::vector<double> cols;  // d × n
  std::vector<double> w;     // n (empty = all 1)

  [[nodiscard]] const double* row(std::size_t i) const { return rows + i * row_stride; }
  [[nodiscard]] double weight(std::size_t i) const { return w.empty() ? 1.0 : w[i]; }
};

dataset make_dataset(const Eigen::Ref<const row_matrix>& points, std::span<const double> weights,
                     bool need_columns) {
  dataset ds;
  ds.n = static_cast<std::size_t>(points.rows());
  ds.d = static_cast<std::size_t>(points.cols());
  ds.rows = points.data();
  ds.row_stride = static_cast<std::size_t>(points.outerStride());
  if (need_columns) {
    ds.cols.resize(ds.n * ds.d);
    for (std::size_t i = 0; i < ds.n; ++i)
      for (std::size_t j = 0; j < ds.d; ++j) ds.cols[j * ds.n + i] = ds.row(i)[j];
  }
  if (!weights.empty()) ds.w.assign(weights.begin(), weights.end());
  return ds;
}

inline double sqdist(const double* a, const double* b, std::size_t d) {
  double s = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Vector loads and stores for the kernels below. Not std::memcpy into a vector: under GCC's
// generic tuning that copies 32 bytes as two 16-byte halves into a stack slot, and the 32-byte
// reload of the slot then misses store-to-load forwarding and stalls (it cost about a third of
// a Lloyd iteration). These unaligned, aliasing vector types load and store whole vectors.
using v4d = double __attribute__((vector_size(32)));
using v4d_u = double __attribute__((vector_size(32), aligned(8), may_alias));

[[gnu::always_inline]] inline void load(v4d& v, const double* p) {
  v = *reinterpret_cast<const v4d_u*>(p);
}
[[gnu::always_inline]] inline void store(double* p, const v4d& v) {
  *reinterpret_cast<v4d_u*>(p) = v;
}

using v4i = std::int32_t __attribute__((vector_size(16)));
using v4i_u = std::int32_t __attribute__((vector_size(16), aligned(4), may_alias));

[[gnu::always_inline]] inline void load(v4i& v, const std::int32_t* p) {
  v = *reinterpret_cast<const v4i_u*>(p);
}
[[gnu::always_inline]] inline void store(std::int32_t* p, const v4i& v) {
  *reinterpret_cast<v4i_u*>(p) = v;
}

// ---------------------------------------------------------------------------------------------
// The Lloyd kernel: for `count` ≤ block_size points given as columns (x[j * n + i]), the nearest
// centroid, its squared distance, the number of labels that changed, and (unweighted) the
// M-step sums, all in one pass over the block.
//
// Distances: for a compile-time d the loop over points is straight-line code on GCC vector
// types (AVX2, or pairs of SSE2 operations); the labels ride along as doubles so compare and
// select stay one width. The per-point sum runs over features in order, exactly as sqdist()
// does, and ties keep the lower cluster index.
//
// Sums: each group of four points is transposed in registers into four rows
// (x_0, ..., x_{d-1}, 1, 0 padding) and each row is added into its cluster's row of a small
// accumulator in L1, so a point costs about one vector add per four features instead of one
// masked add per cluster and feature. Point t of a block goes to accumulator copy t mod 8, so
// runs of one label (sorted or clustered data) do not queue behind one store-to-load chain.
// The copies are added in a fixed tree at the end of the block: the bits depend only on the
// data and the block boundaries, never on the instruction set or the thread count. For
// k > acc_max_k (the copies would outgrow L1) the sums are a scalar scatter instead.

constexpr std::size_t acc_copies = 8;
constexpr std::size_t acc_max_k = 32;  // larger k: a scalar scatter straight into the partials

// Accumulator row width for d features: d coordinates, the count, zero padding to whole v4d.
constexpr std::size_t acc_width(std::size_t d) { return (d + 1 + 3) / 4 * 4; }

// Column j of the accumulator rows for four points: x_j, then the count (1), then padding.
template <int D>
[[gnu::always_inline]] inline void column(v4d& v, const v4d* xc, std::size_t j) {
  const v4d zero = {0.0, 0.0, 0.0, 0.0}, one = {1.0, 1.0, 1.0, 1.0};
  v = j < D ? xc[j] : (j == D ? one : zero);
}

// Adds four points (columns xc[0..D), labels l[0..4)) into accumulator copies u0..u0+3.
template <int D>
[[gnu::always_inline]] inline void add_rows4(const v4d* xc, const std::int32_t* l, double* acc,
                                             std::size_t k, std::size_t u0) {
  constexpr std::size_t w = acc_width(D);
  for (std::size_t g = 0; g < w; g += 4) {
    v4d a, b, c, d;
    column<D>(a, xc, g);
    column<D>(b, xc, g + 1);
    column<D>(c, xc, g + 2);
    column<D>(d, xc, g + 3);
    const v4d t0 = __builtin_shufflevector(a, b, 0, 4, 2, 6);
    const v4d t1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
    const v4d t2 = __builtin_shufflevector(c, d, 0, 4, 2, 6);
    const v4d t3 = __builtin_shufflevector(c, d, 1, 5, 3, 7);
    const v4d r[4] = {
        __builtin_shufflevector(t0, t2, 0, 1, 4, 5), __builtin_shufflevector(t1, t3, 0, 1, 4, 5),
        __builtin_shufflevector(t0, t2, 2, 3, 6, 7), __builtin_shufflevector(t1, t3, 2, 3, 6, 7)};
    for (std::size_t p = 0; p < 4; ++p) {
      double* row = acc + ((u0 + p) * k + static_cast<std::size_t>(l[p])) * w + g;
      v4d s;
      load(s, row);
      store(row, s + r[p]);
    }
  }
}

// q[c·d + j] += Σ of the copies' coordinate j, q[k·d + c] += their count.
template <int D>
[[gnu::always_inline]] inline void flush_rows(const double* acc, std::size_t k, double* q) {
  constexpr std::size_t w = acc_width(D);
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t g = 0; g < w; g += 4) {
      v4d a[acc_copies];
      for (std::size_t u = 0; u < acc_copies; ++u) {
        load(a[u], acc + (u * k + c) * w + g);
      }
      const v4d s = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
      for (std::size_t j = 0; j < 4 && g + j <= static_cast<std::size_t>(D); ++j) {
        if (g + j < static_cast<std::size_t>(D))
          q[c * D + g + j] += s[j];
        else
          q[k * D + c] += s[j];
      }
    }
  }
}

// Returns the number of labels that changed. label[] holds the previous labels on entry and
// the new ones on exit; best[] gets the squared distances. With q (a chunk's partials:
// sums k × d, counts k, inertia), adds the block's unweighted sums, counts and inertia.
template <int D>
[[gnu::always_inline]] inline std::size_t nearest_block_impl(
    const double* __restrict x, std::size_t n, std::size_t d_runtime, std::size_t count,
    const double* __restrict c, std::size_t k, double* __restrict best,
    std::int32_t* __restrict label, double* __restrict q) {
  const std::size_t d = D > 0 ? static_cast<std::size_t>(D) : d_runtime;
  std::size_t moved = 0;
  if constexpr (D > 0) {
    const bool rows = q != nullptr && k <= acc_max_k;
    alignas(64) double acc[acc_copies * acc_max_k * acc_width(D)];
    if (rows) std::memset(acc, 0, acc_copies * k * acc_width(D) * sizeof(double));
    // Eight points at a time in registers, as two independent groups of four (two dependency
    // chains hide the compare/blend latency): their D coordinates are loaded once and compared
    // with every centroid.
    v4d inertia_a = {0.0, 0.0, 0.0, 0.0}, inertia_b = inertia_a;
    v4i moved_v = {0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
      v4d xa[D], xb[D];
      for (int j = 0; j < D; ++j) {
        // One cache line of each column per 8 points; fetch the line 16 groups ahead.
        __builtin_prefetch(x + static_cast<std::size_t>(j) * n + i + 128);
        load(xa[j], x + static_cast<std::size_t>(j) * n + i);
        load(xb[j], x + static_cast<std::size_t>(j) * n + i + 4);
      }
      v4d ba = {inf, inf, inf, inf}, bb = ba;
      v4d la = {0.0, 0.0, 0.0, 0.0}, lb = la, cv = la;
      const v4d one = {1.0, 1.0, 1.0, 1.0};
      for (std::size_t cc = 0; cc < k; ++cc, cv += one) {
        const double* cj = c + cc * d;
        // Starting from the first square instead of 0 + square saves an add and is exact
        // (t² ≥ +0), so the bits still match sqdist().
        v4d sa = (xa[0] - cj[0]) * (xa[0] - cj[0]);
        v4d sb = (xb[0] - cj[0]) * (xb[0] - cj[0]);
        for (int j = 1; j < D; ++j) {
          const v4d ta = xa[j] - cj[j];
          const v4d tb = xb[j] - cj[j];
          sa += ta * ta;
          sb += tb * tb;
        }
        const auto lta = sa < ba;
        const auto ltb = sb < bb;
        ba = lta ? sa : ba;
        bb = ltb ? sb : bb;
        la = lta ? cv : la;
        lb = ltb ? cv : lb;
      }
      store(best + i, ba);
      store(best + i + 4, bb);
      inertia_a += ba;
      inertia_b += bb;
      const v4i na = __builtin_convertvector(la, v4i), nb = __builtin_convertvector(lb, v4i);
      v4i oa, ob;
      load(oa, label + i);
      load(ob, label + i + 4);
      moved_v -= (oa != na) + (ob != nb);  // -1 per changed label
      store(label + i, na);
      store(label + i + 4, nb);
      if (rows) {
        add_rows4<D>(xa, label + i, acc, k, 0);
        add_rows4<D>(xb, label + i + 4, acc, k, 4);
      }
    }
    moved = static_cast<std::size_t>((moved_v[0] + moved_v[1]) + (moved_v[2] + moved_v[3]));
    const v4d in = inertia_a + inertia_b;
    double inertia = (in[0] + in[1]) + (in[2] + in[3]);
    for (; i < count; ++i) {  // the last 1-7 points
      double bi = inf;
      std::int32_t li = 0;
      for (std::size_t cc = 0; cc < k; ++cc) {
        double sum = 0.0;
        for (int j = 0; j < D; ++j) {
          const double t =
              x[static_cast<std::size_t>(j) * n + i] - c[cc * d + static_cast<std::size_t>(j)];
          sum += t * t;
        }
        if (sum < bi) {
          bi = sum;
          li = static_cast<std::int32_t>(cc);
        }
      }
      best[i] = bi;
      moved += label[i] != li ? 1 : 0;
      label[i] = li;
      inertia += bi;
      if (rows) {
        double* row = acc + ((i % acc_copies) * k + static_cast<std::size_t>(li)) * acc_width(D);
        for (int j = 0; j < D; ++j) row[j] += x[static_cast<std::size_t>(j) * n + i];
        row[D] += 1.0;
      }
    }
    if (q != nullptr) {
      if (rows) {
        flush_rows<D>(acc, k, q);
      } else {
        for (std::size_t j = 0; j < d; ++j)
          for (std::size_t t = 0; t < count; ++t)
            q[static_cast<std::size_t>(label[t]) * d + j] += x[j * n + t];
        for (std::size_t t = 0; t < count; ++t)
          q[k * d + static_cast<std::size_t>(label[t])] += 1.0;
      }
      q[k * d + k] += inertia;
    }
  } else {
    alignas(64) double lab[block_size];
    for (std::size_t i = 0; i < count; ++i) {
      best[i] = inf;
      lab[i] = 0.0;
    }
    alignas(64) double dist[block_size];
    for (std::size_t cc = 0; cc < k; ++cc) {
      for (std::size_t i = 0; i < count; ++i) dist[i] = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        const double cj = c[cc * d + j];
        const double* xj = x + j * n;
        for (std::size_t i = 0; i < count; ++i) {
          const double t = xj[i] - cj;
          dist[i] += t * t;
        }
      }
      const double cl = static_cast<double>(cc);
      for (std::size_t i = 0; i < count; ++i) {
        const bool lt = dist[i] < best[i];
        best[i] = lt ? dist[i] : best[i];
        lab[i] = lt ? cl : lab[i];
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      const auto li = static_cast<std::int32_t>(lab[i]);
      moved += label[i] != li ? 1 : 0;
      label[i] = li;
    }
    if (q != nullptr) {
      for (std::size_t j = 0; j < d; ++j)
        for (std::size_t t = 0; t < count; ++t)
          q[static_cast<std::size_t>(label[t]) * d + j] += x[j * n + t];
      double inertia = 0.0;
      for (std::size_t t = 0; t < count; ++t) {
        q[k * d + static_cast<std::size_t>(label[t])] += 1.0;
        inertia += best[t];
      }
      q[k * d + k] += inertia;
    }
  }
  return moved;
}

// See nearest_block_impl.
using nearest_block_fn = std::size_t (*)(const double*, std::size_t, std::size_t, std::size_t,
                                         const double*, std::size_t, double*, std::int32_t*,
                                         double*);

// Two builds of each kernel: baseline x86-64 (SSE2) and AVX2, chosen once at run time, so the
// installed library runs on any x86-64 (ARCHITECTURE.md). No FMA: both give identical bits.
template <int D>
std::size_t nearest_block_base(const double* x, std::size_t n, std::size_t d, std::size_t count,
                               const double* c, std::size_t k, double* best, std::int32_t* label,
                               double* q) {
  return nearest_block_impl<D>(x, n, d, count, c, k, best, label, q);
}

#if defined(__x86_64__) && defined(__GNUC__)
template <int D>
[[gnu::target("avx2")]] std::size_t nearest_block_avx2(const double* x, std::size_t n,
                                                       std::size_t d, std::size_t count,
                                                       const double* c, std::size_t k, double* best,
                                                       std::int32_t* label, double* q) {
  return nearest_block_impl<D>(x, n, d, count, c, k, best, label, q);
}
#endif

template <int D>
nearest_block_fn pick_kernel() {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx2")) return &nearest_block_avx2<D>;
#endif
  return &nearest_block_base<D>;
}

nearest_block_fn kernel_for(std::size_t d) {
  switch (d) {
    case 1:
      return pick_kernel<1>();
    case 2:
      return pick_kernel<2>();
    case 3:
      return pick_kernel<3>();
    case 4:
      return pick_kernel<4>();
    case 5:
      return pick_kernel<5>();
    case 6:
      return pick_kernel<6>();
    case 7:
      return pick_kernel<7>();
    case 8:
      return pick_kernel<8>();
    default:
      return pick_kernel<0>();
  }
}

// ---------------------------------------------------------------------------------------------
// Per-chunk partial results, reduced in chunk order.
struct partials {
  std::size_t k = 0, d = 0, stride = 0;
  std::vector<double> v;  // per chunk: sums (k·d), weights (k), inertia (1), changed (1)

  void reset(std::size_t chunks, std::size_t k_, std::size_t d_) {
    k = k_;
    d = d_;
    stride = k * d + k + 2;
    v.assign(chunks * stride, 0.0);
  }
  double* chunk(std::size_t c) { return v.data() + c * stride; }
};

struct reduced {
  std::vector<double> sums;    // k × d
  std::vector<double> weight;  // k
  double inertia = 0.0;
  std::size_t changed = 0;
};

void reduce(partials& p, std::size_t chunks, reduced& r) {
  r.sums.assign(p.k * p.d, 0.0);
  r.weight.assign(p.k, 0.0);
  r.inertia = 0.0;
  double changed = 0.0;
  for (std::size_t c = 0; c < chunks; ++c) {
    const double* q = p.chunk(c);
    for (std::size_t t = 0; t < p.k * p.d; ++t) r.sums[t] += q[t];
    for (std::size_t t = 0; t < p.k; ++t) r.weight[t] += q[p.k * p.d + t];
    r.inertia += q[p.k * p.d + p.k];
    changed += q[p.k * p.d + p.k + 1];
  }
  r.changed = static_cast<std::size_t>(changed);
}

// Adds point i (label a, squared distance d2) into a chunk's partials.
inline void accumulate(const dataset& ds, std::size_t i, std::int32_t a, double d2, double* q,
                       std::size_t k) {
  const double wi = ds.weight(i);
  const double* x = ds.row(i);
  double* s = q + static_cast<std::size_t>(a) * ds.d;
  for (std::size_t j = 0; j < ds.d; ++j) s[j] += wi * x[j];
  q[k * ds.d + static_cast<std::size_t>(a)] += wi;
  q[k * ds.d + k] += wi * d2;
}

// Full assignment of every point (Lloyd's E-step) plus the sums for the M-step.
// Writes labels and (if dist2 is not empty) squared distances; counts label changes against
// the labels passed in.
void lloyd_assign(const dataset& ds, const row_matrix& centroids, std::span<std::int32_t> labels,
                  std::span<double> dist2, partials& p, reduced& r) {
  const bool keep_d2 = !dist2.empty();
  const std::size_t k = static_cast<std::size_t>(centroids.rows());
  const std::size_t chunk = chunk_size(k, ds.d);
  const std::size_t chunks = chunk_count(ds.n, chunk);
  p.reset(chunks, k, ds.d);
  const nearest_block_fn kernel = kernel_for(ds.d);
  const double* c = centroids.data();
  PATRON_OMP_PARALLEL_FOR
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    const std::size_t b = ch * chunk, e = std::min(ds.n, b + chunk);
    double* q = p.chunk(ch);
    alignas(64) double scratch[block_size];
    std::size_t changed = 0;
    for (std::size_t bb = b; bb < e; bb += block_size) {
      const std::size_t count = std::min(block_size, e - bb);
      double* best = keep_d2 ? dist2.data() + bb : scratch;
      std::int32_t* lab = labels.data() + bb;
      changed += kernel(ds.cols.data() + bb, ds.n, ds.d, count, c, k, best, lab,
                        ds.w.empty() ? q : nullptr);
      if (!ds.w.empty()) {
        // Weighted sums one feature at a time (the block's column is in L1).
        const double* w = ds.w.data() + bb;
        for (std::size_t j = 0; j < ds.d; ++j) {
          const double* xj = ds.cols.data() + j * ds.n + bb;
          for (std::size_t t = 0; t < count; ++t)
            q[static_cast<std::size_t>(lab[t]) * ds.d + j] += w[t] * xj[t];
        }
        double* wsum = q + k * ds.d;
        for (std::size_t t = 0; t < count; ++t) wsum[static_cast<std::size_t>(lab[t])] += w[t];
        double acc = 0.0;
        for (std::size_t t = 0; t < count; ++t) acc += w[t] * best[t];
        q[k * ds.d + k] += acc;
      }
    }
    q[k * ds.d + k + 1] = static_cast<double>(changed);
  }
  reduce(p, chunks, r);
}

// ---------------------------------------------------------------------------------------------
// Seeding.

// Index drawn with probability ∝ mass[i] (Σ over chunks in `chunk_mass`, in order); only an
// index with mass > 0 can be returned.
std::size_t draw_index(std::span<const double> mass, std::span<const double> chunk_mass,
                       std::size_t chunk, double total, std::mt19937_64& g) {
  const double r = unit_draw(g) * total;
  double acc = 0.0;
  std::size_t last_positive = mass.size();
  for (std::size_t ch = 0; ch < chunk_mass.size(); ++ch) {
    if (chunk_mass[ch] <= 0.0) continue;
    const std::size_t b = ch * chunk, e = std::min(mass.size(), b + chunk);
    if (acc + chunk_mass[ch] <= r && ch + 1 < chunk_mass.size()) {
      acc += chunk_mass[ch];
      for (std::size_t i = e; i-- > b;)
        if (mass[i] > 0.0) {
          last_positive = i;
          break;
        }
      continue;
    }
    for (std::size_t i = b; i < e; ++i) {
      if (mass[i] <= 0.0) continue;
      acc += mass[i];
      last_positive = i;
      if (acc > r) return i;
    }
  }
  return last_positive;  // rounding left r at the very end: the last point with mass
}

struct seeder {
  const dataset& ds;
  std::size_t chunk;
  std::size_t chunks;

  // Σ_i w_i · min(d2[i], ‖x_i − c‖²) per chunk; writes the per-chunk sums.
  double potential_with(const double* c, std::span<const double> d2, std::vector<double>& per_chunk,
                        bool update, std::span<double> d2_out) const {
    per_chunk.assign(chunks, 0.0);
    PATRON_OMP_PARALLEL_FOR
    for (std::size_t ch = 0; ch < chunks; ++ch) {
      const std::size_t b = ch * chunk, e = std::min(ds.n, b + chunk);
      double s = 0.0;
      for (std::size_t i = b; i < e; ++i) {
        const double v = std::min(d2[i], sqdist(ds.row(i), c, ds.d));
        if (update) d2_out[i] = v;
        s += ds.weight(i) * v;
      }
      per_chunk[ch] = s;
    }
    double total = 0.0;
    for (double s : per_chunk) total += s;
    return total;
  }
};

[[noreturn]] void too_few_distinct(std::size_t k, std::size_t found) {
  throw invalid_argument_error("kmeans", "k", std::to_string(k),
                               "only " + std::to_string(found) +
                                   " distinct points with positive weight: k must not exceed it");
}

row_matrix seed_centroids(const dataset& ds, const kmeans_options& o, std::mt19937_64& g,
                          std::size_t& evaluations) {
  const std::size_t k = o.k, n = ds.n, d = ds.d;
  row_matrix c(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(d));
  const std::size_t chunk = chunk_size(1, d);
  const seeder sd{ds, chunk, chunk_count(n, chunk)};
  std::vector<double> d2(n, inf), mass(n), per_chunk(sd.chunks);
  // The first centre: ∝ weight.
  double total = 0.0;
  for (std::size_t ch = 0; ch < sd.chunks; ++ch) {
    double s = 0.0;
    for (std::size_t i = ch * chunk, e = std::min(n, ch * chunk + chunk); i < e; ++i) {
      mass[i] = ds.weight(i);
      s += mass[i];
    }
    per_chunk[ch] = s;
    total += s;
  }
  std::size_t first = draw_index(mass, per_chunk, chunk, total, g);
  std::copy_n(ds.row(first), d, c.row(0).data());
  double pot = sd.potential_with(ds.row(first), d2, per_chunk, true, d2);
  evaluations += n;
  const std::size_t trials =
      o.init == seeding::random
          ? 1
          : (o.local_trials > 0 ? o.local_trials
                                : 2 + static_cast<std::size_t>(std::log(static_cast<double>(k))));
  std::vector<double> cand_chunk;
  for (std::size_t cc = 1; cc < k; ++cc) {
    // Sampling mass: w·D² for k-means++, w·[D² > 0] for random (distinct points only).
    for (std::size_t i = 0; i < n; ++i)
      mass[i] =
          o.init == seeding::random ? (d2[i] > 0.0 ? ds.weight(i) : 0.0) : ds.weight(i) * d2[i];
    double mtotal = 0.0;
    for (std::size_t ch = 0; ch < sd.chunks; ++ch) {
      double s = 0.0;
      for (std::size_t i = ch * chunk, e = std::min(n, ch * chunk + chunk); i < e; ++i)
        s += mass[i];
      per_chunk[ch] = s;
      mtotal += s;
    }
    if (!(mtotal > 0.0)) too_few_distinct(k, cc);
    std::size_t best_index = n;
    double best_pot = inf;
    for (std::size_t t = 0; t < trials; ++t) {
      const std::size_t cand = draw_index(mass, per_chunk, chunk, mtotal, g);
      if (trials == 1) {
        best_index = cand;
        break;
      }
      const double p = sd.potential_with(ds.row(cand), d2, cand_chunk, false, {});
      evaluations += n;
      if (p < best_pot) {
        best_pot = p;
        best_index = cand;
      }
    }
    std::copy_n(ds.row(best_index), d, c.row(static_cast<Eigen::Index>(cc)).data());
    pot = sd.potential_with(ds.row(best_index), d2, cand_chunk, true, d2);
    evaluations += n;
  }
  (void)pot;
  return c;
}

// ---------------------------------------------------------------------------------------------
// M-step with the empty-cluster policy. Returns Σ_j ‖shift_j‖²; `moved` says whether points
// were relocated (their labels and the sums changed).
double update_centroids(const dataset& ds, row_matrix& c, reduced& r,
                        std::vector<std::int32_t>& labels, std::vector<double>& dist2,
                        empty_cluster_policy policy, bool& moved, std::vector<double>& shifts) {
  const std::size_t k = static_cast<std::size_t>(c.rows()), d = ds.d;
  moved = false;
  std::vector<std::size_t> empty;
  for (std::size_t j = 0; j < k; ++j)
    if (!(r.weight[j] > 0.0)) empty.push_back(j);
  if (!empty.empty()) {
    if (policy == empty_cluster_policy::error)
      throw numeric_error("kmeans", "cluster " + std::to_string(empty.front()) +
                                        " lost all its points (empty_cluster_policy::error)");
    if (policy == empty_cluster_policy::relocate_farthest) {
      // Farthest points first (index order on ties), positive weight and distance only.
      std::vector<std::size_t> order;
      for (std::size_t i = 0; i < ds.n; ++i)
        if (ds.weight(i) > 0.0 && dist2[i] > 0.0) order.push_back(i);
      const std::size_t take = std::min(order.size(), empty.size());
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take),
                        order.end(), [&](std::size_t a, std::size_t b) {
                          return dist2[a] > dist2[b] || (dist2[a] == dist2[b] && a < b);
                        });
      for (std::size_t t = 0; t < take; ++t) {
        const std::size_t i = order[t];
        const auto from = static_cast<std::size_t>(labels[i]);
        if (r.weight[from] <= ds.weight(i)) continue;  // would empty its own cluster
        const std::size_t to = empty[t];
        const double wi = ds.weight(i);
        for (std::size_t j = 0; j < d; ++j) {
          r.sums[from * d + j] -= wi * ds.row(i)[j];
          r.sums[to * d + j] = wi * ds.row(i)[j];
        }
        r.weight[from] -= wi;
        r.weight[to] = wi;
        labels[i] = static_cast<std::int32_t>(to);
        dist2[i] = 0.0;
        moved = true;
      }
    }
  }
  double total = 0.0;
  shifts.assign(k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    if (!(r.weight[j] > 0.0)) continue;  // keep: the centroid stays
    double s2 = 0.0;
    for (std::size_t t = 0; t < d; ++t) {
      const double v = r.sums[j * d + t] / r.weight[j];
      const double diff = v - c(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(t));
      s2 += diff * diff;
      c(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(t)) = v;
    }
    shifts[j] = std::sqrt(s2);
    total += s2;
  }
  return total;
}

// Half the distance from each centroid to its nearest other centroid (Hamerly's s(j)).
void half_gaps(const row_matrix& c, std::vector<double>& s) {
  const std::size_t k = static_cast<std::size_t>(c.rows()), d = static_cast<std::size_t>(c.cols());
  s.assign(k, inf);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b) {
      const double v = std::sqrt(sqdist(c.row(static_cast<Eigen::Index>(a)).data(),
                                        c.row(static_cast<Eigen::Index>(b)).data(), d));
      s[a] = std::min(s[a], v);
      s[b] = std::min(s[b], v);
    }
  for (double& v : s) v *= 0.5;
}

struct run_result {
  row_matrix centroids;
  std::vector<std::int32_t> labels;
  std::vector<double> dist2;
  reduced r;
  std::size_t iterations = 0;
  kmeans_status status = kmeans_status::max_iterations;
  std::vector<double> history;
  std::size_t evaluations = 0;
};

double exact_inertia(const dataset& ds, const row_matrix& c,
                     const std::vector<std::int32_t>& labels) {
  const std::size_t chunk = chunk_size(1, ds.d), chunks = chunk_count(ds.n, chunk);
  std::vector<double> part(chunks, 0.0);
  PATRON_OMP_PARALLEL_FOR
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    double s = 0.0;
    for (std::size_t i = ch * chunk, e = std::min(ds.n, ch * chunk + chunk); i < e; ++i)
      s += ds.weight(i) * sqdist(ds.row(i), c.row(labels[i]).data(), ds.d);
    part[ch] = s;
  }
  double t = 0.0;
  for (double v : part) t += v;
  return t;
}

void run_lloyd(const dataset& ds, const kmeans_options& o, double tol_abs, run_result& out) {
  partials p;
  out.labels.assign(ds.n, -1);
  out.dist2.assign(ds.n, 0.0);
  std::vector<double> shifts;
  lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
  out.evaluations += ds.n * o.k;
  if (o.track_inertia) out.history.push_back(out.r.inertia);
  bool consistent = true;
  for (std::size_t it = 1; it <= o.max_iterations; ++it) {
    bool moved = false;
    const double shift = update_centroids(ds, out.centroids, out.r, out.labels, out.dist2,
                                          o.empty_clusters, moved, shifts);
    out.iterations = it;
    consistent = false;
    if (shift <= tol_abs) {
      out.status = kmeans_status::converged;
      break;
    }
    lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
    out.evaluations += ds.n * o.k;
    consistent = true;
    if (o.track_inertia) out.history.push_back(out.r.inertia);
    if (out.r.changed == 0) {
      out.status = kmeans_status::converged;
      break;
    }
  }
  if (!consistent) {
    lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
    out.evaluations += ds.n * o.k;
  }
}

// Hamerly (2010), Algorithm 2, with the bounds kept on Euclidean (not squared) distances.
void run_hamerly(const dataset& ds, const kmeans_options& o, double tol_abs, run_result& out) {
  const std::size_t n = ds.n, d = ds.d, k = o.k;
  partials p;
  out.labels.assign(n, -1);
  out.dist2.assign(n, 0.0);
  std::vector<double> upper(n), lower(n), gaps, shifts;
  const std::size_t chunk = chunk_size(k, d), chunks = chunk_count(n, chunk);
  // The first assignment is an exact one; the bounds start tight.
  lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
  out.evaluations += n * k;
  bool bounds_valid = false;  // set once the loop recomputes second-nearest distances
  if (o.track_inertia) out.history.push_back(out.r.inertia);
  std::vector<double> evals(chunks);
  for (std::size_t it = 1; it <= o.max_iterations; ++it) {
    bool moved = false;
    const double shift = update_centroids(ds, out.centroids, out.r, out.labels, out.dist2,
                                          o.empty_clusters, moved, shifts);
    out.iterations = it;
    if (shift <= tol_abs) {
      out.status = kmeans_status::converged;
      break;
    }
    if (moved) bounds_valid = false;
    // Largest and second-largest centroid moves, for the lower bounds.
    std::size_t r1 = 0;
    for (std::size_t j = 1; j < k; ++j)
      if (shifts[j] > shifts[r1]) r1 = j;
    double p2 = 0.0;
    for (std::size_t j = 0; j < k; ++j)
      if (j != r1) p2 = std::max(p2, shifts[j]);
    const double p1 = shifts[r1];
    half_gaps(out.centroids, gaps);
    const double* c = out.centroids.data();
    p.reset(chunks, k, d);
    PATRON_OMP_PARALLEL_FOR
    for (std::size_t ch = 0; ch < chunks; ++ch) {
      double* q = p.chunk(ch);
      double changed = 0.0, ev = 0.0;
      for (std::size_t i = ch * chunk, e = std::min(n, ch * chunk + chunk); i < e; ++i) {
        std::int32_t a = out.labels[i];
        const double* x = ds.row(i);
        bool recompute = !bounds_valid;
        if (!recompute) {
          upper[i] += shifts[static_cast<std::size_t>(a)];
          lower[i] -= static_cast<std::size_t>(a) == r1 ? p2 : p1;
          const double m = std::max(gaps[static_cast<std::size_t>(a)], lower[i]);
          if (upper[i] > m) {
            upper[i] = std::sqrt(sqdist(x, c + static_cast<std::size_t>(a) * d, d));
            ev += 1.0;
            recompute = upper[i] > m;
          }
        }
        if (recompute) {
          double b1 = inf, b2 = inf;
          std::int32_t l1 = 0;
          for (std::size_t j = 0; j < k; ++j) {
            const double v = sqdist(x, c + j * d, d);
            if (v < b1) {
              b2 = b1;
              b1 = v;
              l1 = static_cast<std::int32_t>(j);
            } else if (v < b2) {
              b2 = v;
            }
          }
          ev += static_cast<double>(k);
          if (l1 != a) changed += 1.0;
          a = l1;
          out.labels[i] = a;
          upper[i] = std::sqrt(b1);
          lower[i] = std::sqrt(b2);
        }
        // The M-step needs only the sums; dist2 holds the upper bound squared (used to rank
        // points when a cluster empties; exact enough for that, and recomputed below if so).
        out.dist2[i] = upper[i] * upper[i];
        accumulate(ds, i, a, 0.0, q, k);
      }
      q[k * d + k + 1] = changed;
      evals[ch] = ev;
    }
    reduce(p, chunks, out.r);
    for (double v : evals) out.evaluations += static_cast<std::size_t>(v);
    bounds_valid = true;
    if (o.track_inertia) out.history.push_back(exact_inertia(ds, out.centroids, out.labels));
    if (out.r.changed == 0) {
      out.status = kmeans_status::converged;
      break;
    }
  }
  // Exact labels, distances and inertia for the final centroids (also when consistent: the
  // loop keeps only bounds, not distances).
  lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
  out.evaluations += n * k;
}

void check_finite(const Eigen::Ref<const row_matrix>& points, const char* where) {
  for (Eigen::Index i = 0; i < points.rows(); ++i)
    for (Eigen::Index j = 0; j < points.cols(); ++j)
      if (!std::isfinite(points(i, j)))
        throw numeric_error(where, "point " + std::to_string(i) + ", feature " + std::to_string(j) +
                                       " is not finite (scale features with feature_transform, "
                                       "which names the customer and column)");
}

void check_weights(std::span<const double> w, std::size_t n, const char* where) {
  if (w.empty()) return;
  if (w.size() != n)
    throw invalid_argument_error(where, "weights.size()", std::to_string(w.size()),
                                 "must equal the number of points (" + std::to_string(n) + ")");
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(w[i] >= 0.0) || !std::isfinite(w[i]))
      throw invalid_argument_error(where, "weights[" + std::to_string(i) + "]",
                                   std::to_string(w[i]), "must be finite and >= 0");
    total += w[i];
  }
  if (!(total > 0.0))
    throw invalid_argument_error(where, "weights", "all 0", "need a positive weight");
}

double mean_variance(const dataset& ds) {
  double acc = 0.0;
  for (std::size_t j = 0; j < ds.d; ++j) {
    double mean = 0.0;
    for (std::size_t i = 0; i < ds.n; ++i) mean += ds.row(i)[j];
    mean /= static_cast<double>(ds.n);
    double v = 0.0;
    for (std::size_t i = 0; i < ds.n; ++i) {
      const double t = ds.row(i)[j] - mean;
      v += t * t;
    }
    acc += v / static_cast<double>(ds.n);
  }
  return ds.d == 0 ? 0.0 : acc / static_cast<double>(ds.d);
}

// Relabels clusters: size (weight) descending, then centroid coordinates ascending.
void canonicalise(kmeans_result& res) {
  const std::size_t k = static_cast<std::size_t>(res.centroids.rows());
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (res.cluster_weight[a] != res.cluster_weight[b])
      return res.cluster_weight[a] > res.cluster_weight[b];
    const auto ra = res.centroids.row(static_cast<Eigen::Index>(a));
    const auto rb = res.centroids.row(static_cast<Eigen::Index>(b));
    return std::lexicographical_compare(ra.begin(), ra.end(), rb.begin(), rb.end());
  });
  std::vector<std::int32_t> new_label(k);
  row_matrix c(res.centroids.rows(), res.centroids.cols());
  std::vector<double> w(k);
  for (std::size_t t = 0; t < k; ++t) {
    new_label[order[t]] = static_cast<std::int32_t>(t);
    c.row(static_cast<Eigen::Index>(t)) = res.centroids.row(static_cast<Eigen::Index>(order[t]));
    w[t] = res.cluster_weight[order[t]];
  }
  for (auto& l : res.labels) l = new_label[static_cast<std::size_t>(l)];
  res.centroids = std::move(c);
  res.cluster_weight = std::move(w);
}

kmeans_result finish(run_result&& best, std::size_t best_run, bool canonical) {
  kmeans_result res;
  res.centroids = std::move(best.centroids);
  res.labels = std::move(best.labels);
  res.distances.resize(best.dist2.size());
  for (std::size_t i = 0; i < best.dist2.size(); ++i) res.distances[i] = std::sqrt(best.dist2[i]);
  res.cluster_weight = std::move(best.r.weight);
  res.inertia = best.r.inertia;
  res.iterations = best.iterations;
  res.best_run = best_run;
  res.status = best.status;
  res.inertia_history = std::move(best.history);
  if (canonical) canonicalise(res);
  return res;
}

}  // namespace

void kmeans_options::validate(std::size_t n, std::size_t d) const {
  const auto bad = [](const char* field, const std::string& value, const std::string& problem) {
    throw invalid_argument_error("kmeans", field, value, problem);
  };
  if (k < 1) bad("k", std::to_string(k), "must be >= 1");
  if (n > 0 && k > n)
    bad("k", std::to_string(k), "more clusters than points (" + std::to_string(n) + ")");
  if (n_init < 1) bad("n_init", std::to_string(n_init), "must be >= 1");
  if (!(tolerance >= 0.0) || !std::isfinite(tolerance))
    bad("tolerance", std::to_string(tolerance), "must be finite and >= 0");
  if (d < 1) bad("d", "0", "points need at least one feature");
  if (init == seeding::given) {
    if (static_cast<std::size_t>(initial_centroids.rows()) != k ||
        static_cast<std::size_t>(initial_centroids.cols()) != d)
      bad("initial_centroids",
          std::to_string(initial_centroids.rows()) + "x" + std::to_string(initial_centroids.cols()),
          "must be k x d = " + std::to_string(k) + "x" + std::to_string(d));
    if (n_init != 1) bad("n_init", std::to_string(n_init), "must be 1 with seeding::given");
    if (!initial_centroids.allFinite()) bad("initial_centroids", "non-finite", "must be finite");
  }
}

kmeans_result kmeans(const Eigen::Ref<const row_matrix>& points, const kmeans_options& options,
                     std::span<const double> weights) {
  const auto n = static_cast<std::size_t>(points.rows());
  const auto d = static_cast<std::size_t>(points.cols());
  if (n == 0) throw invalid_argument_error("kmeans", "points", "0 rows", "no points to cluster");
  options.validate(n, d);
  check_weights(weights, n, "kmeans");
  check_finite(points, "kmeans");
  const dataset ds = make_dataset(points, weights, true);
  const double tol_abs = options.tolerance * mean_variance(ds);

  run_result best;
  std::size_t best_run = 0, evaluations = 0;
  for (std::size_t run = 0; run < options.n_init; ++run) {
    run_result cur;
    std::mt19937_64 g(splitmix64(options.seed + 0x632BE59BD9B4E019ull * run));
    cur.centroids = options.init == seeding::given
                        ? options.initial_centroids
                        : seed_centroids(ds, options, g, cur.evaluations);
    const bool lloyd = options.algorithm == kmeans_algorithm::lloyd ||
                       (options.algorithm == kmeans_algorithm::automatic && d <= 8);
    if (lloyd)
      run_lloyd(ds, options, tol_abs, cur);
    else
      run_hamerly(ds, options, tol_abs, cur);
    evaluations += cur.evaluations;
    if (run == 0 || cur.r.inertia < best.r.inertia) {
      best = std::move(cur);
      best_run = run;
    }
  }
  kmeans_result res = finish(std::move(best), best_run, options.canonical_order);
  res.distance_evaluations = evaluations;
  return res;
}

double assign(const Eigen::Ref<const row_matrix>& points,
              const Eigen::Ref<const row_matrix>& centroids, std::span<std::int32_t> labels,
              std::span<double> distances) {
  const auto n = static_cast<std::size_t>(points.rows());
  if (centroids.cols() != points.cols() || centroids.rows() < 1)
    throw invalid_argument_error(
        "assign", "centroids",
        std::to_string(centroids.rows()) + "x" + std::to_string(centroids.cols()),
        "need >= 1 row and " + std::to_string(points.cols()) + " columns");
  if (labels.size() != n || (!distances.empty() && distances.size() != n))
    throw invalid_argument_error(
        "assign", "labels.size()", std::to_string(labels.size()),
        "labels (and distances, if given) need one entry per point (" + std::to_string(n) + ")");
  if (n == 0) return 0.0;
  const dataset ds = make_dataset(points, {}, true);
  const row_matrix c = centroids;
  std::vector<std::int32_t> lab(n, -1);
  std::vector<double> dist2(n);
  partials p;
  reduced r;
  lloyd_assign(ds, c, lab, dist2, p, r);
  std::copy(lab.begin(), lab.end(), labels.begin());
  if (!distances.empty())
    for (std::size_t i = 0; i < n; ++i) distances[i] = std::sqrt(dist2[i]);
  return r.inertia;
}

struct lloyd_iteration::impl {
  dataset ds;
  std::vector<std::int32_t> labels;
  std::vector<double> dist2;
  partials p;
  reduced r;
  std::vector<double> shifts;
};

lloyd_iteration::lloyd_iteration(const Eigen::Ref<const row_matrix>& points,
                                 std::span<const double> weights)
    : impl_(std::make_unique<impl>()) {
  const auto n = static_cast<std::size_t>(points.rows());
  if (n == 0) throw invalid_argument_error("lloyd_iteration", "points", "0 rows", "no points");
  check_weights(weights, n, "lloyd_iteration");
  impl_->ds = make_dataset(points, weights, true);
}

lloyd_iteration::~lloyd_iteration() = default;
lloyd_iteration::lloyd_iteration(lloyd_iteration&&) noexcept = default;
lloyd_iteration& lloyd_iteration::operator=(lloyd_iteration&&) noexcept = default;

double lloyd_iteration::step(row_matrix& centroids, std::span<std::int32_t> labels) {
  impl& m = *impl_;
  const dataset& ds = m.ds;
  if (labels.size() != ds.n || static_cast<std::size_t>(centroids.cols()) != ds.d ||
      centroids.rows() < 1)
    throw invalid_argument_error(
        "lloyd_iteration::step", "labels.size()", std::to_string(labels.size()),
        "need one label per point and k >= 1 centroids of " + std::to_string(ds.d) + " columns");
  // No distances kept and the caller's labels used in place: nothing per point but the
  // assignment itself (the keep policy never needs distances).
  lloyd_assign(ds, centroids, labels, {}, m.p, m.r);
  bool moved = false;
  update_centroids(ds, centroids, m.r, m.labels, m.dist2, empty_cluster_policy::keep, moved,
                   m.shifts);
  return m.r.inertia;
}

kmeans_result minibatch_kmeans(const Eigen::Ref<const row_matrix>& points,
                               const kmeans_options& options, const minibatch_options& batch,
                               std::span<const double> weights) {
  const auto n = static_cast<std::size_t>(points.rows());
  const auto d = static_cast<std::size_t>(points.cols());
  if (n == 0)
    throw invalid_argument_error("minibatch_kmeans", "points", "0 rows", "no points to cluster");
  options.validate(n, d);
  if (batch.batch_size < 1)
    throw invalid_argument_error("minibatch_kmeans", "batch_size", "0", "must be >= 1");
  check_weights(weights, n, "minibatch_kmeans");
  check_finite(points, "minibatch_kmeans");
  const std::size_t k = options.k;
  std::mt19937_64 g(splitmix64(options.seed ^ 0xA24BAED4963EE407ull));

  // Seeding on a random subset (without replacement), best of n_init.
  std::size_t init_size =
      batch.init_size > 0 ? batch.init_size : std::max(3 * batch.batch_size, 3 * k);
  init_size = std::min(std::max(init_size, k), n);
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  for (std::size_t t = 0; t < init_size; ++t) {
    const std::size_t j = t + static_cast<std::size_t>(unit_draw(g) * static_cast<double>(n - t));
    std::swap(idx[t], idx[std::min(j, n - 1)]);
  }
  row_matrix sub(static_cast<Eigen::Index>(init_size), static_cast<Eigen::Index>(d));
  std::vector<double> sub_w;
  for (std::size_t t = 0; t < init_size; ++t) {
    sub.row(static_cast<Eigen::Index>(t)) = points.row(static_cast<Eigen::Index>(idx[t]));
    if (!weights.empty()) sub_w.push_back(weights[idx[t]]);
  }
  if (!sub_w.empty() && !(std::accumulate(sub_w.begin(), sub_w.end(), 0.0) > 0.0)) sub_w.clear();
  row_matrix c;
  {
    const dataset sds = make_dataset(sub, sub_w, true);
    double best = inf;
    std::size_t ev = 0;
    for (std::size_t run = 0; run < options.n_init; ++run) {
      std::mt19937_64 gr(splitmix64(options.seed + 0x632BE59BD9B4E019ull * run));
      row_matrix cand = options.init == seeding::given ? options.initial_centroids
                                                       : seed_centroids(sds, options, gr, ev);
      std::vector<std::int32_t> lab(init_size, -1);
      std::vector<double> dist2(init_size);
      partials p;
      reduced r;
      lloyd_assign(sds, cand, lab, dist2, p, r);
      if (r.inertia < best) {
        best = r.inertia;
        c = std::move(cand);
      }
    }
  }

  // Sculley's updates.
  const std::size_t b = std::min(batch.batch_size, n);
  const std::size_t max_batches =
      batch.max_batches > 0 ? batch.max_batches : std::max<std::size_t>(200, 10 * n / b);
  std::vector<double> counts(k, 0.0);
  std::vector<std::size_t> bidx(b);
  std::vector<std::int32_t> blab(b);
  const double alpha = std::min(1.0, 2.0 * static_cast<double>(b) / static_cast<double>(n + 1));
  double ewa = inf, best_ewa = inf;
  std::size_t no_improvement = 0;
  const double* base = points.data();
  const auto stride = static_cast<std::size_t>(points.outerStride());
  for (std::size_t step = 0; step < max_batches; ++step) {
    double binertia = 0.0, bweight = 0.0;
    for (std::size_t t = 0; t < b; ++t) {
      const std::size_t i =
          std::min(n - 1, static_cast<std::size_t>(unit_draw(g) * static_cast<double>(n)));
      bidx[t] = i;
      double best = inf;
      std::int32_t l = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double v = sqdist(base + i * stride, c.row(static_cast<Eigen::Index>(j)).data(), d);
        if (v < best) {
          best = v;
          l = static_cast<std::int32_t>(j);
        }
      }
      blab[t] = l;
      const double wi = weights.empty() ? 1.0 : weights[i];
      binertia += wi * best;
      bweight += wi;
    }
    for (std::size_t t = 0; t < b; ++t) {
      const double wi = weights.empty() ? 1.0 : weights[bidx[t]];
      if (!(wi > 0.0)) continue;
      const auto j = static_cast<std::size_t>(blab[t]);
      counts[j] += wi;
      const double eta = wi / counts[j];
      const double* x = base + bidx[t] * stride;
      for (std::size_t f = 0; f < d; ++f) {
        double& cv = c(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(f));
        cv += eta * (x[f] - cv);
      }
    }
    if (bweight > 0.0) {
      const double bi = binertia / bweight;
      ewa = std::isinf(ewa) ? bi : (1.0 - alpha) * ewa + alpha * bi;
    }
    if (ewa < best_ewa) {
      best_ewa = ewa;
      no_improvement = 0;
    } else if (batch.max_no_improvement > 0 && ++no_improvement >= batch.max_no_improvement) {
      break;
    }
  }

  // One exact assignment; an empty cluster may take the farthest point, then reassign once.
  const dataset ds = make_dataset(points, weights, true);
  run_result out;
  out.centroids = std::move(c);
  out.labels.assign(n, -1);
  out.dist2.assign(n, 0.0);
  partials p;
  lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
  bool any_empty = false;
  for (double w : out.r.weight) any_empty = any_empty || !(w > 0.0);
  if (any_empty && options.empty_clusters != empty_cluster_policy::keep) {
    bool moved = false;
    std::vector<double> shifts;
    reduced r = out.r;
    update_centroids(ds, out.centroids, r, out.labels, out.dist2, options.empty_clusters, moved,
                     shifts);
    if (moved) lloyd_assign(ds, out.centroids, out.labels, out.dist2, p, out.r);
  }
  out.iterations = 0;
  out.status = kmeans_status::converged;
  return finish(std::move(out), 0, options.canonical_order);
}

}  // namespace patron::inline v1::segment
