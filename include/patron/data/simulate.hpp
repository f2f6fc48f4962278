// SPDX-License-Identifier: MIT
// Synthetic purchase logs and summaries from BG/NBD, MBG/NBD or Pareto/NBD with Gamma-Gamma spend.
#ifndef PATRON_DATA_SIMULATE_HPP
#define PATRON_DATA_SIMULATE_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1 {

/// The purchase/drop-out process a simulation draws from.
///  - bg_nbd: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
///    Science 24(2). While alive a customer buys as a Poisson process with rate λ,
///    λ ~ Gamma(r, α) (α a rate). After each *repeat* purchase the customer drops out with
///    probability p, p ~ Beta(a, b). A customer with no repeat purchase is alive.
///  - mbg_nbd: Batislam, Denizel & Filiztekin (2007), IJRM 24(3). As BG/NBD, but the drop-out
///    chance p also applies right after the first (trial) purchase, at time 0: a customer may
///    leave without ever buying again, so P(alive | x = 0) < 1.
///  - pareto_nbd: Schmittlein, Morrison & Colombo (1987). Poisson(λ) purchases, λ ~ Gamma(r, α),
///    for an unobserved lifetime τ ~ Exp(μ), μ ~ Gamma(s, β).
enum class purchase_model : std::uint8_t { bg_nbd, mbg_nbd, pareto_nbd };

/// Options of simulate_transactions() and simulate_summary(). Model parameters are per `unit`
/// (α, β and the Poisson rates are per unit of time). Defaults: the CDNOW estimates of Fader,
/// Hardie & Lee (2005) for BG/NBD (r, α, a, b) and Gamma-Gamma (p, q, γ; "RFM and CLV", JMR
/// 42(4)), Pareto/NBD's (s, β) from the same data, a 12-week cohort and 78 weeks of observation.
struct simulation_options {
  purchase_model model = purchase_model::bg_nbd;
  double r = 0.243, alpha = 4.414;  ///< λ ~ Gamma(shape r, rate α)
  double a = 0.793, b = 2.426;      ///< BG/NBD, MBG/NBD: p ~ Beta(a, b)
  double s = 0.61, beta = 11.67;    ///< Pareto/NBD: μ ~ Gamma(shape s, rate β)
  /// Gamma-Gamma spend (Fader, Hardie & Lee 2005, JMR): ν ~ Gamma(shape q, rate γ); every
  /// transaction's value z ~ Gamma(shape p, rate ν), so E[z] = p·γ / (q − 1) for q > 1.
  double p = 6.25, q = 3.74, gamma = 15.44;
  std::size_t customers = 1000;             ///< number of customers, 1 ≤ n < 2^32 − 1
  date cohort_start = from_ymd(1997, 1, 1);  ///< first day of the acquisition window
  /// First purchases fall on a day drawn uniformly from [cohort_start, cohort_start + cohort_days).
  std::int32_t cohort_days = 84;
  /// The observation ends on cohort_start + observation_days (≥ cohort_days − 1).
  std::int32_t observation_days = 546;
  time_unit unit = time_unit::week();  ///< the unit the parameters are expressed in
  std::uint64_t seed = 1;              ///< same seed → identical output on every platform
  /// Items (simulate_transactions() only): 0 = a log without item, quantity and invoice columns.
  /// With N > 0 items every purchase is one invoice ("c<k+1>-<n>", n = 1, 2, ... per customer)
  /// whose main item ("item<j>", j = 1..N) is drawn from a Zipf law P(j) ∝ j^(−item_skew), so
  /// item1 is the most popular; with probability `pair_probability` the invoice also holds the
  /// main item's partner (item 2i−1 ↔ item 2i), which gives association rules something to find.
  /// The purchase value is split over the lines (60 % / 40 %, quantity 1 each), so per-day sums
  /// equal the item-less log's values up to rounding. Items come from a substream of their own:
  /// purchase times and values are the same as with items = 0.
  std::size_t items = 0;
  double item_skew = 1.0;         ///< Zipf exponent s ≥ 0 (0 = uniform)
  double pair_probability = 0.3;  ///< in [0, 1]

  /// Throws invalid_argument_error naming the field: shapes and rates of the chosen model must
  /// be finite and > 0, 1 ≤ customers < 2^32 − 1, cohort_days ≥ 1, observation_days ≥ cohort_days − 1,
  /// unit.days finite and > 0, items < 2^31, item_skew finite and ≥ 0, pair_probability in [0, 1].
  void validate() const;
  /// The last observed day, cohort_start + observation_days.
  [[nodiscard]] date observation_end() const noexcept { return cohort_start + observation_days; }
};

/// How simulate_summary() reports time.
enum class simulated_time : std::uint8_t {
  /// The model's own continuous time: x = number of repeat purchases, t_x = exact time of the
  /// last one, in units. What the likelihoods assume; use for parameter-recovery tests.
  continuous,
  /// Exactly what summarize(simulate_transactions(o), {o.unit, o.observation_end()}) returns
  /// (same-day purchases merged, t_x on whole days), computed from the same draws.
  day,
};

/// A simulated cohort's summary with the latent values behind it (for checking models).
struct simulated_customers {
  /// id ("c1", "c2", ...), x, t_x, T, monetary, total, orders, first, last; no holdout.
  customer_summary summary;
  std::vector<double> lambda;       ///< purchase rate per unit
  std::vector<double> dropout;      ///< p (BG/NBD, MBG/NBD) or μ (Pareto/NBD)
  std::vector<double> nu;           ///< Gamma-Gamma spend rate: E[z | ν] = p / ν
  std::vector<std::uint8_t> alive;  ///< 1 when still alive at the observation end
};

/// Simulates a purchase log. Customer k (0-based) is "c<k+1>"; its first purchase is at 00:00
/// of a day in the cohort window, and a purchase at model time t (units after the first) is at
/// start_of(first) + ⌊t · unit.days · 86400⌋ seconds; purchases are kept while t ≤ T =
/// (observation_end − first) / unit. Rows are grouped by customer in time order; customers are
/// interned in index order. Each customer draws from its own substream xoshiro256ss(seed, k), so
/// customer k's rows do not depend on `customers` or on generation order.
/// Relation to simulate_summary(): summarize(log, {unit, observation_end()}) equals
/// simulate_summary(o, simulated_time::day) exactly, and equals the continuous summary up to
/// the day rounding of t_x and the merging of purchases that fall on the same day.
/// Throws invalid_argument_error from validate(). O(customers + transactions).
[[nodiscard]] transaction_log simulate_transactions(const simulation_options& options);

/// The per-customer summary the log would give, without building the log: same draws as
/// simulate_transactions() (customer k of both is the same person). Parallel over customers
/// with OpenMP; the result does not depend on the thread count. Throws invalid_argument_error.
[[nodiscard]] simulated_customers simulate_summary(const simulation_options& options,
                                                   simulated_time time = simulated_time::continuous);

}  // namespace patron::inline v1

#endif  // PATRON_DATA_SIMULATE_HPP
