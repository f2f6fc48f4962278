// SPDX-License-Identifier: MIT
// Shifted-beta-geometric (sBG) model of contractual retention: subscriptions, memberships.
#ifndef PATRON_MODELS_SBG_HPP
#define PATRON_MODELS_SBG_HPP

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "patron/data/summary.hpp"
#include "patron/detail/special.hpp"
#include "patron/models/fit_result.hpp"

namespace patron::detail {

// Symbols as in Fader & Hardie (2007), "How to project customer retention", J. Interactive
// Marketing 21(1): each customer renews at the end of every period with probability 1 − θ
// until the first failure; θ ~ Beta(α, β) across customers. T = the period in which the
// customer churns (T = 1, 2, ...).

/// ln P(T = t) = ln B(α+1, β+t−1) − ln B(α, β) (FH 2007 eq. 6), t ≥ 1.
template <class Real>
[[nodiscard]] Real sbg_log_churn(Real alpha, Real beta, Real t) {
  return lbeta(alpha + 1, beta + t - 1) - lbeta(alpha, beta);
}

/// ln S(t) = ln P(T > t) = ln B(α, β+t) − ln B(α, β) (FH 2007 eq. 7), t ≥ 0.
template <class Real>
[[nodiscard]] Real sbg_log_survival(Real alpha, Real beta, Real t) {
  return lbeta(alpha, beta + t) - lbeta(alpha, beta);
}

/// ln Σ_{k≥0} S(m+k)/S(m) z^k = ln 2F1(1, β+m; α+β+m; z): discounted expected remaining
/// payments of a customer alive in period m whose payment at m is undiscounted (Fader & Hardie
/// 2010, Marketing Science 29(1), eq. 6 with the (β+m−1)/(α+β+m−1) factor taken out).
template <class Real>
[[nodiscard]] log_value<Real> sbg_log_discounted_sum(Real alpha, Real beta, Real m, Real z) {
  return log_hyp2f1_unit_a(beta + m, alpha + beta + m, z);
}

}  // namespace patron::detail

namespace patron::inline v1 {

/// sBG parameters: θ (churn probability per period) ~ Beta(alpha, beta). Both > 0, finite.
struct sbg_params {
  double alpha = 1, beta = 1;
};

/// The shifted-beta-geometric model (Fader & Hardie 2007, "How to project customer retention",
/// Journal of Interactive Marketing 21(1)); valuation (DEL, DERL) from Fader & Hardie (2010),
/// "Customer-base valuation in a contractual setting: the perils of ignoring heterogeneity",
/// Marketing Science 29(1). Time counts periods (t = 0 is acquisition); unit() is the length of
/// one period (default one year), used to convert a discount_rate. Immutable; thread-safe.
class sbg {
 public:
  static constexpr const char* model_name = "sbg";
  sbg() = default;
  /// Throws invalid_argument_error unless both parameters are finite and > 0.
  explicit sbg(const sbg_params& p, time_unit period = time_unit{365.25});

  [[nodiscard]] const sbg_params& params() const noexcept { return p_; }
  [[nodiscard]] time_unit unit() const noexcept { return unit_; }
  [[nodiscard]] std::vector<double> param_vector() const { return {p_.alpha, p_.beta}; }
  [[nodiscard]] static std::vector<std::string> param_names() { return {"alpha", "beta"}; }

  /// P(T = t): probability that a new customer churns in period t (t ≥ 1 an integer).
  [[nodiscard]] double churn_probability(double t) const;
  /// S(t) = P(T > t), t ≥ 0 an integer; non-increasing, S(0) = 1.
  [[nodiscard]] double survival(double t) const;
  /// Retention rate r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1), t ≥ 1 (FH 2007 eq. 8): rises with t
  /// (the heterogeneity effect: the loyal remain).
  [[nodiscard]] double retention(double t) const;
  /// E[T] = Σ_{t≥0} S(t) = (α+β−1)/(α−1) periods for α > 1; +inf for α ≤ 1 (heavy tail).
  [[nodiscard]] double expected_lifetime() const noexcept;
  /// Discounted expected lifetime of a new customer, payments at t = 0, 1, ... discounted by
  /// (1+d)^(−t): DEL(d) = 2F1(1, β; α+β; 1/(1+d)) (FH 2010 eq. 4). d > 0 per period.
  [[nodiscard]] double del(double d) const;
  /// Discounted expected residual lifetime of a customer who has made `renewals` renewals (is
  /// active in period renewals+1), just before the next renewal decision, whose payment counts
  /// undiscounted (FH 2010 eq. 6, their n−1 renewals = our `renewals`):
  ///   DERL = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d)), n = renewals ≥ 0.
  [[nodiscard]] double derl(double d, double renewals) const;

  /// Log-likelihood of one cohort's survivor counts alive[0..T] (alive[0] = cohort size):
  /// Σ_{t=1}^{T} (alive[t−1] − alive[t]) ln P(T=t) + alive[T] ln S(T) (FH 2007 eq. 9).
  [[nodiscard]] double log_likelihood(std::span<const double> alive) const;

  /// Maximum-likelihood fit to one or several cohorts' survivor counts (each alive[0..Tᵢ],
  /// lengths may differ; the cohorts share α, β). Counts are finite, ≥ 0, non-increasing, with
  /// alive[0] > 0 and at least two values. Throws data_error naming the cohort, period and
  /// value; never throws on non-convergence (see fit_result::status).
  [[nodiscard]] static fit_result<sbg> fit(std::span<const std::vector<double>> cohorts,
                                           const fit_options& options = {}, time_unit period = time_unit{365.25});
  /// One cohort.
  [[nodiscard]] static fit_result<sbg> fit(std::span<const double> alive, const fit_options& options = {},
                                           time_unit period = time_unit{365.25});

 private:
  sbg_params p_{};
  time_unit unit_{365.25};
};

/// Checks a survivor series (see sbg::fit); throws data_error(out_of_range) naming `source`,
/// the row (1-based period index + `first_line`) and field "alive".
void validate_survivors(std::span<const double> alive, const std::string& source, std::uint64_t first_line = 1);

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_SBG_HPP
