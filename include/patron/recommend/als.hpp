// SPDX-License-Identifier: MIT
// Implicit-feedback matrix factorisation: weighted ALS solved by conjugate gradient.
#ifndef PATRON_RECOMMEND_ALS_HPP
#define PATRON_RECOMMEND_ALS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "patron/recommend/interactions.hpp"

namespace patron::inline v1::recommend {

/// How an interaction value r becomes a confidence (Hu, Koren & Volinsky 2008, §4):
/// linear c = 1 + alpha r (eq. 2); log c = 1 + alpha ln(1 + r / epsilon) (eq. 6).
enum class als_confidence { linear, log };

struct als_options {
  std::size_t factors = 64;       ///< f, latent dimensions (>= 1)
  double regularization = 0.01;   ///< λ (>= 0)
  double alpha = 1.0;             ///< confidence slope (> 0)
  double epsilon = 1.0;           ///< log confidence scale (> 0)
  als_confidence confidence = als_confidence::linear;
  std::size_t iterations = 15;    ///< full sweeps (users then items)
  std::size_t cg_steps = 3;       ///< conjugate-gradient steps per solve (Takács et al. 2011)
  std::uint64_t seed = 1;         ///< initial factors uniform in [0, 0.01), hashed from seed
  int threads = 0;                ///< 0 = OpenMP default, 1 = single thread

  void validate() const;
};

/// Weighted regularised matrix factorisation for implicit feedback (Hu, Koren & Volinsky,
/// "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008):
///   minimise Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²),
/// p_ui = 1 if r_ui > 0 else 0, c_ui = 1 + alpha r_ui (or the log form), summed over ALL cells.
/// Each half-sweep solves (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u per user (and the same
/// for items) with `cg_steps` conjugate-gradient steps warm-started from the current factors
/// (Takács, Pilászy & Tikk, "Applications of the conjugate gradient method for implicit
/// feedback collaborative filtering", RecSys 2011), so one sweep costs
/// O(f² (n_users + n_items) + cg_steps · f · nnz). Results depend on the seed only, not on
/// the thread count. Immutable after fit(); safe to share across threads.
class als_model {
 public:
  [[nodiscard]] static als_model fit(const interactions& data, const als_options& options);

  [[nodiscard]] std::size_t factors() const noexcept { return factors_; }
  [[nodiscard]] std::size_t n_customers() const noexcept { return user_.size() / factors_; }
  [[nodiscard]] std::size_t n_items() const noexcept { return item_.size() / factors_; }
  /// Row-major factor matrices: customer u's vector is [u·f, (u+1)·f).
  [[nodiscard]] std::span<const double> customer_factors() const noexcept { return user_; }
  [[nodiscard]] std::span<const double> item_factors() const noexcept { return item_; }

  /// Predicted preference x_uᵀ y_i.
  [[nodiscard]] double score(std::uint32_t u, std::uint32_t i) const noexcept;

  /// Top-N items customer u has not bought in `history`, by x_uᵀ y_i.
  [[nodiscard]] std::size_t recommend(const interactions& history, std::uint32_t u,
                                      std::span<std::uint32_t> items,
                                      std::span<double> scores) const;

  /// Fold-in of a customer not in the training data: solves the user equation exactly
  /// (Cholesky) against the fixed item factors, O(f³ + n_bought f²) (YᵀY is kept from fit). `bought` and `values` give the customer's
  /// items and raw interaction values; `out` (size factors()) receives x_u.
  void fold_in(std::span<const std::uint32_t> bought, std::span<const double> values,
               std::span<double> out) const;

  /// Top-N items for a factor vector (e.g. from fold_in), skipping the sorted list `exclude`.
  [[nodiscard]] std::size_t recommend_factors(std::span<const double> x,
                                              std::span<const std::uint32_t> exclude,
                                              std::span<std::uint32_t> items,
                                              std::span<double> scores) const;

  /// Value of the training objective for `data` (O(n_users n_items f); for tests).
  [[nodiscard]] double loss(const interactions& data) const;

 private:
  std::size_t factors_ = 1;
  als_options options_;
  std::vector<double> user_, item_;
  std::vector<double> gram_;  // YᵀY (f × f), kept for fold-in
};

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_ALS_HPP
