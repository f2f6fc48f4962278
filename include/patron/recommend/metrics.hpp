// SPDX-License-Identifier: MIT
// Ranking metrics at k, defined the way implicit's `ranking_metrics_at_k` computes them.
#ifndef PATRON_RECOMMEND_METRICS_HPP
#define PATRON_RECOMMEND_METRICS_HPP

#include <cstddef>

#include "patron/recommend/interactions.hpp"
#include "patron/recommend/ranking.hpp"

namespace patron::inline v1::recommend {

/// Averages over the evaluated customers U = customers with at least one test item (after
/// removing test items they already have in train, when `drop_known` is set: recommenders
/// never re-recommend a bought item, so those could never be hit). For customer u, T_u = test
/// items, R_u = the recommended list (≤ k), rel_j = 1 if the j-th recommendation (1-based)
/// is in T_u, m_u = min(k, |T_u|):
///
///   precision = Σ_u |R_u ∩ T_u| / Σ_u m_u           (implicit's "precision": pooled, capped)
///   recall    = mean_u |R_u ∩ T_u| / |T_u|
///   map       = mean_u (1/m_u) Σ_j rel_j · (hits among the first j) / j
///   ndcg      = mean_u DCG_u / IDCG_u, DCG_u = Σ_j rel_j / log2(j + 1), IDCG_u = Σ_{j≤m_u} 1/log2(j+1)
///   auc       = mean_u AUC@k as implicit: with P = |T_u|, N = n_items − P, walking the list and
///               adding the hits seen so far at every miss, then ((hits + P)/2)·(N − misses);
///               divided by P·N
///   hit_rate  = fraction of u with at least one hit
///   coverage  = distinct items recommended to anyone in U / n_items
struct ranking_metrics {
  std::size_t k = 0;
  std::size_t customers = 0;  ///< |U|
  double precision = 0.0, recall = 0.0, map = 0.0, ndcg = 0.0, auc = 0.0, hit_rate = 0.0,
         coverage = 0.0;
};

/// Evaluates `fn` on `test` given `train` (same id tables). Parallel over customers when
/// `threads` != 1; sums run in customer order, so the result is independent of threads.
[[nodiscard]] ranking_metrics ranking_metrics_at_k(const interactions& train,
                                                   const interactions& test, std::size_t k,
                                                   const recommend_fn& fn, bool drop_known = true,
                                                   int threads = 0);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_METRICS_HPP
