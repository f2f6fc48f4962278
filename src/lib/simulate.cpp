// SPDX-License-Identifier: MIT
// simulate_transactions() / simulate_summary(): one per-customer generator drives both paths, so
// the log and the direct summary are the same customers drawn from the same substreams.
#include "patron/data/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "patron/detail/random.hpp"
#include "patron/error.hpp"

namespace patron::inline v1 {

namespace {

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void require_positive(double v, const char* field) {
  if (!(v > 0.0) || !std::isfinite(v))
    throw invalid_argument_error("simulation_options", field, show(v), "must be a finite number > 0");
}

/// The latent draws of one customer.
struct customer_draw {
  date first;
  double T = 0;  // exposure in units
  double lambda = 0, dropout = 0, nu = 0;
  bool alive = true;
};

/// Simulates customer k: calls on_purchase(draw, t, value) for the first purchase (t = 0) and every
/// repeat purchase at model time t ≤ T, in time order. The draw order is part of the output's
/// definition (changing it changes every simulated data set): first day, λ, p or μ, ν, then per
/// purchase its waiting time, its value and (BG/MBG) the drop-out coin.
template <class OnPurchase>
customer_draw simulate_customer(const simulation_options& o, std::uint64_t k, OnPurchase&& on_purchase) {
  using namespace detail;
  xoshiro256ss g(o.seed, k);
  customer_draw c;
  c.first = o.cohort_start + static_cast<std::int32_t>(
                                 uniform_index(g, static_cast<std::uint64_t>(o.cohort_days)));
  c.T = (o.observation_end() - c.first) / o.unit.days;
  c.lambda = gamma_rate(g, o.r, o.alpha);
  const bool pareto = o.model == purchase_model::pareto_nbd;
  c.dropout = pareto ? gamma_rate(g, o.s, o.beta) : beta(g, o.a, o.b);
  c.nu = gamma_rate(g, o.q, o.gamma);
  const auto value = [&] { return gamma_rate(g, o.p, c.nu); };

  on_purchase(c, 0.0, value());
  double end = c.T;  // purchases happen on (0, end]
  if (pareto) {
    const double tau = exponential(g) / c.dropout;  // lifetime ~ Exp(μ)
    c.alive = tau > c.T;
    end = std::min(tau, c.T);
  } else if (o.model == purchase_model::mbg_nbd && uniform01(g) < c.dropout) {
    c.alive = false;  // MBG/NBD: drop-out right after the trial purchase
    return c;
  }
  double t = 0.0;
  for (;;) {
    t += exponential(g) / c.lambda;  // Poisson process: Exp(λ) waiting times
    if (!(t <= end)) break;          // also stops on λ = 0 (t = inf)
    on_purchase(c, t, value());
    if (!pareto && uniform01(g) < c.dropout) {  // BG/NBD: drop out after a repeat purchase
      c.alive = false;
      break;
    }
  }
  return c;
}

/// Model time t (units after the first purchase day's 00:00) → timestamp, whole seconds down.
timestamp to_timestamp(const simulation_options& o, date first, double t) {
  const double secs = std::floor(t * o.unit.days * static_cast<double>(seconds_per_day));
  const auto ts = start_of(first) + static_cast<timestamp>(secs);
  return std::min(ts, start_of(o.observation_end()));
}

// snprintf rather than "c" + std::to_string(): GCC 12 raises a false -Wrestrict on the latter
// (https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105329).
std::string customer_name(std::size_t k) {
  char buf[32];
  const int len = std::snprintf(buf, sizeof buf, "c%zu", k + 1);
  return std::string(buf, static_cast<std::size_t>(len));
}

}  // namespace

void simulation_options::validate() const {
  require_positive(r, "r");
  require_positive(alpha, "alpha");
  if (model == purchase_model::pareto_nbd) {
    require_positive(s, "s");
    require_positive(beta, "beta");
  } else {
    require_positive(a, "a");
    require_positive(b, "b");
  }
  require_positive(p, "p");
  require_positive(q, "q");
  require_positive(gamma, "gamma");
  require_positive(unit.days, "unit_days");
  if (customers < 1)
    throw invalid_argument_error("simulation_options", "customers", "0", "must be >= 1");
  if (customers >= id_table::npos)  // customer indices are 32-bit in transaction_log
    throw invalid_argument_error("simulation_options", "customers", std::to_string(customers),
                                 "must be < 4294967295");
  if (cohort_days < 1)
    throw invalid_argument_error("simulation_options", "cohort_days", std::to_string(cohort_days),
                                 "must be >= 1");
  if (items >= (std::size_t{1} << 31))
    throw invalid_argument_error("simulation_options", "items", std::to_string(items), "must be < 2^31");
  if (!(item_skew >= 0.0) || !std::isfinite(item_skew))
    throw invalid_argument_error("simulation_options", "item_skew", show(item_skew), "must be finite and >= 0");
  if (!(pair_probability >= 0.0 && pair_probability <= 1.0))
    throw invalid_argument_error("simulation_options", "pair_probability", show(pair_probability),
                                 "must be in [0, 1]");
  if (observation_days < cohort_days - 1)
    throw invalid_argument_error("simulation_options", "observation_days",
                                 std::to_string(observation_days),
                                 "must be >= cohort_days - 1 = " + std::to_string(cohort_days - 1));
}

transaction_log simulate_transactions(const simulation_options& o) {
  o.validate();
  transaction_log log;
  log.customers.reserve(o.customers);
  // Interned in index order, so summarize() lists customers as simulate_summary() does.
  for (std::size_t k = 0; k < o.customers; ++k) (void)log.customers.intern(customer_name(k));
  if (o.items == 0) {
    for (std::size_t k = 0; k < o.customers; ++k) {
      const auto idx = static_cast<std::uint32_t>(k);
      (void)simulate_customer(o, k, [&](const customer_draw& c, double t, double z) {
        log.customer.push_back(idx);
        log.time.push_back(to_timestamp(o, c.first, t));
        log.amount.push_back(z);
      });
    }
    return log;
  }
  // Zipf CDF over items: P(j) ∝ j^(−s), j = 1..N; a draw is the first j with cdf[j−1] > u·Σ.
  std::vector<double> cdf(o.items);
  double acc = 0;
  for (std::size_t j = 0; j < o.items; ++j) {
    acc += std::pow(static_cast<double>(j + 1), -o.item_skew);
    cdf[j] = acc;
  }
  for (std::size_t j = 0; j < o.items; ++j) {
    char buf[32];
    const int len = std::snprintf(buf, sizeof buf, "item%zu", j + 1);
    (void)log.items.intern(std::string_view(buf, static_cast<std::size_t>(len)));
  }
  for (std::size_t k = 0; k < o.customers; ++k) {
    const auto idx = static_cast<std::uint32_t>(k);
    // Stream numbers ≥ 2^63 never collide with the customers' own (k < 2^32).
    detail::xoshiro256ss g(o.seed, k | (std::uint64_t{1} << 63));
    std::size_t n = 0;
    const std::string prefix = customer_name(k) + "-";
    (void)simulate_customer(o, k, [&](const customer_draw& c, double t, double z) {
      const timestamp ts = to_timestamp(o, c.first, t);
      const std::uint32_t inv = log.invoices.intern(prefix + std::to_string(++n));
      const double u = detail::uniform01(g) * acc;
      const auto main = static_cast<std::uint32_t>(
          std::min<std::size_t>(static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()),
                                o.items - 1));
      const std::uint32_t partner = main ^ 1u;  // 0-based: item1 ↔ item2, item3 ↔ item4, ...
      const bool pair = detail::uniform01(g) < o.pair_probability && partner < o.items;
      const double first_value = pair ? z * 0.6 : z;
      log.customer.push_back(idx);
      log.time.push_back(ts);
      log.amount.push_back(first_value);
      log.item.push_back(main);
      log.quantity.push_back(1.0);
      log.invoice.push_back(inv);
      if (pair) {
        log.customer.push_back(idx);
        log.time.push_back(ts);
        log.amount.push_back(z - first_value);
        log.item.push_back(partner);
        log.quantity.push_back(1.0);
        log.invoice.push_back(inv);
      }
    });
  }
  return log;
}

simulated_customers simulate_summary(const simulation_options& o, simulated_time time) {
  o.validate();
  const std::size_t n = o.customers;
  simulated_customers out;
  customer_summary& s = out.summary;
  s.unit = o.unit;
  s.observation_end = o.observation_end();
  for (auto* v : {&s.x, &s.t_x, &s.T, &s.monetary, &s.total, &s.orders, &out.lambda, &out.dropout,
                  &out.nu})
    v->resize(n);
  s.id.resize(n);
  s.first.resize(n);
  s.last.resize(n);
  out.alive.resize(n);
  const bool by_day = time == simulated_time::day;
  const auto count = static_cast<std::int64_t>(n);
#ifdef _OPENMP
#  pragma omp parallel for schedule(static)
#endif
  for (std::int64_t kk = 0; kk < count; ++kk) {
    const auto k = static_cast<std::size_t>(kk);
    // Same accumulation order as summarize(): rows in time order, same-day rows merged.
    double x = 0, t_x = 0, repeat_sum = 0, total = 0, rows = 0;
    date last{}, prev_day{};
    bool first_seen = false;  // the first call is the first purchase (t = 0)
    const customer_draw c = simulate_customer(o, k, [&](const customer_draw& cd, double t, double z) {
      const date d = day_of(to_timestamp(o, cd.first, t));
      total += z;
      rows += 1;
      last = d;
      if (!first_seen) {
        first_seen = true;
        prev_day = d;
        return;
      }
      if (by_day) {
        if (d == cd.first) return;  // same day as the first purchase: not a repeat
        if (d != prev_day) x += 1;
        prev_day = d;
        t_x = (d - cd.first) / o.unit.days;
      } else {
        x += 1;
        t_x = t;
      }
      repeat_sum += z;
    });
    s.id[k] = customer_name(k);
    s.x[k] = x;
    s.t_x[k] = t_x;
    s.T[k] = c.T;
    s.monetary[k] = x > 0 ? repeat_sum / x : 0.0;
    s.total[k] = total;
    s.orders[k] = rows;
    s.first[k] = c.first;
    s.last[k] = last;
    out.lambda[k] = c.lambda;
    out.dropout[k] = c.dropout;
    out.nu[k] = c.nu;
    out.alive[k] = c.alive ? 1 : 0;
  }
  return out;
}

}  // namespace patron::inline v1
