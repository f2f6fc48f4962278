// SPDX-License-Identifier: MIT
// Segment customers by k-means on log-scaled recency, frequency and monetary value, print the
// cluster profiles, and score a new customer with the saved model.
#include <cstdio>
#include <random>
#include <string>

#include "patron/segment.hpp"

int main() {
  namespace sg = patron::segment;
  // 2,000 made-up customers: one-off lapsed buyers, regulars, and a few big accounts.
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> noise(0.0, 0.3);
  sg::row_matrix rfm(2000, 3);  // recency (days), frequency (orders), monetary (total spend)
  for (Eigen::Index i = 0; i < rfm.rows(); ++i) {
    const int kind = static_cast<int>(i % 10 == 0 ? 2 : i % 2);
    const double r[] = {200, 30, 8}, f[] = {1, 5, 30}, m[] = {60, 400, 9000};
    rfm.row(i) << r[kind] * noise(rng), f[kind] * noise(rng), m[kind] * noise(rng);
  }
  const std::vector<std::string> names{"recency", "frequency", "monetary"};

  sg::segment_model model;
  model.transform =
      sg::feature_transform::fit(rfm, names, {true, true, true}, sg::scaling::standard);
  const sg::row_matrix x = model.transform.apply(rfm);
  sg::kmeans_options options;
  options.k = 3;
  options.seed = 42;
  const sg::kmeans_result fit = sg::kmeans(x, options);
  const auto profiles = sg::profile_clusters(rfm, x, fit.labels, options.k, names);
  std::printf("inertia %.1f, silhouette %.3f\n", fit.inertia, sg::silhouette(x, fit.labels).score);
  for (const auto& p : profiles) {
    model.cluster_names.push_back(p.name);
    std::printf("%5zu customers (%4.1f%%) %-36s median recency %5.0f, orders %4.0f, spend %7.0f\n",
                p.size, 100 * p.share, p.name.c_str(), p.median[0], p.median[1], p.median[2]);
  }

  // Save the model (JSON) and score a new customer with it.
  model.centroids = fit.centroids;
  const sg::segment_model loaded = sg::segment_model_from_json(sg::to_json(model));
  sg::row_matrix newcomer(1, 3);
  newcomer << 12, 6, 450;
  std::int32_t label = 0;
  double distance = 0;
  sg::predict(loaded, newcomer, {&label, 1}, {&distance, 1});
  std::printf("new customer -> cluster %d (%s)\n", label,
              loaded.cluster_names[static_cast<std::size_t>(label)].c_str());
  return 0;
}
