// SPDX-License-Identifier: MIT
// Frequent itemsets and association rules over market baskets, with mlxtend's rule metrics.
#ifndef PATRON_RECOMMEND_RULES_HPP
#define PATRON_RECOMMEND_RULES_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "patron/recommend/baskets.hpp"

namespace patron::inline v1::recommend {

/// Options of frequent_itemsets(). Defaults are mlxtend's (`apriori(min_support=0.5)`).
struct itemset_options {
  /// An itemset is frequent when count / baskets >= min_support (the comparison is done in
  /// double, exactly as mlxtend does it). Range (0, 1].
  double min_support = 0.5;
  /// Longest itemset to report; 0 = no limit.
  std::size_t max_len = 0;

  /// Throws invalid_argument_error naming the field.
  void validate() const;
};

/// One frequent itemset: item indices in increasing order, how many baskets contain all of
/// them, and that count over the number of baskets.
struct frequent_itemset {
  std::vector<std::uint32_t> items;
  std::uint64_t count = 0;
  double support = 0.0;
};

/// Every frequent itemset of `baskets` (complete: the same sets Apriori or FP-growth find).
/// Order: by length, then lexicographically by item index.
///
/// Method: depth-first search over item tidsets kept as bitsets (Zaki 2000, "Scalable
/// algorithms for association mining", Eclat); support of an extension is the popcount of an
/// AND. Cost O(sum over frequent itemsets of (extensions × baskets / 64)); memory one bitset
/// per frequent item and per open extension. Deterministic; single-threaded.
[[nodiscard]] std::vector<frequent_itemset> frequent_itemsets(const basket_set& baskets,
                                                              const itemset_options& options);

/// The metric rules are filtered on (mlxtend's `metric=`).
enum class rule_metric { support, confidence, lift, leverage, conviction, zhang, jaccard };

/// Parses "support", "confidence", "lift", "leverage", "conviction", "zhang", "jaccard";
/// throws invalid_argument_error otherwise.
[[nodiscard]] rule_metric parse_rule_metric(std::string_view name);

/// Options of association_rules(). Defaults are mlxtend's (`metric="confidence",
/// min_threshold=0.8`). A rule is kept when its metric >= min_threshold.
struct rule_options {
  rule_metric metric = rule_metric::confidence;
  double min_threshold = 0.8;

  void validate() const;
};

/// A rule A → C from a frequent itemset A ∪ C (A, C non-empty and disjoint), with
/// s(X) = fraction of baskets containing every item of X:
///
///   support    = s(A ∪ C)
///   confidence = s(A ∪ C) / s(A)
///   lift       = confidence / s(C)
///   leverage   = s(A ∪ C) − s(A) s(C)                     (Piatetsky-Shapiro 1991)
///   conviction = (1 − s(C)) / (1 − confidence); +inf when confidence = 1   (Brin et al. 1997)
///   zhang      = leverage / max(s(A ∪ C)(1 − s(A)), s(A)(s(C) − s(A ∪ C))); 0 when the
///                denominator is 0                                          (Zhang 2000)
///   jaccard    = s(A ∪ C) / (s(A) + s(C) − s(A ∪ C))
///   certainty  = (confidence − s(C)) / (1 − s(C)); 0 when s(C) = 1
///   kulczynski = (s(A ∪ C)/s(A) + s(A ∪ C)/s(C)) / 2
///
/// These are the definitions mlxtend's `association_rules` documents.
struct association_rule {
  std::vector<std::uint32_t> antecedent;  ///< item indices, increasing
  std::vector<std::uint32_t> consequent;  ///< item indices, increasing
  double antecedent_support = 0.0;
  double consequent_support = 0.0;
  double support = 0.0;
  double confidence = 0.0;
  double lift = 0.0;
  double leverage = 0.0;
  double conviction = 0.0;
  double zhang = 0.0;
  double jaccard = 0.0;
  double certainty = 0.0;
  double kulczynski = 0.0;
};

/// All rules A → C over every split of every frequent itemset of size >= 2 whose metric passes
/// the threshold. `itemsets` must be downward closed (as frequent_itemsets() returns them) and
/// `n_baskets` the number of baskets they were counted on; a missing subset throws
/// invalid_argument_error. Order: by itemset in the given order, then by antecedent size,
/// then lexicographically by antecedent.
[[nodiscard]] std::vector<association_rule> association_rules(
    std::span<const frequent_itemset> itemsets, std::size_t n_baskets,
    const rule_options& options);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_RULES_HPP
