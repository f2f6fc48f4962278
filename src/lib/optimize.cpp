// SPDX-License-Identifier: MIT
// L-BFGS with fallbacks and finite-difference Hessians for the model fits (detail/optimize.hpp).
#include "patron/detail/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>
#include <LBFGS.h>

namespace patron::detail {
namespace {

// Nelder–Mead simplex (Nelder & Mead 1965; standard coefficients 1, 2, 0.5, 0.5).
Eigen::VectorXd nelder_mead(const objective_fn& f, const Eigen::VectorXd& x0, int max_evals) {
  const auto n = x0.size();
  std::vector<Eigen::VectorXd> pts(static_cast<std::size_t>(n + 1), x0);
  std::vector<double> val(static_cast<std::size_t>(n + 1));
  for (Eigen::Index i = 0; i < n; ++i) pts[static_cast<std::size_t>(i + 1)](i) += 0.1;
  auto eval = [&](const Eigen::VectorXd& x) {
    const double v = f(x, nullptr);
    return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
  };
  for (std::size_t i = 0; i < pts.size(); ++i) val[i] = eval(pts[i]);
  int evals = static_cast<int>(pts.size());
  std::vector<std::size_t> idx(pts.size());
  while (evals < max_evals) {
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return val[a] < val[b]; });
    const std::size_t best = idx.front(), worst = idx.back(), second = idx[idx.size() - 2];
    if (std::abs(val[worst] - val[best]) <= 1e-12 * (1 + std::abs(val[best]))) break;
    Eigen::VectorXd c = Eigen::VectorXd::Zero(n);
    for (std::size_t i = 0; i < pts.size(); ++i)
      if (i != worst) c += pts[i];
    c /= static_cast<double>(n);
    const Eigen::VectorXd xr = c + (c - pts[worst]);
    const double fr = eval(xr);
    ++evals;
    if (fr < val[best]) {
      const Eigen::VectorXd xe = c + 2.0 * (c - pts[worst]);
      const double fe = eval(xe);
      ++evals;
      if (fe < fr) { pts[worst] = xe; val[worst] = fe; } else { pts[worst] = xr; val[worst] = fr; }
    } else if (fr < val[second]) {
      pts[worst] = xr;
      val[worst] = fr;
    } else {
      const Eigen::VectorXd xc = c + 0.5 * (pts[worst] - c);
      const double fc = eval(xc);
      ++evals;
      if (fc < val[worst]) {
        pts[worst] = xc;
        val[worst] = fc;
      } else {
        for (std::size_t i = 0; i < pts.size(); ++i) {
          if (i == best) continue;
          pts[i] = pts[best] + 0.5 * (pts[i] - pts[best]);
          val[i] = eval(pts[i]);
          ++evals;
        }
      }
    }
  }
  std::size_t b = 0;
  for (std::size_t i = 1; i < pts.size(); ++i)
    if (val[i] < val[b]) b = i;
  return pts[b];
}

}  // namespace

minimize_result minimize(const objective_fn& f, const Eigen::VectorXd& start, int max_iterations,
                         double tolerance, double bound) {
  LBFGSpp::LBFGSParam<double> param;
  param.epsilon = tolerance;
  param.epsilon_rel = 0.0;
  param.max_iterations = max_iterations;
  param.max_linesearch = 60;
  param.past = 3;
  param.delta = 1e-13;
  LBFGSpp::LBFGSSolver<double> solver(param);
  // Every finite evaluation is remembered: whatever happens later, the best point found is returned.
  Eigen::VectorXd best_x = start;
  double best_f = std::numeric_limits<double>::infinity();
  auto fun = [&](const Eigen::VectorXd& x, Eigen::VectorXd& g) -> double {
    const double v = f(x, &g);
    if (!std::isfinite(v) || !g.allFinite()) {
      g.setZero();
      return std::numeric_limits<double>::infinity();
    }
    if (v < best_f) {
      best_f = v;
      best_x = x;
    }
    return v;
  };
  minimize_result res;
  Eigen::VectorXd x = start;
  Eigen::VectorXd g(start.size());
  double fx = fun(x, g);
  if (!std::isfinite(fx)) {  // a start outside the domain: find a finite point first
    x = nelder_mead(f, x, 400);
  }
  bool line_search_failed = false;
  for (int round = 0; round < 3; ++round) {
    line_search_failed = false;
    try {
      const int it = solver.minimize(fun, x, fx);
      res.iterations += it;
    } catch (const std::exception&) {  // LBFGSpp reports a failed line search by throwing
      line_search_failed = true;
      res.iterations += 1;
    }
    fx = fun(x, g);
    if (!line_search_failed && std::isfinite(fx) && g.norm() <= 10 * tolerance) break;
    x = nelder_mead(f, x, 600);
  }
  fx = fun(x, g);
  if (!std::isfinite(fx) || best_f < fx) {
    x = best_x;
    fx = fun(x, g);
  }
  res.theta = x;
  res.value = fx;
  res.gradient_norm = std::isfinite(fx) ? g.norm() : std::numeric_limits<double>::infinity();
  if (!std::isfinite(fx)) {
    res.status = fit_status::line_search_failed;
    res.theta = start;
  } else if (x.cwiseAbs().maxCoeff() > bound) {
    res.status = fit_status::boundary;
  } else if (res.gradient_norm <= 10 * tolerance) {
    res.status = fit_status::converged;
  } else if (res.iterations >= max_iterations) {
    res.status = fit_status::max_iterations;
  } else {
    res.status = line_search_failed ? fit_status::line_search_failed : fit_status::max_iterations;
  }
  return res;
}

Eigen::MatrixXd hessian_fd(const objective_fn& f, const Eigen::VectorXd& theta) {
  const auto n = theta.size();
  Eigen::MatrixXd h(n, n);
  Eigen::VectorXd hs(n);
  for (Eigen::Index i = 0; i < n; ++i) hs(i) = 1e-4 * std::max(1.0, std::abs(theta(i)));
  const double f0 = f(theta, nullptr);
  auto at = [&](Eigen::Index i, double di, Eigen::Index j, double dj) {
    Eigen::VectorXd t = theta;
    t(i) += di;
    t(j) += dj;
    return f(t, nullptr);
  };
  for (Eigen::Index i = 0; i < n; ++i) {
    h(i, i) = (at(i, hs(i), i, 0) - 2 * f0 + at(i, -hs(i), i, 0)) / (hs(i) * hs(i));
    for (Eigen::Index j = 0; j < i; ++j) {
      const double v = (at(i, hs(i), j, hs(j)) - at(i, hs(i), j, -hs(j)) -
                        at(i, -hs(i), j, hs(j)) + at(i, -hs(i), j, -hs(j))) /
                       (4 * hs(i) * hs(j));
      h(i, j) = h(j, i) = v;
    }
  }
  return h;
}

Eigen::MatrixXd hessian_from_gradient(const objective_fn& f, const Eigen::VectorXd& theta) {
  const auto n = theta.size();
  Eigen::MatrixXd h(n, n);
  Eigen::VectorXd gp(n), gm(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double hs = 1e-4 * std::max(1.0, std::abs(theta(i)));
    Eigen::VectorXd t = theta;
    t(i) += hs;
    const double fp = f(t, &gp);
    t(i) -= 2 * hs;
    const double fm = f(t, &gm);
    if (!std::isfinite(fp) || !std::isfinite(fm)) return hessian_fd(f, theta);
    h.col(i) = (gp - gm) / (2 * hs);
  }
  return (h + h.transpose()) / 2;
}

void gradient_fd(const objective_fn& f, const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
  grad.resize(theta.size());
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    const double h = 1e-6 * std::max(1.0, std::abs(theta(i)));
    Eigen::VectorXd t = theta;
    t(i) += h;
    const double fp = f(t, nullptr);
    t(i) -= 2 * h;
    const double fm = f(t, nullptr);
    grad(i) = (fp - fm) / (2 * h);
  }
}

std::vector<double> std_errors_from_log_hessian(const Eigen::MatrixXd& h,
                                                const Eigen::VectorXd& theta) {
  const auto n = theta.size();
  std::vector<double> se(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
  if (!h.allFinite()) return se;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(h);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) return se;
  const Eigen::MatrixXd inv = ldlt.solve(Eigen::MatrixXd::Identity(n, n));
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = inv(i, i);
    if (std::isfinite(v) && v > 0) se[static_cast<std::size_t>(i)] = std::exp(theta(i)) * std::sqrt(v);
  }
  return se;
}

}  // namespace patron::detail
