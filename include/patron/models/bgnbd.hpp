// SPDX-License-Identifier: MIT
// BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007) models.
#ifndef PATRON_MODELS_BGNBD_HPP
#define PATRON_MODELS_BGNBD_HPP

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>

#include "patron/data/summary.hpp"
#include "patron/detail/special.hpp"
#include "patron/error.hpp"
#include "patron/models/fit_result.hpp"

namespace patron::detail {

// --- per-customer kernels, templated on Real (double, or 50-digit for the oracle) -------------
// Symbols as in the papers: λ ~ Gamma(r, α) (α a rate), p ~ Beta(a, b); customer (x, t_x, T).
// `modified` = MBG/NBD: the drop-out coin is also tossed right after the first purchase.
//
// Key fact used throughout: given the history and that the customer is alive at T, the future
// is a *new* BG/NBD customer (alive at time 0, drop-out after each purchase) with parameters
// R = r + x, A = α + T, a, B = b + x (BG/NBD) or B = b + x + 1 (MBG/NBD): the posterior of
// (λ, p) given alive is Gamma(R, A) × Beta(a, B). Hence E[X(t)|·] = P(alive)·E_new(t; R,A,a,B),
// P(X(t)=n|·) = P(alive)·P_new(n) + (1−P(alive))·[n=0], DERT = P(alive)·DERT_new.

/// Per-customer log-likelihood. BG/NBD: Fader, Hardie & Lee (2005) eq. 6; MBG/NBD: Batislam et
/// al. (2007) eq. 5. Written as ln L = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x+m) − ln B(a, b)
/// − (r+x) ln(α+T) + ln(1 + D), D = [x>0 or m] a/(b+x−1+m) ((α+T)/(α+t_x))^(r+x), m = modified.
template <class Real>
[[nodiscard]] Real bg_log_likelihood(Real r, Real alpha, Real a, Real b, Real x, Real t_x, Real T,
                                     bool modified) {
  using boost::math::lgamma;
  using std::lgamma;
  using std::log;
  const Real m = modified ? Real(1) : Real(0);
  Real ll = lgamma(r + x) - lgamma(r) + r * log(alpha) + lbeta(a, b + x + m) - lbeta(a, b) -
            (r + x) * log(alpha + T);
  if (modified || x > 0) {
    const Real log_d = log(a) - log(b + x - 1 + m) + (r + x) * (log(alpha + T) - log(alpha + t_x));
    ll += log1p_exp(log_d);
  }
  return ll;
}

/// P(alive | x, t_x, T) = 1 / (1 + D) (FHL 2005 eq. 13; Batislam et al. 2007). BG/NBD gives 1
/// for x = 0 (nobody can drop out before a repeat purchase): use MBG/NBD when that matters.
template <class Real>
[[nodiscard]] Real bg_p_alive(Real r, Real alpha, Real a, Real b, Real x, Real t_x, Real T,
                              bool modified) {
  using std::exp;
  using std::log;
  using std::log1p;
  if (!modified && x == 0) return Real(1);
  const Real m = modified ? Real(1) : Real(0);
  // ln D with two logarithms: ln(a/(b+x−1+m)) + (r+x)·ln(1 + (T−t_x)/(α+t_x)).
  const Real log_d = log(a / (b + x - 1 + m)) + (r + x) * log1p((T - t_x) / (alpha + t_x));
  if (log_d > 0) return exp(-log_d) / (1 + exp(-log_d));
  return 1 / (1 + exp(log_d));
}

/// Expected purchases in (0, t] of a new BG/NBD customer alive at 0 with parameters (R, A, a, B):
/// c/(a−1)·[1 − (A/(A+t))^R 2F1(R, B; c; z)], c = a+B−1, z = t/(A+t) (FHL 2005 eq. 9).
/// Evaluated without cancellation or the a = 1 pole as the positive series
///   c (1−z)^(a−1) Σ_{n≥1} (a)_{n−1}/n! zⁿ dₙ,  dₙ = 1 − (c−R)ₙ/(c)ₙ,
/// obtained from Euler's transformation of the 2F1 (all terms ≥ 0, dₙ by a stable recurrence).
/// `ok` false when the series has not converged within 5·10⁶ terms (t ≫ A only).
template <class Real>
[[nodiscard]] log_value<Real> bg_log_expected_new(Real t, Real R, Real A, Real a, Real B) {
  using std::abs;
  using std::log;
  using std::log1p;
  if (!(t > 0)) return {-std::numeric_limits<Real>::infinity(), 1, t == 0};
  const Real c = a + B - 1;
  const Real z = t / (A + t);
  const Real eps = eps_of<Real>() / 4;
  Real rho = 1, d = 0, coef = 1, sum = 0;  // coef = (a)_{n-1} z^n / n!
  for (long n = 1; n < 5'000'000; ++n) {
    const Real nn = Real(static_cast<double>(n));
    const Real inv = 1 / (c + nn - 1);
    d += rho * R * inv;
    rho *= (c - R + nn - 1) * inv;
    coef = n == 1 ? z : coef * z * (a + nn - 2) / nn;
    const Real term = coef * d;
    sum += term;
    // Only when the term is already small: the tail bound term·ρ/(1−ρ) with ρ the next ratio.
    if (term < eps * sum) {
      const Real ratio = z * (a + nn - 1) / (nn + 1);
      if (nn > a + 2 && ratio < 1 && term * ratio < eps * sum * (1 - ratio))
        return {log(c) + (a - 1) * log1p(-z) + log(sum), 1, sum > 0};
    }
  }
  return {std::numeric_limits<Real>::infinity(), 1, false};
}

/// P(X(t) = n) for a new BG/NBD customer alive at 0 with parameters (R, A, a, B) (FHL 2005 eq. 8):
/// B(a,B+n)/B(a,B)·NB(n) + [n>0] B(a+1,B+n−1)/B(a,B)·(1 − Σ_{j<n} NB(j)), NB the negative
/// binomial pmf with p = A/(A+t); the tail is the regularised incomplete beta I_z(n, R).
template <class Real>
[[nodiscard]] Real bg_prob_new(Real n, Real t, Real R, Real A, Real a, Real B) {
  using boost::math::ibeta;
  using boost::math::lgamma;
  using std::exp;
  using std::lgamma;
  using std::log;
  using std::log1p;
  const Real z = t / (A + t);
  const Real log_nb = lgamma(R + n) - lgamma(R) - lgamma(n + 1) + R * log(A / (A + t)) +
                      (n > 0 ? n * log(z) : Real(0));
  Real p = exp(lbeta(a, B + n) - lbeta(a, B) + log_nb);
  if (n > 0) p += exp(lbeta(a + 1, B + n - 1) - lbeta(a, B)) * ibeta(n, R, z);
  return p;
}

/// Discounted expected residual transactions of a new BG/NBD customer alive at 0 with
/// parameters (R, A, a, B), continuous discount rate δ per model unit, by direct quadrature:
///   DERT = E[λ / (δ + pλ)]  (given λ, p the alive time is Exp(pλ), purchases Poisson(λ))
///        = R · E_p[ U(1, 1−R, δA/p) / p ],  p ~ Beta(a, B),
/// the λ-integral in closed form with Tricomi's U (our derivation, same route as FHL 2005 JMR
/// eq. 2 for Pareto/NBD). The Beta integral is done by tanh-sinh (double-exponential) quadrature
/// on [−1, 1] with p = (1+t)/2, using the distance to the nearer endpoint that Boost passes as a
/// second argument, so that 1 − p keeps its digits and the (1−p)^(B−1) singularity of B < 1 is
/// integrated fully; requested relative error `tolerance`, the estimated error in *error_estimate.
/// About 150–300 evaluations of U (≈ 36 µs in double): the fallback of the double path below and,
/// at Real = cpp_bin_float_50, the test oracle.
template <class Real>
[[nodiscard]] Real bg_dert_new_tanh_sinh(Real delta, Real R, Real A, Real a, Real B,
                                         Real* error_estimate = nullptr,
                                         Real tolerance = Real(1e-10)) {
  using boost::math::lgamma;
  using boost::math::tgamma_delta_ratio;
  using std::exp;
  using std::lgamma;
  using std::log;
  // ln B(a, B) = ln Γ(a) + ln(Γ(B)/Γ(B+a)): no cancellation of two huge lgammas when B is large.
  const Real lb = lgamma(a) + log(tgamma_delta_ratio(B, a));
  // t in (−1, 1), tc = 1 − t when t ≥ 0 and −(1 + t) when t < 0 (Boost's convention).
  auto f = [&](Real t, Real tc) -> Real {
    const Real p = tc < 0 ? Real(-tc / 2) : Real(1 - tc / 2);
    const Real q = tc < 0 ? Real(1 + tc / 2) : Real(tc / 2);
    (void)t;
    if (!(p > 0) || !(q > 0)) return Real(0);
    const auto u = log_tricomi_u_1b(Real(1) - R, delta * A / p);
    if (!u.ok) return Real(0);
    return exp((a - 2) * log(p) + (B - 1) * log(q) - lb + u.log_abs) / 2;
  };
  static thread_local boost::math::quadrature::tanh_sinh<Real> integrator(15);
  Real err = 0, l1 = 0;
  const Real v = integrator.integrate(f, tolerance, &err, &l1);
  if (error_estimate) *error_estimate = err * R;
  return R * v;
}

// --- DERT by a Mellin–Barnes integral --------------------------------------------------------
// With λ = S'/A, S' ~ Gamma(R, 1), and the size-biased identity E[S' g(S')] = R E[g(S)],
// S ~ Gamma(R+1, 1):
//   DERT = E[λ/(δ + pλ)] = R · I(w),  I(w) = E[1/(w + Y)],  Y = pS,  w = δA.
// Mellin–Barnes: 1/(1+u) = (1/2πi) ∫ Γ(s)Γ(1−s) u^(−s) ds on Re s = c in (0, 1) (the Mellin pair
// ∫₀^∞ u^(s−1)/(1+u) du = Γ(s)Γ(1−s) inverted; Paris & Kaminski 2001, "Asymptotics and
// Mellin–Barnes integrals", ch. 3), and the Mellin moments
// E[p^(−s)] = Γ(a−s)Γ(a+B)/(Γ(a)Γ(a+B−s)), E[S^(−s)] = Γ(R+1−s)/Γ(R+1) give, for
// 0 < c < min(1, a) (our derivation),
//   I(w) = (1/2π) ∫ K(c+iτ) w^(c−1+iτ) dτ,
//   K(s) = π/sin(πs) · Γ(a−s)/Γ(a) · Γ(R+1−s)/Γ(R+1) · Γ(a+B)/Γ(a+B−s).
// K decays like e^(−3π|τ|/2) and is analytic between the poles s = 0 (of Γ(s)), s = a and 1.
// The contour may sit in any gap between poles if the residues of the poles it crossed are
// added; we use these, each gap at least 1/2 wide (half-width d ≥ 1/4):
//   "main", a ≥ 1/2:  c in (0, min(1, a)), nothing added;
//   "main", a < 1/2:  c in (a, 1), plus the residue at s = a, Γ(1−a) w^(a−1) Γ(a+B)/Γ(B) ·
//                     Γ(R+1−a)/Γ(R+1) (the small-w singular term: no cancellation for w → 0);
//   "left":           c in (−1, 0), plus the residue at s = 0, 1/w (for w ≫ Y, where I ≈ 1/w).
// The τ-integral is done by the trapezoidal rule with step h, truncated where |K| < 1e-17 max|K|;
// K(conj s) = conj K(s) halves the nodes.
// Error (Trefethen & Weideman 2014, SIAM Review 56(3), §5, via Poisson summation): the aliasing
// terms of step h are the same integral at w·e^(±2π/h), i.e. relative to I(w) about
// ρ²·e^(−2πd/h)·L, d the strip half-width, ρ = (Σ|terms| + |residue|)/I the cancellation ratio
// of the rule for this w, L ≤ 2π/h + |ln w| a logarithm from a double pole (a = 1: s = 1 is a
// pole of Γ(1−s) and of Γ(a−s)); rounding adds about ρ·1e-15. We take 2πd/h = 50 (e^(−50) =
// 2e-22) and accept a result only if ρ ≤ 1e4, so both terms stay below about 1e-11. ρ grows like
// (Y/w)^(distance to the right pole) or (w/Y)^(distance to the left pole) for a typical Y: 1.3 at
// most on the benchmark's pairs, under 400 for 20,000 random draws of a in [0.05, 20], b in
// [0.1, 1000], x ≤ 2500, r ≤ 10, w in [3e-6, 1e3] (main rule). bg_dert_from_rules takes the
// main rule when its ρ ≤ 100, else the rule with the smaller ρ, else tanh-sinh (above), which
// needs w below about 1e-8·Y with a ≥ 1/2, where tanh-sinh is accurate (tests/models_test.cpp
// checks one such point).
// Cost: K depends on (R, a, B) only, the customer's T enters through w alone, so a batch builds
// K once per distinct x (≈ 170 nodes, 2 log-gamma differences each, ≈ 20 µs) and each (x, T)
// pair costs one pass over the nodes (≈ 0.5 µs); tanh-sinh took ≈ 36 µs per pair.

/// The a-dependent half of a Mellin–Barnes rule: contour Re s = c, step h, and the nodes' factors
/// h/sin(π sⱼ) · Γ(a−sⱼ)/Γ(a), sⱼ = c + i j h, j = 0, 1, ... (the j = 0 one halved).
struct bg_dert_contour {
  double a = 0, c = 0, h = 0;
  enum kind_t { main, left } kind = main;
  std::vector<std::complex<double>> base;
};

/// A full rule for one (R, a, B): I(w) ≈ w^(c−1) Re Σⱼ kⱼ w^(i j h) + residue·w^(power).
struct bg_dert_rule {
  double c = 0, h = 0, residue = 0, power = 0;
  std::vector<std::complex<double>> k;
};

inline constexpr double bg_dert_cond_max = 1e4;  // accepted cancellation ratio ρ, see above

/// Builds the contour of the given kind for shape a > 0 (finite).
inline void make_bg_dert_contour(double a, bg_dert_contour::kind_t kind, bg_dert_contour& out) {
  const double pi = boost::math::constants::pi<double>();
  out.base.clear();
  out.a = a;
  out.kind = kind;
  if (!(a > 0) || !std::isfinite(a)) return;  // no nodes: every evaluation falls back to tanh-sinh
  double lo = -1, hi = 0;
  if (kind == bg_dert_contour::main) {
    lo = a < 0.5 ? a : 0.0;
    hi = a < 0.5 ? 1.0 : std::min(a, 1.0);
  }
  out.c = (lo + hi) / 2;
  out.h = 2 * pi * (hi - lo) / 2 / 50.0;
  // |K| = |base|·|Γ(R+1−s)Γ(a+B)/(Γ(R+1)Γ(a+B−s))|, the second factor at most a modest power
  // of τ; |base| ≤ e^(−π τ)·(power of τ), below 1e-40 of |base₀| by τ = 32 whatever a is.
  const auto n = static_cast<int>(std::ceil(32.0 / out.h));
  const double sin_c = std::sin(pi * out.c), cos_c = std::cos(pi * out.c);
  for (int j = 0; j <= n; ++j) {
    const std::complex<double> s(out.c, j * out.h);
    // h/sin(πs), sin(π(c+iτ)) = sin(πc) cosh(πτ) + i cos(πc) sinh(πτ)
    const std::complex<double> sn(sin_c * std::cosh(pi * s.imag()),
                                  cos_c * std::sinh(pi * s.imag()));
    std::complex<double> v = cmul(out.h * cinv(sn), cexp(log_gamma_shift(a, s)));
    if (j == 0) v *= 0.5;
    out.base.push_back(v);
    if (j > 8 && std::abs(v) < 1e-40 * std::abs(out.base[0])) break;
  }
}

/// Completes a rule for (R, B) on a contour (R, B > 0, finite).
inline void make_bg_dert_rule(const bg_dert_contour& ct, double R, double B, bg_dert_rule& out) {
  out.c = ct.c;
  out.h = ct.h;
  out.residue = 0;
  out.power = 0;
  if (ct.kind == bg_dert_contour::left) {
    out.residue = 1;
    out.power = -1;
  } else if (ct.c > ct.a) {
    out.residue = std::tgamma(1 - ct.a) * std::exp(log_gamma_shift(B, {-ct.a, 0}).real() +
                                                   log_gamma_shift(R + 1, {ct.a, 0}).real());
    out.power = ct.a - 1;
  }
  out.k.clear();
  double kmax = 0;
  int small = 0;
  for (std::size_t j = 0; j < ct.base.size(); ++j) {
    const std::complex<double> s(ct.c, static_cast<double>(j) * ct.h);
    const std::complex<double> v =
        cmul(ct.base[j], cexp(log_gamma_shift(R + 1, s) - log_gamma_shift(ct.a + B, s)));
    out.k.push_back(v);
    const double m = std::abs(v);
    kmax = std::max(kmax, m);
    small = m < 1e-17 * kmax ? small + 1 : 0;
    if (small == 2) break;
  }
}

/// R·I(w) from a rule, and the rule's cancellation ratio ρ for this w; false unless the value is
/// positive and finite with ρ ≤ bg_dert_cond_max.
[[nodiscard]] inline bool bg_dert_eval(const bg_dert_rule& rule, double R, double w, double& out,
                                       double& rho) {
  const double lw = std::log(w);
  const double th = rule.h * lw;
  // Σ Re(kⱼ e^(i j θ)): four interleaved phase chains (nodes j ≡ q mod 4, stepped by e^(4iθ)),
  // restarted from std::polar every 64 nodes so that rounding cannot drift (≤ 16 steps).
  double sum[4] = {0, 0, 0, 0}, asum[4] = {0, 0, 0, 0};
  const std::complex<double> rot1 = std::polar(1.0, th), rot2 = cmul(rot1, rot1),
                             rot3 = cmul(rot2, rot1), rot4 = cmul(rot2, rot2);
  const std::size_t n = rule.k.size();
  for (std::size_t j0 = 0; j0 < n; j0 += 64) {
    std::complex<double> e[4];
    e[0] = std::polar(1.0, static_cast<double>(j0) * th);
    e[1] = cmul(e[0], rot1);
    e[2] = cmul(e[0], rot2);
    e[3] = cmul(e[0], rot3);
    const std::size_t j1 = std::min(n, j0 + 64);
    std::size_t j = j0;
    for (; j + 4 <= j1; j += 4) {
      for (std::size_t q = 0; q < 4; ++q) {
        const std::complex<double> k = rule.k[j + q];
        const double t = k.real() * e[q].real() - k.imag() * e[q].imag();
        sum[q] += t;
        asum[q] += std::abs(t);
        e[q] = cmul(e[q], rot4);
      }
    }
    for (std::size_t q = 0; j < j1; ++j, ++q) {
      const double t = rule.k[j].real() * e[q].real() - rule.k[j].imag() * e[q].imag();
      sum[q] += t;
      asum[q] += std::abs(t);
    }
  }
  const double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  const double atotal = (asum[0] + asum[1]) + (asum[2] + asum[3]);
  const double scale = std::exp((rule.c - 1) * lw);
  const double res = rule.residue != 0 ? rule.residue * std::exp(rule.power * lw) : 0.0;
  const double v = total * scale + res;
  rho = (atotal * scale + std::abs(res)) / v;
  out = R * v;
  return v > 0 && std::isfinite(out) && rho <= bg_dert_cond_max;
}

/// The one decision sequence shared by the scalar and batch paths: the main rule when its ρ is
/// at most 100 (all realistic inputs); otherwise the left rule (`left()` builds it on first
/// use) or the main one, whichever has the smaller ρ within bg_dert_cond_max; otherwise
/// tanh-sinh.
template <class LeftRule>
[[nodiscard]] double bg_dert_from_rules(const bg_dert_rule& main, LeftRule&& left, double delta,
                                        double R, double A, double a, double B) {
  const double w = delta * A;
  double v0 = 0, rho0 = 0, v1 = 0, rho1 = 0;
  const bool ok0 = bg_dert_eval(main, R, w, v0, rho0);
  if (ok0 && rho0 <= 100) return v0;
  const bool ok1 = bg_dert_eval(left(), R, w, v1, rho1);
  if (ok1 && (!ok0 || rho1 < rho0)) return v1;
  if (ok0) return v0;
  return bg_dert_new_tanh_sinh(delta, R, A, a, B);
}

/// DERT of a new BG/NBD customer (see bg_dert_new_tanh_sinh for the formula). In double: the
/// Mellin–Barnes rules above (bg_dert_from_rules); relative error ≤ 1e-10 by the error model
/// above, checked against the 50-digit tanh-sinh oracle in tests/models_test.cpp. Other Real
/// types (the 50-digit oracle) use tanh-sinh.
template <class Real>
[[nodiscard]] Real bg_dert_new(Real delta, Real R, Real A, Real a, Real B) {
  if constexpr (std::is_same_v<Real, double>) {
    // One-entry per-thread caches: a scalar caller scores with one model (one a) and often
    // repeats x. A cached rule is what a fresh computation gives, bit for bit.
    struct cache {
      bg_dert_contour contour[2];
      bg_dert_rule rule[2];
      double R[2] = {-1, -1}, B[2] = {-1, -1};
    };
    thread_local cache c;
    auto rule = [&](int kind) -> const bg_dert_rule& {
      if (c.contour[kind].base.empty() || !(c.contour[kind].a == a)) {
        make_bg_dert_contour(a, static_cast<bg_dert_contour::kind_t>(kind), c.contour[kind]);
        c.R[kind] = -1;
      }
      if (!(c.R[kind] == R) || !(c.B[kind] == B)) {
        make_bg_dert_rule(c.contour[kind], R, B, c.rule[kind]);
        c.R[kind] = R;
        c.B[kind] = B;
      }
      return c.rule[kind];
    };
    auto left = [&]() -> const bg_dert_rule& { return rule(1); };
    return bg_dert_from_rules(rule(0), left, delta, R, A, a, B);
  } else {
    return bg_dert_new_tanh_sinh(delta, R, A, a, B);
  }
}

}  // namespace patron::detail

namespace patron::inline v1 {

/// Parameters of BG/NBD and MBG/NBD: λ ~ Gamma(shape r, rate α) per model time unit,
/// p ~ Beta(a, b). All four finite and > 0.
struct bgnbd_params {
  double r = 1, alpha = 1, a = 1, b = 1;
};

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way",
/// Marketing Science 24(2)) when Modified = false, MBG/NBD (Batislam, Denizel & Filiztekin
/// 2007, IJRM 24(3)) when true. An immutable value: construction validates; const members are
/// thread-safe. Inputs are a customer's x (repeat purchases), t_x (time of the last), T (age),
/// in the model's time unit. Scalar members throw numeric_error if a series leaves its range;
/// batch members check span sizes and throw invalid_argument_error.
///
/// Known property of BG/NBD: P(alive) = 1 for every customer with x = 0, however long ago they
/// bought: MBG/NBD fixes this (drop-out possible right after the first purchase).
template <bool Modified>
class basic_bgnbd {
 public:
  static constexpr bool modified = Modified;
  /// "bgnbd" or "mbgnbd": the name in model files and on the command line.
  static constexpr const char* model_name = Modified ? "mbgnbd" : "bgnbd";

  basic_bgnbd() = default;
  /// Throws invalid_argument_error unless every parameter is finite and > 0.
  explicit basic_bgnbd(const bgnbd_params& p, time_unit unit = time_unit::week());

  [[nodiscard]] const bgnbd_params& params() const noexcept { return p_; }
  [[nodiscard]] time_unit unit() const noexcept { return unit_; }
  /// Parameters as a vector in the order r, alpha, a, b (names from param_names()).
  [[nodiscard]] std::vector<double> param_vector() const { return {p_.r, p_.alpha, p_.a, p_.b}; }
  [[nodiscard]] static std::vector<std::string> param_names() { return {"r", "alpha", "a", "b"}; }

  /// Log-likelihood of one customer.
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const {
    return detail::bg_log_likelihood(p_.r, p_.alpha, p_.a, p_.b, x, t_x, T, Modified);
  }
  /// Total log-likelihood, weighted by s.weight when present.
  [[nodiscard]] double log_likelihood(const customer_summary_view& s) const;

  /// P(alive at T | x, t_x, T) (detail::bg_p_alive; evaluated with the batch's vector maths, so
  /// the scalar and batch members give the same bits).
  [[nodiscard]] double p_alive(double x, double t_x, double T) const;
  /// Expected purchases in (T, T + t] given the history (FHL 2005 eq. 10).
  [[nodiscard]] double expected_purchases(double t, double x, double t_x, double T) const;
  /// P(X(T, T+t) = n | history), n = 0, 1, ...
  [[nodiscard]] double prob_purchases(double n, double t, double x, double t_x, double T) const;
  /// Unconditional E[X(t)] for a customer who made a first purchase at time 0 (FHL eq. 9).
  [[nodiscard]] double expected_purchases_new(double t) const;
  /// Unconditional P(X(t) = n) for a new customer.
  [[nodiscard]] double prob_purchases_new(double n, double t) const;
  /// Discounted expected residual transactions, δ continuous per model unit (see value/discount.hpp
  /// to convert an annual rate). Numerical integration (a Mellin–Barnes integral by the
  /// trapezoidal rule with a per-value cancellation check, see detail::bg_dert_new), relative
  /// error ≤ 1e-9; tests check ≤ 1e-10 against a 50-digit oracle. The batch member builds the
  /// quadrature weights once per distinct x.
  [[nodiscard]] double dert(double delta, double x, double t_x, double T) const;

  /// Batch versions: out[i] for customer i; out.size() must equal s.size(). p_alive checks every
  /// row in its scoring loop and throws data_error (out_of_range) naming the first bad one.
  void p_alive(const customer_summary_view& s, std::span<double> out) const;
  void expected_purchases(double t, const customer_summary_view& s, std::span<double> out) const;
  void prob_purchases(double n, double t, const customer_summary_view& s, std::span<double> out) const;
  void dert(double delta, const customer_summary_view& s, std::span<double> out) const;

  /// Cohort tracking: customers with first purchases at `first_purchase` (model units from a
  /// common origin) expected to make `cumulative[k]` repeat purchases in total by calendar time
  /// times[k] and `incremental[k]` in (times[k−1], times[k]] (times[−1] = 0), from
  /// Σᵢ E_new(times[k] − firstᵢ) (FHL 2005, tracking plots). times must be non-decreasing.
  void tracking(std::span<const double> first_purchase, std::span<const double> times,
                std::span<double> cumulative, std::span<double> incremental) const;

  /// Maximum-likelihood fit (L-BFGS on log-parameters, analytic gradient, compressed data,
  /// restart + Nelder–Mead fallback). Never throws on non-convergence: see fit_result::status.
  /// Throws data_error for invalid summaries (validate_summary) and invalid_argument_error for bad
  /// options or an empty input.
  [[nodiscard]] static fit_result<basic_bgnbd> fit(const customer_summary_view& s,
                                                   const fit_options& options = {},
                                                   time_unit unit = time_unit::week());

 private:
  bgnbd_params p_{};
  time_unit unit_ = time_unit::week();
};

using bgnbd = basic_bgnbd<false>;

extern template class basic_bgnbd<false>;
extern template class basic_bgnbd<true>;

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_BGNBD_HPP
