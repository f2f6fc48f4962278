// SPDX-License-Identifier: MIT
// `patron demo`, CLV section: fits BG/NBD, Pareto/NBD and Gamma-Gamma on the calibration weeks
// of the simulated base, compares the estimates with the parameters the data came from, predicts
// the holdout weeks and ranks customers by discounted CLV.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "demo.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/pnbd.hpp"
#include "patron/value/discount.hpp"

namespace patron::cli {
namespace {

template <class Result>
void print_fit(const char* name, const Result& fit, const std::vector<double>& truth) {
  const auto names = fit.model.param_names();
  const auto values = fit.model.param_vector();
  std::printf("  %-11s LL %.1f, %s after %d iterations\n", name, fit.log_likelihood, to_string(fit.status),
              fit.iterations);
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::printf("    %-6s %9.4f  (s.e. %.4f", names[k].c_str(), values[k], fit.std_errors[k]);
    if (!truth.empty()) std::printf(", simulated with %.4f", truth[k]);
    std::printf(")\n");
  }
}

template <class Model>
double holdout_expectation(const Model& m, const customer_summary& s) {
  std::vector<double> e(s.size());
  m.expected_purchases(s.holdout_length, customer_summary_view(s), e);
  return std::accumulate(e.begin(), e.end(), 0.0);
}

}  // namespace

void demo_clv_section(const demo_data& d) {
  const customer_summary& s = d.calibration;
  const customer_summary_view v(s);
  std::printf("\n== Lifetime-value models (maximum likelihood on the calibration weeks)\n");
  const auto bg = bgnbd::fit(v);
  print_fit("BG/NBD", bg, {d.truth.r, d.truth.alpha, d.truth.a, d.truth.b});
  const auto pn = pnbd::fit(v);
  print_fit("Pareto/NBD", pn, {});
  const auto gg = gamma_gamma::fit(v);
  print_fit("Gamma-Gamma", gg, {d.truth.p, d.truth.q, d.truth.gamma});
  std::printf("    (%zu customers without a repeat purchase left out of the spend fit, counted)\n",
              gg.n_excluded_no_repeat + gg.n_excluded_nonpositive_spend);

  const double actual = std::accumulate(s.x_holdout.begin(), s.x_holdout.end(), 0.0);
  std::printf("\n  Holdout (%.0f weeks): actual repeat purchases %.0f; expected by BG/NBD %.1f, by Pareto/NBD %.1f\n",
              s.holdout_length, actual, holdout_expectation(bg.model, s), holdout_expectation(pn.model, s));

  std::vector<double> alive(s.size()), clv(s.size());
  bg.model.p_alive(v, alive);
  const auto rate = discount_rate<double>::annual(0.10);
  patron::clv(bg.model, gg.model, rate, v, clv);
  const auto lapsed = std::count_if(alive.begin(), alive.end(), [](double p) { return p < 0.5; });
  std::printf("  P(alive) < 0.5 for %lld of %zu customers; mean P(alive) %.3f\n", static_cast<long long>(lapsed),
              s.size(), std::accumulate(alive.begin(), alive.end(), 0.0) / static_cast<double>(s.size()));
  std::printf("  CLV (BG/NBD x Gamma-Gamma, 10 %% a year, discounted continuously per week): total %.0f, "
              "mean %.2f per customer\n",
              std::accumulate(clv.begin(), clv.end(), 0.0),
              std::accumulate(clv.begin(), clv.end(), 0.0) / static_cast<double>(s.size()));

  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t top = std::min<std::size_t>(5, s.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) { return clv[a] > clv[b] || (clv[a] == clv[b] && a < b); });
  std::printf("  %-10s %6s %8s %8s %10s %8s %10s\n", "customer", "x", "t_x", "T", "monetary", "P(alive)", "CLV");
  for (std::size_t k = 0; k < top; ++k) {
    const std::size_t i = order[k];
    std::printf("  %-10s %6.0f %8.2f %8.2f %10.2f %8.3f %10.2f\n", s.id[i].c_str(), s.x[i], s.t_x[i], s.T[i],
                s.monetary[i], alive[i], clv[i]);
  }
}

}  // namespace patron::cli
