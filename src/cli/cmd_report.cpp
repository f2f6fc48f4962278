// SPDX-License-Identifier: MIT
// `patron report`: purchase log → DIR/customers.csv, DIR/summary.json, DIR/report.html (the
// work is patron::report::build_report; this file only reads options and prints).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/read.hpp"
#include "patron/report.hpp"
#include "reader_options.hpp"
#include "report_cli.hpp"

namespace patron::cli {

void add_report_flags(CLI::App& cmd, report_flags& f) {
  cmd.add_option("--out", f.out, "Output directory (created if missing)")->capture_default_str();
  cmd.add_option("--unit", f.unit, "Model time unit: day|week|month|<days>")->capture_default_str();
  cmd.add_option("--discount", f.discount, "Annual discount rate of the CLV (0.10 = 10 %)")->capture_default_str();
  cmd.add_option("--clv-months", f.clv_months, "CLV horizon in months")->capture_default_str();
  cmd.add_option("--margin", f.margin, "CLV margin: share of spend that is profit, in [0, 1]")->capture_default_str();
  cmd.add_option("--clusters", f.clusters, "k-means clusters")->capture_default_str();
  cmd.add_option("--attributes", f.attributes,
                 "Customer attributes CSV (key: customer_id/customer/id or the first column); columns nps (0-10) and "
                 "csat/satisfaction (1-5) give NPS and CSAT; the others are joined as attr_<name>");
  cmd.add_option("--csat-satisfied-from", f.csat_from, "CSAT answers >= this count as satisfied")->capture_default_str();
  cmd.add_option("--columns", f.columns,
                 "Profile columns to keep, comma-separated (customer_id always kept); default all. Known: customer_id, "
                 "first_purchase, last_purchase, tenure_days, orders, frequency, recency_days, mean_interpurchase_days, "
                 "mean_basket, favourite_items, total_spend, r_score, f_score, m_score, rfm_code, rfm_segment, value_tier, "
                 "p_alive, expected_purchases, clv, lifecycle_stage, cluster, next_product, recommended_items, scored_on, "
                 "nps, nps_group, csat, attr_<name>");
  cmd.add_option("--pseudonymize", f.salt,
                 "Replace every customer id in every output by HMAC-SHA-256(SALT, id) in hex (keep the salt secret)");
  cmd.add_flag("--quiet,-q", f.quiet, "No progress indicator on stderr");
  cmd.add_flag("--timings", f.timings, "Print the seconds each step took on stderr");
}

report::report_options to_report_options(const report_flags& f) {
  report::report_options o;
  o.unit = time_unit::parse(f.unit);
  o.annual_discount_rate = f.discount;
  o.margin = f.margin;
  o.clv_months = f.clv_months;
  o.clusters = f.clusters;
  o.attributes_path = f.attributes;
  o.csat_satisfied_from = f.csat_from;
  std::stringstream ss(f.columns);
  std::string c;
  while (std::getline(ss, c, ','))
    if (!c.empty()) o.columns.push_back(c);
  if (!f.salt.empty()) o.pseudonymize_salt = f.salt;
  o.seed = f.seed;
  if (!f.quiet && isatty(2) != 0)
    o.progress = [](std::string_view step, double done) {
      std::fprintf(stderr, "\r\033[Kpatron: %3.0f %% %.*s...", 100 * done, static_cast<int>(step.size()), step.data());
      std::fflush(stderr);
    };
  return o;
}

void finish_report(const report::customer_report& r, const report_flags& f, double read_seconds) {
  if (!f.quiet && isatty(2) != 0) std::fprintf(stderr, "\r\033[K");
  const auto t0 = std::chrono::steady_clock::now();
  report::write_report(r, f.out);
  const double write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "report: " << f.out << "/report.html (with customers.csv and summary.json)\n";
  for (const auto& h : report::headlines(r)) std::cout << "  " << h << '\n';
  if (f.timings) {
    std::fprintf(stderr, "timings (s): read %.3f", read_seconds);
    for (const auto& [name, s] : r.timings) std::fprintf(stderr, ", %s %.3f", name.c_str(), s);
    std::fprintf(stderr, ", write %.3f\n", write_seconds);
  }
}

void add_report_command(CLI::App& app) {
  struct state {
    reader_cli reader;
    report_flags flags;
    std::string as_of, calibration_end;
  };
  auto s = std::make_shared<state>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Purchase log → customer-value report: DIR/customers.csv (profile per customer), DIR/summary.json, DIR/report.html");
  add_reader_options(*cmd, s->reader);
  cmd->add_option("--as-of", s->as_of, "Analysis date YYYY-MM-DD: later rows are left out (default: last day in the log)");
  cmd->add_option("--calibration-end", s->calibration_end,
                  "Also fit the models up to this date and check them on the days after it (holdout)");
  cmd->add_option("--seed", s->flags.seed, "Seed of the k-means++ start (same seed, same clusters)")->capture_default_str();
  add_report_flags(*cmd, s->flags);
  cmd->callback([s] {
    const read_options ro = to_read_options(s->reader);
    report::report_options o = to_report_options(s->flags);
    o.as_of = parse_date_option(s->as_of, "--as-of");
    o.calibration_end = parse_date_option(s->calibration_end, "--calibration-end");
    o.validate();
    if (o.progress) o.progress("reading " + s->reader.input, 0.0);
    const auto t0 = std::chrono::steady_clock::now();
    read_result in = read_purchase_log(s->reader, ro);
    const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!s->flags.quiet && isatty(2) != 0) std::fprintf(stderr, "\r\033[K");
    std::cerr << in.report.to_text();
    const report::customer_report r = report::build_report(in.log, in.report, o);
    finish_report(r, s->flags, read_seconds);
  });
}

}  // namespace patron::cli
