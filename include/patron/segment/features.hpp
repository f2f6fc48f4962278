// SPDX-License-Identifier: MIT
// Feature preparation for clustering: log1p for skewed money/count columns, then z-score or
// robust (median/IQR) scaling. The fitted transform is kept with a model so new customers are
// scaled exactly like the training table.
#ifndef PATRON_SEGMENT_FEATURES_HPP
#define PATRON_SEGMENT_FEATURES_HPP

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/segment/kmeans.hpp"

namespace patron::inline v1::segment {

/// Per-column scaling after the optional log1p.
enum class scaling {
  none,      ///< centre 0, scale 1
  standard,  ///< z-score: (v − mean) / standard deviation (population, ddof = 0, as
             ///< scikit-learn's StandardScaler); a constant column gets scale 1
  robust,    ///< (v − median) / IQR, quartiles by linear interpolation (numpy's default);
             ///< a column with IQR 0 gets scale 1
};

/// "none", "standard" (alias "z", "zscore"), "robust"; throws invalid_argument_error.
[[nodiscard]] scaling parse_scaling(std::string_view text);
[[nodiscard]] const char* scaling_name(scaling s) noexcept;

/// Checks that every value is finite and, where `log1p[j]`, greater than −1. Throws data_error
/// (errc::bad_number) naming `source`, the 1-based row, the 1-based column, the feature name,
/// the value and (when `ids` is given) the customer. O(n·d); call once at the boundary.
void validate_features(const Eigen::Ref<const row_matrix>& raw, std::span<const std::string> names,
                       const std::vector<bool>& log1p, std::span<const std::string> ids = {},
                       const std::string& source = "features");

/// A fitted per-column transform: v ↦ (f(v) − center) / scale with f = log1p or identity.
/// Immutable after fit(); safe to share across threads.
class feature_transform {
 public:
  feature_transform() = default;
  /// Restores saved parameters (a model file). Throws invalid_argument_error when the lengths
  /// differ or a scale is not positive and finite.
  feature_transform(std::vector<std::string> names, std::vector<bool> log1p, scaling kind,
                    std::vector<double> center, std::vector<double> scale);

  /// Fits centre and scale on `raw` (n × d, names.size() == d; log1p empty = none, or d flags).
  /// Validates every value first (validate_features). Throws invalid_argument_error for
  /// mismatched sizes or n = 0.
  [[nodiscard]] static feature_transform fit(const Eigen::Ref<const row_matrix>& raw,
                                             std::vector<std::string> names,
                                             std::vector<bool> log1p, scaling kind,
                                             std::span<const std::string> ids = {},
                                             const std::string& source = "features");

  /// The transformed table (n × d). Validates `raw` like fit().
  [[nodiscard]] row_matrix apply(const Eigen::Ref<const row_matrix>& raw,
                                 std::span<const std::string> ids = {},
                                 const std::string& source = "features") const;
  /// Maps transformed values back to the original units (centroids → readable values).
  [[nodiscard]] row_matrix inverse(const Eigen::Ref<const row_matrix>& scaled) const;

  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] const std::vector<bool>& log1p() const noexcept { return log1p_; }
  [[nodiscard]] scaling kind() const noexcept { return kind_; }
  [[nodiscard]] const std::vector<double>& center() const noexcept { return center_; }
  [[nodiscard]] const std::vector<double>& scale() const noexcept { return scale_; }

 private:
  std::vector<std::string> names_;
  std::vector<bool> log1p_;
  scaling kind_ = scaling::none;
  std::vector<double> center_, scale_;
};

}  // namespace patron::inline v1::segment

#endif  // PATRON_SEGMENT_FEATURES_HPP
