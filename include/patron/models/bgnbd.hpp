// SPDX-License-Identifier: MIT
// BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007) models.
#ifndef PATRON_MODELS_BGNBD_HPP
#define PATRON_MODELS_BGNBD_HPP

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

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
/// About 150–300 evaluations of U (≈ 36 µs in double).
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

/// DERT of a new BG/NBD customer: bg_dert_new_tanh_sinh at the default tolerance.
template <class Real>
[[nodiscard]] Real bg_dert_new(Real delta, Real R, Real A, Real a, Real B) {
  return bg_dert_new_tanh_sinh(delta, R, A, a, B);
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

  /// P(alive at T | x, t_x, T).
  [[nodiscard]] double p_alive(double x, double t_x, double T) const {
    return detail::bg_p_alive(p_.r, p_.alpha, p_.a, p_.b, x, t_x, T, Modified);
  }
  /// Expected purchases in (T, T + t] given the history (FHL 2005 eq. 10).
  [[nodiscard]] double expected_purchases(double t, double x, double t_x, double T) const;
  /// P(X(T, T+t) = n | history), n = 0, 1, ...
  [[nodiscard]] double prob_purchases(double n, double t, double x, double t_x, double T) const;
  /// Unconditional E[X(t)] for a customer who made a first purchase at time 0 (FHL eq. 9).
  [[nodiscard]] double expected_purchases_new(double t) const;
  /// Unconditional P(X(t) = n) for a new customer.
  [[nodiscard]] double prob_purchases_new(double n, double t) const;
  /// Discounted expected residual transactions, δ continuous per model unit (see value/discount.hpp
  /// to convert an annual rate). Numerical integration, relative error ≤ 1e-9 (see detail::bg_dert_new).
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
