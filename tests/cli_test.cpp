// SPDX-License-Identifier: MIT
// The `patron` command-line tool end to end: exit statuses, output columns, messages on stderr.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.hpp"

namespace {

const patron_test::cli_files files{"cli_"};
using run_result = patron_test::cli_files::run_result;
std::string temp_path(const std::string& name) { return files.temp_path(name); }
std::string write_file(const std::string& name, const std::string& text) { return files.write_file(name, text); }
run_result run(const std::string& args) { return files.run(args); }
using patron_test::slurp;

}  // namespace

TEST_CASE("cli: --version · help and unknown commands", "[cli][unit]") {
  const run_result v = run("--version");
  CHECK(v.status == 0);
  CHECK(v.out.find("patron 1.") != std::string::npos);
  const run_result h = run("help");
  CHECK(h.status == 0);
  CHECK(h.out.find("summarize") != std::string::npos);
  CHECK(run("no-such-command").status == 2);
  CHECK(run("summarize --unit week").status == 2);  // --input missing
}

TEST_CASE("cli summarize: CDNOW sample gives the published summary", "[cli][reference]") {
  const std::string out = temp_path("cdnow_summary.csv");
  const run_result r = run("summarize --input '" + patron_test::data_file("CDNOW_sample.txt") +
                           "' --delimiter space --header no --customer 2 --date 3 --amount 5 --unit week "
                           "--observation-end 1997-09-30 --output '" + out + "'");
  REQUIRE(r.status == 0);
  const std::string csv = slurp(out);
  CHECK(csv.rfind("customer_id,x,t_x,T,monetary,total,orders,first,last\n", 0) == 0);
  // 2,357 customers + header (../shared/data/README.md).
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 2358);
  CHECK(r.err.find("rows read") != std::string::npos);
}

TEST_CASE("cli summarize: calibration end adds the holdout columns", "[cli][unit]") {
  const std::string in = write_file("holdout.csv",
                                    "customer,date,amount\n"
                                    "a,2024-01-01,10\n"
                                    "a,2024-01-05,20\n"
                                    "a,2024-01-12,30\n");
  const run_result r = run("summarize --input '" + in +
                           "' --unit day --calibration-end 2024-01-10 --observation-end 2024-01-20");
  REQUIRE(r.status == 0);
  // a: x = 1 (01-05), t_x = 4, T = 9 days, monetary 20, total 30 in calibration; holdout x = 1, 30.
  CHECK(r.out == "customer_id,x,t_x,T,monetary,total,orders,first,last,x_holdout,monetary_holdout\n"
                 "a,1,4,9,20,30,2,2024-01-01,2024-01-05,1,30\n");
}

TEST_CASE("cli summarize: bad data exits 3 and names file · line · field · value", "[cli][error]") {
  const std::string in = write_file("bad_amount.csv", "customer,date,amount\na,2024-01-01,12,50x\n");
  const std::string in2 = write_file("bad_amount2.csv", "customer,date,amount\na,2024-01-01,10\nb,2024-01-02,abc\n");
  const run_result r = run("summarize --input '" + in2 + "'");
  CHECK(r.status == 3);
  CHECK(r.err.find("[patron.bad_number]") != std::string::npos);
  CHECK(r.err.find("bad_amount2.csv:3:3: amount = \"abc\"") != std::string::npos);
  const run_result lenient = run("summarize --lenient --input '" + in2 + "'");
  CHECK(lenient.status == 0);
  CHECK(lenient.out.find("\na,0,0,") != std::string::npos);
  (void)in;
}

TEST_CASE("cli summarize: bad options exit 2", "[cli][error]") {
  const std::string in = write_file("ok.csv", "customer,date,amount\na,2024-01-01,10\n");
  CHECK(run("summarize --input '" + in + "' --unit fortnight").status == 2);
  CHECK(run("summarize --input '" + in + "' --observation-end 2024-02-30").status == 2);
  CHECK(run("summarize --input '" + in + "' --returns maybe").status == 2);
  const run_result r = run("summarize --input '" + in + "' --calibration-end 2024-03-01 --observation-end 2024-02-01");
  CHECK(r.status == 2);
  CHECK(r.err.find("calibration_end") != std::string::npos);
  CHECK(run("summarize --input /nonexistent/file.csv").status == 3);
}

TEST_CASE("cli campaign: metrics CSV · JSON · segments joined from a file · bad rows exit 3", "[cli][campaign]") {
  // Hand-worked: treatment a, b (b converts, 40 revenue, cost 1 each), control c (no conversion).
  const std::string ev = write_file("events.csv",
                                    "customer_id,campaign,group,sent,opened,converted,revenue,cost\n"
                                    "a,mail,test,1,1,0,0,1\nb,mail,test,1,0,1,40,1\nc,mail,control,0,0,0,0,0\n");
  const std::string seg = write_file("segments.csv", "customer_id,segment\na,champions\nb,at risk\nc,at risk\n");
  const std::string json = temp_path("campaign.json");
  const run_result r = run("campaign --input '" + ev + "' --segments '" + seg + "' --json '" + json + "'");
  REQUIRE(r.status == 0);
  // overall + 1 campaign + 2 segments; conversion 1/2, CPA 2, ROI (40-2)/2 = 19, uplift 50 pp.
  CHECK(r.out.rfind("campaign,segment,targeted,", 0) == 0);
  CHECK_THAT(r.out, Catch::Matchers::Contains("\nmail,,2,2,2,1,0,1,40,2,1,0.5,0,0,0.5,2,19,1,0,0,0,0.5,"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("\nmail,at risk,1,1,1,0,0,1,40,1,"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("\nmail,champions,1,1,1,1,0,0,0,1,"));
  CHECK_THAT(r.err, Catch::Matchers::Contains("mail: 2 targeted, delivery 100.0%, open 50.0%, CTR 0.0%, conversion 50.0%, CPA 2, ROI 1900.0%, uplift 50.00 pp"));
  CHECK_THAT(slurp(json), Catch::Matchers::Contains("\"conversion_rate\": 0.5"));
  const std::string bad = write_file("events_bad.csv", "customer,campaign,sent\na,x,2\nb,x,-1\n");
  const run_result e = run("campaign --input '" + bad + "'");
  CHECK(e.status == 3);
  CHECK_THAT(e.err, Catch::Matchers::Contains("events_bad.csv:3:3: sent = \"-1\": a count must be >= 0"));
  const run_result l = run("campaign --lenient --input '" + bad + "'");
  CHECK(l.status == 0);
  CHECK_THAT(l.err, Catch::Matchers::Contains("skipped 1 rows: out_of_range"));
  CHECK(run("campaign --input '" + ev + "' --col buyer=x").status == 2);
}
