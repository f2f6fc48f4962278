// SPDX-License-Identifier: MIT
// The README's first program: read the CDNOW sample, summarize it by week.
#include <patron/patron.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  // CDNOW's 1-in-10 sample: whitespace-separated, no header; id, date, amount in columns 2, 3, 5.
  patron::read_options in;
  in.delimiter = ' ';
  in.header = patron::header_mode::no;
  in.customer = patron::column_ref::at(2);
  in.date = patron::column_ref::at(3);
  in.amount = patron::column_ref::at(5);
  const auto [log, report] = patron::read_transactions(
      argc > 1 ? argv[1] : "../shared/data/CDNOW_sample.txt", in);

  patron::summary_options by_week;
  by_week.observation_end = patron::from_ymd(1997, 9, 30);
  const patron::customer_summary s = patron::summarize(log, by_week);
  std::printf("%llu rows, %zu customers; customer %s: x = %g, t_x = %.2f, T = %.2f weeks\n",
              static_cast<unsigned long long>(report.rows_kept), s.size(), s.id[0].c_str(), s.x[0],
              s.t_x[0], s.T[0]);
}
