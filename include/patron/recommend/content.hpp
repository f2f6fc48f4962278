// SPDX-License-Identifier: MIT
// Content-based recommendations: item profiles from text or categories, customer profiles as
// weighted means, cosine ranking. Works for items nobody has bought yet.
#ifndef PATRON_RECOMMEND_CONTENT_HPP
#define PATRON_RECOMMEND_CONTENT_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "patron/recommend/interactions.hpp"

namespace patron::inline v1::recommend {

/// Item feature vectors, each L2-normalised (an item with no feature has the zero vector and
/// never scores). Features are TF-IDF weighted: w(i, t) = (1 + ln tf(i, t)) · ln(n / df(t)),
/// with n items, df(t) items having feature t (Salton & Buckley 1988; the "ltc" scheme).
/// Immutable after fitting.
class content_model {
 public:
  /// From one text per item (e.g. Online Retail's Description): tokens are maximal runs of
  /// ASCII letters and digits, lower-cased; other bytes separate tokens.
  [[nodiscard]] static content_model fit_text(std::span<const std::string> texts);
  /// From category columns: `columns[a][i]` is item i's value of attribute a (empty = none);
  /// each (attribute, value) pair is one feature with tf 1.
  [[nodiscard]] static content_model fit_categories(std::span<const std::vector<std::string>> columns);

  [[nodiscard]] std::size_t n_items() const noexcept { return offsets_.size() - 1; }
  [[nodiscard]] std::size_t n_features() const noexcept { return n_features_; }

  /// cos(v_i, v_j).
  [[nodiscard]] double similarity(std::uint32_t i, std::uint32_t j) const noexcept;

  /// Profile p = Σ_k w_k v_{b_k} / Σ_k w_k over the bought items; score(j) = cos(p, v_j) for
  /// every item not bought; items with score > 0 returned best first (ties by index).
  [[nodiscard]] std::size_t recommend_for(std::span<const std::uint32_t> bought,
                                          std::span<const double> weights,
                                          std::span<std::uint32_t> items,
                                          std::span<double> scores) const;
  /// The same with customer u's row of `history` as the bought items and weights.
  [[nodiscard]] std::size_t recommend(const interactions& history, std::uint32_t u,
                                      std::span<std::uint32_t> items,
                                      std::span<double> scores) const;

 private:
  static content_model from_docs(const std::vector<std::vector<std::uint32_t>>& docs,
                                 std::size_t n_features);
  std::size_t n_features_ = 0;
  std::vector<std::size_t> offsets_{0};
  std::vector<std::uint32_t> feature_;  // sorted within an item
  std::vector<double> weight_;
};

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_CONTENT_HPP
