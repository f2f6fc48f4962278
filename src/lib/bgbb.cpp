// SPDX-License-Identifier: MIT
// Compiled bodies of the BG/BB model: validation, scoring, likelihood totals and the fit.
#include "patron/models/bgbb.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <tuple>
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

bool is_count(double v) { return std::isfinite(v) && v >= 0 && v == std::floor(v) && v < 1e9; }

// The reason a BG/BB row is invalid (field + problem), or nullptr fields when it is fine.
struct row_problem {
  const char* field = nullptr;
  double value = 0;
  const char* problem = nullptr;
};

row_problem check_row(double x, double t_x, double n) {
  if (!is_count(x)) return {"x", x, "must be a finite integer >= 0 (transactions)"};
  if (!is_count(t_x)) return {"t_x", t_x, "must be a finite integer >= 0 (opportunity of the last transaction)"};
  if (!is_count(n)) return {"n", n, "must be a finite integer >= 1 (opportunities)"};
  if (n < 1) return {"n", n, "zero opportunities: n must be >= 1"};
  if (x > t_x) return {"x", x, "more transactions than opportunities up to recency t_x"};
  if (t_x > n) return {"t_x", t_x, "recency beyond the number of opportunities n"};
  if (x == 0 && t_x != 0) return {"t_x", t_x, "must be 0 when x = 0"};
  return {};
}

void check_customer(const char* where, double x, double t_x, double n) {
  const row_problem p = check_row(x, t_x, n);
  if (p.field) throw invalid_argument_error(where, p.field, num(p.value), p.problem);
}

void check_out(const char* where, std::size_t n, std::span<double> out) {
  if (out.size() != n)
    throw invalid_argument_error(where, "out.size()", std::to_string(out.size()),
                                 "must equal the number of customers (" + std::to_string(n) + ")");
}

void check_d(const char* where, double d) {
  if (!(d > 0) || !std::isfinite(d))
    throw invalid_argument_error(where, "d", num(d), "discrete discount rate per opportunity must be finite and > 0");
}

void check_param(const char* name, double v) {
  if (!(v > 0) || !std::isfinite(v)) throw invalid_argument_error("bgbb", name, num(v), "must be finite and > 0");
}

void check_count(const char* where, const char* name, double v) {
  if (!is_count(v)) throw invalid_argument_error(where, name, num(v), "must be a finite integer >= 0");
}

}  // namespace

void validate_bgbb(const customer_summary_view& s, const std::string& source) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const row_problem p = check_row(s.x[i], s.t_x[i], s.T[i]);
    if (p.field) throw data_error(errc::out_of_range, source, i + 1, 0, p.field, num(p.value), p.problem);
    if (!s.weight.empty() && (!(s.weight[i] >= 0) || !std::isfinite(s.weight[i])))
      throw data_error(errc::out_of_range, source, i + 1, 0, "weight", num(s.weight[i]), "must be finite and >= 0");
  }
}

bgbb::bgbb(const bgbb_params& p, time_unit opportunity) : p_(p), unit_(opportunity) {
  check_param("alpha", p.alpha);
  check_param("beta", p.beta);
  check_param("gamma", p.gamma);
  check_param("delta", p.delta);
  check_param("unit.days", opportunity.days);
}

double bgbb::log_likelihood(double x, double t_x, double n) const {
  check_customer("bgbb.log_likelihood", x, t_x, n);
  return detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, x, t_x, n);
}

double bgbb::log_likelihood(const customer_summary_view& s) const {
  validate_bgbb(s, "bgbb.log_likelihood");
  double ll = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    ll += s.w(i) * detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, s.x[i], s.t_x[i], s.T[i]);
  return ll;
}

double bgbb::p_alive(double x, double t_x, double n) const {
  check_customer("bgbb.p_alive", x, t_x, n);
  const double a = detail::bgbb_log_alive_term(p_.alpha, p_.beta, p_.gamma, p_.delta, x, n) -
                   detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, x, t_x, n);
  return std::exp(a) * (p_.delta + n) / (p_.gamma + p_.delta + n);
}

double bgbb::expected_purchases(double n_star, double x, double t_x, double n) const {
  check_count("bgbb.expected_purchases", "n_star", n_star);
  check_customer("bgbb.expected_purchases", x, t_x, n);
  const double a = detail::bgbb_log_alive_term(p_.alpha, p_.beta, p_.gamma, p_.delta, x, n) -
                   detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, x, t_x, n);
  return std::exp(a) * (p_.alpha + x) / (p_.alpha + p_.beta + n) *
         detail::bgbb_survival_sum(p_.gamma, p_.delta, n, n_star);
}

double bgbb::expected_purchases_new(double n) const {
  check_count("bgbb.expected_purchases_new", "n", n);
  return p_.alpha / (p_.alpha + p_.beta) * detail::bgbb_survival_sum(p_.gamma, p_.delta, 0.0, n);
}

double bgbb::dert(double d, double x, double t_x, double n) const {
  check_d("bgbb.dert", d);
  check_customer("bgbb.dert", x, t_x, n);
  const auto f = detail::bgbb_log_discounted_survival_sum(p_.gamma, p_.delta, n, d);
  if (!f.ok) throw numeric_error("bgbb.dert", "the 2F1 series did not converge (discount rate too close to 0)");
  const double a = detail::bgbb_log_alive_term(p_.alpha, p_.beta, p_.gamma, p_.delta, x, n) -
                   detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, x, t_x, n);
  return std::exp(a + f.log_abs) * (p_.alpha + x) / (p_.alpha + p_.beta + n);
}

void bgbb::p_alive(const customer_summary_view& s, std::span<double> out) const {
  check_out("bgbb.p_alive", s.size(), out);
  validate_bgbb(s, "bgbb.p_alive");
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = p_alive(s.x[i], s.t_x[i], s.T[i]);
}

void bgbb::expected_purchases(double n_star, const customer_summary_view& s, std::span<double> out) const {
  check_out("bgbb.expected_purchases", s.size(), out);
  check_count("bgbb.expected_purchases", "n_star", n_star);
  validate_bgbb(s, "bgbb.expected_purchases");
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = expected_purchases(n_star, s.x[i], s.t_x[i], s.T[i]);
}

void bgbb::dert(double d, const customer_summary_view& s, std::span<double> out) const {
  check_out("bgbb.dert", s.size(), out);
  check_d("bgbb.dert", d);
  validate_bgbb(s, "bgbb.dert");
  // The discounted survival sum depends on the customer through n only: once per distinct n.
  std::map<double, double> by_n;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto it = by_n.find(s.T[i]);
    if (it == by_n.end()) {
      const auto f = detail::bgbb_log_discounted_survival_sum(p_.gamma, p_.delta, s.T[i], d);
      if (!f.ok) throw numeric_error("bgbb.dert", "the 2F1 series did not converge (discount rate too close to 0)");
      it = by_n.emplace(s.T[i], f.log_abs).first;
    }
    const double a = detail::bgbb_log_alive_term(p_.alpha, p_.beta, p_.gamma, p_.delta, s.x[i], s.T[i]) -
                     detail::bgbb_log_likelihood(p_.alpha, p_.beta, p_.gamma, p_.delta, s.x[i], s.t_x[i], s.T[i]);
    out[i] = std::exp(a + it->second) * (p_.alpha + s.x[i]) / (p_.alpha + p_.beta + s.T[i]);
  }
}

fit_result<bgbb> bgbb::fit(const customer_summary_view& s, const fit_options& options, time_unit opportunity) {
  options.validate();
  if (s.size() == 0) throw invalid_argument_error(model_name, "customers", "0", "nothing to fit");
  validate_bgbb(s, model_name);
  check_param("unit.days", opportunity.days);
  // Merge identical (x, t_x, n) rows: a discrete-time data set has at most (n+1)(n+2)/2 patterns
  // per n, so the likelihood runs over a handful of rows whatever the number of customers.
  std::map<std::tuple<double, double, double>, double> rows;
  double W = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    rows[{s.x[i], s.t_x[i], s.T[i]}] += s.w(i);  // merged whatever options.compress says: same optimum
    W += s.w(i);
  }
  if (!(W > 0)) throw invalid_argument_error(model_name, "weights", num(W), "total weight must be > 0");
  std::vector<double> cx, ct, cn, cw;
  for (const auto& [k, w] : rows) {
    cx.push_back(std::get<0>(k));
    ct.push_back(std::get<1>(k));
    cn.push_back(std::get<2>(k));
    cw.push_back(w);
  }
  auto nll = [&](const Eigen::VectorXd& th, Eigen::VectorXd*) -> double {
    const double al = std::exp(th(0)), be = std::exp(th(1)), ga = std::exp(th(2)), de = std::exp(th(3));
    if (!std::isfinite(al + be + ga + de) || !(al > 0 && be > 0 && ga > 0 && de > 0))
      return std::numeric_limits<double>::infinity();
    double ll = 0;
    for (std::size_t i = 0; i < cx.size(); ++i)
      ll += cw[i] * detail::bgbb_log_likelihood(al, be, ga, de, cx[i], ct[i], cn[i]);
    return std::isfinite(ll) ? -ll : std::numeric_limits<double>::infinity();
  };
  const double pen = options.penalty;
  const detail::objective_fn mean_val = [&](const Eigen::VectorXd& th, Eigen::VectorXd*) {
    double v = nll(th, nullptr) / W;
    for (Eigen::Index k = 0; k < 4; ++k) v += pen * std::exp(2 * th(k));
    return v;
  };
  const detail::objective_fn mean_obj = [&](const Eigen::VectorXd& th, Eigen::VectorXd* grad) {
    const double v = mean_val(th, nullptr);
    if (grad && std::isfinite(v)) detail::gradient_fd(mean_val, th, *grad);
    return v;
  };
  const detail::objective_fn total_obj = nll;
  std::vector<std::vector<double>> starts;
  if (!options.start.empty()) {
    if (options.start.size() != 4)
      throw invalid_argument_error(model_name, "start", std::to_string(options.start.size()) + " values",
                                   "needs 4: alpha, beta, gamma, delta");
    starts.push_back(options.start);
  } else {
    starts = {{1, 1, 1, 1}, {1, 1, 0.5, 3}, {0.5, 0.5, 1, 5}, {2, 1, 0.3, 1}};
  }
  Eigen::VectorXd th0;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& st : starts) {
    Eigen::VectorXd th(4);
    for (Eigen::Index k = 0; k < 4; ++k) th(k) = std::log(st[static_cast<std::size_t>(k)]);
    const double v = mean_val(th, nullptr);
    if (th0.size() == 0 || v < best) {
      th0 = th;
      best = v;
    }
  }
  // Central-difference gradients are accurate to ~1e-9 relative: ask no more than that.
  const auto res = detail::minimize(mean_obj, th0, options.max_iterations, std::max(options.tolerance, 1e-7));
  fit_result<bgbb> out;
  out.model = bgbb({std::exp(res.theta(0)), std::exp(res.theta(1)), std::exp(res.theta(2)), std::exp(res.theta(3))},
                   opportunity);
  out.status = res.status;
  out.iterations = res.iterations;
  out.gradient_norm = res.gradient_norm;
  out.log_likelihood = -nll(res.theta, nullptr);
  out.std_errors = detail::std_errors_from_log_hessian(detail::hessian_fd(total_obj, res.theta), res.theta);
  out.n_customers = static_cast<std::size_t>(std::llround(W));
  out.n_used = out.n_customers;
  return out;
}

void clv(const bgbb& model, const discount_rate<double>& rate, const customer_summary_view& s,
         std::span<const double> value_per_transaction, std::span<double> out) {
  if (value_per_transaction.size() != s.size() || out.size() != s.size())
    throw invalid_argument_error("bgbb.clv", "value_per_transaction.size()", std::to_string(value_per_transaction.size()),
                                 "value_per_transaction and out must have one value per customer");
  const double d = rate.discrete_per(model.unit());
  model.dert(d, s, out);
  for (std::size_t i = 0; i < s.size(); ++i) out[i] *= value_per_transaction[i];
}

}  // namespace patron::inline v1
