// SPDX-License-Identifier: MIT
// Compiled bodies of the shifted-beta-geometric model: validation, survival, valuation and the fit.
#include "patron/models/sbg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "patron/detail/optimize.hpp"
#include "patron/error.hpp"

namespace patron::inline v1 {
namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_param(const char* name, double v) {
  if (!(v > 0) || !std::isfinite(v)) throw invalid_argument_error("sbg", name, num(v), "must be finite and > 0");
}

void check_period(const char* where, double t, double min) {
  if (!std::isfinite(t) || t != std::floor(t) || t < min || t > 1e9)
    throw invalid_argument_error(where, "t", num(t), min > 0 ? "must be an integer >= 1" : "must be an integer >= 0");
}

void check_d(const char* where, double d) {
  if (!(d > 0) || !std::isfinite(d))
    throw invalid_argument_error(where, "d", num(d), "discount rate per period must be finite and > 0");
}

}  // namespace

void validate_survivors(std::span<const double> alive, const std::string& source, std::uint64_t first_line) {
  if (alive.size() < 2)
    throw data_error(errc::empty_input, source, 0, 0, "alive", std::to_string(alive.size()) + " periods",
                     "needs the cohort size at period 0 and at least one later count");
  for (std::size_t t = 0; t < alive.size(); ++t) {
    const double a = alive[t];
    if (!std::isfinite(a) || a < 0)
      throw data_error(errc::out_of_range, source, first_line + t, 0, "alive", num(a), "survivors must be finite and >= 0");
    if (t == 0 && !(a > 0))
      throw data_error(errc::out_of_range, source, first_line, 0, "alive", num(a), "cohort size at period 0 must be > 0");
    if (t > 0 && a > alive[t - 1])
      throw data_error(errc::out_of_range, source, first_line + t, 0, "alive", num(a),
                       "survivors increase from period " + std::to_string(t - 1) + " (" + num(alive[t - 1]) +
                           "): a cohort can only shrink");
  }
}

sbg::sbg(const sbg_params& p, time_unit period) : p_(p), unit_(period) {
  check_param("alpha", p.alpha);
  check_param("beta", p.beta);
  check_param("unit.days", period.days);
}

double sbg::churn_probability(double t) const {
  check_period("sbg.churn_probability", t, 1);
  return std::exp(detail::sbg_log_churn(p_.alpha, p_.beta, t));
}

double sbg::survival(double t) const {
  check_period("sbg.survival", t, 0);
  return std::exp(detail::sbg_log_survival(p_.alpha, p_.beta, t));
}

double sbg::retention(double t) const {
  check_period("sbg.retention", t, 1);
  return (p_.beta + t - 1) / (p_.alpha + p_.beta + t - 1);
}

double sbg::expected_lifetime() const noexcept {
  if (!(p_.alpha > 1)) return std::numeric_limits<double>::infinity();
  return (p_.alpha + p_.beta - 1) / (p_.alpha - 1);
}

double sbg::del(double d) const {
  check_d("sbg.del", d);
  const auto f = detail::sbg_log_discounted_sum(p_.alpha, p_.beta, 0.0, 1 / (1 + d));
  if (!f.ok || f.sign <= 0) throw numeric_error("sbg.del", "the 2F1 series did not converge (d too close to 0)");
  return std::exp(f.log_abs);
}

double sbg::derl(double d, double renewals) const {
  check_d("sbg.derl", d);
  if (!std::isfinite(renewals) || renewals < 0 || renewals != std::floor(renewals))
    throw invalid_argument_error("sbg.derl", "renewals", num(renewals), "must be an integer >= 0");
  const auto f = detail::sbg_log_discounted_sum(p_.alpha, p_.beta, renewals + 1, 1 / (1 + d));
  if (!f.ok || f.sign <= 0) throw numeric_error("sbg.derl", "the 2F1 series did not converge (d too close to 0)");
  return (p_.beta + renewals) / (p_.alpha + p_.beta + renewals) * std::exp(f.log_abs);
}

namespace {
double cohort_ll(double al, double be, std::span<const double> alive) {
  double ll = 0;
  const std::size_t T = alive.size() - 1;
  for (std::size_t t = 1; t <= T; ++t) {
    const double lost = alive[t - 1] - alive[t];
    if (lost > 0) ll += lost * detail::sbg_log_churn(al, be, static_cast<double>(t));
  }
  if (alive[T] > 0) ll += alive[T] * detail::sbg_log_survival(al, be, static_cast<double>(T));
  return ll;
}
}  // namespace

double sbg::log_likelihood(std::span<const double> alive) const {
  validate_survivors(alive, "sbg.log_likelihood");
  return cohort_ll(p_.alpha, p_.beta, alive);
}

fit_result<sbg> sbg::fit(std::span<const double> alive, const fit_options& options, time_unit period) {
  const std::vector<std::vector<double>> one{std::vector<double>(alive.begin(), alive.end())};
  return fit(std::span<const std::vector<double>>(one), options, period);
}

fit_result<sbg> sbg::fit(std::span<const std::vector<double>> cohorts, const fit_options& options, time_unit period) {
  options.validate();
  check_param("unit.days", period.days);
  if (cohorts.empty()) throw invalid_argument_error(model_name, "cohorts", "0", "nothing to fit");
  double W = 0;
  for (std::size_t c = 0; c < cohorts.size(); ++c) {
    validate_survivors(cohorts[c], "sbg.fit cohort " + std::to_string(c + 1));
    W += cohorts[c][0];
  }
  auto nll = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) -> double {
    const double al = std::exp(th(0)), be = std::exp(th(1));
    if (!std::isfinite(al + be) || !(al > 0 && be > 0)) return std::numeric_limits<double>::infinity();
    double ll = 0;
    for (const auto& a : cohorts) ll += cohort_ll(al, be, a);
    if (grad) grad->resize(2);
    return std::isfinite(ll) ? -ll : std::numeric_limits<double>::infinity();
  };
  const double pen = options.penalty;
  const detail::objective_fn mean_val = [&](const Eigen::VectorXd& th, Eigen::VectorXd*) {
    return nll(th, nullptr) / W + pen * (std::exp(2 * th(0)) + std::exp(2 * th(1)));
  };
  const detail::objective_fn mean_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) {
    const double v = mean_val(th, nullptr);
    if (grad && std::isfinite(v)) detail::gradient_fd(mean_val, th, *grad);
    return v;
  };
  const detail::objective_fn total_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd*) { return nll(th, nullptr); };
  Eigen::VectorXd th0(2);
  if (!options.start.empty()) {
    if (options.start.size() != 2)
      throw invalid_argument_error(model_name, "start", std::to_string(options.start.size()) + " values", "needs 2: alpha, beta");
    th0 << std::log(options.start[0]), std::log(options.start[1]);
  } else {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& st : {std::pair{1.0, 1.0}, std::pair{0.5, 2.0}, std::pair{2.0, 8.0}, std::pair{0.2, 0.5}}) {
      Eigen::VectorXd th(2);
      th << std::log(st.first), std::log(st.second);
      const double v = mean_val(th, nullptr);
      if (v < best) {
        best = v;
        th0 = th;
      }
    }
  }
  const auto res = detail::minimize(mean_obj, th0, options.max_iterations, std::max(options.tolerance, 1e-7));
  fit_result<sbg> out;
  out.model = sbg({std::exp(res.theta(0)), std::exp(res.theta(1))}, period);
  out.status = res.status;
  out.iterations = res.iterations;
  out.gradient_norm = res.gradient_norm;
  out.log_likelihood = -nll(res.theta, nullptr);
  out.std_errors = detail::std_errors_from_log_hessian(detail::hessian_fd(total_obj, res.theta), res.theta);
  out.n_customers = static_cast<std::size_t>(std::llround(W));
  out.n_used = out.n_customers;
  return out;
}

}  // namespace patron::inline v1
