// SPDX-License-Identifier: MIT
// Markov migration CLV: stage transition matrix, discounted expected value, time to absorption.
#ifndef PATRON_LIFECYCLE_MARKOV_HPP
#define PATRON_LIFECYCLE_MARKOV_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "patron/error.hpp"

namespace patron::inline v1::lifecycle {

/// Maximum-likelihood transition matrix from migration counts (row-major, states × states, e.g.
/// replay_result::migration): P(i, j) = n_ij / Σ_j n_ij. A state never left from in the data
/// (zero row) is made absorbing (P(i, i) = 1), and is listed in `empty_rows`.
struct transition_estimate {
  Eigen::MatrixXd P;
  std::vector<std::size_t> empty_rows;
};

[[nodiscard]] inline transition_estimate estimate_transition_matrix(std::span<const std::uint64_t> counts,
                                                                    std::size_t states) {
  if (states == 0 || counts.size() != states * states)
    throw invalid_argument_error("lifecycle::estimate_transition_matrix", "counts",
                                 std::to_string(counts.size()), "must hold states × states entries");
  transition_estimate e{Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(states), static_cast<Eigen::Index>(states)), {}};
  for (std::size_t i = 0; i < states; ++i) {
    double row = 0;
    for (std::size_t j = 0; j < states; ++j) row += static_cast<double>(counts[i * states + j]);
    const auto ii = static_cast<Eigen::Index>(i);
    if (row == 0) {
      e.P(ii, ii) = 1.0;
      e.empty_rows.push_back(i);
      continue;
    }
    for (std::size_t j = 0; j < states; ++j)
      e.P(ii, static_cast<Eigen::Index>(j)) = static_cast<double>(counts[i * states + j]) / row;
  }
  return e;
}

namespace detail_markov {
inline void check_inputs(const Eigen::MatrixXd& P, const Eigen::VectorXd& R, double d, const char* where) {
  if (P.rows() == 0 || P.rows() != P.cols() || R.size() != P.rows())
    throw invalid_argument_error(where, "P", std::to_string(P.rows()) + "x" + std::to_string(P.cols()),
                                 "P must be square and R must have one reward per state");
  if (!(d > -1.0) || !std::isfinite(d))
    throw invalid_argument_error(where, "discount_rate", std::to_string(d), "must be finite and > -1");
  if (!P.allFinite() || !R.allFinite())
    throw invalid_argument_error(where, "P", "", "P and R must be finite");
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    if ((P.row(i).array() < 0).any() || std::abs(P.row(i).sum() - 1.0) > 1e-9)
      throw invalid_argument_error(where, "P", "row " + std::to_string(i),
                                   "must be non-negative and sum to 1");
  }
}
}  // namespace detail_markov

/// Expected discounted value per starting stage over `horizon` periods (Pfeifer & Carraway 2000,
/// J. Interactive Marketing 14(2), eq. for V^T): V = Σ_{t=0}^{horizon} [(1+d)^−1 P]^t R, where
/// R is the reward a customer in each stage brings in one period (received at the period's
/// start, so t = 0 counts undiscounted) and d the discount rate per period. O(horizon · n²).
[[nodiscard]] inline Eigen::VectorXd markov_value(const Eigen::MatrixXd& P, const Eigen::VectorXd& R,
                                                  double discount_rate, std::size_t horizon) {
  detail_markov::check_inputs(P, R, discount_rate, "lifecycle::markov_value");
  const Eigen::MatrixXd M = P / (1.0 + discount_rate);
  Eigen::VectorXd term = R, v = R;
  for (std::size_t t = 1; t <= horizon; ++t) {
    term = M * term;
    v += term;
  }
  return v;
}

/// Infinite-horizon value V = [I − (1+d)^−1 P]^−1 R (Pfeifer & Carraway 2000). With d = 0 and a
/// stochastic P the matrix is singular: throws numeric_error. O(n³).
[[nodiscard]] inline Eigen::VectorXd markov_value(const Eigen::MatrixXd& P, const Eigen::VectorXd& R,
                                                  double discount_rate) {
  constexpr const char* where = "lifecycle::markov_value";
  detail_markov::check_inputs(P, R, discount_rate, where);
  const Eigen::Index n = P.rows();
  const Eigen::MatrixXd A = Eigen::MatrixXd::Identity(n, n) - P / (1.0 + discount_rate);
  Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
  lu.setThreshold(1e-12);
  if (!lu.isInvertible())
    throw numeric_error(where, "I - P/(1+d) is singular (d = 0 with a stochastic P?): the infinite-horizon "
                               "value does not exist");
  return lu.solve(R);
}

/// Expected number of periods before absorption, per state (0 for absorbing states): with Q the
/// transient-to-transient block, t = (I − Q)^−1 1 (the fundamental matrix's row sums). Absorbing
/// states are those with P(i, i) = 1. Throws numeric_error when no absorbing state is reachable
/// from some transient state (I − Q singular), or when there are no absorbing states.
[[nodiscard]] inline Eigen::VectorXd expected_time_to_absorption(const Eigen::MatrixXd& P) {
  constexpr const char* where = "lifecycle::expected_time_to_absorption";
  detail_markov::check_inputs(P, Eigen::VectorXd::Zero(P.rows()), 0.0, where);
  std::vector<Eigen::Index> transient;
  for (Eigen::Index i = 0; i < P.rows(); ++i)
    if (P(i, i) != 1.0) transient.push_back(i);
  const auto m = static_cast<Eigen::Index>(transient.size());
  if (m == P.rows()) throw numeric_error(where, "no absorbing state: the expected lifetime is infinite");
  Eigen::VectorXd out = Eigen::VectorXd::Zero(P.rows());
  if (m == 0) return out;
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(m, m);
  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = 0; b < m; ++b)
      A(a, b) -= P(transient[static_cast<std::size_t>(a)], transient[static_cast<std::size_t>(b)]);
  Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
  lu.setThreshold(1e-12);
  if (!lu.isInvertible())
    throw numeric_error(where, "some transient states never reach an absorbing state: I - Q is singular");
  const Eigen::VectorXd t = lu.solve(Eigen::VectorXd::Ones(m));
  for (Eigen::Index a = 0; a < m; ++a) out(transient[static_cast<std::size_t>(a)]) = t(a);
  return out;
}

/// The churn-rate lifetime T = 1 / churn rate (periods), the constant-retention check on
/// expected_time_to_absorption: a two-state chain {active, churned} with P(active → churned) = c
/// has expected lifetime 1/c. Throws invalid_argument_error unless 0 < churn_rate ≤ 1.
[[nodiscard]] inline double churn_lifetime(double churn_rate) {
  if (!(churn_rate > 0.0 && churn_rate <= 1.0))
    throw invalid_argument_error("lifecycle::churn_lifetime", "churn_rate", std::to_string(churn_rate),
                                 "must be in (0, 1]");
  return 1.0 / churn_rate;
}

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_MARKOV_HPP
