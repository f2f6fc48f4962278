// SPDX-License-Identifier: MIT
// One discounting API with explicit units: annual ↔ per-period, discrete ↔ continuous.
#ifndef PATRON_VALUE_DISCOUNT_HPP
#define PATRON_VALUE_DISCOUNT_HPP

#include <cmath>
#include <string>

#include "patron/data/summary.hpp"
#include "patron/error.hpp"
#include "patron/real_number.hpp"

namespace patron::inline v1 {

/// How a rate compounds: discrete d (a cash flow at time t is worth (1+d)^(−t)) or continuous δ
/// (worth e^(−δt)); the two meet at δ = ln(1 + d).
enum class rate_type { discrete, continuous };

/// A discount rate that knows its unit, so a weekly model cannot be discounted at an annual 10 %
/// by mistake: construct it from what the user states (annual, or per period of a time unit,
/// discrete or continuous) and ask for the rate in the model's unit. A year is 365.25 days.
/// Stored as the continuous rate per year. Templated on the scalar (double, cpp_dec_float_50).
template <real_number Real = double>
class discount_rate {
 public:
  /// An annual rate, e.g. annual(0.10) = 10 % a year, discrete by default.
  [[nodiscard]] static discount_rate annual(Real d, rate_type type = rate_type::discrete) {
    return discount_rate(to_continuous(d, type, "annual"));
  }
  /// A rate per period of `unit`, e.g. per_period(0.01, time_unit::month()) = 1 % a month.
  [[nodiscard]] static discount_rate per_period(Real d, time_unit unit, rate_type type = rate_type::discrete) {
    return discount_rate(to_continuous(d, type, "per_period") * Real(365.25) / Real(unit.days));
  }
  /// Continuous rate δ per period of `unit` (what DERT takes): δ_year · unit.days / 365.25.
  [[nodiscard]] Real continuous_per(time_unit unit) const { return delta_year_ * Real(unit.days) / Real(365.25); }
  /// Discrete rate per period of `unit`: e^δ − 1.
  [[nodiscard]] Real discrete_per(time_unit unit) const {
    using std::exp;
    return exp(continuous_per(unit)) - 1;
  }
  /// Discount factor for a cash flow t periods of `unit` from now: e^(−δ t).
  [[nodiscard]] Real factor(Real t, time_unit unit) const {
    using std::exp;
    return exp(-continuous_per(unit) * t);
  }
  [[nodiscard]] Real continuous_annual() const { return delta_year_; }
  [[nodiscard]] Real discrete_annual() const { return discrete_per(time_unit{365.25}); }

 private:
  explicit discount_rate(Real delta_year) : delta_year_(delta_year) {}
  static Real to_continuous(Real d, rate_type type, const char* where) {
    using std::log;
    // Rates must be finite; a discrete rate must exceed −100 % (ln(1+d) defined).
    if (!(d == d) || !(d < Real(1e6)) || (type == rate_type::discrete && !(d > Real(-1))) ||
        (type == rate_type::continuous && !(d > Real(-1e6))))
      throw invalid_argument_error(where, "rate", "", "must be finite (and > -1 when discrete)");
    return type == rate_type::discrete ? Real(log(Real(1) + d)) : d;
  }
  Real delta_year_;
};

}  // namespace patron::inline v1

#endif  // PATRON_VALUE_DISCOUNT_HPP
