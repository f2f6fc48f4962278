// SPDX-License-Identifier: MIT
// A generic customer table from CSV: one id column plus numeric columns chosen by name (the
// output of `patron summarize`, `rfm`, `score`, or any spreadsheet export).
#ifndef PATRON_DATA_TABLE_IO_HPP
#define PATRON_DATA_TABLE_IO_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1 {

/// Numeric columns of a customer table, row-major: values[i * cols() + j] is row i, column j.
struct numeric_table {
  std::string source;                ///< file name, for messages
  std::string id_column;             ///< the header of the id column
  std::vector<std::string> ids;      ///< one per row
  std::vector<std::string> columns;  ///< the chosen columns, in the order asked for
  std::vector<double> values;
  std::vector<std::uint64_t> lines;  ///< the 1-based source line of each row

  [[nodiscard]] std::size_t rows() const noexcept { return ids.size(); }
  [[nodiscard]] std::size_t cols() const noexcept { return columns.size(); }
  [[nodiscard]] double at(std::size_t i, std::size_t j) const { return values[i * cols() + j]; }
};

struct table_read_options {
  /// The id column's header; empty = the first of customer_id, id, customer, customerid
  /// (case-insensitive), else the first column.
  std::string id_column;
  /// Numeric columns by header name (exact match first, then case-insensitive). Required.
  std::vector<std::string> columns;
  char delimiter = ',';
};

/// Reads a delimited table with a header line (RFC 4180 quotes, CRLF or LF, UTF-8 BOM
/// skipped). Every chosen value must be a finite number: errors are data_error naming
/// file:line:column, the column name and the raw value (errc::bad_number, missing_value,
/// ragged_row, missing_column with the headers listed, empty_input, io_error).
[[nodiscard]] numeric_table read_numeric_table(const std::string& path,
                                               const table_read_options& options);
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] numeric_table read_numeric_table_from_string(std::string_view text,
                                                           const table_read_options& options,
                                                           const std::string& name = "<memory>");

}  // namespace patron::inline v1

#endif  // PATRON_DATA_TABLE_IO_HPP
