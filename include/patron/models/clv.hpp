// SPDX-License-Identifier: MIT
// Customer lifetime value from a purchase model and a spend model, with explicit discounting.
#ifndef PATRON_MODELS_CLV_HPP
#define PATRON_MODELS_CLV_HPP

#include <cmath>
#include <span>
#include <type_traits>
#include <vector>

#include "patron/data/summary.hpp"
#include "patron/error.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/value/discount.hpp"

namespace patron::inline v1 {

/// A continuous-time purchase model with DERT(δ continuous per unit) and expected purchases:
/// bgnbd, mbgnbd, pnbd (not bgbb, see bgbb.hpp).
template <class M>
concept purchase_model_type = requires(const M& m, const customer_summary_view& s, std::span<double> out) {
  m.dert(1.0, s, out);
  m.expected_purchases(1.0, s, out);
  { m.unit() } -> std::convertible_to<time_unit>;
} && !requires { M::discrete_opportunities; };  // BG/BB: DERT takes a discrete per-opportunity rate

/// CLV = DERT(δ) × E[spend | x, m] × margin (Fader, Hardie & Lee 2005, JMR 42(4), eq. 1 form).
/// δ is `rate` converted to the model's time unit (continuous per unit), so an annual rate and a
/// weekly model work together. `margin` is a fraction of spend (1 = revenue CLV). out.size() = s.size().
///
/// Money is the scalar of the rate, the margin and the result: double, or e.g.
/// boost::multiprecision::cpp_dec_float_50 so that a CRM's decimal sums of CLVs add up exactly.
/// The model quantities (DERT, an integral, and the expected spend) are computed in double and
/// converted once; the money arithmetic (spend × DERT × margin) is done in Money.
template <purchase_model_type Model, real_number Money = double>
void clv(const Model& model, const gamma_gamma& spend, const discount_rate<Money>& rate,
         const customer_summary_view& s, std::type_identity_t<std::span<Money>> out,
         std::type_identity_t<Money> margin = Money(1)) {
  if (out.size() != s.size())
    throw invalid_argument_error("clv", "out.size()", std::to_string(out.size()), "must equal the number of customers");
  const auto margin_d = static_cast<double>(margin);
  if (!std::isfinite(margin_d)) throw invalid_argument_error("clv", "margin", std::to_string(margin_d), "must be finite");
  const auto delta = static_cast<double>(rate.continuous_per(model.unit()));
  if constexpr (std::is_same_v<Money, double>) {
    model.dert(delta, s, out);
    for (std::size_t i = 0; i < s.size(); ++i) out[i] *= spend.expected_spend(s.x[i], s.monetary[i]) * margin;
  } else {
    std::vector<double> d(s.size());
    model.dert(delta, s, d);
    for (std::size_t i = 0; i < s.size(); ++i)
      out[i] = Money(d[i]) * Money(spend.expected_spend(s.x[i], s.monetary[i])) * margin;
  }
}

/// The discrete CLV users know from `lifetimes`: Σ_{k=1..months} (E[X(k)] − E[X(k−1)]) × spend ×
/// margin / (1 + d)^k, months of 365.25/12 days converted to the model's unit, d the discrete
/// monthly rate from `rate` (lifetimes takes a monthly rate and 30-day months).
template <purchase_model_type Model>
void clv_discrete(const Model& model, const gamma_gamma& spend, const discount_rate<double>& rate, int months,
                  const customer_summary_view& s, std::span<double> out, double margin = 1.0) {
  if (out.size() != s.size())
    throw invalid_argument_error("clv_discrete", "out.size()", std::to_string(out.size()), "must equal the number of customers");
  if (months < 0) throw invalid_argument_error("clv_discrete", "months", std::to_string(months), "must be >= 0");
  const double month = time_unit::month().days / model.unit().days;
  const double d = rate.discrete_per(time_unit::month());
  std::vector<double> prev(s.size(), 0.0), cur(s.size());
  std::fill(out.begin(), out.end(), 0.0);
  for (int k = 1; k <= months; ++k) {
    model.expected_purchases(k * month, s, cur);
    const double f = std::pow(1 + d, -k);
    for (std::size_t i = 0; i < s.size(); ++i) out[i] += (cur[i] - prev[i]) * f;
    prev.swap(cur);
  }
  for (std::size_t i = 0; i < s.size(); ++i) out[i] *= spend.expected_spend(s.x[i], s.monetary[i]) * margin;
}

/// Margin/cost path for spend the Gamma-Gamma model cannot take (zero or negative values,
/// refunds): CLV = DERT(δ) × value_per_purchase[i], where the caller computes the value of one
/// future purchase (e.g. spend × margin − cost to serve an order); it may be negative, and so
/// may the CLV. value_per_purchase.size() = s.size().
template <purchase_model_type Model>
void clv_margin(const Model& model, const discount_rate<double>& rate, const customer_summary_view& s,
                std::span<const double> value_per_purchase, std::span<double> out) {
  if (out.size() != s.size() || value_per_purchase.size() != s.size())
    throw invalid_argument_error("clv_margin", "value_per_purchase.size()", std::to_string(value_per_purchase.size()),
                                 "value_per_purchase and out must have one value per customer");
  model.dert(rate.continuous_per(model.unit()), s, out);
  for (std::size_t i = 0; i < s.size(); ++i) out[i] *= value_per_purchase[i];
}

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_CLV_HPP
