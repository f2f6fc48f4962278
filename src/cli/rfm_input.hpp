// SPDX-License-Identifier: MIT
// Input shared by `patron rfm` and `patron tiers`: an order log (reader options) or a customer table.
#ifndef PATRON_CLI_RFM_INPUT_HPP
#define PATRON_CLI_RFM_INPUT_HPP

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "patron/rfm/metrics.hpp"

namespace patron::cli {

struct rfm_input_args {
  std::string input;
  std::string level = "order";
  // order level: reader options
  std::string customer = "customer_id", date_col = "date", amount, price, quantity, invoice;
  std::string delimiter, dates = "detect", returns = "drop", cancel_prefix;
  bool numeric_ids = false, lenient = false;
  std::string as_of;
  std::string frequency_by = "orders", monetary_by = "total";
  // customer level: columns
  std::string id = "customer_id", recency = "recency_days", frequency = "number_of_orders",
              monetary = "revenue";
  bool allow_negative = false;
  // CRM export (docs/crm.md): with --preset the order log is read by patron::crm::read_export.
  std::string preset, encoding, tz, currency;
  std::vector<std::string> cols;  ///< --col canonical=Header
  bool decimal_comma = false, include_pending = false;
};

/// Adds --input, --level, the reader options and the customer-table columns to `cmd`.
void add_rfm_input_options(CLI::App* cmd, rfm_input_args& a);

/// Reads the input and returns per-customer metrics. The reader's report goes to stderr.
[[nodiscard]] rfm::rfm_table load_rfm_input(const rfm_input_args& a);

/// Writes a CSV field, quoted (RFC 4180) when it needs it.
void put_csv_field(std::ostream& out, const std::string& s);

}  // namespace patron::cli

#endif  // PATRON_CLI_RFM_INPUT_HPP
