// SPDX-License-Identifier: MIT
// Built with `pkg-config --cflags --libs patron` only: summarizes a three-row log (narrow includes, CI time).
#include <patron/data/summary.hpp>
#include <patron/version.hpp>

#include <cstdio>

int main() {
  patron::transaction_log log;
  const auto day = [](int y, int m, int d) { return patron::start_of(patron::from_ymd(y, m, d)); };
  log.add("a", day(2024, 1, 1), 10.0);
  log.add("a", day(2024, 1, 15), 20.0);
  log.add("b", day(2024, 1, 8), 5.0);
  patron::summary_options options;
  options.unit = patron::time_unit::week();
  options.observation_end = patron::from_ymd(2024, 1, 29);
  const patron::customer_summary s = patron::summarize(log, options);
  std::printf("patron %s: %zu customers, x = %g, T = %g\n", patron::version(), s.size(), s.x[0], s.T[0]);
  return (s.size() == 2 && s.x[0] == 1.0 && s.T[0] == 4.0) ? 0 : 1;
}
