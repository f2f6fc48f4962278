// SPDX-License-Identifier: MIT
// What every model's fit() returns: the model plus a status, never an exception on non-convergence.
#ifndef PATRON_MODELS_FIT_RESULT_HPP
#define PATRON_MODELS_FIT_RESULT_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace patron::inline v1 {

/// Outcome of a maximum-likelihood fit.
///  - converged: gradient norm of the mean negative log-likelihood below the tolerance;
///  - max_iterations: the iteration budget ran out first (parameters are the best point found);
///  - line_search_failed: L-BFGS and the Nelder–Mead fallback could not make progress;
///  - boundary: a parameter ran to the edge of its range (log-parameter beyond ±13, i.e. a parameter above 4·10⁵ or below 2·10⁻⁶): the data
///    do not identify it (e.g. b → ∞ when nobody drops out); SEs are then unreliable.
enum class fit_status { converged, max_iterations, line_search_failed, boundary };

/// "converged", "max_iterations", "line_search_failed", "boundary".
[[nodiscard]] const char* to_string(fit_status s) noexcept;

/// Options of every model's fit(). Plain aggregate, copied by value.
struct fit_options {
  /// L2 penalty on the parameters, added to the mean negative log-likelihood as
  /// penalty · Σ θᵢ² (θ the natural parameters), like `lifetimes`' penalizer_coef. ≥ 0.
  double penalty = 0.0;
  /// Maximum L-BFGS iterations per start, ≥ 1.
  int max_iterations = 1000;
  /// Convergence: ‖∇‖ of the mean negative log-likelihood in log-parameters ≤ tolerance.
  double tolerance = 1e-7;
  /// Starting parameters in the model's order (empty = the model's default start).
  std::vector<double> start;
  /// Merge identical (x, t_x, T) rows into weights before fitting (same optimum, faster).
  bool compress = true;
  /// Throws invalid_argument_error naming the field.
  void validate() const;
};

/// A fitted model with its diagnostics. `std_errors` are in the model's parameter order, from
/// the inverse Hessian of the total negative log-likelihood (finite differences at the optimum;
/// NaN-free: a singular Hessian gives +inf).
template <class Model>
struct fit_result {
  Model model;
  fit_status status = fit_status::converged;
  std::vector<double> std_errors;
  double log_likelihood = 0.0;  ///< total (weighted) log-likelihood at the optimum
  int iterations = 0;
  double gradient_norm = 0.0;
  std::size_t n_customers = 0;  ///< rows given (weights counted)
  std::size_t n_used = 0;       ///< customers the likelihood used
  /// Gamma-Gamma only: customers left out because x = 0 (no repeat purchase) or because their
  /// mean repeat spend is ≤ 0 (zero-value orders, refunds). Counted, never silently dropped.
  std::size_t n_excluded_no_repeat = 0;
  std::size_t n_excluded_nonpositive_spend = 0;
  [[nodiscard]] bool ok() const noexcept { return status == fit_status::converged; }
};

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_FIT_RESULT_HPP
