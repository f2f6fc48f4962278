// SPDX-License-Identifier: MIT
// Pareto/NBD (Schmittlein, Morrison & Colombo 1987), likelihood as in Fader & Hardie (2005) note.
#ifndef PATRON_MODELS_PNBD_HPP
#define PATRON_MODELS_PNBD_HPP

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "patron/data/summary.hpp"
#include "patron/detail/special.hpp"
#include "patron/models/fit_result.hpp"

namespace patron::detail {

/// Pieces of the Pareto/NBD likelihood (Fader & Hardie 2005, "A note on deriving the Pareto/NBD
/// model and related expressions", eq. 22 with A₀ from the 2F1 cases α ≥ β / α < β):
///   L = Γ(r+x) αʳ βˢ / Γ(r) · [ 1/((α+T)^(r+x) (β+T)ˢ) + s/(r+s+x) · A₀ ].
/// Returns ln L (log_abs) and ln of the first bracket term relative to the bracket, which is
/// ln P(alive) (FH 2005 note eq. 18). ok = false if a 2F1 series left its range.
template <class Real>
struct pnbd_ll_parts {
  Real log_likelihood;
  Real log_p_alive;
  bool ok;
};

/// ln[2F1(r+s+x, b₁; r+s+x+1; |α−β|/(base+τ)) / (base+τ)^(r+s+x)], the piece of A₀ at τ = t_x
/// or τ = T (base, b₁ by the case α ≥ β or α < β). Depends on the customer through (x, τ) only,
/// so batch scoring computes the τ = T piece once per distinct (x, T). ok = false if the series
/// left its range or was not positive.
template <class Real>
[[nodiscard]] log_value<Real> pnbd_a0_piece(Real r, Real alpha, Real s, Real beta, Real x, Real tau,
                                             std::int64_t max_terms = 2'000'000) {
  using std::log;
  const Real a1 = r + s + x;
  const bool ab = alpha >= beta;
  const Real base = ab ? alpha : beta;
  const Real b1 = ab ? s + 1 : r + x;
  const Real diff = ab ? alpha - beta : beta - alpha;
  auto f = log_hyp2f1(a1, b1, a1 + 1, diff / (base + tau), max_terms);
  f.ok = f.ok && f.sign > 0;
  f.log_abs -= a1 * log(base + tau);
  return f;
}

/// pnbd_parts from its two A₀ pieces (at t_x and at T). `with_likelihood` = false skips the lnΓ
/// terms (log_likelihood is then only the bracket's log): P(alive) does not need them.
template <class Real>
[[nodiscard]] pnbd_ll_parts<Real> pnbd_parts_from(Real r, Real alpha, Real s, Real beta, Real x, Real T,
                                                  const log_value<Real>& at_t_x, const log_value<Real>& at_T,
                                                  bool with_likelihood) {
  using boost::math::lgamma;
  using std::expm1;
  using std::lgamma;
  using std::log;
  const Real a1 = r + s + x;
  const Real l1 = at_t_x.log_abs;
  const Real l2 = at_T.log_abs;
  const Real log_first = -(r + x) * log(alpha + T) - s * log(beta + T);
  Real log_bracket = log_first;
  if (l1 > l2) {
    // ln(s/(r+s+x) · (e^l1 − e^l2))
    const Real log_a0 = log(s / a1) + l1 + log(-expm1(l2 - l1));
    log_bracket = log_first > log_a0 ? log_first + log1p_exp(log_a0 - log_first)
                                     : log_a0 + log1p_exp(log_first - log_a0);
  }
  const Real ll = with_likelihood ? lgamma(r + x) - lgamma(r) + r * log(alpha) + s * log(beta) + log_bracket
                                  : log_bracket;
  return {ll, log_first - log_bracket, at_t_x.ok && at_T.ok};
}

template <class Real>
[[nodiscard]] pnbd_ll_parts<Real> pnbd_parts(Real r, Real alpha, Real s, Real beta, Real x,
                                             Real t_x, Real T, bool with_likelihood = true) {
  return pnbd_parts_from(r, alpha, s, beta, x, T, pnbd_a0_piece(r, alpha, s, beta, x, t_x),
                         pnbd_a0_piece(r, alpha, s, beta, x, T), with_likelihood);
}

/// [1 − (1+y)^(−k)]/k, → ln(1+y) as k → 0, without cancellation.
template <class Real>
[[nodiscard]] Real one_minus_pow_over_k(Real k, Real y) {
  using std::abs;
  using std::expm1;
  using std::log1p;
  const Real l = log1p(y);
  const Real u = k * l;
  if (abs(u) < Real(1e-300)) return l;
  return -expm1(-u) / k;
}

/// P(X(t) = n) for a new Pareto/NBD customer alive at 0 with parameters (R, A, s, B): given λ
/// and μ the customer is alive through t with probability e^(−μt), otherwise dies at τ with
/// density μe^(−μτ), and buys Poisson(λ·min(τ, t)) times. Integrating λ ~ Gamma(R, A) and
/// μ ~ Gamma(s, B) in closed form leaves one integral over τ:
///   P(n) = NB(n; t)·(B/(B+t))ˢ + ∫₀ᵗ NB(n; τ)·s Bˢ/(B+τ)^(s+1) dτ,
///   NB(n; τ) = Γ(R+n)/(Γ(R) n!)·(A/(A+τ))^R·(τ/(A+τ))ⁿ
/// (our derivation; the same quantity Fader & Hardie's note 012 writes as 2F1 sums, which
/// cancel badly for large n). Σₙ P(n) = 1 exactly, since Σₙ NB(n; τ) = 1. The integral is done
/// by tanh-sinh quadrature, requested relative error 1e-12.
template <class Real>
[[nodiscard]] Real pnbd_prob_new(Real n, Real t, Real R, Real A, Real s, Real B) {
  using boost::math::lgamma;
  using std::exp;
  using std::lgamma;
  using std::log;
  if (!(t > 0)) return n == 0 ? Real(1) : Real(0);
  const Real log_c = lgamma(R + n) - lgamma(R) - lgamma(n + 1);
  auto log_nb = [&](Real tau) {
    return log_c + R * (log(A) - log(A + tau)) + (n > 0 ? n * (log(tau) - log(A + tau)) : Real(0));
  };
  const Real alive = exp(log_nb(t) + s * (log(B) - log(B + t)));
  auto f = [&](Real tau) -> Real {
    if (!(tau > 0) && n > 0) return Real(0);
    return exp(log_nb(tau) + log(s) + s * log(B) - (s + 1) * log(B + tau));
  };
  static thread_local boost::math::quadrature::tanh_sinh<Real> integrator(15);
  Real err = 0, l1 = 0;
  const Real died = integrator.integrate(f, Real(0), t, Real(1e-12), &err, &l1);
  return alive + died;
}

}  // namespace patron::detail

namespace patron::inline v1 {

/// Pareto/NBD parameters: λ ~ Gamma(shape r, rate α), μ ~ Gamma(shape s, rate β), per model unit.
struct pnbd_params {
  double r = 1, alpha = 1, s = 1, beta = 1;
};

/// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, Management Science 33(1)).
/// Likelihood, P(alive) and conditional expectation from Fader & Hardie (2005) note; DERT from
/// Fader, Hardie & Lee (2005), JMR 42(4), eq. 2 with Tricomi's U. Immutable value; const members
/// thread-safe; scalar members throw numeric_error if a 2F1 series leaves its range.
class pnbd {
 public:
  static constexpr const char* model_name = "pnbd";
  pnbd() = default;
  /// Throws invalid_argument_error unless every parameter is finite and > 0.
  explicit pnbd(const pnbd_params& p, time_unit unit = time_unit::week());

  [[nodiscard]] const pnbd_params& params() const noexcept { return p_; }
  [[nodiscard]] time_unit unit() const noexcept { return unit_; }
  [[nodiscard]] std::vector<double> param_vector() const { return {p_.r, p_.alpha, p_.s, p_.beta}; }
  [[nodiscard]] static std::vector<std::string> param_names() { return {"r", "alpha", "s", "beta"}; }

  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const;
  [[nodiscard]] double log_likelihood(const customer_summary_view& s) const;
  /// P(alive | x, t_x, T) (FH 2005 note eq. 18).
  [[nodiscard]] double p_alive(double x, double t_x, double T) const;
  /// E[X(T, T+t] | x, t_x, T] = P(alive)·(r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)].
  [[nodiscard]] double expected_purchases(double t, double x, double t_x, double T) const;
  /// P(X(T, T+t] = n | x, t_x, T) = P(alive)·P_new(n; r+x, α+T, s, β+T) + (1 − P(alive))·[n = 0]:
  /// given alive at T, λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T), and the exponential lifetime
  /// forgets its past. P_new by one numerical integral (detail::pnbd_prob_new).
  [[nodiscard]] double prob_purchases(double n, double t, double x, double t_x, double T) const;
  /// Unconditional E[X(t)] = rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)] (s = 1: (rβ/α) ln(1 + t/β)).
  [[nodiscard]] double expected_purchases_new(double t) const noexcept;
  /// Unconditional P(X(t) = n) for a new customer.
  [[nodiscard]] double prob_purchases_new(double n, double t) const;
  /// DERT = P(alive)·(r+x)/(α+T)·(β+T)^s δ^(s−1) U(s, s; δ(β+T)) (FHL 2005 JMR eq. 2, written
  /// with P(alive)), δ continuous per model unit.
  [[nodiscard]] double dert(double delta, double x, double t_x, double T) const;

  void p_alive(const customer_summary_view& s, std::span<double> out) const;
  void expected_purchases(double t, const customer_summary_view& s, std::span<double> out) const;
  void prob_purchases(double n, double t, const customer_summary_view& s, std::span<double> out) const;
  void dert(double delta, const customer_summary_view& s, std::span<double> out) const;
  /// Cohort tracking, as basic_bgnbd::tracking.
  void tracking(std::span<const double> first_purchase, std::span<const double> times,
                std::span<double> cumulative, std::span<double> incremental) const;

  /// Maximum-likelihood fit (L-BFGS on log-parameters). 2F1 parameter derivatives have no cheap
  /// closed form, so the exact gradient comes from forward-mode automatic differentiation of the
  /// same series (one pass carries the value and the four partial derivatives). Never throws on
  /// non-convergence.
  [[nodiscard]] static fit_result<pnbd> fit(const customer_summary_view& s,
                                            const fit_options& options = {},
                                            time_unit unit = time_unit::week());

 private:
  pnbd_params p_{};
  time_unit unit_ = time_unit::week();
};

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_PNBD_HPP
