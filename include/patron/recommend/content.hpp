// SPDX-License-Identifier: MIT
// Content-based recommendations: item profiles from text or categories, customer profiles as
// weighted means, cosine ranking. Works for items nobody has bought yet.
#ifndef PATRON_RECOMMEND_CONTENT_HPP
#define PATRON_RECOMMEND_CONTENT_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
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

/// Item texts for content_model::fit_text, read from a delimited file with a header: a product
/// catalogue, or the purchase log itself (Online Retail's StockCode and Description). Gzip is
/// recognised by its magic bytes. Each item keeps the first non-empty text it has; nothing is
/// dropped silently: the counts below say what was not used.
struct item_catalog {
  std::string source;
  std::vector<std::string> items;  ///< distinct item ids, in order of first appearance
  std::vector<std::string> texts;  ///< one per item ("" when every row of the item was blank)
  std::uint64_t rows = 0;          ///< data rows read
  std::uint64_t blank_texts = 0;   ///< rows whose text field was empty
  std::uint64_t other_texts = 0;   ///< rows whose text differs from the item's first text (unused)
};

/// Columns are matched by header, exactly first, then case-insensitively. Throws data_error:
/// missing_column (listing the headers), ragged_row (file:line), missing_value (an empty item
/// id), empty_input, io_error.
[[nodiscard]] item_catalog read_item_catalog(const std::string& path, const std::string& item_column,
                                             const std::string& text_column, char delimiter = ',');
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] item_catalog read_item_catalog_from_string(std::string_view text, const std::string& item_column,
                                                         const std::string& text_column, char delimiter = ',',
                                                         const std::string& name = "<memory>");

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_CONTENT_HPP
