// SPDX-License-Identifier: MIT
// Discounting and simple CLV formulas (value/), and model-based CLV (models/clv.hpp): hand-computed examples.
#include <cmath>
#include <vector>

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <catch2/catch.hpp>

#include "patron/models/bgnbd.hpp"
#include "patron/models/clv.hpp"
#include "patron/value/clv_formulas.hpp"
#include "patron/value/discount.hpp"

using namespace patron;

TEST_CASE("discount_rate: units and compounding are explicit", "[value][reference]") {
  const auto annual = discount_rate<double>::annual(0.10);
  // Hand: ln(1.1)·7/365.25 = 0.0953102·0.0191650 = 0.00182661 per week, continuous.
  CHECK(annual.continuous_per(time_unit::week()) == Approx(0.00182661).epsilon(1e-5));
  // Hand: a year of 365.25 days gives back 10 % discrete.
  CHECK(annual.discrete_annual() == Approx(0.10).epsilon(1e-12));
  // Hand: 1 % a month → 1.01¹² − 1 = 0.126825 a year.
  CHECK(discount_rate<double>::per_period(0.01, time_unit::month()).discrete_annual() == Approx(0.126825).epsilon(1e-5));
  // Hand: continuous 10 % a year → e^0.1 − 1 = 0.105171 discrete.
  CHECK(discount_rate<double>::annual(0.10, rate_type::continuous).discrete_annual() == Approx(0.105171).epsilon(1e-5));
  // Hand: factor after 52 weeks at annual 10 %: 1.1^(−364/365.25) = e^(−0.0949840) = 0.909388.
  CHECK(annual.factor(52, time_unit::week()) == Approx(0.909388).epsilon(1e-5));
  CHECK_THROWS_AS(discount_rate<double>::annual(-1.0), invalid_argument_error);
  CHECK_THROWS_AS(discount_rate<double>::annual(std::nan("")), invalid_argument_error);
}

TEST_CASE("npv · Gupta-Lehmann · lifetime: hand-computed examples", "[value][reference]") {
  const std::vector<double> cf{100, 100, 100};
  const auto r10 = discount_rate<double>::per_period(0.10, time_unit::week());
  // Hand: 100/1.1 + 100/1.21 + 100/1.331 = 248.685199.
  CHECK(npv<double>(cf, r10, time_unit::week()) == Approx(248.685199).epsilon(1e-8));
  // Hand: first flow now: 100 + 90.909091 + 82.644628 = 273.553719.
  CHECK(npv<double>(cf, r10, time_unit::week(), true) == Approx(273.553719).epsilon(1e-8));
  // Gupta & Lehmann (2003): m = 100, r = 0.8, d = 0.1 → 100·0.8/(1.1 − 0.8) = 266.6667.
  CHECK(clv_retention(100.0, 0.8, 0.1) == Approx(266.666667).epsilon(1e-8));
  // Hand: 3 periods: 100·(0.8/1.1 + 0.64/1.21 + 0.512/1.331) = 72.727273 + 52.892562 + 38.467318.
  CHECK(clv_retention(100.0, 0.8, 0.1, 3) == Approx(164.087153).epsilon(1e-8));
  // The finite sum tends to the closed form.
  CHECK(clv_retention(100.0, 0.8, 0.1, 2000) == Approx(clv_retention(100.0, 0.8, 0.1)).epsilon(1e-12));
  // Hand: churn 20 % a period → 5 periods.
  CHECK(expected_lifetime(0.2) == Approx(5.0));
  CHECK_THROWS_AS(expected_lifetime(0.0), invalid_argument_error);
  CHECK_THROWS_AS(clv_retention(100.0, 1.5, 0.1), invalid_argument_error);
}

TEST_CASE("clv_contribution: every component reported", "[value][reference]") {
  contribution_inputs<double> in;
  in.base_profit = 10;
  in.cross_sell_profit = 5;
  in.cost_savings = 2;
  in.retention_cost = 3;
  in.churn_cost = 20;
  in.acquisition_cost = 50;
  in.retention = 0.5;
  in.periods = 2;
  const auto zero = discount_rate<double>::per_period(0.0, time_unit::month());
  const auto c = clv_contribution(in, zero, time_unit::month());
  // Hand, d = 0: survival weights 0.5 + 0.25 = 0.75; churn weights 1·0.5 + 0.5·0.5 = 0.75.
  CHECK(c.base_profit == Approx(7.5));
  CHECK(c.cross_sell_profit == Approx(3.75));
  CHECK(c.cost_savings == Approx(1.5));
  CHECK(c.retention_cost == Approx(2.25));
  CHECK(c.churn_cost == Approx(15.0));
  CHECK(c.acquisition_cost == Approx(50.0));
  // 7.5 + 3.75 + 1.5 − 2.25 − 15 − 50 = −54.5: negative CLV is reported, not clamped.
  CHECK(c.total == Approx(-54.5));
}

TEST_CASE("value formulas run on cpp_dec_float_50", "[value][unit]") {
  using dec = boost::multiprecision::cpp_dec_float_50;
  const std::vector<dec> cf{dec("100"), dec("100"), dec("100")};
  const auto r = discount_rate<dec>::per_period(dec("0.1"), time_unit::week());
  // Hand: 248.68519909842223... (100/1.1 + 100/1.21 + 100/1.331).
  const dec v = npv<dec>(cf, r, time_unit::week());
  CHECK(abs(v - dec("248.685199098422238918106686701728024042073628850488")) < dec("1e-40"));
  CHECK(abs(clv_retention(dec("100"), dec("0.8"), dec("0.1")) - dec(800) / dec(3)) < dec("1e-45"));
}

TEST_CASE("model CLV: DERT × spend × margin with the rate converted to the model's unit", "[value][unit]") {
  const bgnbd m({0.243, 4.414, 0.793, 2.426});
  const gamma_gamma g({6.25, 3.74, 15.44});
  std::vector<double> x{2, 0, 7}, tx{30.43, 0, 35}, T{38.86, 38.86, 38}, mon{22.35, 0, 40};
  const customer_summary_view v(x, tx, T, mon);
  std::vector<double> out(3), out_margin(3), discrete(3);
  const auto annual = discount_rate<double>::annual(0.10);
  clv(m, g, annual, v, out, 0.3);
  for (std::size_t i = 0; i < 3; ++i) {
    // Same quantity assembled by hand from its parts: the weekly δ = ln(1.1)·7/365.25.
    const double expect = m.dert(std::log(1.1) * 7 / 365.25, x[i], tx[i], T[i]) * g.expected_spend(x[i], mon[i]) * 0.3;
    CHECK(out[i] == Approx(expect).epsilon(1e-12));
  }
  // Margin/cost path: value per purchase may be negative (refund-heavy customer).
  const std::vector<double> vpp{5.0, -2.0, 0.0};
  clv_margin(m, annual, v, vpp, out_margin);
  CHECK(out_margin[1] < 0);
  CHECK(out_margin[2] == 0);
  // lifetimes-style discrete sum: one month = E[X(one month)]·spend/(1 + d).
  clv_discrete(m, g, discount_rate<double>::per_period(0.01, time_unit::month()), 1, v, discrete);
  const double month_w = (365.25 / 12) / 7;
  CHECK(discrete[0] == Approx(m.expected_purchases(month_w, 2, 30.43, 38.86) * g.expected_spend(2, 22.35) / 1.01).epsilon(1e-12));
  // Over many months the discrete sum approaches the continuous DERT-based CLV (same rate).
  std::vector<double> long_run(3), cont(3);
  const auto monthly = discount_rate<double>::per_period(0.01, time_unit::month());
  clv_discrete(m, g, monthly, 1200, v, long_run);
  clv(m, g, monthly, v, cont);
  for (std::size_t i = 0; i < 3; ++i) CHECK(long_run[i] == Approx(cont[i]).epsilon(0.02));
}

TEST_CASE("model CLV in cpp_dec_float_50: decimal rate and margin · money arithmetic in decimals", "[value][unit]") {
  // Expected: the same CLV from the double overload (model quantities are double in both), and
  // the decimal overload's own parts multiplied by hand in cpp_dec_float_50.
  using dec = boost::multiprecision::cpp_dec_float_50;
  const bgnbd m({0.243, 4.414, 0.793, 2.426});
  const gamma_gamma g({6.25, 3.74, 15.44});
  std::vector<double> x{2, 0, 7}, tx{30.43, 0, 35}, T{38.86, 38.86, 38}, mon{22.35, 0, 40};
  const customer_summary_view v(x, tx, T, mon);
  std::vector<dec> money(3);
  std::vector<double> plain(3);
  clv(m, g, discount_rate<dec>::annual(dec("0.1")), v, money, dec("0.3"));
  clv(m, g, discount_rate<double>::annual(0.1), v, plain, 0.3);
  std::vector<double> d(3);
  m.dert(static_cast<double>(discount_rate<dec>::annual(dec("0.1")).continuous_per(m.unit())), v, d);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(static_cast<double>(money[i]) == Approx(plain[i]).epsilon(1e-12));
    CHECK(money[i] == dec(d[i]) * dec(g.expected_spend(x[i], mon[i])) * dec("0.3"));
  }
  CHECK_THROWS_AS(clv(m, g, discount_rate<dec>::annual(dec("0.1")), v, money, dec(std::nan(""))),
                  invalid_argument_error);
}
