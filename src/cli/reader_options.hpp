// SPDX-License-Identifier: MIT
// Reader options shared by every command that reads a purchase log (summarize, rfm, report...).
#ifndef PATRON_CLI_READER_OPTIONS_HPP
#define PATRON_CLI_READER_OPTIONS_HPP

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "patron/data/date.hpp"
#include "patron/data/read.hpp"

namespace patron::cli {

/// The reader's command-line options as typed; to_read_options() checks and converts them.
struct reader_cli {
  std::string input, delimiter, header = "detect", customer, date, amount, quantity, price, item,
      invoice, date_format = "detect", returns = "drop", cancel_prefix, duplicates = "keep";
  bool numeric_ids = false, lenient = false;
  // CRM presets (docs/crm.md): with --preset the log is read by patron::crm::read_export.
  std::string preset, encoding, tz, currency;
  std::vector<std::string> cols;  ///< --col canonical=Header
  bool decimal_comma = false, include_pending = false;
};

void add_reader_options(CLI::App& cmd, reader_cli& r);
/// Throws invalid_argument_error (exit 2) naming the option.
[[nodiscard]] read_options to_read_options(const reader_cli& r);
/// Reads the log named by the options: through the CRM preset layer when --preset is given
/// (its bindings and warnings land in the report), else read_transactions(r.input, ro).
[[nodiscard]] read_result read_purchase_log(const reader_cli& r, const read_options& ro);
/// "" → nullopt; otherwise a YYYY-MM-DD date or invalid_argument_error naming `option`.
[[nodiscard]] std::optional<date> parse_date_option(const std::string& text, const char* option);

}  // namespace patron::cli

#endif  // PATRON_CLI_READER_OPTIONS_HPP
