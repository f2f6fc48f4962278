// SPDX-License-Identifier: MIT
// The whole customer-value report from C++: read a purchase log, build the report (profile per
// customer, fits, KPIs), write customers.csv, summary.json and report.html, print the headlines.
// Usage: example_customer_report [CDNOW_sample.txt] [out dir]
//        (defaults: ../shared/data/CDNOW_sample.txt, customer_report)
#include <cstdio>
#include <exception>
#include <string>

#include "patron/data/read.hpp"
#include "patron/report.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "../shared/data/CDNOW_sample.txt";
  const std::string out = argc > 2 ? argv[2] : "customer_report";
  try {
    patron::read_options ro;  // the sample is whitespace-separated without a header
    ro.customer = patron::column_ref::at(2);
    ro.date = patron::column_ref::at(3);
    ro.amount = patron::column_ref::at(5);
    const patron::read_result in = patron::read_transactions(path, ro);

    patron::report::report_options o;
    o.calibration_end = patron::from_ymd(1997, 9, 30);  // weeks 1-39 fit, 40-78 check
    o.annual_discount_rate = 0.10;
    o.columns = {"total_spend", "rfm_segment", "p_alive", "clv", "lifecycle_stage"};
    const patron::report::customer_report r = patron::report::build_report(in.log, in.report, o);
    patron::report::write_report(r, out);

    std::printf("%s/report.html: %zu customers, columns", out.c_str(), r.rows.size());
    for (const auto& c : r.columns) std::printf(" %s", c.c_str());
    std::printf("\n");
    for (const auto& line : patron::report::headlines(r)) std::printf("  %s\n", line.c_str());
    std::printf("first customer: %s spent %s, CLV %s, stage %s\n", r.rows[0][0].c_str(), r.rows[0][1].c_str(),
                r.rows[0][4].c_str(), r.rows[0][5].c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
