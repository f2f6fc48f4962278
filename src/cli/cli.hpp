// SPDX-License-Identifier: MIT
// Shared pieces of the `patron` command-line tool. Each command lives in src/cli/cmd_<name>.cpp
// and registers itself with one add_<name>_command() call listed in main.cpp.
#ifndef PATRON_CLI_CLI_HPP
#define PATRON_CLI_CLI_HPP

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace patron::cli {

/// Exit statuses, documented in the README.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;   ///< a numerical failure or an internal error
inline constexpr int exit_usage = 2;     ///< bad arguments or options
inline constexpr int exit_data = 3;      ///< bad input data (file, line, field named on stderr)

/// Thrown by a command body to end with a given status after printing nothing more.
struct exit_request {
  int status;
};

/// An output stream: the file at `path`, or standard output for "" or "-".
class output {
 public:
  explicit output(const std::string& path);
  ~output();
  output(const output&) = delete;
  output& operator=(const output&) = delete;
  [[nodiscard]] std::ostream& stream() noexcept { return *os_; }
  /// Flushes and reports a write error (disk full, closed pipe) as patron::data_error(io_error).
  void close();

 private:
  std::string path_;
  std::unique_ptr<std::ostream> owned_;
  std::ostream* os_;
};

/// A CSV field, quoted when it holds ',', '"' or a line break (RFC 4180).
[[nodiscard]] std::string csv_field(const std::string& s);

/// Shortest text that reads back as the same double ("0.1", "24.6534...", "1e+300").
[[nodiscard]] std::string format_double(double v);

// One registration function per command (src/cli/cmd_<name>.cpp).
void add_summarize_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_rfm_command(CLI::App& app);
void add_tiers_command(CLI::App& app);
void add_segment_command(CLI::App& app);
void add_rules_command(CLI::App& app);
void add_recommend_command(CLI::App& app);
void add_lifecycle_command(CLI::App& app);
void add_triggers_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_campaign_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_report_command(CLI::App& app);

}  // namespace patron::cli

#endif  // PATRON_CLI_CLI_HPP
