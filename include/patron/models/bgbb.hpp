// SPDX-License-Identifier: MIT
// BG/BB (Fader, Hardie & Shang 2010): repeat transactions when customers have discrete
// opportunities to buy (donations per year, annual events, seasonal purchases).
#ifndef PATRON_MODELS_BGBB_HPP
#define PATRON_MODELS_BGBB_HPP

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "patron/data/summary.hpp"
#include "patron/detail/special.hpp"
#include "patron/models/fit_result.hpp"
#include "patron/value/discount.hpp"

namespace patron::detail {

// --- per-customer kernels, templated on Real (double, or 50-digit for the oracle) -------------
// Symbols as in Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time
// noncontractual setting", Marketing Science 29(6): while alive, a customer transacts at each
// opportunity with probability p ~ Beta(α, β); before each later opportunity they die with
// probability θ ~ Beta(γ, δ). A customer is (x, t_x, n): x transactions in n opportunities after
// the first, the last at opportunity t_x (x = t_x = 0 when none).
//
// Key fact used below: given the history and that the customer is alive at opportunity n, the
// posterior of (p, θ) is Beta(α+x, β+n−x) × Beta(γ, δ+n). Let A = P(alive at n | history) =
// B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) / L. Then the chance of surviving k more
// opportunities is ρ_k = E[(1−θ)^k] = (δ+n)_k/(γ+δ+n)_k, and every forecast is
// A · (α+x)/(α+β+n) · Σ_k wₖ ρ_k for weights wₖ (1 for a count, (1+d)^(−k) for DERT).

/// ln of the first likelihood term, B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) (alive at n).
template <class Real>
[[nodiscard]] Real bgbb_log_alive_term(Real alpha, Real beta, Real gamma, Real delta, Real x, Real n) {
  return lbeta(alpha + x, beta + n - x) - lbeta(alpha, beta) + lbeta(gamma, delta + n) - lbeta(gamma, delta);
}

/// Per-customer log-likelihood, FHS 2010 eq. 5:
///   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
///     + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ),
/// the i-th sum term being death right after opportunity t_x+i. The sum terms shrink by the
/// ratio (β+t_x−x+i)/(α+β+t_x+i) · (δ+t_x+i)/(γ+δ+t_x+i+1) < 1, so they are summed relative to
/// the first (two log-betas, then one multiply per term) and combined in log space.
/// Cost O(n − t_x).
template <class Real>
[[nodiscard]] Real bgbb_log_likelihood(Real alpha, Real beta, Real gamma, Real delta, Real x, Real t_x, Real n) {
  using std::exp;
  using std::log;
  using std::log1p;
  const Real first = bgbb_log_alive_term(alpha, beta, gamma, delta, x, n);
  const long k_end = static_cast<long>(std::lround(static_cast<double>(n - t_x)));
  if (k_end <= 0) return first;
  const Real log_s0 = lbeta(alpha + x, beta + t_x - x) - lbeta(alpha, beta) + lbeta(gamma + 1, delta + t_x) -
                      lbeta(gamma, delta);
  Real rho = 1, sum = 1;
  for (long i = 0; i + 1 < k_end; ++i) {
    const Real ii = Real(static_cast<double>(i));
    rho *= (beta + t_x - x + ii) / (alpha + beta + t_x + ii) * (delta + t_x + ii) / (gamma + delta + t_x + ii + 1);
    sum += rho;
  }
  const Real log_sum = log_s0 + log(sum);
  return first > log_sum ? first + log1p(exp(log_sum - first)) : log_sum + log1p(exp(first - log_sum));
}

/// Σ_{k=1}^{K} ρ_k with ρ_k = (δ+n)_k/(γ+δ+n)_k: by telescoping (Γ(δ+m)/Γ(γ+δ+m) is a
/// difference of neighbouring Γ(δ+m)/Γ(γ+δ+m−1) terms over γ−1; FHS 2010 eq. 13 in this form)
///   = −(δ+n)/(γ−1) · expm1(ln Γ(δ+n+K+1) − ln Γ(γ+δ+n+K) − ln Γ(δ+n+1) + ln Γ(γ+δ+n)),
/// and by direct summation near γ = 1 (the closed form's pole) when K ≤ 10⁶.
template <class Real>
[[nodiscard]] Real bgbb_survival_sum(Real gamma, Real delta, Real n, Real K) {
  using boost::math::lgamma;
  using std::abs;
  using std::expm1;
  using std::lgamma;
  if (!(K > 0)) return Real(0);
  if (abs(gamma - 1) < Real(1e-2) && K <= Real(1e6)) {
    Real rho = 1, sum = 0;
    const long kk = static_cast<long>(std::lround(static_cast<double>(K)));
    for (long k = 0; k < kk; ++k) {
      const Real j = Real(static_cast<double>(k));
      rho *= (delta + n + j) / (gamma + delta + n + j);
      sum += rho;
    }
    return sum;
  }
  const Real e = lgamma(delta + n + K + 1) - lgamma(gamma + delta + n + K) - lgamma(delta + n + 1) +
                 lgamma(gamma + delta + n);
  return -(delta + n) / (gamma - 1) * expm1(e);
}

/// Σ_{k≥1} ρ_k z^k = z (δ+n)/(γ+δ+n) · 2F1(1, δ+n+1; γ+δ+n+1; z), z = 1/(1+d) (FHS 2010 eq. 14's
/// hypergeometric factor). log_value with ok = false if the series did not converge.
template <class Real>
[[nodiscard]] log_value<Real> bgbb_log_discounted_survival_sum(Real gamma, Real delta, Real n, Real d) {
  using std::log;
  const Real z = 1 / (1 + d);
  auto f = log_hyp2f1_unit_a(delta + n + 1, gamma + delta + n + 1, z);
  f.log_abs += log(z) + log(delta + n) - log(gamma + delta + n);
  f.ok = f.ok && f.sign > 0;
  return f;
}

}  // namespace patron::detail

namespace patron::inline v1 {

/// BG/BB parameters: p ~ Beta(alpha, beta) (transaction probability per opportunity while
/// alive), θ ~ Beta(gamma, delta) (drop-out probability per opportunity). All > 0 and finite.
struct bgbb_params {
  double alpha = 1, beta = 1, gamma = 1, delta = 1;
};

/// The beta-geometric/beta-Bernoulli model (Fader, Hardie & Shang 2010, "Customer-base analysis
/// in a discrete-time noncontractual setting", Marketing Science 29(6)).
///
/// A customer is (x, t_x, n) in *opportunities*: x transactions in the n opportunities after the
/// first (x ≤ t_x ≤ n, all integers, n ≥ 1, t_x = 0 when x = 0). In a customer_summary_view the
/// columns x, t_x, T hold x, t_x, n. unit() is the length of one opportunity (default one year),
/// used only to convert a discount_rate. An immutable value; const members are thread-safe.
/// Scalar members throw invalid_argument_error for an invalid customer; batch members validate
/// the whole view once (data_error naming the row) and check span sizes.
class bgbb {
 public:
  static constexpr const char* model_name = "bgbb";
  /// Marks a model whose DERT takes a discrete rate per opportunity: the continuous-time CLV
  /// templates in clv.hpp (purchase_model_type) refuse it; use the clv() overload below.
  static constexpr bool discrete_opportunities = true;
  bgbb() = default;
  /// Throws invalid_argument_error unless every parameter is finite and > 0.
  explicit bgbb(const bgbb_params& p, time_unit opportunity = time_unit{365.25});

  [[nodiscard]] const bgbb_params& params() const noexcept { return p_; }
  [[nodiscard]] time_unit unit() const noexcept { return unit_; }
  [[nodiscard]] std::vector<double> param_vector() const { return {p_.alpha, p_.beta, p_.gamma, p_.delta}; }
  [[nodiscard]] static std::vector<std::string> param_names() { return {"alpha", "beta", "gamma", "delta"}; }

  /// ln L(α, β, γ, δ | x, t_x, n) (FHS 2010 eq. 5).
  [[nodiscard]] double log_likelihood(double x, double t_x, double n) const;
  /// Σᵢ wᵢ ln Lᵢ over the view (x, t_x, T = n, weight).
  [[nodiscard]] double log_likelihood(const customer_summary_view& s) const;

  /// P(alive at opportunity n+1 | x, t_x, n) (FHS 2010 eq. 11) = A · (δ+n)/(γ+δ+n).
  [[nodiscard]] double p_alive(double x, double t_x, double n) const;
  /// Expected transactions in the next n_star opportunities, n+1 … n+n_star (FHS 2010 eq. 13).
  /// n_star a non-negative integer.
  [[nodiscard]] double expected_purchases(double n_star, double x, double t_x, double n) const;
  /// E[X(n)] for a new customer (first transaction at opportunity 0) over n opportunities
  /// (FHS 2010 eq. 8): α/(α+β) · Σ_{k=1}^{n} (δ)_k/(γ+δ)_k.
  [[nodiscard]] double expected_purchases_new(double n) const;
  /// Discounted expected residual transactions (FHS 2010 eq. 14): the transaction at opportunity
  /// n+k counts (1+d)^(−k); d is the *discrete* discount rate per opportunity (for a rate in
  /// other units: discount_rate::discrete_per(model.unit())). d > 0.
  [[nodiscard]] double dert(double d, double x, double t_x, double n) const;

  /// Batch versions over a view (x, t_x, T = n); out.size() must equal s.size().
  void p_alive(const customer_summary_view& s, std::span<double> out) const;
  void expected_purchases(double n_star, const customer_summary_view& s, std::span<double> out) const;
  void dert(double d, const customer_summary_view& s, std::span<double> out) const;

  /// Maximum-likelihood fit on (x, t_x, n) with optional weights (L-BFGS on log-parameters,
  /// central-difference gradient; identical rows merged). Never throws on non-convergence: see
  /// fit_result::status. Throws data_error for invalid rows (validate_bgbb) and
  /// invalid_argument_error for bad options or an empty input.
  [[nodiscard]] static fit_result<bgbb> fit(const customer_summary_view& s, const fit_options& options = {},
                                            time_unit opportunity = time_unit{365.25});

 private:
  bgbb_params p_{};
  time_unit unit_{365.25};
};

/// Checks every row of a BG/BB view: x, t_x, n finite non-negative integers, n ≥ 1, x ≤ t_x ≤ n,
/// t_x = 0 when x = 0, weights finite and ≥ 0. Throws data_error(out_of_range) naming `source`,
/// the 1-based row, the field (x, t_x, n, weight) and the value.
void validate_bgbb(const customer_summary_view& s, const std::string& source);

/// BG/BB CLV = DERT(d) × value_per_transaction[i], d = rate.discrete_per(model.unit()) (FHS 2010
/// §5: CLV is DERT times the value of one transaction). Sizes must match s.size().
void clv(const bgbb& model, const discount_rate<double>& rate, const customer_summary_view& s,
         std::span<const double> value_per_transaction, std::span<double> out);

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_BGBB_HPP
