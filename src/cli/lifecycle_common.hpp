// SPDX-License-Identifier: MIT
// Options shared by `patron lifecycle` and `patron triggers`: input, table, evaluation dates, model.
// Kept light on purpose (no JSON, no Eigen, no model headers): those live in lifecycle_common.cpp,
// compiled once instead of in both commands.
#ifndef PATRON_CLI_LIFECYCLE_COMMON_HPP
#define PATRON_CLI_LIFECYCLE_COMMON_HPP

#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/date.hpp"
#include "patron/data/read.hpp"
#include "patron/lifecycle/replay.hpp"
#include "patron/lifecycle/state_machine.hpp"
#include "reader_options.hpp"

namespace patron::cli::lifecycle_cli {

struct options {
  reader_cli reader;  ///< the shared reader options (summarize's set, CRM presets included)
  std::string table = "seven";
  std::string at, every, from, to;
  std::string model;
};

/// Adds the reader options and --table, --at, --every, --from, --to, --model to `cmd`.
void add_common_options(CLI::App* cmd, options& o);

/// Reads the purchase log; the reader's report (rows read, kept, skipped) goes to stderr.
[[nodiscard]] read_result read_input(const options& o);

/// The evaluation dates: --at, or --every with --from/--to (defaults: the log's first and last day).
[[nodiscard]] std::vector<date> evaluation_dates(const options& o, const transaction_log& log);

/// The replay's model columns for --model (empty without it): P(alive) and expected purchases in
/// the next year, per (date, customer), from a BG/NBD, MBG/NBD or Pareto/NBD file written by
/// `patron fit`; NaN before a customer's first purchase.
[[nodiscard]] lifecycle::replay_inputs model_inputs(const options& o, const transaction_log& log,
                                                    const std::vector<date>& dates);

/// The state machine for --table (seven, four or a .json/.csv file), with the P(alive) guards of
/// the built-in tables when --model is given. A file failing validation is a data_error (exit 3).
[[nodiscard]] lifecycle::state_machine make_machine(const options& o);

}  // namespace patron::cli::lifecycle_cli

#endif  // PATRON_CLI_LIFECYCLE_COMMON_HPP
