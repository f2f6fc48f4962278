// SPDX-License-Identifier: MIT
// Value tiers: Pareto / 80-20 analysis, ABC tiers, Lorenz curve and Gini, service-level tables.
#ifndef PATRON_VALUE_TIERS_HPP
#define PATRON_VALUE_TIERS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1::value {

/// Customers ranked by value (historical spend, or predicted CLV), largest first.
///   order[k]            index of the customer at rank k (ties: earlier input first)
///   cumulative_share[k] Σ value of ranks 0..k / total (so the last entry is 1)
/// Example: values 50, 30, 10, 10 → order 0, 1, 2, 3; cumulative 0.5, 0.8, 0.9, 1.0; 2 of 4
/// customers (50%) bring 80%.
struct pareto_analysis {
  std::vector<std::uint32_t> order;
  std::vector<double> cumulative_share;
  double total = 0;

  [[nodiscard]] std::size_t size() const noexcept { return order.size(); }
  /// The fewest top customers whose value reaches `revenue_share` of the total (share in (0, 1]).
  [[nodiscard]] std::size_t customers_for(double revenue_share) const;
  /// customers_for(s) / customers: "x% of customers bring s of revenue".
  [[nodiscard]] double customer_share_for(double revenue_share) const;
  /// Share of the total brought by the top ⌈customer_share · N⌉ customers.
  [[nodiscard]] double revenue_share_of_top(double customer_share) const;
  /// Gini coefficient of the values: Σ_i (2i − N − 1) x_(i) / (N Σ x), x ascending, i = 1..N;
  /// 0 when all are equal, (N − 1)/N when one customer has everything.
  [[nodiscard]] double gini() const noexcept { return gini_; }

  double gini_ = 0;  ///< set by pareto(); read it through gini()
};

/// Ranks customers by value. O(N log N). Values must be finite and ≥ 0 with a positive total
/// (refunds netted below zero make shares meaningless): otherwise data_error naming the
/// 1-based position; empty input is data_error(empty_input).
[[nodiscard]] pareto_analysis pareto(std::span<const double> value);

/// ABC tiers by cumulative share of value. `shares` are the upper cumulative shares of every tier
/// but the last (ascending, in (0, 1)); a customer is in the first tier whose share is not yet
/// reached before it, so tier A is the smallest top set reaching shares[0]. Default: A = top
/// 80% of revenue, B = next 15%, C = the rest.
struct tier_cuts {
  std::vector<double> shares = {0.80, 0.95};
  std::vector<std::string> names = {"A", "B", "C"};  ///< shares.size() + 1 names
  /// Throws invalid_argument_error naming the bad field.
  void validate() const;
};

/// Tier index (into cuts.names) of every customer, in input order. Sizes checked.
void abc_tiers(const pareto_analysis& p, const tier_cuts& cuts, std::span<std::uint8_t> tier);

/// One Lorenz-curve point: the poorest `population` share holds `value` share.
struct lorenz_point {
  double population, value;
};
/// `points` evenly spaced points from (0, 0) to (1, 1), linear between customers (points ≥ 2).
[[nodiscard]] std::vector<lorenz_point> lorenz_curve(const pareto_analysis& p, std::size_t points = 101);

/// Service levels as data: maps a tier or segment name to a service level (an ordered table;
/// the first entry with that key wins; unknown keys get `fallback`).
struct service_level {
  std::string key;    ///< tier or segment name, e.g. "A" or "Champions"
  std::string level;  ///< e.g. "key account manager"
  std::string note;   ///< free text (channel, response time...)
};
struct service_table {
  std::vector<service_level> levels;
  std::string fallback = "standard";
  [[nodiscard]] const std::string& level_of(std::string_view key) const noexcept;
  /// CSV with header `key,level[,note]`; a row with key `*` sets the fallback. Throws
  /// data_error naming source:line.
  [[nodiscard]] static service_table from_csv(std::string_view text, const std::string& source);
  /// from_csv() on a file; data_error(io_error) when it cannot be read.
  [[nodiscard]] static service_table read_csv(const std::string& path);
};

}  // namespace patron::inline v1::value

#endif  // PATRON_VALUE_TIERS_HPP
