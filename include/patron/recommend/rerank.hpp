// SPDX-License-Identifier: MIT
// Value-aware re-ranking of a recommendation list, and exclusion of recently bought items.
#ifndef PATRON_RECOMMEND_RERANK_HPP
#define PATRON_RECOMMEND_RERANK_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1::recommend {

/// The score combination, stated once:
///
///   score'(u, i) = score(u, i) · (1 + margin_weight · customer_weight_u · m_i)
///
/// where m_i = margin_i / max_j margin_j (in [0, 1]; negative margins count as 0) and
/// customer_weight_u is what the caller passes for this customer — e.g. 1 for everyone, the
/// customer's predicted-CLV percentile in [0, 1] (so margin matters more for valuable
/// customers), or a per-segment constant. margin_weight = 0 leaves the ranking unchanged.
struct rerank_options {
  std::span<const double> margin;  ///< per item (size n_items), or empty for no margin term
  double margin_weight = 0.0;      ///< >= 0
  double customer_weight = 1.0;    ///< >= 0, this customer's weight
  void validate(std::size_t n_items) const;
};

/// Re-scores the first n entries of (items, scores) with the combination above, drops items in
/// the sorted list `exclude`, and re-sorts (score descending, then item index). Returns the
/// number of entries kept (at the front).
[[nodiscard]] std::size_t rerank(std::span<std::uint32_t> items, std::span<double> scores,
                                 std::size_t n, std::span<const std::uint32_t> exclude,
                                 const rerank_options& options);

/// Items customer `customer` bought at times in [now − window_days days, now], sorted and
/// unique: the exclusion list for "not again so soon". Needs the log's item column.
[[nodiscard]] std::vector<std::uint32_t> bought_within(const transaction_log& log,
                                                       std::uint32_t customer, timestamp now,
                                                       double window_days);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_RERANK_HPP
