// SPDX-License-Identifier: MIT
// Reading a purchase log from delimited text (CSV, TSV, whitespace, optionally gzip'd).
#ifndef PATRON_DATA_READ_HPP
#define PATRON_DATA_READ_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patron/data/transaction_log.hpp"

namespace patron::inline v1 {

/// A column chosen by header name (`name`) or by 1-based position (`position` > 0).
/// Both empty/zero means "not given".
struct column_ref {
  std::string name;
  int position = 0;

  [[nodiscard]] bool given() const noexcept { return position > 0 || !name.empty(); }
  /// "3" → position 3; anything else → a header name.
  [[nodiscard]] static column_ref parse(std::string_view text);
};

enum class header_mode { detect, yes, no };

/// Date layouts the reader understands. `detect` looks at the first rows, then enforces the
/// layout it found on every row.
enum class date_format {
  detect,
  ymd_compact,  ///< 19970101
  iso,          ///< 1997-01-01, 1997-01-01 08:26[:00], 1997-01-01T08:26:00
  mdy,          ///< 12/1/2010 8:26 (US month/day/year, optional H:MM[:SS])
};

/// What to do with returns and cancellations: rows with a negative amount or quantity, or an
/// invoice starting with `cancel_prefix`.
enum class returns_policy {
  drop,   ///< skip them, counted in the report (the usual RFM cleaning)
  net,    ///< keep them as negative amounts, so they net off the customer's spend
  error,  ///< stop with errc::return_row
};

enum class duplicates_policy { keep, drop };

/// Reader options. Defaults read a comma/semicolon/tab/pipe/whitespace file with or without a
/// header, detected from the first lines.
///
/// Detection (from the first 64 KiB / 20 rows):
/// - delimiter: the first of ',' tab ';' '|' that occurs (outside quotes) equally often and at
///   least once on each of the first 10 lines; else the one with the largest minimum count; else
///   runs of blanks. A UTF-8 byte-order mark is skipped.
/// - header (header_mode::detect): naming any column implies a header. Otherwise the first row is
///   a header when some column holds a non-empty value in it that is neither a number nor a date
///   while the second row holds a number or date there; a lone row is a header when none of its
///   fields is a number or a date.
/// - columns not given are bound by common header names (customer_id, customerid, customer, id,
///   client; date, invoicedate, order_date, timestamp; amount, dollar_value, revenue, sales,
///   total, value; quantity, qty; unitprice, price; stockcode, item, product, sku; invoiceno,
///   invoice, order_id). With quantity and price bound and no amount, amount = quantity × price.
/// - dates: the layout of the first sample date that reads in one of them, then enforced.
/// Blank lines are not rows. Rows may have more fields than needed; fewer is errc::ragged_row.
/// Lenient reasons: ragged_row, line_too_long, missing_customer, missing_date, missing_amount,
/// missing_value, bad_number, out_of_range, bad_date, bad_encoding, return_dropped (also in
/// strict mode), duplicate_dropped (also in strict mode).
struct read_options {
  char delimiter = 0;  ///< 0 = detect; ' ' = runs of spaces/tabs (CDNOW's layout)
  header_mode header = header_mode::detect;
  column_ref customer;  ///< required
  column_ref date;      ///< required
  column_ref amount;    ///< money per row; or quantity × price when `price` is given
  column_ref price;
  column_ref quantity;
  column_ref item;
  column_ref invoice;
  date_format dates = date_format::detect;
  returns_policy returns = returns_policy::drop;
  std::string cancel_prefix;  ///< e.g. "C" for Online Retail's cancellation invoices
  /// Customer ids that are digits with an all-zero fraction lose it and their leading zeros:
  /// "17850.0", "017850" and "17850" are one customer "17850".
  bool numeric_ids = false;
  duplicates_policy duplicates = duplicates_policy::keep;
  bool lenient = false;  ///< skip bad rows (counted in the report) instead of stopping
  bool require_amount = true;
  std::size_t max_line_bytes = std::size_t{1} << 20;  ///< longer lines are errc::line_too_long
  double max_abs_amount = 1e15;                       ///< larger |amount| is errc::out_of_range

  /// Throws invalid_argument_error naming the first bad field.
  void validate() const;
};

/// One reason rows were skipped or changed, with a count and the first examples ("file:line").
struct ingest_outcome {
  std::string reason;  ///< e.g. "bad_number", "missing_customer", "return_dropped"
  std::uint64_t count = 0;
  std::vector<std::string> examples;  ///< at most 5
};

/// What the reader did: every row read is either kept or counted under a reason.
struct ingest_report {
  std::string source;
  std::uint64_t rows_read = 0;  ///< data rows (header excluded)
  std::uint64_t rows_kept = 0;
  std::uint64_t bytes_read = 0;  ///< uncompressed bytes
  std::vector<ingest_outcome> outcomes;  ///< skipped rows per reason: Σ count = rows_read − rows_kept
  std::vector<std::string> bindings;  ///< e.g. "amount <- column 5 (dollar_value)"
  /// Kept rows that are returns/cancellations under returns_policy::net (stored as negative).
  std::uint64_t returns_netted = 0;

  /// Count for one reason (0 if none).
  [[nodiscard]] std::uint64_t count(std::string_view reason) const noexcept;
  /// Σ of all outcome counts: every row read and not kept.
  [[nodiscard]] std::uint64_t rows_skipped() const noexcept;
  /// Human-readable multi-line text, as the CLI prints it on stderr.
  [[nodiscard]] std::string to_text() const;
};

struct read_result {
  transaction_log log;
  ingest_report report;
};

/// Reads a purchase log from `path` ("-" = standard input); gzip is detected from the magic
/// bytes. Strict mode throws data_error at the first bad value, naming file:line:column, the
/// field and the raw value; lenient mode skips and counts. Throws data_error(errc::empty_input)
/// when no row remains.
[[nodiscard]] read_result read_transactions(const std::string& path, const read_options& options);

/// The same from text in memory; `name` stands for the file name in messages.
[[nodiscard]] read_result read_transactions_from_string(std::string_view text,
                                                        const read_options& options,
                                                        const std::string& name = "<memory>");

}  // namespace patron::inline v1

#endif  // PATRON_DATA_READ_HPP
