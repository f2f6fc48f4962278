// SPDX-License-Identifier: MIT
// Choosing k: silhouette (Rousseeuw 1987) and Calinski–Harabasz (1974) scores of a labelling.
#ifndef PATRON_SEGMENT_METRICS_HPP
#define PATRON_SEGMENT_METRICS_HPP

#include <cstddef>
#include <cstdint>
#include <span>

#include "patron/segment/kmeans.hpp"

namespace patron::inline v1::segment {

struct silhouette_options {
  /// Up to this many points the score is exact (O(n²·d) time, O(n·k) memory).
  std::size_t exact_limit = 50000;
  /// Above exact_limit: the exact silhouette of a uniform random sample of this many points
  /// (drawn without replacement; a and b use the sample only, like scikit-learn's
  /// `silhouette_score(..., sample_size=)`), so the result is an estimate.
  std::size_t sample_size = 20000;
  std::uint64_t seed = 0;
};

struct silhouette_result {
  double score = 0.0;           ///< mean of s(i) = (b − a) / max(a, b) over the points used
  std::size_t points_used = 0;  ///< n when exact, sample_size when sampled
  bool sampled = false;
};

/// Mean silhouette (Rousseeuw 1987, J. Comput. Appl. Math. 20:53–65) with Euclidean distance:
/// a(i) = mean distance to the other points of its cluster, b(i) = the smallest mean distance
/// to another cluster; s(i) = 0 for a point alone in its cluster (and when a = b = 0).
/// Labels are 0..k−1 (gaps allowed). Throws invalid_argument_error unless 2 ≤ clusters
/// present ≤ n − 1. Parallel over points; the result does not depend on the thread count.
[[nodiscard]] silhouette_result silhouette(const Eigen::Ref<const row_matrix>& points,
                                           std::span<const std::int32_t> labels,
                                           const silhouette_options& options = {});

/// Calinski–Harabasz index (Calinski & Harabasz 1974, Commun. Stat. 3:1–27):
/// [B / (k − 1)] / [W / (n − k)] with B the between-cluster and W the within-cluster sum of
/// squares (k = clusters present); +∞ when W = 0. Same preconditions as silhouette(). O(n·d).
[[nodiscard]] double calinski_harabasz(const Eigen::Ref<const row_matrix>& points,
                                       std::span<const std::int32_t> labels);

}  // namespace patron::inline v1::segment

#endif  // PATRON_SEGMENT_METRICS_HPP
