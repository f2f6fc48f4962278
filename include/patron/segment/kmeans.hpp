// SPDX-License-Identifier: MIT
// k-means clustering of customers: k-means++ seeding, Lloyd/Hamerly iterations, mini-batch.
#ifndef PATRON_SEGMENT_KMEANS_HPP
#define PATRON_SEGMENT_KMEANS_HPP

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace patron::inline v1::segment {

/// n × d points, one customer per row (the layout of a CSV table).
using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// How the first centroids are chosen.
enum class seeding {
  /// Greedy k-means++ (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful
  /// seeding", with the greedy refinement of their §6): the first centre is a point drawn with
  /// probability ∝ weight; each next centre is the best, by the resulting weighted potential
  /// Σ w·D², of `local_trials` candidates drawn with probability ∝ w·D².
  kmeans_plus_plus,
  /// k distinct points drawn with probability ∝ weight (Forgy).
  random,
  /// `kmeans_options::initial_centroids` (k × d); n_init must be 1.
  given,
};

/// Iteration scheme. All give the same labels in exact arithmetic.
enum class kmeans_algorithm {
  /// Lloyd for d ≤ 8 (its vector kernel is specialised for those widths), Hamerly above.
  /// Measured single-threaded on uniform data (bench_segment and a 100k–1M point sweep):
  /// d = 5, k = 8…50, Lloyd fits 1.3–1.7× faster than Hamerly, whose per-point bound checks
  /// are scalar; d = 16, k = 20…100, Hamerly fits 1.2–1.5× faster.
  automatic,
  /// Plain Lloyd (1982): every point against every centroid, blocked structure-of-arrays kernel.
  lloyd,
  /// Hamerly (2010), "Making k-means even faster": one upper and one lower distance bound per
  /// point skip most distance computations once centroids settle. O(n) extra memory.
  hamerly,
};

/// What happens when a cluster loses all its (weighted) points during an iteration.
enum class empty_cluster_policy {
  /// The empty cluster takes the point farthest from its own centroid (lowest index on ties;
  /// several empty clusters take the farthest points in turn; a point that would empty its own
  /// cluster, or sits exactly on its centroid, is not taken). Inertia still never increases.
  relocate_farthest,
  /// The centroid stays where it was; the cluster may end empty (size 0 in the result).
  keep,
  /// Throw numeric_error.
  error,
};

/// Options of kmeans() and minibatch_kmeans(). validate() names the first bad field.
struct kmeans_options {
  std::size_t k = 8;
  std::size_t n_init = 10;           ///< restarts; the lowest inertia wins (lowest run on ties)
  std::size_t max_iterations = 300;  ///< Lloyd/Hamerly iterations per run
  /// Convergence: Σ_j ‖c_j(new) − c_j(old)‖² ≤ tolerance × (mean per-feature variance of the
  /// data), or no label changed.
  double tolerance = 1e-4;
  std::uint64_t seed = 0;
  seeding init = seeding::kmeans_plus_plus;
  /// Candidates per greedy k-means++ step; 0 = 2 + ⌊ln k⌋.
  std::size_t local_trials = 0;
  kmeans_algorithm algorithm = kmeans_algorithm::automatic;
  empty_cluster_policy empty_clusters = empty_cluster_policy::relocate_farthest;
  /// Record the inertia after every assignment step in kmeans_result::inertia_history
  /// (free for Lloyd; one extra O(n·d) pass per iteration for Hamerly).
  bool track_inertia = false;
  /// Put clusters in canonical order: size descending, then centroid coordinates ascending.
  /// Makes labels independent of which restart or seed found the partition.
  bool canonical_order = true;
  /// k × d starting centroids for seeding::given.
  row_matrix initial_centroids;

  void validate(std::size_t n, std::size_t d) const;
};

/// Why a run stopped.
enum class kmeans_status {
  converged,       ///< centroid shift under the tolerance, or no label changed
  max_iterations,  ///< iteration limit reached first
};

/// A fitted clustering. Labels and distances always belong to the returned centroids.
struct kmeans_result {
  row_matrix centroids;                ///< k × d
  std::vector<std::int32_t> labels;    ///< n, in 0..k-1
  std::vector<double> distances;       ///< n, Euclidean distance to the own centroid
  std::vector<double> cluster_weight;  ///< k, Σ weights (the size when unweighted)
  double inertia = 0.0;                ///< Σ_i w_i ‖x_i − c_{label_i}‖²
  std::size_t iterations = 0;          ///< of the winning run
  std::size_t best_run = 0;            ///< which restart won (0-based)
  kmeans_status status = kmeans_status::converged;
  std::vector<double> inertia_history;   ///< winning run, if track_inertia
  std::size_t distance_evaluations = 0;  ///< point–centroid distances computed (all runs)
};

/// Clusters the rows of `points` into k groups minimising the weighted within-cluster sum of
/// squares. `weights` is empty (all 1) or n non-negative finite values.
///
/// Deterministic for a given seed and independent of the OpenMP thread count: every sum is
/// taken over fixed chunks of 4096 points and reduced in chunk order.
/// Complexity O(n_init · iterations · n · k · d) for Lloyd; Hamerly skips most of the distances
/// once centroids settle (see kmeans_algorithm::automatic for which wins when). One fit keeps
/// a structure-of-arrays copy of the points (n·d doubles) and O(n) per-point state.
/// Throws invalid_argument_error for bad options, k > n, or k greater than the number of
/// distinct points with positive weight (k-means++ and random seeding detect this exactly:
/// "k = 5: only 3 distinct points"); numeric_error for a non-finite value or
/// empty_cluster_policy::error. Thread-safe (no shared state).
[[nodiscard]] kmeans_result kmeans(const Eigen::Ref<const row_matrix>& points,
                                   const kmeans_options& options,
                                   std::span<const double> weights = {});

/// Options specific to mini-batch k-means.
struct minibatch_options {
  std::size_t batch_size = 1024;
  /// Upper bound on the number of batches (default: 100 passes' worth, at least 100 batches).
  std::size_t max_batches = 0;
  /// Stop when the smoothed batch inertia has not improved for this many batches (0 = never).
  std::size_t max_no_improvement = 10;
  /// Points k-means++ seeds on (a random subset; 0 = 3 × batch_size, at least 3k).
  std::size_t init_size = 0;
};

/// Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering", Algorithm 1, with a
/// per-centre learning rate 1/Σw): seeding (best of n_init k-means++ runs on an init_size
/// subset), then batches drawn uniformly with replacement; each point pulls its nearest centre
/// by w/Σw. Ends with one full assignment, so labels, distances and inertia are exact for the
/// returned centroids. Clusters that end empty are handled as in kmeans() (the last
/// assignment decides). Deterministic for a seed; the final assignment is parallel and
/// thread-count independent. Uses k, n_init, seed, local_trials, empty_clusters,
/// canonical_order from `options`.
[[nodiscard]] kmeans_result minibatch_kmeans(const Eigen::Ref<const row_matrix>& points,
                                             const kmeans_options& options,
                                             const minibatch_options& batch = {},
                                             std::span<const double> weights = {});

/// Assigns each row of `points` to its nearest centroid (lowest index on ties): writes labels
/// and Euclidean distances (n each; `distances` may be empty). Returns the inertia (unweighted).
/// Throws invalid_argument_error when sizes disagree.
double assign(const Eigen::Ref<const row_matrix>& points,
              const Eigen::Ref<const row_matrix>& centroids, std::span<std::int32_t> labels,
              std::span<double> distances);

/// Lloyd iterations one at a time on a fixed data set, for benchmarks, tests and callers that
/// drive their own stopping rule. Keeps a structure-of-arrays copy of the points (n·d doubles);
/// `points` and `weights` must outlive the object. Not thread-safe (one object per thread);
/// each step is internally parallel and thread-count independent.
class lloyd_iteration {
 public:
  lloyd_iteration(const Eigen::Ref<const row_matrix>& points, std::span<const double> weights = {});
  ~lloyd_iteration();
  lloyd_iteration(lloyd_iteration&&) noexcept;
  lloyd_iteration& operator=(lloyd_iteration&&) noexcept;

  /// One iteration: assigns every point to its nearest centroid (writes `labels`, n entries),
  /// then moves each centroid to the weighted mean of its points (an empty cluster keeps its
  /// centroid). Returns the inertia of the assignment, i.e. against the centroids passed in.
  double step(row_matrix& centroids, std::span<std::int32_t> labels);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace patron::inline v1::segment

#endif  // PATRON_SEGMENT_KMEANS_HPP
