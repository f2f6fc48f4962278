// SPDX-License-Identifier: MIT
// `patron demo`: the README's first command. Simulates a customer base with the parameters the
// CDNOW papers estimated, then runs the library on it and prints what it finds, section by section.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <chrono>

#include "cli.hpp"
#include "demo.hpp"
#include "patron/data/simulate.hpp"
#include "patron/data/summary.hpp"
#include "patron/error.hpp"
#include "patron/report.hpp"
#include "report_cli.hpp"

namespace patron::cli {
namespace {

double share_of_top(std::vector<double> v, double top_fraction) {
  std::sort(v.begin(), v.end(), std::greater<>());
  const double all = std::accumulate(v.begin(), v.end(), 0.0);
  const auto k = static_cast<std::size_t>(top_fraction * static_cast<double>(v.size()));
  const double top = std::accumulate(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
  return all > 0 ? top / all : 0.0;
}

void print_data_section(const demo_data& d) {
  const customer_summary& s = d.calibration;
  double revenue = 0;
  for (double a : d.log.amount) revenue += a;
  std::size_t repeaters = 0;
  double sx = 0, sxh = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    repeaters += s.x[i] > 0;
    sx += s.x[i];
    sxh += s.x_holdout[i];
  }
  std::printf("== Purchase log (simulated: BG/NBD r=%.3f alpha=%.3f a=%.3f b=%.3f, "
              "Gamma-Gamma p=%.2f q=%.2f gamma=%.2f; seed %llu)\n",
              d.truth.r, d.truth.alpha, d.truth.a, d.truth.b, d.truth.p, d.truth.q, d.truth.gamma,
              static_cast<unsigned long long>(d.truth.seed));
  std::printf("  %zu transactions, %zu customers, revenue %.2f, %s to %s\n", d.log.size(),
              d.log.customers.size(), revenue, to_string(d.truth.cohort_start).c_str(),
              to_string(d.truth.observation_end()).c_str());
  std::printf("\n== Customer summaries (weeks; calibration to %s, holdout to %s)\n",
              to_string(*s.calibration_end).c_str(), to_string(s.observation_end).c_str());
  std::printf("  %zu customers, %zu repeat buyers (%.1f %%), %.0f repeat purchases in calibration, "
              "%.0f in the %.0f-week holdout\n",
              s.size(), repeaters, 100.0 * static_cast<double>(repeaters) / static_cast<double>(s.size()), sx,
              sxh, s.holdout_length);
  std::printf("  top 20 %% of customers bring %.1f %% of the revenue\n", 100.0 * share_of_top(s.total, 0.2));
  std::printf("  %-10s %6s %8s %8s %10s %10s\n", "customer", "x", "t_x", "T", "monetary", "total");
  for (std::size_t i = 0; i < std::min<std::size_t>(5, s.size()); ++i)
    std::printf("  %-10s %6.0f %8.2f %8.2f %10.2f %10.2f\n", s.id[i].c_str(), s.x[i], s.t_x[i], s.T[i],
                s.monetary[i], s.total[i]);
}

}  // namespace

demo_data make_demo_data(std::size_t customers, std::uint64_t seed) {
  demo_data d;
  d.truth.model = purchase_model::bg_nbd;  // defaults: the CDNOW estimates, 12-week cohort, 78 weeks
  d.truth.customers = customers;
  d.truth.seed = seed;
  d.truth.observation_days = 545;  // 1997-01-01 .. 1998-06-30: 39 + 39 weeks after 1997-01-01
  d.truth.items = 500;             // a catalogue with a Zipf(1) popularity and paired items
  d.truth.validate();
  d.log = simulate_transactions(d.truth);
  summary_options so;
  so.unit = time_unit::week();
  so.observation_end = d.truth.observation_end();
  so.calibration_end = from_ymd(1997, 9, 30);  // weeks 1-39, as in the papers
  d.calibration = summarize(d.log, so);
  return d;
}

void add_demo_command(CLI::App& app) {
  struct state {
    std::size_t customers = 50000;
    bool details = false;
    report_flags flags;
  };
  auto st = std::make_shared<state>();
  st->flags.out = "patron-demo";
  CLI::App* cmd = app.add_subcommand(
      "demo", "Simulate a CDNOW-like customer base (with items and a holdout) and write the full report on it");
  cmd->add_option("--customers", st->customers, "Number of customers to simulate")->capture_default_str();
  cmd->add_option("--seed", st->flags.seed, "Random seed: same seed, same data and report")->capture_default_str();
  cmd->add_flag("--details", st->details, "Also print the model fits against the simulation truth and the RFM table");
  add_report_flags(*cmd, st->flags);
  cmd->callback([st] {
    if (st->customers < 10 || st->customers > 50'000'000)
      throw invalid_argument_error("demo", "customers", std::to_string(st->customers), "must be in [10, 50000000]");
    report::report_options o = to_report_options(st->flags);
    o.as_of = from_ymd(1998, 6, 30);
    o.calibration_end = from_ymd(1997, 9, 30);
    o.validate();
    if (o.progress) o.progress("simulating", 0.0);
    const auto t0 = std::chrono::steady_clock::now();
    const demo_data d = make_demo_data(st->customers, st->flags.seed);
    const double sim_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ingest_report ingest;
    ingest.source = "simulated (BG/NBD + Gamma-Gamma, CDNOW parameters, seed " + std::to_string(st->flags.seed) + ")";
    ingest.rows_read = ingest.rows_kept = d.log.size();
    const report::customer_report r = report::build_report(d.log, ingest, o);
    finish_report(r, st->flags, sim_seconds);
    if (st->details) {
      print_data_section(d);
      for (const auto& section : demo_sections()) section(d);
    }
  });
}

}  // namespace patron::cli
