// SPDX-License-Identifier: MIT
// Silhouette and Calinski–Harabasz scores of a labelling.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "patron/error.hpp"
#include "patron/segment/metrics.hpp"

#ifdef _OPENMP
#  define PATRON_OMP_PARALLEL_FOR _Pragma("omp parallel for schedule(dynamic, 1)")
#else
#  define PATRON_OMP_PARALLEL_FOR
#endif

namespace patron::inline v1::segment {
namespace {

// Cluster sizes indexed by label; throws unless 2 ≤ clusters present ≤ n − 1.
std::vector<std::size_t> cluster_sizes(std::size_t rows, std::span<const std::int32_t> labels,
                                       const char* where) {
  if (labels.size() != rows)
    throw invalid_argument_error(where, "labels.size()", std::to_string(labels.size()),
                                 "must equal the number of points (" + std::to_string(rows) + ")");
  std::int32_t top = -1;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0)
      throw invalid_argument_error(where, "labels[" + std::to_string(i) + "]",
                                   std::to_string(labels[i]), "must be >= 0");
    top = std::max(top, labels[i]);
  }
  std::vector<std::size_t> size(static_cast<std::size_t>(top + 1), 0);
  for (std::int32_t l : labels) ++size[static_cast<std::size_t>(l)];
  const auto present = static_cast<std::size_t>(
      std::count_if(size.begin(), size.end(), [](std::size_t s) { return s > 0; }));
  if (present < 2 || present + 1 > rows)
    throw invalid_argument_error(where, "clusters", std::to_string(present),
                                 "need 2 <= clusters <= n - 1 (n = " + std::to_string(rows) + ")");
  return size;
}

double exact_silhouette(const Eigen::Ref<const row_matrix>& x, std::span<const std::int32_t> labels,
                        const std::vector<std::size_t>& size) {
  const auto n = static_cast<std::size_t>(x.rows());
  const auto d = static_cast<std::size_t>(x.cols());
  const std::size_t k = size.size();
  constexpr std::size_t chunk = 64;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::vector<double> part(chunks, 0.0);
  PATRON_OMP_PARALLEL_FOR
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    std::vector<double> sum(k);
    double s_total = 0.0;
    for (std::size_t i = ch * chunk, e = std::min(n, ch * chunk + chunk); i < e; ++i) {
      std::fill(sum.begin(), sum.end(), 0.0);
      const double* xi = x.row(static_cast<Eigen::Index>(i)).data();
      for (std::size_t t = 0; t < n; ++t) {
        const double* xt = x.row(static_cast<Eigen::Index>(t)).data();
        double s = 0.0;
        for (std::size_t j = 0; j < d; ++j) {
          const double u = xi[j] - xt[j];
          s += u * u;
        }
        sum[static_cast<std::size_t>(labels[t])] += std::sqrt(s);
      }
      const auto own = static_cast<std::size_t>(labels[i]);
      if (size[own] < 2) continue;  // s(i) = 0 for a singleton
      const double a = sum[own] / static_cast<double>(size[own] - 1);
      double b = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < k; ++c)
        if (c != own && size[c] > 0) b = std::min(b, sum[c] / static_cast<double>(size[c]));
      const double m = std::max(a, b);
      if (m > 0.0) s_total += (b - a) / m;
    }
    part[ch] = s_total;
  }
  double total = 0.0;
  for (double v : part) total += v;
  return total / static_cast<double>(n);
}

}  // namespace

silhouette_result silhouette(const Eigen::Ref<const row_matrix>& points,
                             std::span<const std::int32_t> labels,
                             const silhouette_options& options) {
  const auto n = static_cast<std::size_t>(points.rows());
  const std::vector<std::size_t> size = cluster_sizes(n, labels, "silhouette");
  silhouette_result r;
  if (n <= options.exact_limit || options.sample_size >= n) {
    r.score = exact_silhouette(points, labels, size);
    r.points_used = n;
    return r;
  }
  if (options.sample_size < 3)
    throw invalid_argument_error("silhouette", "sample_size", std::to_string(options.sample_size),
                                 "must be >= 3");
  // Partial Fisher–Yates with hand-made uniform draws (portable across standard libraries).
  std::mt19937_64 g(options.seed ^ 0x5851F42D4C957F2Dull);
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  const std::size_t m = options.sample_size;
  for (std::size_t t = 0; t < m; ++t) {
    const double u = static_cast<double>(g() >> 11) * 0x1.0p-53;
    const std::size_t j =
        std::min(n - 1, t + static_cast<std::size_t>(u * static_cast<double>(n - t)));
    std::swap(idx[t], idx[j]);
  }
  std::sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(m));
  row_matrix sub(static_cast<Eigen::Index>(m), points.cols());
  std::vector<std::int32_t> sub_labels(m);
  for (std::size_t t = 0; t < m; ++t) {
    sub.row(static_cast<Eigen::Index>(t)) = points.row(static_cast<Eigen::Index>(idx[t]));
    sub_labels[t] = labels[idx[t]];
  }
  const std::vector<std::size_t> sub_size = cluster_sizes(m, sub_labels, "silhouette (sample)");
  r.score = exact_silhouette(sub, sub_labels, sub_size);
  r.points_used = m;
  r.sampled = true;
  return r;
}

double calinski_harabasz(const Eigen::Ref<const row_matrix>& points,
                         std::span<const std::int32_t> labels) {
  const auto n = static_cast<std::size_t>(points.rows());
  const auto d = static_cast<std::size_t>(points.cols());
  const std::vector<std::size_t> size = cluster_sizes(n, labels, "calinski_harabasz");
  const std::size_t k = size.size();
  std::vector<double> mean(d, 0.0), cmean(k * d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double v = points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      mean[j] += v;
      cmean[static_cast<std::size_t>(labels[i]) * d + j] += v;
    }
  for (double& v : mean) v /= static_cast<double>(n);
  std::size_t present = 0;
  for (std::size_t c = 0; c < k; ++c) {
    if (size[c] == 0) continue;
    ++present;
    for (std::size_t j = 0; j < d; ++j) cmean[c * d + j] /= static_cast<double>(size[c]);
  }
  double between = 0.0, within = 0.0;
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t j = 0; j < d && size[c] > 0; ++j) {
      const double t = cmean[c * d + j] - mean[j];
      between += static_cast<double>(size[c]) * t * t;
    }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double t = points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) -
                       cmean[static_cast<std::size_t>(labels[i]) * d + j];
      within += t * t;
    }
  if (within == 0.0) return std::numeric_limits<double>::infinity();
  return between * static_cast<double>(n - present) / (within * static_cast<double>(present - 1));
}

}  // namespace patron::inline v1::segment
