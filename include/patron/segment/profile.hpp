// SPDX-License-Identifier: MIT
// Cluster profiles a marketer can read: size, share, mean/median of each original feature,
// and a generated name from the features that stand out ("high value, recent, frequent").
#ifndef PATRON_SEGMENT_PROFILE_HPP
#define PATRON_SEGMENT_PROFILE_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "patron/segment/kmeans.hpp"

namespace patron::inline v1::segment {

/// Words for one feature when a cluster is high or low on it.
struct feature_words {
  std::string feature;  ///< matched case-insensitively
  std::string high, low;
};

/// recency/recency_days → "lapsed"/"recent"; frequency/orders/x → "frequent"/"infrequent";
/// monetary/total/revenue/spend → "high value"/"low value"; clv → "high CLV"/"low CLV";
/// tenure/age/T → "long-standing"/"new"; p_alive → "likely active"/"likely lost".
/// Other features read "high <name>"/"low <name>".
[[nodiscard]] std::vector<feature_words> default_feature_words();

struct profile_options {
  /// A feature stands out when the cluster mean of the scaled feature is this many standard
  /// deviations (of that scaled feature over all customers) from the overall mean.
  double threshold = 0.5;
  std::size_t max_terms = 3;  ///< most outstanding first
  std::vector<feature_words> words = default_feature_words();
};

struct cluster_profile {
  std::size_t size = 0;
  double share = 0.0;            ///< size / n
  std::vector<double> mean;      ///< per original (raw) feature
  std::vector<double> median;    ///< per original feature (mean of the middle two when even)
  std::vector<double> standing;  ///< per feature: the z-like score the name is built from
  std::string name;              ///< e.g. "high value, frequent, recent"; "typical" if none
};

/// Profiles for clusters 0..k−1. `raw` holds the original features (what the profile reports),
/// `scaled` the transformed ones the clustering used (what the name is built from); both n × d.
/// Names are unique: a repeated name gets " (2)", " (3)", ... Throws invalid_argument_error on
/// size mismatches or labels outside 0..k−1.
[[nodiscard]] std::vector<cluster_profile> profile_clusters(
    const Eigen::Ref<const row_matrix>& raw, const Eigen::Ref<const row_matrix>& scaled,
    std::span<const std::int32_t> labels, std::size_t k, std::span<const std::string> names,
    const profile_options& options = {});

}  // namespace patron::inline v1::segment

#endif  // PATRON_SEGMENT_PROFILE_HPP
