// SPDX-License-Identifier: MIT
// simulate_transactions() / simulate_summary(): determinism, the log ↔ summary identity,
// invariants, and sample moments against the models' closed forms.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "patron/data/simulate.hpp"
#include "patron/data/summary.hpp"
#include "patron/detail/random.hpp"
#include "patron/error.hpp"

using namespace patron;

namespace {

/// Gauss hypergeometric 2F1(a, b; c; z) by its defining series, for 0 ≤ z < 1.
double hyp2f1(double a, double b, double c, double z) {
  double term = 1.0, sum = 1.0;
  for (int k = 0; k < 200000; ++k) {
    term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
    sum += term;
    if (std::abs(term) < 1e-17 * std::abs(sum)) break;
  }
  return sum;
}

struct sample_stats {
  double mean = 0, sd = 0;
  std::size_t n = 0;
  [[nodiscard]] double se() const { return sd / std::sqrt(static_cast<double>(n)); }
};

template <class F>
sample_stats stats_of(std::size_t n, F&& value_at, bool (*keep)(double) = nullptr) {
  double s = 0, s2 = 0;
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = value_at(i);
    if (keep && !keep(v)) continue;
    s += v;
    s2 += v * v;
    ++m;
  }
  sample_stats r;
  r.n = m;
  r.mean = s / static_cast<double>(m);
  r.sd = std::sqrt(std::max(0.0, s2 / static_cast<double>(m) - r.mean * r.mean));
  return r;
}

/// Every customer starts on the same day, so all share T = 52 weeks.
simulation_options same_T_cohort(purchase_model model, std::size_t n) {
  simulation_options o;
  o.model = model;
  o.customers = n;
  o.cohort_days = 1;
  o.observation_days = 364;
  o.unit = time_unit::week();
  o.seed = 20240607;
  return o;
}

}  // namespace

TEST_CASE("random: xoshiro256 star-star streams are reproducible and distinct", "[simulate][unit]") {
  detail::xoshiro256ss a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  bool differ_stream = false, differ_seed = false;
  for (int i = 0; i < 16; ++i) {
    const auto va = a(), vb = b(), vc = c(), vd = d();
    CHECK(va == vb);
    differ_stream |= va != vc;
    differ_seed |= va != vd;
  }
  CHECK(differ_stream);
  CHECK(differ_seed);
}

TEST_CASE("random: gamma and beta samplers match their means and variances", "[simulate][property]") {
  // Gamma(k, 1): mean k, variance k; Beta(a, b): mean a/(a+b). 200,000 draws; tolerance 5
  // standard errors of the mean (sd/√n), which a correct sampler misses with probability < 1e-6.
  const std::size_t n = 200000;
  for (double k : {0.05, 0.3, 1.0, 2.5, 40.0}) {
    INFO("shape " << k);
    detail::xoshiro256ss g(1, static_cast<std::uint64_t>(k * 1000));
    std::vector<double> v(n);
    for (auto& e : v) e = detail::gamma_rate(g, k, 1.0);
    const auto st = stats_of(n, [&](std::size_t i) { return v[i]; });
    CHECK(std::abs(st.mean - k) < 5 * std::sqrt(k / static_cast<double>(n)));
    CHECK(st.sd * st.sd == Approx(k).epsilon(0.1));  // ≥ 4 sd of the sample variance
  }
  for (auto [a, b] : {std::pair{0.02, 0.05}, {0.793, 2.426}, {3.0, 1.5}}) {
    INFO("beta " << a << ", " << b);
    detail::xoshiro256ss g(2, 0);
    std::vector<double> v(n);
    for (auto& e : v) e = detail::beta(g, a, b);
    const double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
    const auto st = stats_of(n, [&](std::size_t i) { return v[i]; });
    CHECK(std::abs(st.mean - mean) < 5 * std::sqrt(var / static_cast<double>(n)));
    for (double e : v) REQUIRE((e >= 0.0 && e <= 1.0));
  }
}

TEST_CASE("simulate: same seed gives identical output · another seed another", "[simulate][unit]") {
  simulation_options o;
  o.customers = 300;
  o.seed = 11;
  const transaction_log a = simulate_transactions(o), b = simulate_transactions(o);
  CHECK(a.customer == b.customer);
  CHECK(a.time == b.time);
  CHECK(a.amount == b.amount);
  o.seed = 12;
  const transaction_log c = simulate_transactions(o);
  CHECK((c.time != a.time || c.amount != a.amount));
}

TEST_CASE("simulate: customer k does not depend on how many customers are drawn", "[simulate][unit]") {
  simulation_options o;
  o.model = purchase_model::pareto_nbd;
  o.customers = 50;
  const auto small = simulate_summary(o);
  o.customers = 500;
  const auto big = simulate_summary(o);
  for (std::size_t k = 0; k < 50; ++k) {
    CHECK(small.summary.id[k] == big.summary.id[k]);
    CHECK(small.summary.x[k] == big.summary.x[k]);
    CHECK(small.summary.t_x[k] == big.summary.t_x[k]);
    CHECK(small.summary.monetary[k] == big.summary.monetary[k]);
    CHECK(small.lambda[k] == big.lambda[k]);
  }
}

TEST_CASE("simulate: summarize(log) equals the day-resolution direct summary exactly",
          "[simulate][property]") {
  const auto model = GENERATE(purchase_model::bg_nbd, purchase_model::mbg_nbd, purchase_model::pareto_nbd);
  simulation_options o;
  o.model = model;
  o.customers = 2000;
  o.r = 2.0;  // busy customers: many same-day purchases to merge
  o.alpha = 1.5;
  o.unit = time_unit::week();
  o.seed = 99;
  INFO("model " << static_cast<int>(model));
  const transaction_log log = simulate_transactions(o);
  summary_options so;
  so.unit = o.unit;
  so.observation_end = o.observation_end();
  const customer_summary s = summarize(log, so);
  const simulated_customers d = simulate_summary(o, simulated_time::day);
  REQUIRE(s.size() == o.customers);
  CHECK(s.id == d.summary.id);
  CHECK(s.x == d.summary.x);
  CHECK(s.t_x == d.summary.t_x);
  CHECK(s.T == d.summary.T);
  CHECK(s.monetary == d.summary.monetary);
  CHECK(s.total == d.summary.total);
  CHECK(s.orders == d.summary.orders);
  CHECK(s.first == d.summary.first);
  CHECK(s.last == d.summary.last);
  CHECK(s.rows_after_observation_end == 0);

  // The continuous summary differs only by day rounding and same-day merging.
  const simulated_customers c = simulate_summary(o, simulated_time::continuous);
  for (std::size_t k = 0; k < o.customers; ++k) {
    INFO("customer " << k);
    CHECK(c.summary.T[k] == s.T[k]);
    CHECK(c.summary.x[k] >= s.x[k]);
    CHECK(c.summary.orders[k] == s.orders[k]);
    CHECK(c.summary.total[k] == Approx(s.total[k]).epsilon(1e-12));
    if (s.x[k] > 0) CHECK(std::abs(c.summary.t_x[k] - s.t_x[k]) < 1.0 / 7.0 + 1e-12);
  }
}

TEST_CASE("simulate: invariants of the log and the summary", "[simulate][property]") {
  const auto model = GENERATE(purchase_model::bg_nbd, purchase_model::mbg_nbd, purchase_model::pareto_nbd);
  simulation_options o;
  o.model = model;
  o.customers = 3000;
  o.cohort_start = from_ymd(2023, 3, 1);
  o.cohort_days = 30;
  o.observation_days = 200;
  o.unit = time_unit::day();
  o.seed = 5;
  const transaction_log log = simulate_transactions(o);
  for (std::size_t i = 0; i < log.size(); ++i) {
    const date d = day_of(log.time[i]);
    REQUIRE(d >= o.cohort_start);
    REQUIRE(d <= o.observation_end());
    REQUIRE(log.amount[i] > 0.0);
    REQUIRE(std::isfinite(log.amount[i]));
  }
  const auto r = simulate_summary(o);
  const auto& s = r.summary;
  for (std::size_t k = 0; k < s.size(); ++k) {
    INFO("customer " << k);
    REQUIRE(s.x[k] == std::floor(s.x[k]));
    REQUIRE(s.x[k] >= 0);
    REQUIRE(s.t_x[k] >= 0);
    REQUIRE(s.t_x[k] <= s.T[k]);
    REQUIRE((s.x[k] > 0 || s.t_x[k] == 0));
    REQUIRE(s.first[k] >= o.cohort_start);
    REQUIRE(s.first[k] < o.cohort_start + o.cohort_days);
    REQUIRE(s.T[k] == (o.observation_end() - s.first[k]) / 1.0);
    if (model == purchase_model::bg_nbd && s.x[k] == 0) REQUIRE(r.alive[k] == 1);
  }
  CHECK_NOTHROW(validate_summary(s, "simulate"));
}

TEST_CASE("simulate: BG/NBD and MBG/NBD mean repeat purchases match E(X(T))", "[simulate][reference]") {
  // E[X(t)] for BG/NBD: Fader, Hardie & Lee (2005), eq. 9:
  //   (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
  // MBG/NBD (Batislam et al. 2007): E[X(t) | λ, p] = (1−p)/p · (1 − e^{−λpt}); averaging over
  // p ~ Beta(a, b), λ ~ Gamma(r, α) gives b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))].
  // 100,000 customers with T = 52; tolerance 4 standard errors (sample sd / √n).
  const double r = 0.75, alpha = 2.5, a = 2.5, b = 4.0, T = 52.0;
  const double z = T / (alpha + T), lead = std::pow(alpha / (alpha + T), r);
  for (auto model : {purchase_model::bg_nbd, purchase_model::mbg_nbd}) {
    simulation_options o = same_T_cohort(model, 100000);
    o.r = r;
    o.alpha = alpha;
    o.a = a;
    o.b = b;
    const auto sim = simulate_summary(o);
    REQUIRE(sim.summary.T[0] == T);
    const double expected = model == purchase_model::bg_nbd
                                ? (a + b - 1) / (a - 1) * (1 - lead * hyp2f1(r, b, a + b - 1, z))
                                : b / (a - 1) * (1 - lead * hyp2f1(r, b + 1, a + b, z));
    const auto st = stats_of(o.customers, [&](std::size_t i) { return sim.summary.x[i]; });
    INFO("model " << static_cast<int>(model) << " mean " << st.mean << " expected " << expected
                  << " se " << st.se());
    CHECK(std::abs(st.mean - expected) < 4 * st.se());
  }
}

TEST_CASE("simulate: Pareto/NBD mean purchases and P(alive at T) match the closed forms",
          "[simulate][reference]") {
  // Schmittlein, Morrison & Colombo (1987): E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}] and
  // P(τ > t) = (β/(β+t))^s. 100,000 customers with T = 52; tolerance 4 standard errors.
  const double r = 0.75, alpha = 2.5, s = 1.5, beta = 10.0, T = 52.0;
  simulation_options o = same_T_cohort(purchase_model::pareto_nbd, 100000);
  o.r = r;
  o.alpha = alpha;
  o.s = s;
  o.beta = beta;
  const auto sim = simulate_summary(o);
  const double ex = r * beta / (alpha * (s - 1)) * (1 - std::pow(beta / (beta + T), s - 1));
  const auto st = stats_of(o.customers, [&](std::size_t i) { return sim.summary.x[i]; });
  INFO("mean x " << st.mean << " expected " << ex << " se " << st.se());
  CHECK(std::abs(st.mean - ex) < 4 * st.se());
  const double pa = std::pow(beta / (beta + T), s);
  const auto alive = stats_of(o.customers, [&](std::size_t i) { return static_cast<double>(sim.alive[i]); });
  INFO("P(alive) " << alive.mean << " expected " << pa);
  CHECK(std::abs(alive.mean - pa) < 4 * std::sqrt(pa * (1 - pa) / static_cast<double>(o.customers)));
}

TEST_CASE("simulate: Gamma-Gamma mean spend is p·γ/(q−1)", "[simulate][reference]") {
  // Fader, Hardie & Lee (2005, JMR): E[z̄ | x] = p/ν for any x, and E[1/ν] = γ/(q−1) for
  // ν ~ Gamma(q, γ), so the mean of `monetary` over customers with x > 0 estimates p·γ/(q−1)
  // = 3 · 20 / 3 = 20. q = 4 keeps the variance finite; tolerance 4 standard errors.
  simulation_options o = same_T_cohort(purchase_model::pareto_nbd, 100000);
  o.r = 2.0;
  o.alpha = 4.0;
  o.p = 3.0;
  o.q = 4.0;
  o.gamma = 20.0;
  const auto sim = simulate_summary(o);
  const auto st = stats_of(
      o.customers, [&](std::size_t i) { return sim.summary.x[i] > 0 ? sim.summary.monetary[i] : -1.0; },
      [](double v) { return v >= 0; });
  INFO("mean " << st.mean << " se " << st.se() << " customers " << st.n);
  REQUIRE(st.n > 10000);
  CHECK(std::abs(st.mean - 20.0) < 4 * st.se());
}

TEST_CASE("simulate: invalid options name the field", "[simulate][error]") {
  simulation_options o;
  o.alpha = 0;
  CHECK_THROWS_MATCHES(simulate_summary(o), invalid_argument_error,
                       Catch::Matchers::Message(
                           "[patron.invalid_argument] simulation_options: alpha = 0: must be a finite number > 0"));
  o = {};
  o.r = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(simulate_transactions(o), Catch::Contains("simulation_options: r = nan"));
  o = {};
  o.model = purchase_model::pareto_nbd;
  o.beta = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(simulate_summary(o), Catch::Contains("beta = inf"));
  o = {};
  o.b = -1;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("b = -1"));
  o = {};
  o.customers = 0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("customers = 0: must be >= 1"));
  o = {};
  o.cohort_days = 30;
  o.observation_days = 10;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("observation_days = 10"));
  o = {};
  o.unit.days = 0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("unit_days"));
}

#ifdef _OPENMP
#  include <omp.h>
TEST_CASE("simulate: the direct summary does not depend on the thread count", "[simulate][unit]") {
  simulation_options o;
  o.customers = 5000;
  o.seed = 3;
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = simulate_summary(o);
  omp_set_num_threads(4);
  const auto four = simulate_summary(o);
  omp_set_num_threads(before);
  CHECK(one.summary.x == four.summary.x);
  CHECK(one.summary.t_x == four.summary.t_x);
  CHECK(one.summary.monetary == four.summary.monetary);
  CHECK(one.alive == four.alive);
}
#endif

TEST_CASE("simulate: customer counts beyond 32-bit indices are refused", "[simulate][error]") {
  simulation_options o;
  o.customers = std::size_t{1} << 32;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("customers = 4294967296: must be < 4294967295"));
}
