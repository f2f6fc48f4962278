// SPDX-License-Identifier: MIT
// Item-item neighbourhood recommender: "customers who bought this also bought".
#ifndef PATRON_RECOMMEND_ITEM_KNN_HPP
#define PATRON_RECOMMEND_ITEM_KNN_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "patron/recommend/interactions.hpp"

namespace patron::inline v1::recommend {

/// How two items' customer columns are compared. With x_ui the interaction value:
///   cosine:  sim(i,j) = Σ_u x_ui x_uj / (‖x_i‖ ‖x_j‖)
///   jaccard: sim(i,j) = |U_i ∩ U_j| / |U_i ∪ U_j| over the sets of customers (values ignored)
///   bm25:    sim(i,j) = Σ_u w_ui w_uj with the Okapi BM25 weight, items as documents and
///            customers as terms (Robertson & Zaragoza 2009):
///              w_ui = x_ui (k1 + 1) / (k1 ((1 − b) + b L_i / mean L) + x_ui) · idf_u,
///              L_i = Σ_u x_ui, idf_u = ln(n_items) − ln(1 + n_u) (n_u = items of customer u)
///   tfidf:   sim(i,j) = Σ_u w_ui w_uj with w_ui = sqrt(x_ui) · idf_u (same idf_u)
/// bm25 and tfidf are unnormalised dot products, as in implicit's item-item recommenders.
enum class item_similarity { cosine, jaccard, bm25, tfidf };

/// Parses "cosine", "jaccard", "bm25", "tfidf"; throws invalid_argument_error otherwise.
[[nodiscard]] item_similarity parse_item_similarity(std::string_view name);

struct item_knn_options {
  item_similarity similarity = item_similarity::cosine;
  std::size_t neighbours = 20;  ///< K: neighbours kept per item (an item is never its own)
  double k1 = 100.0;            ///< BM25 saturation (implicit's default)
  double b = 0.8;               ///< BM25 length normalisation, in [0, 1]
  int threads = 0;              ///< 0 = OpenMP default, 1 = single thread

  void validate() const;
};

/// Fitted neighbourhoods: for each item its K most similar items (similarity > 0), best first,
/// ties by item index. Immutable after fit(); safe to share across threads.
class item_knn {
 public:
  /// O(Σ_u n_u² + n_items log K) time, O(n_items · (K + n_items)) memory per thread while
  /// fitting. Deterministic, independent of the thread count.
  [[nodiscard]] static item_knn fit(const interactions& data, const item_knn_options& options);

  /// Top-N items customer `u` has not bought in `history`, scored
  /// score(j) = Σ_{i ∈ history(u)} x_ui sim(i, j); only items with score > 0 are returned.
  /// `items` and `scores` have the same length N. Returns the number written.
  [[nodiscard]] std::size_t recommend(const interactions& history, std::uint32_t u,
                                      std::span<std::uint32_t> items,
                                      std::span<double> scores) const;

  /// The same for a basket or history not in any matrix: items with weights (any order).
  [[nodiscard]] std::size_t recommend_for(std::span<const std::uint32_t> bought,
                                          std::span<const double> weights,
                                          std::span<std::uint32_t> items,
                                          std::span<double> scores) const;

  /// "Similar items": item i's neighbours, best first.
  [[nodiscard]] std::span<const std::uint32_t> neighbours(std::uint32_t i) const noexcept {
    return {neighbour_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
  }
  [[nodiscard]] std::span<const double> similarities(std::uint32_t i) const noexcept {
    return {similarity_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
  }
  [[nodiscard]] std::size_t n_items() const noexcept { return offsets_.size() - 1; }

 private:
  std::vector<std::size_t> offsets_{0};
  std::vector<std::uint32_t> neighbour_;
  std::vector<double> similarity_;
};

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_ITEM_KNN_HPP
