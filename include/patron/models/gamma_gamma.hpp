// SPDX-License-Identifier: MIT
// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4)).
#ifndef PATRON_MODELS_GAMMA_GAMMA_HPP
#define PATRON_MODELS_GAMMA_GAMMA_HPP

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "patron/data/summary.hpp"
#include "patron/models/fit_result.hpp"

namespace patron::detail {

/// Log-likelihood of a customer's mean spend m over x > 0 repeat transactions: each value is
/// Gamma(p, ν), ν ~ Gamma(q, γ), so m·x | ν ~ Gamma(px, ν) and (FHL 2005 JMR, appendix)
///   ln L = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
template <class Real>
[[nodiscard]] Real gg_log_likelihood(Real p, Real q, Real gamma, Real x, Real m) {
  using boost::math::lgamma;
  using std::lgamma;
  using std::log;
  return lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(gamma) + (p * x - 1) * log(m) +
         p * x * log(x) - (p * x + q) * log(gamma + m * x);
}

/// E[mean spend | x, m] = (pγ + p x m)/(p x + q − 1) (FHL 2005 JMR eq. 5): a weighted average
/// of the population mean pγ/(q−1) and the observed mean m. For x = 0 it is the population mean.
template <class Real>
[[nodiscard]] Real gg_expected_spend(Real p, Real q, Real gamma, Real x, Real m) {
  return (p * gamma + p * x * m) / (p * x + q - 1);
}

}  // namespace patron::detail

namespace patron::inline v1 {

/// Gamma-Gamma parameters: transaction values ~ Gamma(shape p, rate ν), ν ~ Gamma(shape q,
/// rate γ). All finite and > 0.
struct gamma_gamma_params {
  double p = 1, q = 2, gamma = 1;
};

/// The Gamma-Gamma spend model. Customers with x = 0 carry no spend information, and a mean
/// spend ≤ 0 (zero-value orders, refunds) is outside the model's support: fit() leaves both out
/// and counts them in fit_result (n_excluded_no_repeat, n_excluded_nonpositive_spend); scoring
/// gives them the population mean (x = 0) or the shrunk estimate with m clamped to 0 (m ≤ 0).
/// For CLV with negative margins use clv_margin (patron/models/clv.hpp).
class gamma_gamma {
 public:
  static constexpr const char* model_name = "gg";
  gamma_gamma() = default;
  /// Throws invalid_argument_error unless p, q, gamma are finite and > 0.
  explicit gamma_gamma(const gamma_gamma_params& p);

  [[nodiscard]] const gamma_gamma_params& params() const noexcept { return p_; }
  [[nodiscard]] std::vector<double> param_vector() const { return {p_.p, p_.q, p_.gamma}; }
  [[nodiscard]] static std::vector<std::string> param_names() { return {"p", "q", "gamma"}; }
  [[nodiscard]] time_unit unit() const noexcept { return time_unit::week(); }

  /// Per-customer log-likelihood (x > 0, m > 0).
  [[nodiscard]] double log_likelihood(double x, double m) const {
    return detail::gg_log_likelihood(p_.p, p_.q, p_.gamma, x, m);
  }
  /// Total over the usable customers (x > 0, monetary > 0), weighted.
  [[nodiscard]] double log_likelihood(const customer_summary_view& s) const;
  /// Conditional expected mean spend per transaction.
  [[nodiscard]] double expected_spend(double x, double m) const {
    return detail::gg_expected_spend(p_.p, p_.q, p_.gamma, x, m > 0 ? m : 0.0);
  }
  void expected_spend(const customer_summary_view& s, std::span<double> out) const;
  /// Population mean spend pγ/(q − 1); +inf when q ≤ 1 (the mean does not exist).
  [[nodiscard]] double population_mean() const noexcept {
    return p_.q > 1 ? p_.p * p_.gamma / (p_.q - 1) : std::numeric_limits<double>::infinity();
  }

  /// Maximum-likelihood fit on the customers with x > 0 and monetary > 0 (s.monetary required).
  [[nodiscard]] static fit_result<gamma_gamma> fit(const customer_summary_view& s,
                                                   const fit_options& options = {});

 private:
  gamma_gamma_params p_{};
};

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_GAMMA_GAMMA_HPP
