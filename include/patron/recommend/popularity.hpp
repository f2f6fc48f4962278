// SPDX-License-Identifier: MIT
// Baselines: global popularity and popularity within the customer's segment.
#ifndef PATRON_RECOMMEND_POPULARITY_HPP
#define PATRON_RECOMMEND_POPULARITY_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "patron/recommend/interactions.hpp"

namespace patron::inline v1::recommend {

/// Popularity = number of distinct customers who bought the item (per segment when segments
/// are given). Recommends the most popular items the customer has not bought; ties by item
/// index. Immutable after fit().
class popularity {
 public:
  /// Global popularity.
  [[nodiscard]] static popularity fit(const interactions& data);
  /// Popularity within segments: `segment[u]` is customer u's segment (any small integers;
  /// size n_customers). Customers of an unknown segment at recommend time get global counts.
  [[nodiscard]] static popularity fit(const interactions& data,
                                      std::span<const std::uint32_t> segment);

  [[nodiscard]] std::size_t recommend(const interactions& history, std::uint32_t u,
                                      std::span<std::uint32_t> items,
                                      std::span<double> scores) const;
  /// Customers (global or in segment s) who bought item i.
  [[nodiscard]] double count(std::uint32_t i) const noexcept { return global_[i]; }

 private:
  std::size_t n_items_ = 0;
  std::vector<double> global_;
  std::vector<double> by_segment_;      // n_segments × n_items
  std::vector<std::uint32_t> segment_;  // per customer, or empty
};

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_POPULARITY_HPP
