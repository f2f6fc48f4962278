// SPDX-License-Identifier: MIT
// Compiled bodies of the CLV models: batch scoring, likelihood totals and maximum-likelihood fits
// (kept here so Eigen/LBFGSpp/Boost quadrature are instantiated in one translation unit).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>

#include "patron/detail/optimize.hpp"
#include "patron/error.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/mbgnbd.hpp"
#include "patron/models/pnbd.hpp"
#include "dual.hpp"
#include "summary_check.hpp"
#include "vmath.hpp"

namespace patron::inline v1 {

const char* to_string(fit_status s) noexcept {
  switch (s) {
    case fit_status::converged: return "converged";
    case fit_status::max_iterations: return "max_iterations";
    case fit_status::line_search_failed: return "line_search_failed";
    case fit_status::boundary: return "boundary";
  }
  return "unknown";
}

void fit_options::validate() const {
  if (!(penalty >= 0) || !std::isfinite(penalty))
    throw invalid_argument_error("fit_options", "penalty", std::to_string(penalty), "must be finite and >= 0");
  if (max_iterations < 1)
    throw invalid_argument_error("fit_options", "max_iterations", std::to_string(max_iterations), "must be >= 1");
  if (!(tolerance > 0))
    throw invalid_argument_error("fit_options", "tolerance", std::to_string(tolerance), "must be > 0");
  for (double v : start)
    if (!(v > 0) || !std::isfinite(v))
      throw invalid_argument_error("fit_options", "start", std::to_string(v), "every start value must be finite and > 0");
}

namespace {

// The objective L-BFGS minimises: mean negative log-likelihood over the total weight W plus the
// L2 penalty pen · Σ exp(θₖ)² on the natural parameters (θ = log-parameters), with its gradient
// when `nll` gives one (dθ of pen · p² is 2 · pen · p²).
detail::objective_fn penalized_mean(const detail::objective_fn& nll, double W, double pen) {
  return [&nll, W, pen](const Eigen::VectorXd& th, Eigen::VectorXd* grad) {
    double v = nll(th, grad) / W;
    if (grad) *grad /= W;
    for (Eigen::Index k = 0; k < th.size(); ++k) {
      const double p = std::exp(th(k));
      v += pen * p * p;
      if (grad) (*grad)(k) += 2 * pen * p * p;
    }
    return v;
  };
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_param(const char* where, const char* name, double v) {
  if (!(v > 0) || !std::isfinite(v))
    throw invalid_argument_error(where, name, num(v), "must be finite and > 0");
}

void check_out(const char* where, std::size_t n, std::span<double> out) {
  if (out.size() != n)
    throw invalid_argument_error(where, "out.size()", std::to_string(out.size()),
                                 "must equal the number of customers (" + std::to_string(n) + ")");
}

void check_delta(const char* where, double delta) {
  if (!(delta > 0) || !std::isfinite(delta))
    throw invalid_argument_error(where, "delta", num(delta),
                                 "continuous discount rate per model unit must be finite and > 0");
}

void check_t(const char* where, double t) {
  if (!(t >= 0) || !std::isfinite(t))
    throw invalid_argument_error(where, "t", num(t), "must be finite and >= 0");
}

void check_customer(const char* where, double x, double t_x, double T) {
  if (!(x >= 0) || !std::isfinite(x) || x != std::floor(x))
    throw invalid_argument_error(where, "x", num(x), "must be a finite integer >= 0");
  if (!(t_x >= 0) || !std::isfinite(t_x))
    throw invalid_argument_error(where, "t_x", num(t_x), "must be finite and >= 0");
  if (!(T >= t_x) || !std::isfinite(T))
    throw invalid_argument_error(where, "T", num(T), "must be finite and >= t_x");
}

// Runs body(i) for every customer; OpenMP over static chunks (each output depends only on its
// own input, so results do not depend on the thread count). Errors are collected and rethrown.
template <class Body>
void for_each_customer(std::size_t n, const char* where, Body body) {
  std::atomic<bool> failed{false};
  const auto nn = static_cast<std::int64_t>(n);
#if defined(_OPENMP)
#  pragma omp parallel for schedule(static) if (nn > 20000)
#endif
  for (std::int64_t i = 0; i < nn; ++i) {
    if (!body(static_cast<std::size_t>(i))) failed.store(true, std::memory_order_relaxed);
  }
  if (failed.load()) throw numeric_error(where, "a special-function series left its range for some customer");
}

// Block kernels keep scratch arrays of score_block values on the stack and use only [0, n),
// written before read; GCC cannot see that through vmath's pointers and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// Batch kernels work on blocks of customers: the array maths (vmath.hpp) takes a block per call.
// Blocks are fixed by index, never by thread, and each value depends on its own row only.
constexpr std::size_t score_block = 256;
constexpr std::size_t fit_block = 512;  // rows per array call in the likelihoods

template <class Body>
void for_each_block(std::size_t n, Body body) {
  const auto blocks = static_cast<std::int64_t>((n + score_block - 1) / score_block);
#if defined(_OPENMP)
#  pragma omp parallel for schedule(static) if (n > 20000)
#endif
  for (std::int64_t k = 0; k < blocks; ++k) {
    const std::size_t b = static_cast<std::size_t>(k) * score_block;
    body(b, std::min(n, b + score_block));
  }
}

// BG/NBD and MBG/NBD P(alive) of n ≤ score_block customers, as detail::bg_p_alive (FHL 2005
// eq. 13): ln D = ln(a/(b+x−1+m)) + (r+x)·ln(1 + (T−t_x)/(α+t_x)), P = 1/(1+D), from
// e = exp(−|ln D|) so that neither branch overflows. Three array calls per block instead of
// three libm calls per customer; the scalar member calls it with n = 1, so scalar and batch
// results are the same bits.
// no-trapping-math: GCC 12 does not if-convert selects next to divisions otherwise, and then does
// not vectorise; it changes no value (floating-point exceptions are not used).
template <bool M>
[[gnu::optimize("no-trapping-math")]] void bg_p_alive_block(const bgnbd_params& p, const double* x, const double* t_x, const double* T, double* out,
                      std::size_t n) noexcept {
  double q[score_block], u[score_block];
  // Locals, not p.*: out may alias p as far as the compiler knows, which would block vectorising.
  const double r = p.r, alpha = p.alpha, a = p.a, bm = p.b - 1 + (M ? 1.0 : 0.0);
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) {
    // k = 0 for a BG/NBD customer without repeat purchases (P(alive) = 1), else 1, used as a
    // factor (v·k + (1 − k) is v exactly when k = 1) to keep those lanes finite.
    const double k = M ? 1.0 : static_cast<double>(x[j] > 0);
    q[j] = (a * k + (1 - k)) / ((bm + x[j]) * k + (1 - k));
    u[j] = (T[j] - t_x[j]) * k / (alpha + t_x[j]);
  }
  detail::vmath::log(q, q, n);
  detail::vmath::log1p(u, u, n);
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) {
    u[j] = q[j] + (r + x[j]) * u[j];  // ln D
    q[j] = -std::abs(u[j]);
  }
  detail::vmath::exp(q, q, n);
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) {
    const double k = M ? 1.0 : static_cast<double>(x[j] > 0);
    const double num = u[j] > 0 ? q[j] : 1.0;
    out[j] = (num * k + (1 - k)) / ((1 + q[j]) * k + (1 - k));
  }
}

// Runs a P(alive) block kernel over a batch, checking every row inside the loop
// (summary_check.hpp: no second pass over the inputs). A block with a row that fails the quick
// test is not scored; validate_summary then names the first bad row, or accepts the batch (a
// rounding hair of t_x above T, −0.0) and it is scored whole.
// kernel(b, e) scores customers [b, e) into out.
template <class Kernel>
void p_alive_checked(const customer_summary_view& s, const std::string& where, Kernel kernel) {
  std::atomic<bool> suspicious{false};
  for_each_block(s.size(), [&](std::size_t b, std::size_t e) {
    unsigned ok = 1;
    for (std::size_t i = b; i < e; ++i) ok &= static_cast<unsigned>(detail::row_surely_valid(s.x[i], s.t_x[i], s.T[i]));
    if (ok != 0)
      kernel(b, e);
    else
      suspicious.store(true, std::memory_order_relaxed);
  });
  if (!suspicious.load()) return;
  validate_summary(s, where);
  for_each_block(s.size(), kernel);
}

// Pareto/NBD A₀ pieces (detail::pnbd_a0_piece) of n ≤ score_block rows (x, τ):
//   ln[2F1(a₁, b₁; a₁+1; z)·(base+τ)^(−a₁)],  a₁ = r+s+x, z = |α−β|/(base+τ),
// by Euler's transformation 2F1(a₁, b₁; a₁+1; z) = (1−z)^(1−b₁)·2F1(1, B; C; z) with B = a₁+1−b₁,
// C = a₁+1 (DLMF 15.8.1). That series' terms t_{k+1} = t_k·(B+k)/(C+k)·z are positive with
// ratios below z (B < C), so the tail after t_k is below t_k·z/(1−z): a lane stops when
// t_k ≤ ε·S·(1−z). The lanes run in step without divisions, t_k = N_k/D_k and S_k = P_k/D_k
// with D_k = Π(C+i), rescaled by an exact power of two (which changes no rounding); each lane
// stops on its own test, so its value does not depend on its neighbours. Rows with z > 0.99
// (α and β far apart relative to base + τ) or a series that has not stopped after 10⁴ terms
// take pnbd_a0_piece; NaN if that fails too.
[[gnu::optimize("no-trapping-math")]] void pnbd_a0_block(const pnbd_params& p, const double* x, const double* tau,
                                                         double* out, std::size_t n) {
  // Two copies of the running N, D, P, read from one and written to the other in turn: a store
  // that leaves a stopped lane's value in place would be a conditional store, which GCC 12 does
  // not vectorise.
  double NDP[2][3][score_block], B[score_block], C[score_block], z[score_block], tol[score_block],
      act[score_block], w[score_block];
  const double r = p.r, s = p.s, alpha = p.alpha, beta = p.beta;
  const bool ab = alpha >= beta;
  const double base = ab ? alpha : beta, diff = ab ? alpha - beta : beta - alpha;
  constexpr double eps = std::numeric_limits<double>::epsilon() / 4;
  double any = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double a1 = r + s + x[j], b1 = ab ? s + 1 : r + x[j];
    z[j] = diff / (base + tau[j]);
    B[j] = a1 + 1 - b1;
    C[j] = a1 + 1;
    NDP[0][0][j] = NDP[0][1][j] = NDP[0][2][j] = 1;
    tol[j] = eps * (1 - z[j]);
    act[j] = z[j] <= 0.99 ? 1.0 : 0.0;
    any += act[j];
  }
  int cur = 0;
  for (int k = 0; k < 10000 && any > 0; ++k, cur ^= 1) {
    const double kk = k;
    const double *N = NDP[cur][0], *D = NDP[cur][1], *P = NDP[cur][2];
    double *No = NDP[cur ^ 1][0], *Do = NDP[cur ^ 1][1], *Po = NDP[cur ^ 1][2];
    any = 0;
#pragma omp simd reduction(+ : any)
    for (std::size_t j = 0; j < n; ++j) {
      const double a = act[j], n0 = N[j], d0 = D[j], p0 = P[j];
      const double n1 = n0 * (B[j] + kk) * z[j], d1 = d0 * (C[j] + kk), p1 = p0 * (C[j] + kk) + n1;
      const double scale = d1 > 0x1p+600 ? 0x1p-600 : 1.0;
      No[j] = a > 0 ? n1 * scale : n0;
      Do[j] = a > 0 ? d1 * scale : d0;
      Po[j] = a > 0 ? p1 * scale : p0;
      const double a2 = n1 <= tol[j] * p1 ? 0.0 : a;  // selects on > and <=: GCC 12 keeps a branch for ==
      act[j] = a2;
      any += a2;
    }
  }
  double* N = NDP[cur][0];
  double* D = NDP[cur][1];
  const double* P = NDP[cur][2];
  const double r_s = r + s;
  for (std::size_t j = 0; j < n; ++j) {
    w[j] = P[j] / D[j];
    N[j] = -z[j];
    D[j] = base + tau[j];
  }
  detail::vmath::log(w, w, n);
  detail::vmath::log1p(N, N, n);
  detail::vmath::log(D, D, n);
  for (std::size_t j = 0; j < n; ++j) {
    const double a1 = r_s + x[j], b1 = ab ? s + 1 : r + x[j];
    out[j] = w[j] + (1 - b1) * N[j] - a1 * D[j];
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (z[j] <= 0.99 && act[j] == 0) continue;
    const auto f = detail::pnbd_a0_piece(r, alpha, s, beta, x[j], tau[j]);
    out[j] = f.ok ? f.log_abs : std::numeric_limits<double>::quiet_NaN();
  }
}

// What Pareto/NBD P(alive) needs of a customer's (x, T): the A₀ piece at T and
// ln_first = −(r+x)·ln(α+T) − s·ln(β+T), for n ≤ score_block pairs.
void pnbd_pair_block(const pnbd_params& p, const double* x, const double* T, double* a0_T, double* ln_first,
                     std::size_t n) {
  pnbd_a0_block(p, x, T, a0_T, n);
  double la[score_block], lb[score_block];
  for (std::size_t j = 0; j < n; ++j) {
    la[j] = p.alpha + T[j];
    lb[j] = p.beta + T[j];
  }
  detail::vmath::log(la, la, n);
  detail::vmath::log(lb, lb, n);
  for (std::size_t j = 0; j < n; ++j) ln_first[j] = -(p.r + x[j]) * la[j] - p.s * lb[j];
}

// Pareto/NBD P(alive) of n ≤ score_block customers from their A₀ pieces at t_x (l1) and T (l2)
// and ln_first (detail::pnbd_parts_from, FH 2005 note eq. 18): with A₀ = s/(r+s+x)·(e^l1 − e^l2)
// (zero when l1 ≤ l2), P = e^ln_first / (e^ln_first + A₀). NaN in, NaN out.
[[gnu::optimize("no-trapping-math")]] void pnbd_p_alive_block(const pnbd_params& p, const double* x, const double* l1,
                                                              const double* l2, const double* ln_first, double* out,
                                                              std::size_t n) {
  double ls[score_block], em[score_block], g[score_block];
  for (std::size_t j = 0; j < n; ++j) {
    ls[j] = p.s / (p.r + p.s + x[j]);
    em[j] = l1[j] > l2[j] ? l2[j] - l1[j] : -1.0;
  }
  detail::vmath::log(ls, ls, n);
  detail::vmath::expm1(em, em, n);
  for (std::size_t j = 0; j < n; ++j) em[j] = -em[j];
  detail::vmath::log(em, em, n);  // ln(1 − e^(l2−l1))
  for (std::size_t j = 0; j < n; ++j) {
    const double log_a0 = ls[j] + l1[j] + em[j];
    em[j] = log_a0;
    g[j] = l1[j] > l2[j] ? -std::abs(ln_first[j] - log_a0) : 0.0;
  }
  detail::vmath::exp(g, g, n);
  detail::vmath::log1p(g, g, n);
  for (std::size_t j = 0; j < n; ++j) {
    const bool nan = std::isnan(l1[j]) || std::isnan(l2[j]);
    const double top = ln_first[j] > em[j] ? ln_first[j] : em[j];
    const double log_bracket = l1[j] > l2[j] ? top + g[j] : ln_first[j];
    ls[j] = nan ? std::numeric_limits<double>::quiet_NaN() : ln_first[j] - log_bracket;
  }
  detail::vmath::exp(ls, out, n);
}

// E[X(T, T+t] | alive] / P(alive) of Pareto/NBD: (r+x)(β+T)/(α+T)·[1 − ((β+T)/(β+T+t))^(s−1)]/(s−1).
double pnbd_expected_factor(const pnbd_params& p, double t, double x, double T) {
  return (p.r + x) * (p.beta + T) / (p.alpha + T) * detail::one_minus_pow_over_k(p.s - 1, t / (p.beta + T));
}

// The distinct (x, T) pairs of a batch. BG/NBD's E_new and DERT_new and Pareto/NBD's DERT factor
// depend on a customer only through (x, T); real summaries have few distinct pairs (T counts
// whole days, x is a small integer), so batch members compute each pair once and the
// per-customer work is P(alive) and a product. Same function, same arguments: same values as
// the scalar members. Open addressing on the bit patterns, linear probing.
struct xt_pairs {
  std::vector<std::uint32_t> id;  // customer i → pair
  std::vector<double> x, T;       // pair → values
};

xt_pairs distinct_xt(const customer_summary_view& s) {
  xt_pairs p;
  const std::size_t n = s.size();
  p.id.resize(n);
  constexpr std::uint32_t empty = 0xFFFFFFFFu;
  std::vector<std::uint32_t> slot(1024, empty);
  auto bits = [](double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
  };
  auto slot_of = [&](std::uint64_t bx, std::uint64_t bt) {
    // MurmurHash3's 64-bit finaliser over both keys: integral x has all-zero low mantissa bits,
    // so a plain multiply leaves the low (mask) bits to T alone and clusters the probes.
    std::uint64_t h = bx ^ (bt * 0x9E3779B97F4A7C15ull);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    const std::size_t mask = slot.size() - 1;
    std::size_t k = static_cast<std::size_t>(h) & mask;
    while (slot[k] != empty && (bits(p.x[slot[k]]) != bx || bits(p.T[slot[k]]) != bt)) k = (k + 1) & mask;
    return k;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bx = bits(s.x[i]), bt = bits(s.T[i]);
    std::size_t k = slot_of(bx, bt);
    if (slot[k] == empty) {
      if (2 * (p.x.size() + 1) > slot.size()) {  // keep the load ≤ 1/2
        std::vector<std::uint32_t> old(slot.size() * 2, empty);
        slot.swap(old);
        for (std::uint32_t j = 0; j < p.x.size(); ++j) slot[slot_of(bits(p.x[j]), bits(p.T[j]))] = j;
        k = slot_of(bx, bt);
      }
      slot[k] = static_cast<std::uint32_t>(p.x.size());
      p.x.push_back(s.x[i]);
      p.T.push_back(s.T[i]);
    }
    p.id[i] = slot[k];
  }
  return p;
}

// Identical (x, t_x, T) rows merged into weights.
struct compressed {
  std::vector<double> x, t_x, T, m, w;
  double total_weight = 0;
};

compressed compress(const customer_summary_view& s, bool merge, bool with_monetary) {
  compressed c;
  const std::size_t n = s.size();
  if (!merge) {
    c.x.assign(s.x.begin(), s.x.end());
    c.t_x.assign(s.t_x.begin(), s.t_x.end());
    c.T.assign(s.T.begin(), s.T.end());
    if (with_monetary) c.m.assign(s.monetary.begin(), s.monetary.end());
    c.w.resize(n);
    for (std::size_t i = 0; i < n; ++i) c.w[i] = s.w(i);
  } else {
    // Open addressing on the bit patterns, rows in order of first appearance: linear in n
    // (an ordered map cost more than the rest of a 1M-customer fit).
    constexpr std::uint32_t empty = 0xFFFFFFFFu;
    std::vector<std::uint32_t> slot(1024, empty);
    auto bits = [](double v) {
      std::uint64_t u;
      std::memcpy(&u, &v, sizeof u);
      return u;
    };
    auto money = [&](std::size_t i) { return with_monetary ? s.monetary[i] : 0.0; };
    auto key_m = [&](std::uint32_t j) { return with_monetary ? c.m[j] : 0.0; };
    auto slot_of = [&](double x, double tx, double T, double m) {
      std::uint64_t h = bits(x) * 0x9E3779B97F4A7C15ull;
      h = (h ^ (h >> 29) ^ bits(tx)) * 0xC2B2AE3D27D4EB4Full;
      h = (h ^ (h >> 31) ^ bits(T)) * 0x165667B19E3779F9ull;
      h = (h ^ (h >> 29) ^ bits(m)) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 32;
      const std::size_t mask = slot.size() - 1;
      std::size_t k = static_cast<std::size_t>(h) & mask;
      while (slot[k] != empty) {
        const std::uint32_t j = slot[k];
        if (bits(c.x[j]) == bits(x) && bits(c.t_x[j]) == bits(tx) && bits(c.T[j]) == bits(T) &&
            bits(key_m(j)) == bits(m))
          break;
        k = (k + 1) & mask;
      }
      return k;
    };
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t k = slot_of(s.x[i], s.t_x[i], s.T[i], money(i));
      if (slot[k] == empty) {
        if (2 * (c.x.size() + 1) > slot.size()) {  // keep the load <= 1/2
          std::vector<std::uint32_t> bigger(slot.size() * 2, empty);
          slot.swap(bigger);
          for (std::uint32_t j = 0; j < c.x.size(); ++j) slot[slot_of(c.x[j], c.t_x[j], c.T[j], key_m(j))] = j;
          k = slot_of(s.x[i], s.t_x[i], s.T[i], money(i));
        }
        slot[k] = static_cast<std::uint32_t>(c.x.size());
        c.x.push_back(s.x[i]);
        c.t_x.push_back(s.t_x[i]);
        c.T.push_back(s.T[i]);
        if (with_monetary) c.m.push_back(money(i));
        c.w.push_back(0.0);
      }
      c.w[slot[k]] += s.w(i);
    }
  }
  for (double w : c.w) c.total_weight += w;
  return c;
}

void check_weights(const customer_summary_view& s, const char* where) {
  for (std::size_t i = 0; i < s.weight.size(); ++i)
    if (!(s.weight[i] >= 0) || !std::isfinite(s.weight[i]))
      throw data_error(errc::out_of_range, where, i + 1, 0, "weight", num(s.weight[i]), "must be finite and >= 0");
}

// Start points: several plausible ones; the best objective value wins, then L-BFGS from it.
Eigen::VectorXd best_start(const detail::objective_fn& f, const std::vector<std::vector<double>>& starts) {
  Eigen::VectorXd best;
  double best_v = std::numeric_limits<double>::infinity();
  for (const auto& s : starts) {
    Eigen::VectorXd th(static_cast<Eigen::Index>(s.size()));
    for (std::size_t i = 0; i < s.size(); ++i) th(static_cast<Eigen::Index>(i)) = std::log(s[i]);
    const double v = f(th, nullptr);
    if (best.size() == 0 || v < best_v) {
      best = th;
      best_v = v;
    }
  }
  return best;
}

template <class Model>
void finish(fit_result<Model>& res, const detail::objective_fn& total_nll, const detail::minimize_result& m,
            double total_weight, bool analytic_gradient) {
  res.status = m.status;
  res.iterations = m.iterations;
  res.gradient_norm = m.gradient_norm;
  // value = mean NLL + penalty; report the pure log-likelihood.
  res.log_likelihood = -total_nll(m.theta, nullptr);
  const Eigen::MatrixXd h = analytic_gradient ? detail::hessian_from_gradient(total_nll, m.theta)
                                              : detail::hessian_fd(total_nll, m.theta);
  res.std_errors = detail::std_errors_from_log_hessian(h, m.theta);
  (void)total_weight;
}

}  // namespace

// ============================== BG/NBD and MBG/NBD ==============================================

template <bool M>
basic_bgnbd<M>::basic_bgnbd(const bgnbd_params& p, time_unit unit) : p_(p), unit_(unit) {
  check_param(model_name, "r", p.r);
  check_param(model_name, "alpha", p.alpha);
  check_param(model_name, "a", p.a);
  check_param(model_name, "b", p.b);
  check_param(model_name, "unit.days", unit.days);
}

template <bool M>
double basic_bgnbd<M>::log_likelihood(const customer_summary_view& s) const {
  double ll = 0;
  for (std::size_t i = 0; i < s.size(); ++i) ll += s.w(i) * log_likelihood(s.x[i], s.t_x[i], s.T[i]);
  return ll;
}

template <bool M>
double basic_bgnbd<M>::expected_purchases(double t, double x, double t_x, double T) const {
  check_t("expected_purchases", t);
  check_customer("expected_purchases", x, t_x, T);
  const auto e = detail::bg_log_expected_new(t, p_.r + x, p_.alpha + T, p_.a, p_.b + x + (M ? 1.0 : 0.0));
  if (!e.ok) throw numeric_error("expected_purchases", "series did not converge (t far beyond the data)");
  return p_alive(x, t_x, T) * std::exp(e.log_abs);
}

template <bool M>
double basic_bgnbd<M>::prob_purchases(double n, double t, double x, double t_x, double T) const {
  check_t("prob_purchases", t);
  check_customer("prob_purchases", x, t_x, T);
  if (!(n >= 0) || n != std::floor(n)) throw invalid_argument_error("prob_purchases", "n", num(n), "must be an integer >= 0");
  const double pa = p_alive(x, t_x, T);
  const double pn = detail::bg_prob_new(n, t, p_.r + x, p_.alpha + T, p_.a, p_.b + x + (M ? 1.0 : 0.0));
  return pa * pn + (n == 0 ? 1.0 - pa : 0.0);
}

template <bool M>
double basic_bgnbd<M>::expected_purchases_new(double t) const {
  check_t("expected_purchases_new", t);
  const auto e = detail::bg_log_expected_new(t, p_.r, p_.alpha, p_.a, p_.b + (M ? 1.0 : 0.0));
  if (!e.ok) throw numeric_error("expected_purchases_new", "series did not converge");
  // MBG/NBD: alive after the first purchase with probability b/(a+b), then a BG/NBD(b+1) customer.
  return (M ? p_.b / (p_.a + p_.b) : 1.0) * std::exp(e.log_abs);
}

template <bool M>
double basic_bgnbd<M>::prob_purchases_new(double n, double t) const {
  check_t("prob_purchases_new", t);
  const double pn = detail::bg_prob_new(n, t, p_.r, p_.alpha, p_.a, p_.b + (M ? 1.0 : 0.0));
  if (!M) return pn;
  const double alive = p_.b / (p_.a + p_.b);
  return alive * pn + (n == 0 ? 1 - alive : 0.0);
}

template <bool M>
double basic_bgnbd<M>::dert(double delta, double x, double t_x, double T) const {
  check_delta("dert", delta);
  check_customer("dert", x, t_x, T);
  const double v = detail::bg_dert_new(delta, p_.r + x, p_.alpha + T, p_.a, p_.b + x + (M ? 1.0 : 0.0));
  return p_alive(x, t_x, T) * v;
}

template <bool M>
double basic_bgnbd<M>::p_alive(double x, double t_x, double T) const {
  double out = 0;
  bg_p_alive_block<M>(p_, &x, &t_x, &T, &out, 1);
  return out;
}

template <bool M>
void basic_bgnbd<M>::p_alive(const customer_summary_view& s, std::span<double> out) const {
  check_out("p_alive", s.size(), out);
  p_alive_checked(s, std::string(model_name) + ".p_alive", [&](std::size_t b, std::size_t e) {
    bg_p_alive_block<M>(p_, s.x.data() + b, s.t_x.data() + b, s.T.data() + b, out.data() + b, e - b);
  });
}

template <bool M>
void basic_bgnbd<M>::expected_purchases(double t, const customer_summary_view& s, std::span<double> out) const {
  check_out("expected_purchases", s.size(), out);
  check_t("expected_purchases", t);
  const double m = M ? 1.0 : 0.0;
  const xt_pairs u = distinct_xt(s);
  std::vector<double> e_new(u.x.size());
  for_each_customer(u.x.size(), "expected_purchases", [&](std::size_t k) {
    const auto e = detail::bg_log_expected_new(t, p_.r + u.x[k], p_.alpha + u.T[k], p_.a, p_.b + u.x[k] + m);
    e_new[k] = e.ok ? std::exp(e.log_abs) : 0.0;
    return e.ok;
  });
  for_each_block(s.size(), [&](std::size_t b, std::size_t e) {
    bg_p_alive_block<M>(p_, s.x.data() + b, s.t_x.data() + b, s.T.data() + b, out.data() + b, e - b);
    for (std::size_t i = b; i < e; ++i) out[i] *= e_new[u.id[i]];
  });
}

template <bool M>
void basic_bgnbd<M>::prob_purchases(double n, double t, const customer_summary_view& s, std::span<double> out) const {
  check_out("prob_purchases", s.size(), out);
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = prob_purchases(n, t, s.x[i], s.t_x[i], s.T[i]);
}

template <bool M>
void basic_bgnbd<M>::dert(double delta, const customer_summary_view& s, std::span<double> out) const {
  check_out("dert", s.size(), out);
  check_delta("dert", delta);
  const double m = M ? 1.0 : 0.0;
  const xt_pairs u = distinct_xt(s);
  // DERT_new's Mellin–Barnes weights depend on x only (T enters through w = δ(α+T)): group the
  // pairs by x (by bit pattern: a total order even for NaN) and build the weights once per group.
  // Every value is what the scalar member computes (same functions, same arguments).
  auto bits = [](double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
  };
  std::vector<std::uint32_t> order(u.x.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t i, std::uint32_t j) {
    return std::pair(bits(u.x[i]), i) < std::pair(bits(u.x[j]), j);
  });
  std::vector<std::size_t> group;  // group g is order[group[g] .. group[g+1])
  for (std::size_t k = 0; k < order.size(); ++k)
    if (k == 0 || bits(u.x[order[k]]) != bits(u.x[order[k - 1]])) group.push_back(k);
  group.push_back(order.size());
  detail::bg_dert_contour contour[2];
  detail::make_bg_dert_contour(p_.a, detail::bg_dert_contour::main, contour[0]);
  detail::make_bg_dert_contour(p_.a, detail::bg_dert_contour::left, contour[1]);
  std::vector<double> d_new(u.x.size());
  for_each_customer(group.size() - 1, "dert", [&](std::size_t g) {
    const double x = u.x[order[group[g]]];
    const double R = p_.r + x, B = p_.b + x + m;
    detail::bg_dert_rule rule[2];
    detail::make_bg_dert_rule(contour[0], R, B, rule[0]);
    auto left = [&]() -> const detail::bg_dert_rule& {
      if (rule[1].k.empty()) detail::make_bg_dert_rule(contour[1], R, B, rule[1]);
      return rule[1];
    };
    bool ok = true;
    for (std::size_t k = group[g]; k < group[g + 1]; ++k) {
      const std::uint32_t q = order[k];
      d_new[q] = detail::bg_dert_from_rules(rule[0], left, delta, R, p_.alpha + u.T[q], p_.a, B);
      ok = ok && std::isfinite(d_new[q]);
    }
    return ok;
  });
  for_each_block(s.size(), [&](std::size_t b, std::size_t e) {
    bg_p_alive_block<M>(p_, s.x.data() + b, s.t_x.data() + b, s.T.data() + b, out.data() + b, e - b);
    for (std::size_t i = b; i < e; ++i) out[i] *= d_new[u.id[i]];
  });
}

namespace {
template <class Model>
void tracking_impl(const Model& model, std::span<const double> first, std::span<const double> times,
                   std::span<double> cumulative, std::span<double> incremental) {
  if (cumulative.size() != times.size() || incremental.size() != times.size())
    throw invalid_argument_error("tracking", "cumulative.size()", std::to_string(cumulative.size()),
                                 "cumulative and incremental must have times.size() elements");
  for (std::size_t k = 0; k < times.size(); ++k) {
    if (!std::isfinite(times[k]) || (k > 0 && times[k] < times[k - 1]))
      throw invalid_argument_error("tracking", "times", num(times[k]), "must be finite and non-decreasing");
    double sum = 0;
    for (double f : first)
      if (times[k] > f) sum += model.expected_purchases_new(times[k] - f);
    cumulative[k] = sum;
    incremental[k] = k == 0 ? sum : sum - cumulative[k - 1];
  }
}
}  // namespace

template <bool M>
void basic_bgnbd<M>::tracking(std::span<const double> first, std::span<const double> times,
                              std::span<double> cumulative, std::span<double> incremental) const {
  tracking_impl(*this, first, times, cumulative, incremental);
}

template <bool M>
fit_result<basic_bgnbd<M>> basic_bgnbd<M>::fit(const customer_summary_view& s, const fit_options& options,
                                               time_unit unit) {
  options.validate();
  if (s.size() == 0) throw invalid_argument_error(model_name, "customers", "0", "nothing to fit");
  validate_summary(s, model_name);
  check_weights(s, model_name);
  const compressed c = compress(s, options.compress, false);
  const double m = M ? 1.0 : 0.0;
  // Distinct x with their total weights: the x-only terms are summed once per distinct x.
  std::map<double, double> wx;
  for (std::size_t i = 0; i < c.x.size(); ++i) wx[c.x[i]] += c.w[i];
  const double W = c.total_weight > 0 ? c.total_weight : 1.0;
  using boost::math::digamma;
  // ln(b + x − 1 + m) by x, refilled per evaluation (x is integral; a table only as long as the
  // largest x, so small data sets do not pay for it).
  double x_max = 0;
  for (double x : c.x) x_max = std::max(x_max, x);
  std::vector<double> log_bx(static_cast<std::size_t>(std::min(x_max, 100000.0)) + 1);
  std::vector<double> ua(fit_block), va(fit_block), ld(fit_block), ea(fit_block), l1(fit_block);

  // Negative total log-likelihood and its gradient in θ = ln(r, α, a, b).
  auto nll = [&c, &wx, &log_bx, &ua, &va, &ld, &ea, &l1, m](const Eigen::VectorXd& th, Eigen::VectorXd* grad) -> double {
    const double r = std::exp(th(0)), al = std::exp(th(1)), a = std::exp(th(2)), b = std::exp(th(3));
    if (!(r > 0 && al > 0 && a > 0 && b > 0) || !std::isfinite(r + al + a + b))
      return std::numeric_limits<double>::infinity();
    double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0;
    const double psi_r = digamma(r), psi_ab = digamma(a + b), psi_b = digamma(b);
    const double lb0 = detail::lbeta(a, b);
    for (const auto& [x, w] : wx) {
      ll += w * (std::lgamma(r + x) - std::lgamma(r) + detail::lbeta(a, b + x + m) - lb0);
      if (grad) {
        const double psi_abx = digamma(a + b + x + m);
        gr += w * (digamma(r + x) - psi_r);
        ga += w * (psi_ab - psi_abx);
        gb += w * (digamma(b + x + m) - psi_abx - psi_b + psi_ab);
      }
    }
    const double lal = std::log(al);
    const double la = std::log(a);
    for (std::size_t k = (m > 0 ? 0 : 1); k < log_bx.size(); ++k) log_bx[k] = std::log(b + static_cast<double>(k) - 1 + m);
    // Rows in blocks through the array maths (vmath.hpp): ln(α+T), ln(α+t_x), exp and log1p
    // for a block per call. ln(1 + D) = max(ln D, 0) + ln(1 + e^(−|ln D|)) and
    // q = D/(1 + D) from the same e, without overflow for any D.
    for (std::size_t b0 = 0; b0 < c.x.size(); b0 += fit_block) {
      const std::size_t n = std::min(fit_block, c.x.size() - b0);
      const double* xs = c.x.data() + b0;
      const double* ws = c.w.data() + b0;
      for (std::size_t j = 0; j < n; ++j) {
        ua[j] = al + c.T[b0 + j];
        va[j] = al + c.t_x[b0 + j];
      }
      detail::vmath::log(ua.data(), ua.data(), n);
      detail::vmath::log(va.data(), va.data(), n);
      for (std::size_t j = 0; j < n; ++j) {
        const double x = xs[j];
        const double lbx = x < static_cast<double>(log_bx.size()) ? log_bx[static_cast<std::size_t>(x)]
                                                                   : std::log(b + x - 1 + m);
        // x = 0 in BG/NBD: no D term; ln D = 0 keeps the lane finite, the term is masked below.
        ld[j] = (m > 0 || x > 0) ? la - lbx + (r + x) * (ua[j] - va[j]) : 0.0;
        ea[j] = -std::abs(ld[j]);
      }
      detail::vmath::exp(ea.data(), ea.data(), n);
      detail::vmath::log1p(ea.data(), l1.data(), n);
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = b0 + j;
        const double x = xs[j], w = ws[j], u = ua[j];
        ll += w * (r * lal - (r + x) * u);
        if (grad) {
          gr += w * (lal - u);
          gal += w * (r / al - (r + x) / (al + c.T[i]));
        }
        if (m > 0 || x > 0) {
          const double v = va[j], e = ea[j];
          ll += w * (std::max(ld[j], 0.0) + l1[j]);
          const double q = ld[j] > 0 ? 1 / (1 + e) : e / (1 + e);
          if (grad) {
            gr += w * q * (u - v);
            gal += w * q * (r + x) * (1 / (al + c.T[i]) - 1 / (al + c.t_x[i]));
            ga += w * q / a;
            gb -= w * q / (b + x - 1 + m);
          }
        }
      }
    }
    if (grad) {
      grad->resize(4);
      (*grad) << -gr * r, -gal * al, -ga * a, -gb * b;
    }
    return std::isfinite(ll) ? -ll : std::numeric_limits<double>::infinity();
  };
  const detail::objective_fn nll_fn = nll;
  const detail::objective_fn mean_obj = penalized_mean(nll_fn, W, options.penalty);
  detail::objective_fn total_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) { return nll(th, grad); };
  std::vector<std::vector<double>> starts;
  if (!options.start.empty()) {
    if (options.start.size() != 4)
      throw invalid_argument_error(model_name, "start", std::to_string(options.start.size()) + " values", "needs 4: r, alpha, a, b");
    starts.push_back(options.start);
  } else {
    double mean_T = 0, mean_x = 0;
    for (std::size_t i = 0; i < c.x.size(); ++i) { mean_T += c.w[i] * c.T[i]; mean_x += c.w[i] * c.x[i]; }
    mean_T /= W;
    mean_x /= W;
    const double rate = std::max(mean_x, 0.01) / std::max(mean_T, 1e-6);
    starts = {{1, 1 / rate, 1, 1}, {0.5, 0.5 / rate, 0.5, 2}, {1, 1, 1, 1}, {0.1, 0.1 / rate, 1, 3}};
  }
  const Eigen::VectorXd th0 = best_start(mean_obj, starts);
  const auto res = detail::minimize(mean_obj, th0, options.max_iterations, options.tolerance);
  fit_result<basic_bgnbd> out;
  out.model = basic_bgnbd({std::exp(res.theta(0)), std::exp(res.theta(1)), std::exp(res.theta(2)),
                           std::exp(res.theta(3))}, unit);
  out.n_customers = static_cast<std::size_t>(std::llround(c.total_weight));
  out.n_used = out.n_customers;
  finish(out, total_obj, res, W, true);
  return out;
}

template class basic_bgnbd<false>;
template class basic_bgnbd<true>;

// ============================== Gamma-Gamma =====================================================

gamma_gamma::gamma_gamma(const gamma_gamma_params& p) : p_(p) {
  check_param(model_name, "p", p.p);
  check_param(model_name, "q", p.q);
  check_param(model_name, "gamma", p.gamma);
}

double gamma_gamma::log_likelihood(const customer_summary_view& s) const {
  double ll = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.x[i] > 0 && !s.monetary.empty() && s.monetary[i] > 0) ll += s.w(i) * log_likelihood(s.x[i], s.monetary[i]);
  return ll;
}

void gamma_gamma::expected_spend(const customer_summary_view& s, std::span<double> out) const {
  check_out("expected_spend", s.size(), out);
  if (s.monetary.empty()) throw invalid_argument_error("expected_spend", "monetary", "", "the summary has no monetary column");
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = expected_spend(s.x[i], s.monetary[i]);
}

fit_result<gamma_gamma> gamma_gamma::fit(const customer_summary_view& s, const fit_options& options) {
  options.validate();
  if (s.monetary.empty()) throw invalid_argument_error("gamma_gamma.fit", "monetary", "", "the summary has no monetary column");
  validate_summary(s, "gamma_gamma.fit");
  check_weights(s, "gamma_gamma.fit");
  fit_result<gamma_gamma> out;
  std::vector<double> xs, ms, ws;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto w = static_cast<std::size_t>(std::llround(s.w(i)));
    out.n_customers += w;
    if (!(s.x[i] > 0)) { out.n_excluded_no_repeat += w; continue; }
    if (!(s.monetary[i] > 0)) { out.n_excluded_nonpositive_spend += w; continue; }
    xs.push_back(s.x[i]);
    ms.push_back(s.monetary[i]);
    ws.push_back(s.w(i));
  }
  out.n_used = out.n_customers - out.n_excluded_no_repeat - out.n_excluded_nonpositive_spend;
  if (xs.empty()) throw invalid_argument_error("gamma_gamma.fit", "customers", "0", "no customer with x > 0 and monetary > 0");
  double W = 0, mean_m = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) { W += ws[i]; mean_m += ws[i] * ms[i]; }
  mean_m /= W;
  using boost::math::digamma;
  auto nll = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) -> double {
    const double p = std::exp(th(0)), q = std::exp(th(1)), g = std::exp(th(2));
    if (!(p > 0 && q > 0 && g > 0) || !std::isfinite(p + q + g)) return std::numeric_limits<double>::infinity();
    double ll = 0, gp = 0, gq = 0, gg = 0;
    const double lg = std::log(g), psi_q = digamma(q), lgq = std::lgamma(q);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double x = xs[i], mm = ms[i], w = ws[i];
      const double px = p * x, l = std::log(g + mm * x);
      ll += w * (std::lgamma(px + q) - std::lgamma(px) - lgq + q * lg + (px - 1) * std::log(mm) + px * std::log(x) - (px + q) * l);
      if (grad) {
        const double psi_pxq = digamma(px + q);
        gp += w * x * (psi_pxq - digamma(px) + std::log(mm) + std::log(x) - l);
        gq += w * (psi_pxq - psi_q + lg - l);
        gg += w * (q / g - (px + q) / (g + mm * x));
      }
    }
    if (grad) {
      grad->resize(3);
      (*grad) << -gp * p, -gq * q, -gg * g;
    }
    return std::isfinite(ll) ? -ll : std::numeric_limits<double>::infinity();
  };
  const detail::objective_fn nll_fn = nll;
  const detail::objective_fn mean_obj = penalized_mean(nll_fn, W, options.penalty);
  detail::objective_fn total_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) { return nll(th, grad); };
  std::vector<std::vector<double>> starts;
  if (!options.start.empty()) {
    if (options.start.size() != 3)
      throw invalid_argument_error("gamma_gamma.fit", "start", std::to_string(options.start.size()) + " values", "needs 3: p, q, gamma");
    starts.push_back(options.start);
  } else {
    starts = {{1, 2, mean_m}, {5, 3, 2 * mean_m}, {1, 1, 1}};
  }
  const auto res = detail::minimize(mean_obj, best_start(mean_obj, starts), options.max_iterations, options.tolerance);
  out.model = gamma_gamma({std::exp(res.theta(0)), std::exp(res.theta(1)), std::exp(res.theta(2))});
  finish(out, total_obj, res, W, true);
  return out;
}

// ============================== Pareto/NBD ======================================================

pnbd::pnbd(const pnbd_params& p, time_unit unit) : p_(p), unit_(unit) {
  check_param(model_name, "r", p.r);
  check_param(model_name, "alpha", p.alpha);
  check_param(model_name, "s", p.s);
  check_param(model_name, "beta", p.beta);
  check_param(model_name, "unit.days", unit.days);
}

double pnbd::log_likelihood(double x, double t_x, double T) const {
  const auto v = detail::pnbd_parts(p_.r, p_.alpha, p_.s, p_.beta, x, t_x, T);
  if (!v.ok) throw numeric_error("pnbd.log_likelihood", "2F1 series left its range");
  return v.log_likelihood;
}

double pnbd::log_likelihood(const customer_summary_view& s) const {
  double ll = 0;
  for (std::size_t i = 0; i < s.size(); ++i) ll += s.w(i) * log_likelihood(s.x[i], s.t_x[i], s.T[i]);
  return ll;
}

double pnbd::p_alive(double x, double t_x, double T) const {
  check_customer("pnbd.p_alive", x, t_x, T);
  double l1 = 0, l2 = 0, lf = 0, out = 0;
  pnbd_pair_block(p_, &x, &T, &l2, &lf, 1);
  pnbd_a0_block(p_, &x, &t_x, &l1, 1);
  pnbd_p_alive_block(p_, &x, &l1, &l2, &lf, &out, 1);
  if (std::isnan(out)) throw numeric_error("pnbd.p_alive", "2F1 series left its range");
  return out;
}

double pnbd::expected_purchases(double t, double x, double t_x, double T) const {
  check_t("pnbd.expected_purchases", t);
  return p_alive(x, t_x, T) * pnbd_expected_factor(p_, t, x, T);
}

double pnbd::expected_purchases_new(double t) const noexcept {
  return p_.r * p_.beta / p_.alpha * detail::one_minus_pow_over_k(p_.s - 1, t / p_.beta);
}

double pnbd::prob_purchases(double n, double t, double x, double t_x, double T) const {
  check_t("pnbd.prob_purchases", t);
  if (!(n >= 0) || n != std::floor(n)) throw invalid_argument_error("pnbd.prob_purchases", "n", num(n), "must be an integer >= 0");
  const double pa = p_alive(x, t_x, T);
  const double pn = detail::pnbd_prob_new(n, t, p_.r + x, p_.alpha + T, p_.s, p_.beta + T);
  return pa * pn + (n == 0 ? 1.0 - pa : 0.0);
}

double pnbd::prob_purchases_new(double n, double t) const {
  check_t("pnbd.prob_purchases_new", t);
  if (!(n >= 0) || n != std::floor(n)) throw invalid_argument_error("pnbd.prob_purchases_new", "n", num(n), "must be an integer >= 0");
  return detail::pnbd_prob_new(n, t, p_.r, p_.alpha, p_.s, p_.beta);
}

void pnbd::prob_purchases(double n, double t, const customer_summary_view& s, std::span<double> out) const {
  check_out("pnbd.prob_purchases", s.size(), out);
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = prob_purchases(n, t, s.x[i], s.t_x[i], s.T[i]);
}

double pnbd::dert(double delta, double x, double t_x, double T) const {
  check_delta("pnbd.dert", delta);
  const double z = delta * (p_.beta + T);
  const auto h = detail::log_upper_gamma_scaled(1 - p_.s, z);
  if (!h.ok) throw numeric_error("pnbd.dert", "incomplete gamma left its range");
  return p_alive(x, t_x, T) * (p_.r + x) / (p_.alpha + T) * (p_.beta + T) * std::exp(h.log_abs);
}

namespace {
// Pareto/NBD P(alive) of a batch whose distinct (x, T) pairs are u: the pair terms once per
// pair, then the customers in blocks, every row checked in the loop (p_alive_checked).
void pnbd_p_alive_batch(const pnbd_params& p, const customer_summary_view& s, const xt_pairs& u,
                        std::span<double> out) {
  std::vector<double> a0_T(u.x.size()), ln_first(u.x.size());
  for_each_block(u.x.size(), [&](std::size_t b, std::size_t e) {
    pnbd_pair_block(p, u.x.data() + b, u.T.data() + b, a0_T.data() + b, ln_first.data() + b, e - b);
  });
  std::atomic<bool> failed{false};
  p_alive_checked(s, "pnbd.p_alive", [&](std::size_t b, std::size_t e) {
    double l1[score_block], l2[score_block], lf[score_block];
    const std::size_t n = e - b;
    pnbd_a0_block(p, s.x.data() + b, s.t_x.data() + b, l1, n);
    for (std::size_t j = 0; j < n; ++j) {
      l2[j] = a0_T[u.id[b + j]];
      lf[j] = ln_first[u.id[b + j]];
    }
    pnbd_p_alive_block(p, s.x.data() + b, l1, l2, lf, out.data() + b, n);
    for (std::size_t j = 0; j < n; ++j)
      if (std::isnan(out[b + j])) failed.store(true, std::memory_order_relaxed);
  });
  if (failed.load()) throw numeric_error("pnbd.p_alive", "a special-function series left its range for some customer");
}
}  // namespace
#pragma GCC diagnostic pop

void pnbd::p_alive(const customer_summary_view& s, std::span<double> out) const {
  check_out("pnbd.p_alive", s.size(), out);
  pnbd_p_alive_batch(p_, s, distinct_xt(s), out);
}

void pnbd::expected_purchases(double t, const customer_summary_view& s, std::span<double> out) const {
  check_out("pnbd.expected_purchases", s.size(), out);
  check_t("pnbd.expected_purchases", t);
  const xt_pairs u = distinct_xt(s);
  pnbd_p_alive_batch(p_, s, u, out);
  std::vector<double> f(u.x.size());
  for (std::size_t k = 0; k < f.size(); ++k) f[k] = pnbd_expected_factor(p_, t, u.x[k], u.T[k]);
  for (std::size_t i = 0; i < s.size(); ++i) out[i] *= f[u.id[i]];
}

void pnbd::dert(double delta, const customer_summary_view& s, std::span<double> out) const {
  check_out("pnbd.dert", s.size(), out);
  check_delta("pnbd.dert", delta);
  const xt_pairs u = distinct_xt(s);
  pnbd_p_alive_batch(p_, s, u, out);
  std::vector<double> f(u.x.size());
  for_each_customer(u.x.size(), "pnbd.dert", [&](std::size_t k) {
    const auto h = detail::log_upper_gamma_scaled(1 - p_.s, delta * (p_.beta + u.T[k]));
    f[k] = (p_.r + u.x[k]) / (p_.alpha + u.T[k]) * (p_.beta + u.T[k]) * std::exp(h.log_abs);
    return h.ok;
  });
  for (std::size_t i = 0; i < s.size(); ++i) out[i] *= f[u.id[i]];
}

void pnbd::tracking(std::span<const double> first, std::span<const double> times, std::span<double> cumulative,
                    std::span<double> incremental) const {
  tracking_impl(*this, first, times, cumulative, incremental);
}

fit_result<pnbd> pnbd::fit(const customer_summary_view& s, const fit_options& options, time_unit unit) {
  options.validate();
  if (s.size() == 0) throw invalid_argument_error(model_name, "customers", "0", "nothing to fit");
  validate_summary(s, model_name);
  check_weights(s, model_name);
  const compressed c = compress(s, options.compress, false);
  const double W = c.total_weight > 0 ? c.total_weight : 1.0;
  // The A₀ pieces depend on (x, t_x) and (x, T) only, lnΓ(r+x) on x only: each is computed once
  // per distinct value per evaluation (CDNOW: 1,016 rows, 586 (x, t_x), 464 (x, T), 33 x).
  const customer_summary_view rows(c.x, c.t_x, c.T);
  const xt_pairs at_T = distinct_xt(rows);
  const xt_pairs at_tx = distinct_xt(customer_summary_view(c.x, c.t_x, c.t_x));
  const xt_pairs by_x = distinct_xt(customer_summary_view(c.x, c.x, c.x));
  // The fit caps each 2F1 series at 10⁵ terms (the scorers allow 2·10⁶): only arguments within
  // ~4·10⁻⁴ of 1 need more, reached when a data set cannot identify the model and the optimiser
  // runs to α/β → 0 or ∞; there the step is refused (+∞) instead of costing seconds each.
  constexpr std::int64_t fit_series_terms = 100'000;
  // −Σ w·ln L over the rows in Real = double (value) or a dual (value and exact gradient in θ).
  auto nll_of = [&](auto r, auto al, auto sp, auto be) {
    using Real = decltype(r);
    using std::lgamma;
    using std::log;
    std::vector<detail::log_value<Real>> pt(at_T.x.size()), px(at_tx.x.size());
    std::vector<Real> lg(by_x.x.size());
    for (std::size_t k = 0; k < pt.size(); ++k) {
      pt[k] = detail::pnbd_a0_piece<Real>(r, al, sp, be, at_T.x[k], at_T.T[k], fit_series_terms);
      if (!pt[k].ok) return Real(std::numeric_limits<double>::infinity());
    }
    for (std::size_t k = 0; k < px.size(); ++k) {
      px[k] = detail::pnbd_a0_piece<Real>(r, al, sp, be, at_tx.x[k], at_tx.T[k], fit_series_terms);
      if (!px[k].ok) return Real(std::numeric_limits<double>::infinity());
    }
    const Real lg_r = lgamma(r);
    for (std::size_t k = 0; k < lg.size(); ++k) lg[k] = lgamma(r + by_x.x[k]) - lg_r;
    const Real head = r * log(al) + sp * log(be);
    Real ll = 0;
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      const auto v = detail::pnbd_parts_from<Real>(r, al, sp, be, c.x[i], c.T[i], px[at_tx.id[i]], pt[at_T.id[i]], false);
      ll += c.w[i] * (lg[by_x.id[i]] + head + v.log_likelihood);
    }
    return -ll;
  };
  auto bad = [](const Eigen::VectorXd& th) {
    for (Eigen::Index k = 0; k < 4; ++k)
      if (!(std::isfinite(th(k)) && std::abs(th(k)) < 700)) return true;
    return false;
  };
  auto nll = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) -> double {
    if (bad(th)) return std::numeric_limits<double>::infinity();
    if (grad == nullptr) {
      const double v = nll_of(std::exp(th(0)), std::exp(th(1)), std::exp(th(2)), std::exp(th(3)));
      return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
    }
    // d/dθₖ of pₖ = e^θₖ is pₖ itself.
    using D = detail::dual<4>;
    const D v = nll_of(D::variable(std::exp(th(0)), 0, std::exp(th(0))), D::variable(std::exp(th(1)), 1, std::exp(th(1))),
                       D::variable(std::exp(th(2)), 2, std::exp(th(2))), D::variable(std::exp(th(3)), 3, std::exp(th(3))));
    grad->resize(4);
    for (Eigen::Index k = 0; k < 4; ++k) (*grad)(k) = v.d[static_cast<std::size_t>(k)];
    return std::isfinite(v.v) && grad->allFinite() ? v.v : std::numeric_limits<double>::infinity();
  };
  const double pen = options.penalty;
  detail::objective_fn mean_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) {
    double v = nll(th, grad) / W;
    for (Eigen::Index k = 0; k < 4; ++k) v += pen * std::exp(2 * th(k));
    if (grad != nullptr && std::isfinite(v)) {
      *grad /= W;
      for (Eigen::Index k = 0; k < 4; ++k) (*grad)(k) += 2 * pen * std::exp(2 * th(k));
    }
    return v;
  };
  detail::objective_fn total_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) { return nll(th, grad); };
  std::vector<std::vector<double>> starts;
  if (!options.start.empty()) {
    if (options.start.size() != 4)
      throw invalid_argument_error(model_name, "start", std::to_string(options.start.size()) + " values", "needs 4: r, alpha, s, beta");
    starts.push_back(options.start);
  } else {
    double mean_T = 0, mean_x = 0;
    for (std::size_t i = 0; i < c.x.size(); ++i) { mean_T += c.w[i] * c.T[i]; mean_x += c.w[i] * c.x[i]; }
    const double rate = std::max(mean_x / W, 0.01) / std::max(mean_T / W, 1e-6);
    starts = {{1, 1 / rate, 1, 1 / rate}, {0.5, 0.5 / rate, 0.5, 10}, {1, 1, 1, 1}};
  }
  const auto res = detail::minimize(mean_obj, best_start(mean_obj, starts), options.max_iterations, options.tolerance);
  fit_result<pnbd> out;
  out.model = pnbd({std::exp(res.theta(0)), std::exp(res.theta(1)), std::exp(res.theta(2)), std::exp(res.theta(3))}, unit);
  out.n_customers = static_cast<std::size_t>(std::llround(c.total_weight));
  out.n_used = out.n_customers;
  finish(out, total_obj, res, W, true);
  return out;
}

}  // namespace patron::inline v1
