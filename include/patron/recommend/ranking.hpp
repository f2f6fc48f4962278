// SPDX-License-Identifier: MIT
// What every recommender here shares: a top-N call per customer and batch scoring over all.
#ifndef PATRON_RECOMMEND_RANKING_HPP
#define PATRON_RECOMMEND_RANKING_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "patron/recommend/interactions.hpp"

namespace patron::inline v1::recommend {

/// Fills `items` (and `scores`, same length) with a customer's best items, best first, and
/// returns how many it wrote (<= items.size(); fewer when the method has fewer candidates).
/// Must be safe to call concurrently for different customers.
using recommend_fn = std::function<std::size_t(std::uint32_t customer, std::span<std::uint32_t> items,
                                               std::span<double> scores)>;

/// The top `items.size()` entries of a dense score vector, skipping items in the sorted list
/// `exclude` and items whose score is not > `floor`. Order: score descending, then item index
/// ascending (a total order, so results never depend on the platform's sort).
[[nodiscard]] std::size_t top_n(std::span<const double> scores,
                                std::span<const std::uint32_t> exclude,
                                std::span<std::uint32_t> items, std::span<double> out_scores,
                                double floor = -1e300);

/// Runs `fn` for customers 0..n_customers-1 with k slots each; `items` and `scores` have
/// n_customers × k entries (row-major), unused slots get item id_table::npos and score NaN.
/// Parallel over customers with OpenMP when `threads` != 1 (0 = OpenMP's default); the
/// result does not depend on the thread count.
void recommend_all(std::size_t n_customers, std::size_t k, const recommend_fn& fn,
                   std::span<std::uint32_t> items, std::span<double> scores, int threads = 0);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_RANKING_HPP
