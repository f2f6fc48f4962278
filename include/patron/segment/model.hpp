// SPDX-License-Identifier: MIT
// A saved segmentation: the fitted feature transform, the centroids and the cluster names, as
// versioned JSON; predict() assigns new customers to the nearest centroid.
#ifndef PATRON_SEGMENT_MODEL_HPP
#define PATRON_SEGMENT_MODEL_HPP

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/segment/features.hpp"
#include "patron/segment/kmeans.hpp"

namespace patron::inline v1::segment {

/// What a segmentation needs to score new customers. Immutable once built; thread-safe.
struct segment_model {
  feature_transform transform;
  row_matrix centroids;                    ///< k × d, in the transformed space
  std::vector<std::string> cluster_names;  ///< k (may be empty)
  double inertia = 0.0;                    ///< of the training fit
  std::uint64_t training_rows = 0;
  std::uint64_t seed = 0;

  [[nodiscard]] std::size_t k() const noexcept {
    return static_cast<std::size_t>(centroids.rows());
  }
};

/// The JSON file format's version; a reader accepts this version and older ones.
inline constexpr int segment_model_format_version = 1;

/// JSON text: {"kind": "patron.segment_model", "format_version": 1, "patron_version": "...",
/// "features": [{"name", "log1p", "center", "scale"}...], "scaling", "centroids": [[...]...],
/// "cluster_names", "inertia", "training_rows", "seed"}. Doubles are written in shortest
/// round-trip form, so a loaded model predicts bit for bit like the saved one.
[[nodiscard]] std::string to_json(const segment_model& model);
/// Parses to_json() text; throws data_error(errc::bad_model) naming `source` and the field.
[[nodiscard]] segment_model segment_model_from_json(std::string_view text,
                                                    const std::string& source = "<memory>");
/// File forms; errc::io_error when the file cannot be opened or written.
void save_segment_model(const segment_model& model, const std::string& path);
[[nodiscard]] segment_model load_segment_model(const std::string& path);

/// Scales `raw` (n × d original features, columns in model.transform.names() order) and
/// assigns each row to the nearest centroid; writes labels (n) and distances in the scaled
/// space (n, or empty). Throws invalid_argument_error on size mismatches and data_error
/// (naming row, column and customer when `ids` is given) for non-finite values.
void predict(const segment_model& model, const Eigen::Ref<const row_matrix>& raw,
             std::span<std::int32_t> labels, std::span<double> distances = {},
             std::span<const std::string> ids = {});

}  // namespace patron::inline v1::segment

#endif  // PATRON_SEGMENT_MODEL_HPP
