// SPDX-License-Identifier: MIT
// Options and output shared by `patron report` and `patron demo` (which runs the report on a
// simulated customer base).
#ifndef PATRON_CLI_REPORT_CLI_HPP
#define PATRON_CLI_REPORT_CLI_HPP

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "patron/report.hpp"

namespace patron::cli {

struct report_flags {
  std::string out = "report", unit = "week", attributes, columns, salt;
  double discount = 0.10, margin = 1.0, csat_from = 4.0;
  std::size_t clusters = 4;
  int clv_months = 36;
  std::uint64_t seed = 1;
  bool quiet = false, timings = false;
};

/// --out, --unit, --discount, --margin, --clusters, --attributes, --csat-satisfied-from,
/// --columns, --pseudonymize, --quiet, --timings.
void add_report_flags(CLI::App& cmd, report_flags& f);
/// The library options; a progress indicator on stderr only when it is a terminal and not --quiet.
[[nodiscard]] report::report_options to_report_options(const report_flags& f);
/// Writes the three files, prints where they are and the five headline lines (stdout), and the
/// per-step timings with --timings (stderr).
void finish_report(const report::customer_report& r, const report_flags& f, double read_seconds);

}  // namespace patron::cli

#endif  // PATRON_CLI_REPORT_CLI_HPP
