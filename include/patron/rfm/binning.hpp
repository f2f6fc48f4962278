// SPDX-License-Identifier: MIT
// RFM binning: cut points per metric (quantile, r-rfm, ntile, fixed, mean-split) and scores 1..n.
#ifndef PATRON_RFM_BINNING_HPP
#define PATRON_RFM_BINNING_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1::rfm {

/// How cut points are found. Every method scores on an ascending scale first (bin 1 = lowest
/// value); recency is then reversed (score = n + 1 − bin), so the most recent customer gets the
/// highest R. Worked example used below: frequencies 1,1,1,1,1,1,2,2,3,10 with n = 5.
enum class binning_method : std::uint8_t {
  /// Default. Cut points q_k = type-7 quantile (R's default, linear interpolation) at k/n,
  /// k = 1..n−1; bins are closed on the right: bin = 1 + #{k : v > q_k}. Equal values always get
  /// equal scores; coinciding cut points leave bins empty. Example: q = 1, 1, 1.4, 2.2 →
  /// 1 → 1, 2 → 4, 3 → 5, 10 → 5.
  quantile,
  /// The rule of the R package `rfm` 0.3.0: b_k = q_k + 1, bin = 1 + #{k : v ≥ b_k} (bins closed
  /// on the left). Example: b = 2, 2, 2.4, 3.2 → 1 → 1, 2 → 3, 3 → 4, 10 → 5. Explicit cut points
  /// (binning_options::*_cuts) are used as is, without the +1.
  r_rfm,
  /// Equal-count bins by rank, as SQL `NTILE(n) OVER (ORDER BY value)`: the first N mod n bins
  /// hold one customer more. Ties are broken by input position (earlier row = lower rank for F and
  /// M; for recency the order is value descending, earlier row first), so equal values can get
  /// different scores. Example (10 rows, ascending input order): bins 1,1,2,2,3,3,4,4,5,5.
  /// Saved ntile thresholds are the lowest value of each bin, closed on the left, so applying
  /// them to other customers cannot split ties.
  ntile,
  /// User cut points per metric (binning_options::*_cuts, ascending, n−1 of them), closed on the
  /// left: bin = 1 + #{k : v ≥ c_k}. Example: cuts 2, 3, 5, 8 → 1 → 1, 2 → 2, 3 → 3, 10 → 5.
  fixed,
  /// Two bins per metric against its mean (or median): F and M are high when v > centre, R is
  /// high (recent) when recency < centre. Scores are 1 (low) and 2 (high); use with the cn8
  /// table. Example: mean 2.3 → 1, 2 → 1 (low); 3, 10 → 2 (high).
  mean_split,
};

/// "quantile", "r-rfm", "ntile", "fixed", "mean-split".
[[nodiscard]] std::string_view to_string(binning_method m) noexcept;
/// Inverse of to_string; throws invalid_argument_error naming `field`.
[[nodiscard]] binning_method parse_binning_method(std::string_view text,
                                                  std::string_view field = "binning");

enum class split_centre : std::uint8_t { mean, median };

/// Options of fit_thresholds() and score().
struct binning_options {
  binning_method method = binning_method::quantile;
  int bins = 5;  ///< 2..9, so that rfm_score = 100·R + 10·F + M keeps one digit per metric
  split_centre centre = split_centre::mean;  ///< mean_split only
  /// fixed (required) and r_rfm (optional, replaces the computed cut points): n−1 ascending cut
  /// points per metric, in the metric's own units (days, orders, money).
  std::vector<double> recency_cuts, frequency_cuts, monetary_cuts;

  /// Throws invalid_argument_error naming the first bad field.
  void validate() const;
};

/// Cut points of one metric on its ascending scale.
struct metric_cuts {
  std::vector<double> cuts;  ///< ascending; +inf stands for an empty top bin
  bool left_closed = false;  ///< bin = 1 + #{k : v ≥ c_k} when true, #{k : v > c_k} when false

  /// Ascending-scale bin 1..cuts.size()+1. A NaN falls in bin 1. Branch-free, O(cuts).
  [[nodiscard]] int bin(double v) const noexcept {
    int b = 1;
    if (left_closed) {
      for (double c : cuts) b += static_cast<int>(v >= c);
    } else {
      for (double c : cuts) b += static_cast<int>(v > c);
    }
    return b;
  }
  friend bool operator==(const metric_cuts&, const metric_cuts&) = default;
};

/// The fitted binning: a value object that scores new customers exactly as the customers it was
/// fitted on (save it with save_thresholds() so scores stay stable between runs).
struct thresholds {
  binning_method method = binning_method::quantile;
  int bins = 5;
  metric_cuts recency, frequency, monetary;

  /// Scores 1..bins of one customer.
  [[nodiscard]] int r_score(double recency_days) const noexcept {
    return bins + 1 - recency.bin(recency_days);
  }
  [[nodiscard]] int f_score(double v) const noexcept { return frequency.bin(v); }
  [[nodiscard]] int m_score(double v) const noexcept { return monetary.bin(v); }
  /// Throws invalid_argument_error(bad_rule) when bins or cut counts/orders are inconsistent.
  void validate() const;
  friend bool operator==(const thresholds&, const thresholds&) = default;
};

/// Caller-owned score columns (one byte per score).
struct score_span {
  std::span<std::uint8_t> r, f, m;
};

/// Fits cut points on a customer base. quantile/r_rfm select the needed order statistics with
/// nth_element (O(N) per metric, no full sort); ntile sorts ranks (O(N log N)); mean_split is one
/// pass. Throws data_error(empty_input) when there are no customers, invalid_argument_error for
/// bad options or unequal lengths. NaN inputs must be rejected before (validate_metrics).
/// All-equal values: quantile and r_rfm put everyone in ascending bin 1 (F = M = 1, R = n);
/// mean_split puts everyone low (R = F = M = 1); ntile splits them by input position as NTILE
/// does; fixed puts them all in the bin its cut points give. One customer is the all-equal case.
[[nodiscard]] thresholds fit_thresholds(std::span<const double> recency,
                                        std::span<const double> frequency,
                                        std::span<const double> monetary,
                                        const binning_options& options);

/// Applies thresholds to any customers (the batch kernel). Sizes must match (checked).
void apply(const thresholds& t, std::span<const double> recency, std::span<const double> frequency,
           std::span<const double> monetary, score_span out);

/// Fits and scores in one call. For ntile the scores are the rank-based NTILE bins of these
/// customers (ties split as documented); for every other method they equal apply(result, ...).
[[nodiscard]] thresholds score(std::span<const double> recency, std::span<const double> frequency,
                               std::span<const double> monetary, const binning_options& options,
                               score_span out);

/// 100·R + 10·F + M.
[[nodiscard]] constexpr int rfm_score(int r, int f, int m) noexcept { return 100 * r + 10 * f + m; }

/// The type-7 quantile (R's default): h = (N−1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on
/// sorted x. O(N) by selection. Throws data_error(empty_input) for no values.
[[nodiscard]] double quantile_type7(std::span<const double> values, double p);

/// Type-7 quantiles at k/n, k = 1..n−1 (n ≤ 16), into out[0..n−2]. Exact rational positions
/// ((N−1)·k / n), so no floating fuzz decides a floor. Large inputs take two streaming passes (a
/// 16-bit radix histogram, then gathering only the buckets holding the needed ranks), small ones
/// a multi-selection on a copy; no full sort either way. Values must not be NaN.
void quantiles_type7(std::span<const double> values, int n, std::span<double> out);

}  // namespace patron::inline v1::rfm

#endif  // PATRON_RFM_BINNING_HPP
