// SPDX-License-Identifier: MIT
// Reads the CDNOW sample log and prints a few per-customer summary numbers.
// Usage: example_read_summarize [CDNOW_sample.txt]   (default: ../shared/data/CDNOW_sample.txt)
#include <cstdio>
#include <exception>
#include <string>

#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/error.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "../shared/data/CDNOW_sample.txt";
  try {
    patron::read_options o;  // whitespace-separated, no header: columns by position
    o.customer = patron::column_ref::parse("2");
    o.date = patron::column_ref::parse("3");
    o.amount = patron::column_ref::parse("5");
    const patron::read_result r = patron::read_transactions(path, o);
    std::fputs(r.report.to_text().c_str(), stdout);

    patron::summary_options so;
    so.unit = patron::time_unit::week();
    so.observation_end = patron::from_ymd(1997, 9, 30);
    const patron::customer_summary s = patron::summarize(r.log, so);
    double sum_x = 0;
    std::size_t repeaters = 0;
    for (double x : s.x) {
      sum_x += x;
      repeaters += x > 0 ? 1 : 0;
    }
    std::printf("customers %zu, repeat purchases %.0f, repeaters %zu\n", s.size(), sum_x, repeaters);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
