// SPDX-License-Identifier: MIT
// Holdout evaluation: metrics by hand, tracking by hand, CDNOW calibration/holdout, and the
// `patron evaluate` / `patron fit --model bgbb|sbg` commands end to end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/models/evaluate.hpp"
#include "test_support.hpp"

using namespace patron;
using Catch::Matchers::Contains;
using Catch::Matchers::Message;

TEST_CASE("evaluate: ROC AUC by hand", "[evaluate][reference]") {
  // Hand computation: positives score 0.35 and 0.8, negatives 0.1 and 0.4; of the 4 pairs the
  // positive wins 3 → 0.75.
  const std::vector<double> s{0.1, 0.4, 0.35, 0.8}, y{0, 0, 1, 1};
  CHECK(roc_auc(s, y) == Approx(0.75).epsilon(1e-15));
  // Ties count one half.
  CHECK(roc_auc(std::vector<double>{0.5, 0.5}, std::vector<double>{1, 0}) == Approx(0.5).epsilon(1e-15));
  CHECK(std::isnan(roc_auc(std::vector<double>{0.1, 0.2}, std::vector<double>{1, 1})));
  CHECK_THROWS_AS(roc_auc(std::vector<double>{0.1}, std::vector<double>{1, 0}), invalid_argument_error);
}

namespace {
timestamp day(int y, int m, int d) { return start_of(from_ymd(y, m, d)); }

transaction_log small_log() {
  transaction_log log;
  log.add("A", day(2020, 1, 1), 10);
  log.add("A", day(2020, 1, 3), 10);
  log.add("B", day(2020, 1, 5), 10);
  log.add("B", day(2020, 1, 6), 10);
  log.add("A", day(2020, 1, 10), 10);
  log.add("A", day(2020, 1, 10), 5);  // same day: one transaction
  log.add("A", day(2020, 1, 20), 10);
  log.add("C", day(2020, 1, 18), 10);  // first purchase after the calibration end: not in the cohort
  return log;
}
}  // namespace

TEST_CASE("evaluate: actual tracking of a small log by hand", "[evaluate][reference]") {
  summary_options o;
  o.unit = time_unit::week();
  o.calibration_end = from_ymd(2020, 1, 15);
  o.observation_end = from_ymd(2020, 1, 21);
  const cohort_tracking t = actual_tracking(small_log(), o);
  // Hand computation: origin 2020-01-01; weeks = days 0-6, 7-13, 14-20. A repeats on days 2, 9
  // (twice, one day) and 19; B first buys on day 4 and repeats on day 5; C is left out.
  CHECK(t.origin == from_ymd(2020, 1, 1));
  REQUIRE(t.times.size() == 3);
  CHECK(t.times[0] == Approx(6.0 / 7));
  CHECK(t.times[2] == Approx(20.0 / 7));
  CHECK(t.actual_incremental == std::vector<double>{2, 1, 1});
  CHECK(t.actual_cumulative == std::vector<double>{2, 3, 4});
  REQUIRE(t.first_purchase.size() == 2);
  CHECK(t.first_purchase[1] == Approx(4.0 / 7));
  summary_options m = o;
  m.merge_by_unit = true;
  CHECK_THROWS_AS(actual_tracking(small_log(), m), invalid_argument_error);
}

TEST_CASE("evaluate: holdout metrics equal their definitions", "[evaluate][reference]") {
  summary_options o;
  o.calibration_end = from_ymd(2020, 1, 15);
  o.observation_end = from_ymd(2020, 1, 21);
  const transaction_log log = small_log();
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 2);
  const bgnbd m({0.5, 2.0, 0.8, 2.5});
  const cohort_tracking t = actual_tracking(log, o);
  const holdout_evaluation e = evaluate_holdout(m, s, &t, 2);
  // Definitions (FHL 2005's holdout comparison), from the model's own per-customer forecasts.
  const double h = s.holdout_length;
  const double p0 = m.expected_purchases(h, s.x[0], s.t_x[0], s.T[0]);
  const double p1 = m.expected_purchases(h, s.x[1], s.t_x[1], s.T[1]);
  const double a0 = s.x_holdout[0], a1 = s.x_holdout[1];
  CHECK(a0 == 1);  // A on 2020-01-20
  CHECK(a1 == 0);
  CHECK(e.mae == Approx((std::abs(p0 - a0) + std::abs(p1 - a1)) / 2).epsilon(1e-14));
  CHECK(e.rmse == Approx(std::sqrt(((p0 - a0) * (p0 - a0) + (p1 - a1) * (p1 - a1)) / 2)).epsilon(1e-14));
  CHECK(e.predicted_total == Approx(p0 + p1).epsilon(1e-14));
  CHECK(e.actual_total == 1);
  const double z0 = m.prob_purchases(0, h, s.x[0], s.t_x[0], s.T[0]), z1 = m.prob_purchases(0, h, s.x[1], s.t_x[1], s.T[1]);
  CHECK(e.brier == Approx((z0 * z0 + (1 - z1) * (1 - z1)) / 2).epsilon(1e-14));
  CHECK(e.auc == (z1 > z0 ? 1.0 : z1 == z0 ? 0.5 : 0.0));
  // By frequency: A has x = 2 (bucket "2+"), B has x = 1.
  CHECK(e.by_x_customers == std::vector<double>{0, 1, 1});
  CHECK(e.by_x_actual[2] == 1);
  // Tracking: Σᵢ E_new(t − firstᵢ).
  REQUIRE(e.tracking_cumulative.size() == 3);
  CHECK(e.tracking_cumulative[2] ==
        Approx(m.expected_purchases_new(20.0 / 7) + m.expected_purchases_new(16.0 / 7)).epsilon(1e-12));
  CHECK(e.tracking_incremental[1] == Approx(e.tracking_cumulative[1] - e.tracking_cumulative[0]).epsilon(1e-12));
  // Errors: no holdout, a spend model, a bad bucket.
  summary_options nh;
  const customer_summary s2 = summarize(log, nh);
  CHECK_THROWS_AS(evaluate_holdout(m, s2), invalid_argument_error);
  CHECK_THROWS_AS(evaluate_holdout(gamma_gamma({1, 1, 1}), s), invalid_argument_error);
  CHECK_THROWS_AS(evaluate_holdout(m, s, nullptr, 0), invalid_argument_error);
  evaluation_options eo;
  eo.models = {"bgnbd", "nbd"};
  CHECK_THROWS_MATCHES(evaluate(log, o, eo), invalid_argument_error,
                       Message("[patron.invalid_argument] evaluate: models = nbd: must be bgnbd, mbgnbd or pnbd"));
  CHECK_THROWS_AS(evaluate(log, nh), invalid_argument_error);
  // Two customers cannot identify the models: a fit that runs to a corner is reported, not thrown.
  const evaluation_report tiny = evaluate(log, o);
  REQUIRE(tiny.models.size() == 3);
  for (const auto& x : tiny.models) {
    INFO(x.model << " " << x.status);
    CHECK(x.rank >= 1);
    CHECK(x.rank <= 3);
    CHECK((x.status == "numeric_error") == std::isnan(x.rmse));
  }
  CHECK_THROWS_AS(evaluate(transaction_log{}, o), data_error);
}

TEST_CASE("evaluate: CDNOW sample calibration fits are the published ones", "[evaluate][reference]") {
  read_options ro;
  ro.customer = column_ref::parse("1");
  ro.date = column_ref::parse("3");
  ro.amount = column_ref::parse("5");
  const read_result r = read_transactions(patron_test::data_file("CDNOW_sample.txt"), ro);
  summary_options o;
  o.calibration_end = from_ymd(1997, 9, 30);
  o.observation_end = from_ymd(1998, 6, 30);
  evaluation_options eo;
  eo.models = {"bgnbd", "pnbd"};
  const evaluation_report rep = evaluate(r.log, o, eo);
  REQUIRE(rep.models.size() == 2);
  // FHL 2005, Marketing Science 24(2), Table 1 / §4 (1-in-10 sample, weeks 1-39): BG/NBD
  // r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4; Pareto/NBD r = 0.553,
  // alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0 (shared/data/README.md).
  const auto& bg = rep.models[0].params;
  CHECK(bg[0] == Approx(0.243).margin(0.0015));
  CHECK(bg[1] == Approx(4.414).margin(0.0015));
  CHECK(bg[2] == Approx(0.793).margin(0.0015));
  CHECK(bg[3] == Approx(2.426).margin(0.0015));
  CHECK(rep.models[0].log_likelihood == Approx(-9582.4).margin(0.06));
  const auto& pn = rep.models[1].params;
  CHECK(pn[0] == Approx(0.553).margin(0.0015));
  CHECK(pn[3] == Approx(11.669).margin(0.003));
  CHECK(rep.models[1].log_likelihood == Approx(-9595.0).margin(0.06));
  // shared/data/README.md: the calibration repeat purchases of the sample sum to 2,457.
  CHECK(rep.tracking.actual_cumulative[38] == 2457);
}

TEST_CASE("evaluate: CDNOW calibration to 1997-09-30 and holdout to 1998-06-30", "[evaluate][reference][slow]") {
  const read_result r = read_transactions(patron_test::data_file("CDNOW_master.txt"), {});
  summary_options o;
  o.unit = time_unit::week();
  o.calibration_end = from_ymd(1997, 9, 30);
  o.observation_end = from_ymd(1998, 6, 30);
  const evaluation_report rep = evaluate(r.log, o);
  // shared/data/README: 23,570 customers, all first buying in the first quarter of 1997.
  CHECK(rep.customers == 23570);
  CHECK(rep.holdout_length == Approx(273.0 / 7));
  // The tracking counts the same repeat purchase days as the summary (independent code paths).
  const customer_summary s = summarize(r.log, o);
  double repeats = 0, hold = 0, cal = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    repeats += s.x[i] + s.x_holdout[i];
    hold += s.x_holdout[i];
    cal += s.x[i];
  }
  REQUIRE(rep.tracking.times.size() == 78);
  CHECK(rep.tracking.actual_cumulative[38] == cal);
  CHECK(rep.tracking.actual_cumulative.back() == repeats);
  REQUIRE(rep.models.size() == 3);
  std::vector<std::size_t> ranks;
  for (const auto& m : rep.models) {
    INFO(m.model);
    CHECK(m.status == "converged");
    CHECK(m.actual_total == hold);
    // FHL 2005 Figures 2-3 and Schmittlein et al. (1987): the models track the cohort's
    // cumulative repeat purchases closely through week 78, falling somewhat behind over the
    // holdout (the published BG/NBD and Pareto/NBD curves end a few percent under the actual
    // one; MBG/NBD, not in those figures, falls furthest behind: about 9 % on the full cohort).
    CHECK(m.tracking_cumulative[38] == Approx(cal).epsilon(0.05));
    CHECK(m.tracking_cumulative.back() == Approx(repeats).epsilon(0.10));
    CHECK(m.predicted_total == Approx(hold).epsilon(0.20));
    CHECK(m.predicted_total < hold);
    // Better than chance at telling who buys again.
    CHECK(m.auc > 0.7);
    CHECK(m.brier < 0.25);
    CHECK(m.rmse >= m.mae);
    ranks.push_back(m.rank);
  }
  std::sort(ranks.begin(), ranks.end());
  CHECK(ranks == std::vector<std::size_t>{1, 2, 3});
}

// ------------------------------------------------------------------------------------------------
namespace evaluate_cli {

const patron_test::cli_files files{"eval_"};
using run_result = patron_test::cli_files::run_result;
std::string temp_path(const std::string& name) { return files.temp_path(name); }
std::string write_file(const std::string& name, const std::string& text) { return files.write_file(name, text); }
run_result run(const std::string& args) { return files.run(args); }
using patron_test::slurp;

}  // namespace evaluate_cli

TEST_CASE("cli: patron evaluate writes the comparison as JSON", "[cli][evaluate]") {
  using namespace evaluate_cli;
  const std::string log = patron_test::data_file("CDNOW_sample.txt");
  const run_result ok = run("evaluate --input '" + log + "' --customer 1 --date 3 --amount 5 --calibration-end 1997-09-30 "
                            "--observation-end 1998-06-30 --models bgnbd,mbgnbd");
  INFO(ok.err);
  REQUIRE(ok.status == 0);
  for (const char* key : {"\"params\"", "\"log_likelihood\"", "\"mae\"", "\"rmse\"", "\"predicted_total\"", "\"actual_total\"",
                          "\"auc\"", "\"brier\"", "\"tracking_incremental\"", "\"tracking_cumulative\"", "\"actual_cumulative\"",
                          "\"model\": \"mbgnbd\"", "\"rank\": "})
    CHECK_THAT(ok.out, Contains(key));
  const run_result bad = run("evaluate --input '" + log + "' --customer 1 --date 3 --amount 5 --calibration-end 1997-09-30 --models bgnbd,foo");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Contains("--models = foo: must be bgnbd, mbgnbd or pnbd"));
  const run_result nocal = run("evaluate --input '" + log + "' --customer 1 --date 3 --amount 5");
  CHECK(nocal.status == 2);
}

TEST_CASE("cli: patron fit --model bgbb and sbg write model files", "[cli][bgbb][sbg]") {
  using namespace evaluate_cli;
  const run_result b = run("fit --model bgbb --input '" + patron_test::data_file("donations.csv") + "'");
  INFO(b.err);
  REQUIRE(b.status == 0);
  CHECK_THAT(b.out, Contains("\"model\": \"bgbb\""));
  CHECK_THAT(b.out, Contains("\"time_unit_days\": 365.25"));
  // FHS 2010 Table 2: alpha = 1.204 (the file keeps full precision).
  const discrete_model m = discrete_model_from_json(b.out, "bgbb.json");
  REQUIRE(std::holds_alternative<bgbb>(m));
  CHECK(std::get<bgbb>(m).params().alpha == Approx(1.204).margin(0.0015));
  const std::string surv = write_file("surv.csv", "period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n");
  const run_result s = run("fit --model sbg --input '" + surv + "'");
  INFO(s.err);
  REQUIRE(s.status == 0);
  const discrete_model ms = discrete_model_from_json(s.out, "sbg.json");
  REQUIRE(std::holds_alternative<sbg>(ms));
  // FH 2007: regular cohort alpha = 0.704, beta = 1.182.
  CHECK(std::get<sbg>(ms).params().beta == Approx(1.182).margin(0.0015));
  const std::string up = write_file("up.csv", "period,alive\n0,1000\n1,631\n2,700\n");
  const run_result bad = run("fit --model sbg --input '" + up + "'");
  CHECK(bad.status == 3);
  CHECK_THAT(bad.err, Contains(":4:2: alive = \"700\": survivors increase"));
  // patron score with both files.
  const std::string bfile = write_file("bgbb.json", b.out), sfile = write_file("sbg.json", s.out);
  const run_result sb = run("score --model '" + bfile + "' --input '" + patron_test::data_file("donations.csv") +
                            "' --horizon 5 --discount-rate 0.1");
  INFO(sb.err);
  REQUIRE(sb.status == 0);
  CHECK(sb.out.rfind("customer_id,p_alive,expected_purchases,dert\n", 0) == 0);
  const bgbb& bm = std::get<bgbb>(m);
  // Row 1 of donations.csv is (x, t_x, n) = (0, 0, 6); yearly opportunities, so 10 % a year is d = 0.1.
  std::istringstream rows(sb.out);
  std::string header, row1;
  std::getline(rows, header);
  std::getline(rows, row1);
  double pa = 0, ep = 0, de = 0;
  REQUIRE(std::sscanf(row1.c_str(), "1,%lf,%lf,%lf", &pa, &ep, &de) == 3);
  CHECK(pa == Approx(bm.p_alive(0, 0, 6)).epsilon(1e-12));
  CHECK(ep == Approx(bm.expected_purchases(5, 0, 0, 6)).epsilon(1e-12));
  CHECK(de == Approx(bm.dert(0.1, 0, 0, 6)).epsilon(1e-12));
  const run_result ss = run("score --model '" + sfile + "' --input '" + surv + "' --horizon 12 --discount-rate 0.1");
  INFO(ss.err);
  REQUIRE(ss.status == 0);
  CHECK(ss.out.rfind("cohort,period,alive,expected_alive,survival,retention,churn_probability,derl\n", 0) == 0);
  CHECK_THAT(ss.out, Contains("\n1,7,241,"));
  CHECK_THAT(ss.out, Contains("\n1,12,,"));
  // A bgbb file is not a continuous-time model file, and vice versa.
  CHECK_THROWS_AS(model_from_json(b.out, "bgbb.json"), data_error);
}
