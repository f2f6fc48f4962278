// SPDX-License-Identifier: MIT
// Maximum-likelihood machinery: L-BFGS (LBFGSpp) with restarts and a Nelder–Mead fallback,
// finite-difference Hessians. Internal: no stability promise.
#ifndef PATRON_DETAIL_OPTIMIZE_HPP
#define PATRON_DETAIL_OPTIMIZE_HPP

#include <functional>
#include <vector>

#include <Eigen/Core>

#include "patron/models/fit_result.hpp"

namespace patron::detail {

/// Objective in unconstrained coordinates θ: returns f(θ) and, when grad is non-null, ∇f.
/// Must return +inf (not NaN) where f is undefined.
using objective_fn = std::function<double(const Eigen::VectorXd& theta, Eigen::VectorXd* grad)>;

struct minimize_result {
  Eigen::VectorXd theta;
  double value = 0;
  int iterations = 0;
  double gradient_norm = 0;
  fit_status status = fit_status::converged;
};

/// Minimises f from `start`: L-BFGS (LBFGSpp, backtracking line search on the strong Wolfe
/// conditions); if the line search fails, a Nelder–Mead run from the best point so far, then
/// L-BFGS again (up to 3 rounds). Never throws on non-convergence; `status` says what happened.
/// |θᵢ| > bound at the end gives status boundary.
[[nodiscard]] minimize_result minimize(const objective_fn& f, const Eigen::VectorXd& start,
                                       int max_iterations, double tolerance, double bound = 13.0);

/// Hessian of f at θ by central differences of f (step 1e-4·max(1, |θᵢ|)).
[[nodiscard]] Eigen::MatrixXd hessian_fd(const objective_fn& f, const Eigen::VectorXd& theta);

/// Hessian of f at θ by central differences of its analytic gradient (step 1e-4·max(1, |θᵢ|)),
/// symmetrised: 2n gradient evaluations instead of 2n² + 1 values.
[[nodiscard]] Eigen::MatrixXd hessian_from_gradient(const objective_fn& f, const Eigen::VectorXd& theta);

/// Gradient by central differences (step 1e-6·max(1, |θᵢ|)), for objectives without one.
void gradient_fd(const objective_fn& f, const Eigen::VectorXd& theta, Eigen::VectorXd& grad);

/// Standard errors of the natural parameters p = exp(θ) from the Hessian H_θ of the total
/// negative log-likelihood in θ (delta method: SE(pᵢ) = pᵢ·sqrt((H_θ⁻¹)ᵢᵢ)); +inf if singular.
[[nodiscard]] std::vector<double> std_errors_from_log_hessian(const Eigen::MatrixXd& h,
                                                              const Eigen::VectorXd& theta);

}  // namespace patron::detail

#endif  // PATRON_DETAIL_OPTIMIZE_HPP
