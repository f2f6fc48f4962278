// SPDX-License-Identifier: MIT
// BG/BB and sBG: published reproductions, identities between independent routes, recovery on
// simulated data, invariants and bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "patron/data/discrete_io.hpp"
#include "patron/error.hpp"
#include "patron/models/bgbb.hpp"
#include "patron/models/sbg.hpp"
#include "test_support.hpp"

using namespace patron;
using Catch::Matchers::Contains;
using Catch::Matchers::Message;

// =================================== BG/BB =====================================================

TEST_CASE("bgbb: donations data reproduces Fader Hardie and Shang 2010", "[bgbb][reference]") {
  const bgbb_table t = read_bgbb_csv(patron_test::data_file("donations.csv"));
  REQUIRE(t.x.size() == 22);
  double donors = 0;
  for (double w : t.weight) donors += w;
  // FHS 2010 §3 / shared/data/README.md: 11,104 donors of the 1995 cohort.
  CHECK(donors == 11104);
  const auto r = bgbb::fit(t.view());
  REQUIRE(r.ok());
  // FHS 2010, Marketing Science 29(6), Table 2 (also shared/data/README.md): alpha = 1.204,
  // beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6. Published to 3 decimals:
  // tolerance half a unit in the last digit plus optimiser slack.
  const auto& p = r.model.params();
  CHECK(p.alpha == Approx(1.204).margin(0.0015));
  CHECK(p.beta == Approx(0.750).margin(0.0015));
  CHECK(p.gamma == Approx(0.657).margin(0.0015));
  CHECK(p.delta == Approx(2.783).margin(0.0015));
  CHECK(r.log_likelihood == Approx(-33225.6).margin(0.06));
  CHECK(r.model.log_likelihood(t.view()) == Approx(r.log_likelihood).epsilon(1e-12));
  CHECK(r.n_customers == 11104);
  for (double se : r.std_errors) CHECK(std::isfinite(se));
}

TEST_CASE("bgbb: likelihood by hand for one opportunity", "[bgbb][reference]") {
  // Hand computation of FHS 2010 eq. 5 with alpha = beta = gamma = delta = 1, n = 1:
  // (x=0): B(1,2)B(1,2) + B(1,1)B(2,1) = 1/4 + 1/2 = 3/4;  (x=1, t_x=1): B(2,1)B(1,2) = 1/4.
  const bgbb m({1, 1, 1, 1});
  CHECK(std::exp(m.log_likelihood(0, 0, 1)) == Approx(0.75).epsilon(1e-14));
  CHECK(std::exp(m.log_likelihood(1, 1, 1)) == Approx(0.25).epsilon(1e-14));
}

TEST_CASE("bgbb: pattern probabilities of a new customer sum to one", "[bgbb][property]") {
  // Each (x, t_x) pattern over n opportunities stands for C(t_x−1, x−1) sequences (x ≥ 1).
  const auto a = GENERATE(take(4, random(0.2, 3.0)));
  const auto g = GENERATE(take(2, random(0.2, 3.0)));
  const bgbb m({a, 1.3, g, 2.1});
  for (int n : {1, 3, 7}) {
    double total = 0;
    for (int tx = 0; tx <= n; ++tx)
      for (int x = (tx == 0 ? 0 : 1); x <= tx; ++x) {
        const double seqs = x == 0 ? 1 : std::exp(std::lgamma(tx) - std::lgamma(x) - std::lgamma(tx - x + 1));
        total += seqs * std::exp(m.log_likelihood(x, tx, n));
      }
    INFO("alpha=" << a << " gamma=" << g << " n=" << n);
    CHECK(total == Approx(1).epsilon(1e-12));
  }
}

TEST_CASE("bgbb: forecasts agree with likelihood ratios of extended histories", "[bgbb][reference]") {
  // Independent route: P(transaction at n+1 | history) = L(x+1, n+1, n+1)/L(x, t_x, n) (eq. 5
  // only), which must equal E[X(n, n+1)] (eq. 13) and P(alive at n+1)·(α+x)/(α+β+n) (eq. 11).
  // Two opportunities ahead: the patterns ending with a transaction at n+2.
  const bgbb m({1.204, 0.750, 0.657, 2.783});
  struct c { double x, tx, n; };
  for (const c& h : {c{0, 0, 6}, c{1, 1, 6}, c{3, 5, 6}, c{6, 6, 6}, c{2, 2, 9}}) {
    const double L = std::exp(m.log_likelihood(h.x, h.tx, h.n));
    const double p1 = std::exp(m.log_likelihood(h.x + 1, h.n + 1, h.n + 1)) / L;
    const double p2 = (std::exp(m.log_likelihood(h.x + 1, h.n + 2, h.n + 2)) +
                       std::exp(m.log_likelihood(h.x + 2, h.n + 2, h.n + 2))) / L;
    INFO("x=" << h.x << " t_x=" << h.tx << " n=" << h.n);
    CHECK(m.expected_purchases(1, h.x, h.tx, h.n) == Approx(p1).epsilon(1e-12));
    CHECK(m.expected_purchases(2, h.x, h.tx, h.n) == Approx(p1 + p2).epsilon(1e-12));
    CHECK(m.p_alive(h.x, h.tx, h.n) * (1.204 + h.x) / (1.204 + 0.750 + h.n) == Approx(p1).epsilon(1e-12));
  }
  // New customer: E[X(1)] = P(alive at 1)·E[p] = δ/(γ+δ)·α/(α+β) (hand computation).
  CHECK(m.expected_purchases_new(1) == Approx(2.783 / (0.657 + 2.783) * 1.204 / (1.204 + 0.750)).epsilon(1e-14));
}

TEST_CASE("bgbb: DERT equals the discounted sum of expected increments", "[bgbb][reference]") {
  // Independent route: Σ_k (E[X(n,n+k)] − E[X(n,n+k−1)])·(1+d)^(−k) from eq. 13 (closed form,
  // and direct summation when gamma is near 1) against eq. 14's 2F1; 3000 terms leave 1.1^-3000.
  for (double g : {0.657, 1.0004, 2.5}) {
    const bgbb m({1.204, 0.750, g, 2.783});
    const double d = 0.1;
    for (auto [x, tx, n] : {std::tuple{0.0, 0.0, 6.0}, std::tuple{4.0, 6.0, 6.0}, std::tuple{2.0, 3.0, 6.0}}) {
      double sum = 0, prev = 0;
      for (int k = 1; k <= 3000; ++k) {
        const double e = m.expected_purchases(k, x, tx, n);
        sum += (e - prev) * std::pow(1 + d, -k);
        prev = e;
      }
      INFO("gamma=" << g << " x=" << x << " t_x=" << tx);
      CHECK(m.dert(d, x, tx, n) == Approx(sum).epsilon(1e-9));
    }
  }
}

TEST_CASE("bgbb: double kernels match 50-digit evaluation", "[bgbb][reference]") {
  using big = boost::multiprecision::cpp_bin_float_50;
  const big ll = patron::detail::bgbb_log_likelihood<big>(big("1.204"), big("0.75"), big("0.657"), big("2.783"),
                                                          big(3), big(5), big(40));
  CHECK(patron::detail::bgbb_log_likelihood(1.204, 0.75, 0.657, 2.783, 3.0, 5.0, 40.0) ==
        Approx(ll.convert_to<double>()).epsilon(1e-13));
  const big s = patron::detail::bgbb_survival_sum<big>(big("0.657"), big("2.783"), big(6), big(25));
  CHECK(patron::detail::bgbb_survival_sum(0.657, 2.783, 6.0, 25.0) == Approx(s.convert_to<double>()).epsilon(1e-13));
}

TEST_CASE("bgbb: invariants over random histories", "[bgbb][property]") {
  const bgbb m({GENERATE(take(3, random(0.1, 5.0))), 0.9, GENERATE(take(3, random(0.1, 5.0))), 2.0});
  for (double n : {1.0, 6.0, 30.0})
    for (double tx = 0; tx <= n; tx += 1)
      for (double x = (tx == 0 ? 0 : 1); x <= tx; x += 1) {
        const double pa = m.p_alive(x, tx, n);
        INFO("x=" << x << " t_x=" << tx << " n=" << n);
        CHECK(pa >= 0);
        CHECK(pa <= 1);
        const double e5 = m.expected_purchases(5, x, tx, n);
        CHECK(e5 >= 0);
        CHECK(e5 <= 5 * pa + 1e-12);
        CHECK(m.expected_purchases(6, x, tx, n) >= e5);
        CHECK(m.dert(0.1, x, tx, n) >= 0);
      }
}

TEST_CASE("bgbb: parameters recovered from simulated customers", "[bgbb][property]") {
  // Simulation truth: 20,000 customers, n = 15 opportunities, known (alpha, beta, gamma, delta).
  const bgbb_params truth{1.2, 0.75, 0.66, 2.8};
  std::mt19937_64 rng(20100601);
  auto beta_draw = [&](double a, double b) {
    std::gamma_distribution<double> ga(a, 1.0), gb(b, 1.0);
    const double u = ga(rng), v = gb(rng);
    return u / (u + v);
  };
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<double> xs, txs, ns;
  for (int i = 0; i < 20000; ++i) {
    const double p = beta_draw(truth.alpha, truth.beta), th = beta_draw(truth.gamma, truth.delta);
    double x = 0, tx = 0;
    for (int t = 1; t <= 15; ++t) {
      if (unif(rng) < th) break;  // dies before opportunity t
      if (unif(rng) < p) {
        x += 1;
        tx = t;
      }
    }
    xs.push_back(x);
    txs.push_back(tx);
    ns.push_back(15);
  }
  const auto r = bgbb::fit(customer_summary_view(xs, txs, ns));
  REQUIRE(r.ok());
  const auto& p = r.model.params();
  // Within 4 standard errors of the truth (the fit's own SEs; about ±5-15 % here).
  CHECK(std::abs(p.alpha - truth.alpha) < 4 * r.std_errors[0]);
  CHECK(std::abs(p.beta - truth.beta) < 4 * r.std_errors[1]);
  CHECK(std::abs(p.gamma - truth.gamma) < 4 * r.std_errors[2]);
  CHECK(std::abs(p.delta - truth.delta) < 4 * r.std_errors[3]);
  CHECK(r.std_errors[0] < 0.2 * truth.alpha);
}

TEST_CASE("bgbb: bad rows and arguments are rejected with clear errors", "[bgbb][error]") {
  const bgbb m({1, 1, 1, 1});
  CHECK_THROWS_MATCHES(m.p_alive(3, 2, 6), invalid_argument_error,
                       Message("[patron.invalid_argument] bgbb.p_alive: x = 3: more transactions than opportunities up to recency t_x"));
  CHECK_THROWS_MATCHES(m.p_alive(2, 7, 6), invalid_argument_error, Message("[patron.invalid_argument] bgbb.p_alive: t_x = 7: recency beyond the number of opportunities n"));
  CHECK_THROWS_MATCHES(m.p_alive(0, 0, 0), invalid_argument_error, Message("[patron.invalid_argument] bgbb.p_alive: n = 0: zero opportunities: n must be >= 1"));
  CHECK_THROWS_AS(m.p_alive(-1, 0, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.p_alive(std::nan(""), 0, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.p_alive(1, 1, INFINITY), invalid_argument_error);
  CHECK_THROWS_AS(m.p_alive(0.5, 1, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.p_alive(0, 2, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.dert(0, 1, 1, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.dert(-0.1, 1, 1, 6), invalid_argument_error);
  CHECK_THROWS_AS(m.expected_purchases(-1, 1, 1, 6), invalid_argument_error);
  CHECK_THROWS_AS(bgbb({1, 1, 0, 1}), invalid_argument_error);
  CHECK_THROWS_AS(bgbb({1, std::nan(""), 1, 1}), invalid_argument_error);
  const std::vector<double> x{1, 2}, tx{1, 3}, n{6, 2}, w{1, 1};
  CHECK_THROWS_MATCHES(bgbb::fit(customer_summary_view(x, tx, n, {}, w)), data_error,
                       Message("[patron.out_of_range] bgbb:2: t_x = \"3\": recency beyond the number of opportunities n"));
  const std::vector<double> wneg{1, -1}, n2{6, 6};
  CHECK_THROWS_AS(bgbb::fit(customer_summary_view(x, tx, n2, {}, wneg)), data_error);
  CHECK_THROWS_AS(bgbb::fit(customer_summary_view()), invalid_argument_error);
  std::vector<double> out(1);
  CHECK_THROWS_AS(m.p_alive(customer_summary_view(x, tx, n2), out), invalid_argument_error);
}

TEST_CASE("bgbb: CSV reader names file line and field", "[bgbb][error]") {
  const auto t = read_bgbb_csv_from_string("frequency,recency,periods,weights\n2,3,6,10\n0,0,6,5\n", "d.csv");
  CHECK(t.x.size() == 2);
  CHECK(t.weight[0] == 10);
  CHECK_THROWS_MATCHES(read_bgbb_csv_from_string("frequency,recency,periods\n2,3,6\n4,3,6\n", "d.csv"), data_error,
                       Message("[patron.out_of_range] d.csv:3:1: x = \"4\": more transactions than opportunities up to recency t_x"));
  CHECK_THROWS_MATCHES(read_bgbb_csv_from_string("x,t_x,n\n0,0,0\n", "d.csv"), data_error,
                       Message("[patron.out_of_range] d.csv:2:3: n = \"0\": zero opportunities: n must be >= 1"));
  CHECK_THROWS_MATCHES(read_bgbb_csv_from_string("x,t_x,n,weight\n1,1,6,-2\n", "d.csv"), data_error,
                       Message("[patron.out_of_range] d.csv:2:4: weight = \"-2\": must be finite and >= 0"));
  CHECK_THROWS_MATCHES(read_bgbb_csv_from_string("x,t_x,n\n-1,0,6\n", "d.csv"), data_error,
                       Message("[patron.out_of_range] d.csv:2:1: x = \"-1\": must be a finite integer >= 0 (transactions)"));
  CHECK_THROWS_AS(read_bgbb_csv_from_string("x,t_x,n\nnan,0,6\n", "d.csv"), data_error);
  CHECK_THROWS_AS(read_bgbb_csv_from_string("x,t_x\n1,1\n", "d.csv"), data_error);
  CHECK_THROWS_AS(read_bgbb_csv_from_string("x,t_x,n\n", "d.csv"), data_error);
  CHECK_THROWS_AS(read_bgbb_csv_from_string("", "d.csv"), data_error);
}

TEST_CASE("bgbb: CLV is DERT at the per-opportunity rate times value", "[bgbb][reference]") {
  const bgbb m({1.204, 0.750, 0.657, 2.783});
  const std::vector<double> x{6, 0}, tx{6, 0}, n{6, 6}, v{50, 50};
  std::vector<double> out(2);
  // Yearly opportunities and an annual 10 % rate: d = 0.1 per opportunity.
  clv(m, discount_rate<double>::annual(0.10), customer_summary_view(x, tx, n), v, out);
  CHECK(out[0] == Approx(50 * m.dert(0.1, 6, 6, 6)).epsilon(1e-12));
  CHECK(out[1] == Approx(50 * m.dert(0.1, 0, 0, 6)).epsilon(1e-12));
  CHECK(out[0] > out[1]);
}

// =================================== sBG =======================================================

namespace {
// Fader & Hardie (2007), J. Interactive Marketing 21(1), Table 1: survivors (% of 1,000) by
// year 0..12; the model is fitted on years 0..7 and projected to 8..12.
const std::vector<double> regular_pct{100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3};
const std::vector<double> high_end_pct{100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4};
std::vector<double> counts(const std::vector<double>& pct, std::size_t periods) {
  std::vector<double> c;
  for (std::size_t t = 0; t < periods; ++t) c.push_back(std::round(pct[t] * 10));
  return c;
}
}  // namespace

TEST_CASE("sbg: two cohorts reproduce Fader and Hardie 2007", "[sbg][reference]") {
  const auto reg = sbg::fit(counts(regular_pct, 8));
  const auto hi = sbg::fit(counts(high_end_pct, 8));
  REQUIRE(reg.ok());
  REQUIRE(hi.ok());
  // FH 2007 §4: regular alpha = 0.704, beta = 1.182; high end alpha = 0.668, beta = 3.806
  // (3 decimals: half a unit plus optimiser slack).
  CHECK(reg.model.params().alpha == Approx(0.704).margin(0.0015));
  CHECK(reg.model.params().beta == Approx(1.182).margin(0.0015));
  CHECK(hi.model.params().alpha == Approx(0.668).margin(0.0015));
  CHECK(hi.model.params().beta == Approx(3.806).margin(0.003));
  // FH 2007 Figure 3: the years 8-12 projection follows the observed survivors closely; the
  // paper's own curve is within 2 percentage points of the data for both cohorts.
  for (std::size_t t = 8; t <= 12; ++t) {
    INFO("year " << t);
    CHECK(100 * reg.model.survival(static_cast<double>(t)) == Approx(regular_pct[t]).margin(1.0));
    CHECK(100 * hi.model.survival(static_cast<double>(t)) == Approx(high_end_pct[t]).margin(2.0));
  }
  // Both cohorts at once (shared alpha, beta) lie between the single-cohort fits.
  const std::vector<std::vector<double>> both{counts(regular_pct, 8), counts(high_end_pct, 8)};
  const auto joint = sbg::fit(std::span<const std::vector<double>>(both));
  REQUIRE(joint.ok());
  CHECK(joint.n_customers == 2000);
  CHECK(joint.log_likelihood < reg.log_likelihood + hi.log_likelihood);
  CHECK(joint.model.log_likelihood(both[0]) + joint.model.log_likelihood(both[1]) ==
        Approx(joint.log_likelihood).epsilon(1e-12));
}

TEST_CASE("sbg: survival retention and churn by hand", "[sbg][reference]") {
  // alpha = 1, beta = 1: θ uniform; S(t) = B(1, 1+t)/B(1,1) = 1/(1+t); P(T=t) = 1/(t(t+1));
  // r(t) = t/(t+1) (hand computation).
  const sbg m({1, 1});
  CHECK(m.survival(0) == Approx(1).epsilon(1e-15));
  CHECK(m.survival(3) == Approx(0.25).epsilon(1e-14));
  CHECK(m.churn_probability(2) == Approx(1.0 / 6).epsilon(1e-14));
  CHECK(m.retention(3) == Approx(0.75).epsilon(1e-15));
  CHECK(std::isinf(m.expected_lifetime()));
  // alpha = 3, beta = 4: E[1/θ] = (α+β−1)/(α−1) = 3 periods.
  CHECK(sbg({3, 4}).expected_lifetime() == Approx(3).epsilon(1e-15));
}

TEST_CASE("sbg: DEL and DERL equal their discounted sums", "[sbg][reference]") {
  // Independent route: direct sums of S(t)/(1+d)^t (FH 2010 eqs. 3 and 5) against the 2F1 forms.
  const auto a = GENERATE(0.668, 0.704, 2.5);
  const auto b = GENERATE(1.182, 3.806);
  const sbg m({a, b});
  const double d = 0.1;
  double del = 0;
  for (int t = 0; t < 3000; ++t) del += m.survival(t) * std::pow(1 + d, -t);
  INFO("alpha=" << a << " beta=" << b);
  CHECK(m.del(d) == Approx(del).epsilon(1e-10));
  for (int n : {0, 1, 4}) {
    double derl = 0;
    for (int k = 0; k < 3000; ++k) derl += m.survival(n + 1 + k) / m.survival(n) * std::pow(1 + d, -k);
    CHECK(m.derl(d, n) == Approx(derl).epsilon(1e-10));
  }
  // A rate under 1 % per period takes the transformed-2F1 route instead of the direct series.
  double del_small = 0;
  for (int t = 0; t < 20000; ++t) del_small += m.survival(t) * std::pow(1.005, -t);
  CHECK(m.del(0.005) == Approx(del_small).epsilon(1e-9));
  // The expected lifetime is the undiscounted sum (α > 1 only).
  if (a > 1) {
    double life = 0;
    for (int t = 0; t < 200000; ++t) life += m.survival(t);
    CHECK(m.expected_lifetime() == Approx(life).epsilon(1e-3));
  }
}

TEST_CASE("sbg: invariants of survival and retention", "[sbg][property]") {
  const sbg m({GENERATE(take(5, random(0.05, 10.0))), GENERATE(take(3, random(0.05, 10.0)))});
  double prev = 1, mass = 0;
  for (int t = 1; t <= 60; ++t) {
    const double s = m.survival(t), r = m.retention(t);
    INFO("t=" << t);
    CHECK(s <= prev);
    CHECK(r >= 0);
    CHECK(r <= 1);
    if (t > 1) CHECK(r >= m.retention(t - 1));
    CHECK(s == Approx(prev * r).epsilon(1e-12));
    mass += m.churn_probability(t);
    CHECK(mass + s == Approx(1).epsilon(1e-12));
    prev = s;
  }
}

TEST_CASE("sbg: parameters recovered from a simulated cohort", "[sbg][property]") {
  // Simulation truth: 20,000 customers, θ ~ Beta(0.7, 1.2), survivors counted for 12 periods.
  std::mt19937_64 rng(2007);
  std::gamma_distribution<double> ga(0.7, 1.0), gb(1.2, 1.0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<double> alive(13, 0.0);
  for (int i = 0; i < 20000; ++i) {
    const double u = ga(rng), v = gb(rng), th = u / (u + v);
    alive[0] += 1;
    for (int t = 1; t <= 12; ++t) {
      if (unif(rng) < th) break;
      alive[static_cast<std::size_t>(t)] += 1;
    }
  }
  const auto r = sbg::fit(alive);
  REQUIRE(r.ok());
  CHECK(std::abs(r.model.params().alpha - 0.7) < 4 * r.std_errors[0]);
  CHECK(std::abs(r.model.params().beta - 1.2) < 4 * r.std_errors[1]);
  CHECK(r.std_errors[0] < 0.1);
}

TEST_CASE("sbg: bad survivor data is rejected with clear errors", "[sbg][error]") {
  const std::vector<double> up{1000, 600, 700};
  CHECK_THROWS_MATCHES(sbg::fit(up), data_error,
                       Message("[patron.out_of_range] sbg.fit cohort 1:3: alive = \"700\": survivors increase from period 1 (600): a cohort can only shrink"));
  CHECK_THROWS_AS(sbg::fit(std::vector<double>{1000, -1}), data_error);
  CHECK_THROWS_AS(sbg::fit(std::vector<double>{1000}), data_error);
  CHECK_THROWS_AS(sbg::fit(std::vector<double>{0, 0}), data_error);
  CHECK_THROWS_AS(sbg::fit(std::vector<double>{1000, std::nan("")}), data_error);
  CHECK_THROWS_AS(sbg::fit(std::vector<double>{INFINITY, 10}), data_error);
  CHECK_THROWS_AS(sbg({0, 1}), invalid_argument_error);
  const sbg m({1, 1});
  CHECK_THROWS_AS(m.survival(-1), invalid_argument_error);
  CHECK_THROWS_AS(m.survival(1.5), invalid_argument_error);
  CHECK_THROWS_AS(m.retention(0), invalid_argument_error);
  CHECK_THROWS_AS(m.del(0), invalid_argument_error);
  CHECK_THROWS_AS(m.derl(0.1, -1), invalid_argument_error);
  CHECK_THROWS_MATCHES(read_survivors_csv_from_string("period,alive\n0,1000\n1,631\n2,700\n", "s.csv"), data_error,
                       Message("[patron.out_of_range] s.csv:4:2: alive = \"700\": survivors increase from period 1: a cohort can only shrink"));
  CHECK_THROWS_MATCHES(read_survivors_csv_from_string("period,alive\n0,1000\n2,631\n", "s.csv"), data_error,
                       Message("[patron.out_of_range] s.csv:3:1: period = \"2\": periods of cohort 1 must run 0, 1, 2, ... in order; expected 1"));
  CHECK_THROWS_AS(read_survivors_csv_from_string("period,alive\n0,1000\n", "s.csv"), data_error);
  CHECK_THROWS_AS(read_survivors_csv_from_string("period,alive\n0,1000\n1,-5\n", "s.csv"), data_error);
  const auto two = read_survivors_csv_from_string("cohort,period,alive\nA,0,1000\nB,0,500\nA,1,600\nB,1,400\n", "s.csv");
  REQUIRE(two.alive.size() == 2);
  CHECK(two.alive[1] == std::vector<double>{500, 400});
}
