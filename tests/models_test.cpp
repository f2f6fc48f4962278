// SPDX-License-Identifier: MIT
// Tests of the CLV models: CDNOW reference fits, published per-customer values, invariants, errors.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <catch2/catch.hpp>

#include "patron/data/simulate.hpp"
#include "patron/data/summary_io.hpp"
#include "patron/error.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/mbgnbd.hpp"
#include "patron/models/pnbd.hpp"
#include "test_support.hpp"

using namespace patron;


namespace {
const summary_table& cdnow() {
  static const summary_table t =
      read_summary_csv(patron_test::data_file("cdnow_customers_summary_with_transactions.csv"));
  return t;
}
customer_summary_view cdnow_view() {
  const auto& s = cdnow().summary;
  return customer_summary_view(s.x, s.t_x, s.T, s.monetary);
}
}  // namespace

TEST_CASE("bgnbd: CDNOW fit reproduces Fader, Hardie & Lee (2005)", "[models][reference]") {
  const auto fit = bgnbd::fit(cdnow_view());
  INFO("status " << to_string(fit.status) << " iterations " << fit.iterations);
  CHECK(fit.status == fit_status::converged);
  const auto& p = fit.model.params();
  // Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4: r = 0.243, α = 4.414,
  // a = 0.793, b = 2.426, LL = −9582.4 (published to 3 decimals / 1 decimal).
  CHECK(p.r == Approx(0.243).margin(0.0005));
  CHECK(p.alpha == Approx(4.414).margin(0.0005));
  CHECK(p.a == Approx(0.793).margin(0.0005));
  CHECK(p.b == Approx(2.426).margin(0.0005));
  CHECK(fit.log_likelihood == Approx(-9582.4).margin(0.05));
  CHECK(fit.n_customers == 2357);
  for (double se : fit.std_errors) CHECK((std::isfinite(se) && se > 0));
}

TEST_CASE("mbgnbd: CDNOW fit reproduces BTYDplus", "[models][reference]") {
  const auto fit = mbgnbd::fit(cdnow_view());
  CHECK(fit.status == fit_status::converged);
  const auto& p = fit.model.params();
  // BTYDplus (Platzer) vignette, mbgcnbd on CDNOW weeks 1-39: r ≈ 0.525, α ≈ 6.183, a ≈ 0.891, b ≈ 1.614.
  CHECK(p.r == Approx(0.525).margin(0.001));
  CHECK(p.alpha == Approx(6.183).margin(0.005));
  CHECK(p.a == Approx(0.891).margin(0.001));
  CHECK(p.b == Approx(1.614).margin(0.002));
}

TEST_CASE("pnbd: CDNOW fit reproduces Fader & Hardie", "[models][reference]") {
  const auto fit = pnbd::fit(cdnow_view());
  INFO("status " << to_string(fit.status) << " iterations " << fit.iterations);
  CHECK(fit.status == fit_status::converged);
  const auto& p = fit.model.params();
  // Fader, Hardie & Lee (2005) / Fader & Hardie note: r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = −9595.0.
  CHECK(p.r == Approx(0.553).margin(0.001));
  CHECK(p.alpha == Approx(10.578).margin(0.01));
  CHECK(p.s == Approx(0.606).margin(0.001));
  CHECK(p.beta == Approx(11.669).margin(0.02));
  CHECK(fit.log_likelihood == Approx(-9595.0).margin(0.05));
}

TEST_CASE("gamma_gamma: CDNOW fit reproduces Fader, Hardie & Lee (2005, JMR)", "[models][reference]") {
  const auto fit = gamma_gamma::fit(cdnow_view());
  CHECK(fit.status == fit_status::converged);
  const auto& p = fit.model.params();
  // FHL (2005) "RFM and CLV", JMR 42(4): p = 6.25, q = 3.74, γ = 15.44, LL = −4055.9 on 946 repeaters.
  CHECK(p.p == Approx(6.25).margin(0.005));
  CHECK(p.q == Approx(3.74).margin(0.005));
  // γ is published truncated (the maximum is at 15.447; `lifetimes` reports 15.447 too): ±0.01.
  CHECK(p.gamma == Approx(15.44).margin(0.01));
  CHECK(fit.log_likelihood == Approx(-4055.9).margin(0.05));
  CHECK(fit.n_used == 946);
  CHECK(fit.n_excluded_no_repeat == 2357 - 946);
}

TEST_CASE("pnbd: BTYD vignette customer and unconditional expectations", "[models][reference]") {
  // BTYD vignette (Dziurzynski, Wadsworth & McCarthy), CDNOW estimates.
  const pnbd m({0.5534, 10.5802, 0.6061, 11.6562});
  // BTYD vignette: customer x = 26, t_x = 30.86, T = 31: P(alive) = 0.9979, 25.46 purchases in 52 weeks.
  CHECK(m.p_alive(26, 30.86, 31) == Approx(0.9979).margin(0.00005));
  // (Hand evaluation of FH 2005 note eq. 21 with these 4-decimal parameters gives 25.456; the
  // vignette's 25.46 is rounded from full-precision parameters: tolerance 0.006.)
  CHECK(m.expected_purchases(52, 26, 30.86, 31) == Approx(25.46).margin(0.006));
  // Hand evaluation of rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)] at t = 1: 0.6097 × 0.083656 = 0.05100.
  CHECK(m.expected_purchases_new(1) == Approx(0.05100).margin(0.00002));
  // Issue 5 (quoting the BTYD vignette), t = 1..9 weeks: 0.0508 ... 0.3891. The closed form with
  // the 4-decimal parameters is 0.4 %–0.6 % above these (0.0510 at t = 1, by hand above); the
  // published series was evidently computed with other parameter values. Checked to 0.7 %.
  const double expected[] = {0.0508, 0.0992, 0.1454, 0.1898, 0.2325, 0.2736, 0.3134, 0.3518, 0.3891};
  for (int t = 1; t <= 9; ++t) {
    INFO("t = " << t);
    CHECK(m.expected_purchases_new(t) == Approx(expected[t - 1]).epsilon(0.007));
  }
}

TEST_CASE("gamma_gamma: conditional expected spend and population mean", "[models][reference]") {
  const gamma_gamma g({6.25, 3.74, 15.44});
  // FHL (2005) JMR, p. 420 example: x = 2, mean spend 22.35 → 24.65 (hand check: (6.25·15.44 +
  // 6.25·2·22.35)/(6.25·2 + 3.74 − 1) = 375.875/15.24 = 24.664; the paper's rounded p, q, γ give ≈ 24.65).
  CHECK(g.expected_spend(2, 22.35) == Approx(24.65).margin(0.02));
  // Population mean pγ/(q−1) = 96.5/2.74 = 35.22 (FHL 2005 JMR: ≈ 35.2).
  CHECK(g.population_mean() == Approx(35.2).margin(0.05));
  // x = 0: the population mean; non-positive spend is clamped to 0, never NaN.
  CHECK(g.expected_spend(0, 0) == Approx(g.population_mean()));
  CHECK(std::isfinite(g.expected_spend(3, -10)));
}

TEST_CASE("gamma_gamma: zero and negative spend customers are excluded and counted", "[models][unit]") {
  const auto& s = cdnow().summary;
  std::vector<double> x(s.x), tx(s.t_x), T(s.T), m(s.monetary);
  // One repeat customer with mean spend exactly 0 (the CDNOW master log has one) and one refund.
  x.push_back(3); tx.push_back(20); T.push_back(30); m.push_back(0.0);
  x.push_back(1); tx.push_back(5); T.push_back(30); m.push_back(-12.5);
  const auto fit = gamma_gamma::fit(customer_summary_view(x, tx, T, m));
  CHECK(fit.n_excluded_nonpositive_spend == 2);
  CHECK(fit.n_excluded_no_repeat == 2357 - 946);
  CHECK(fit.n_used == 946);
  // Same data as the reference fit → FHL (2005) JMR p = 6.25, q = 3.74.
  CHECK(fit.model.params().p == Approx(6.25).margin(0.005));
  CHECK(fit.model.params().q == Approx(3.74).margin(0.005));
}

TEST_CASE("fit: bad starting points land on the same optimum", "[models][property]") {
  const auto v = cdnow_view();
  const std::vector<std::vector<double>> starts = {{10, 0.1, 5, 0.1}, {0.01, 100, 0.1, 10}, {3, 30, 3, 30}, {0.1, 0.1, 0.1, 0.1}};
  for (const auto& st : starts) {
    fit_options o;
    o.start = st;
    INFO("start " << st[0] << "," << st[1] << "," << st[2] << "," << st[3]);
    const auto bg = bgnbd::fit(v, o);
    CHECK(bg.status == fit_status::converged);
    // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426.
    CHECK(bg.model.params().r == Approx(0.243).margin(0.0005));
    CHECK(bg.model.params().alpha == Approx(4.414).margin(0.001));
    CHECK(bg.model.params().b == Approx(2.426).margin(0.001));
    const auto pn = pnbd::fit(v, o);
    CHECK(pn.status == fit_status::converged);
    // Fader & Hardie: r = 0.553, s = 0.606, LL = −9595.0.
    CHECK(pn.model.params().r == Approx(0.553).margin(0.001));
    CHECK(pn.model.params().s == Approx(0.606).margin(0.002));
    CHECK(pn.log_likelihood == Approx(-9595.0).margin(0.05));
  }
  fit_options o;
  o.start = {50, 0.5, 1000};
  const auto gg = gamma_gamma::fit(v, o);
  // FHL (2005) JMR: p = 6.25.
  CHECK(gg.model.params().p == Approx(6.25).margin(0.005));
}

TEST_CASE("fit: weights (compressed rows) give the same fit as expanded rows", "[models][unit]") {
  // Rows duplicated k times vs one row of weight k: the likelihood is the same function, so the
  // optimum must agree (no external number needed: two evaluations of the same quantity).
  std::vector<double> x{0, 1, 2, 5, 0, 3}, tx{0, 10, 20, 30, 0, 25}, T{40, 40, 38, 35, 30, 39}, w{3, 2, 4, 1, 5, 2};
  std::vector<double> X, TX, TT;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (int k = 0; k < static_cast<int>(w[i]); ++k) { X.push_back(x[i]); TX.push_back(tx[i]); TT.push_back(T[i]); }
  const bgnbd m({0.5, 8, 0.7, 2.5});
  CHECK(m.log_likelihood(customer_summary_view(x, tx, T, {}, w)) ==
        Approx(m.log_likelihood(customer_summary_view(X, TX, TT))).epsilon(1e-12));
  // Merging identical CDNOW rows into weights (compress) must not move the optimum.
  fit_options nc;
  nc.compress = false;
  const auto a = bgnbd::fit(cdnow_view());
  const auto b = bgnbd::fit(cdnow_view(), nc);
  CHECK(a.log_likelihood == Approx(b.log_likelihood).epsilon(1e-9));
  CHECK(a.model.params().r == Approx(b.model.params().r).epsilon(1e-4));
}

TEST_CASE("fit: penalty shrinks parameters", "[models][unit]") {
  fit_options o;
  o.penalty = 0.1;
  const auto pen = bgnbd::fit(cdnow_view(), o);
  const auto free = bgnbd::fit(cdnow_view());
  // An L2 penalty on (r, α, a, b) must lower Σθ² and cannot raise the log-likelihood.
  double s_pen = 0, s_free = 0;
  for (double v : pen.model.param_vector()) s_pen += v * v;
  for (double v : free.model.param_vector()) s_free += v * v;
  CHECK(s_pen < s_free);
  CHECK(pen.log_likelihood <= free.log_likelihood + 1e-9);
}
