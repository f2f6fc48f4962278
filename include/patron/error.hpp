// SPDX-License-Identifier: MIT
// Error codes shared with the C ABI, and the exception types every patron function throws.
#ifndef PATRON_ERROR_HPP
#define PATRON_ERROR_HPP

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace patron::inline v1 {

/// Error catalogue. The numbers are the C ABI's status codes: only ever appended, never reused.
/// Every message has the shape `[patron.<name>] <where>: <field> = <value>: <problem>`.
// clang-format off
enum class errc : std::int32_t {
  ok               = 0,   ///< no error
  invalid_argument = 1,   ///< an option or argument is out of range   `[patron.invalid_argument] summarize: unit_days = -7: must be > 0`
  io_error         = 2,   ///< a file cannot be opened or read         `[patron.io_error] sales.csv: cannot open: No such file or directory`
  empty_input      = 3,   ///< no data rows                            `[patron.empty_input] sales.csv: no data rows`
  missing_column   = 4,   ///< a required column is absent             `[patron.missing_column] sales.csv:1: date = "Datum": no such column; headers: ...`
  ragged_row       = 5,   ///< a row with too few fields               `[patron.ragged_row] sales.csv:7: fields = 2: expected at least 3`
  bad_number       = 6,   ///< a field that is not a finite number     `[patron.bad_number] sales.csv:12:3: amount = "12,50": not a number`
  bad_date         = 7,   ///< a field that is not a valid date        `[patron.bad_date] sales.csv:4:2: date = "2023-02-30": no such day`
  missing_value    = 8,   ///< an empty required field                 `[patron.missing_value] sales.csv:9:1: customer = "": empty`
  out_of_range     = 9,   ///< a value outside its allowed range       `[patron.out_of_range] sales.csv:3:3: amount = "1e300": beyond ±1e15`
  bad_encoding     = 10,  ///< bytes that are not valid UTF-8          `[patron.bad_encoding] sales.csv:5:2: customer = "\xff": invalid UTF-8 at byte 0`
  line_too_long    = 11,  ///< a line longer than the reader's limit    `[patron.line_too_long] sales.csv:2: length = 10485761: over the 1048576-byte limit`
  return_row       = 12,  ///< a return/cancellation with --returns error
  numeric_error    = 13,  ///< a computation left the range it is defined on
  bad_model        = 14,  ///< a model file that cannot be loaded
  bad_rule         = 15,  ///< a rule or threshold table that is inconsistent
  internal         = 16,  ///< a broken internal invariant (a bug: please report)
  out_of_memory    = 17,  ///< allocation failed
};
// clang-format on

/// The catalogue name of a code ("bad_number"), as it appears in messages.
[[nodiscard]] const char* errc_name(errc code) noexcept;

/// Base of every exception patron throws. The message is stored in std::runtime_error, so
/// copies never throw.
class error : public std::runtime_error {
 public:
  error(errc code, const std::string& message);
  [[nodiscard]] errc code() const noexcept { return code_; }

 private:
  errc code_;
};

/// An argument or option out of its documented range.
class invalid_argument_error : public error {
 public:
  /// `where` is the API function or option group, e.g. "summarize".
  invalid_argument_error(std::string_view where, std::string_view field, std::string_view value,
                         std::string_view problem);
  invalid_argument_error(errc code, const std::string& message) : error(code, message) {}
};

/// Bad input data: knows the file, line (1-based, 0 = unknown), column (1-based, 0 = unknown),
/// field name and the raw value.
class data_error : public error {
 public:
  data_error(errc code, std::string file, std::uint64_t line, std::uint32_t column,
             std::string field, std::string value, std::string problem);
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] std::uint64_t line() const noexcept { return line_; }
  [[nodiscard]] std::uint32_t column() const noexcept { return column_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint32_t column_;
  std::string field_, value_, problem_;
};

/// A numerical computation that cannot give a finite, meaningful result.
class numeric_error : public error {
 public:
  numeric_error(std::string_view where, std::string_view problem);
};

/// Formats `[patron.<name>] <where>: <field> = <value>: <problem>`; an empty field leaves out
/// `<field> = <value>: `. The value is quoted and control/non-ASCII bytes are escaped (\xNN),
/// and cut to 64 bytes ("..." marks the cut).
[[nodiscard]] std::string format_error(errc code, std::string_view where, std::string_view field,
                                       std::string_view value, std::string_view problem,
                                       bool quote_value = true);

}  // namespace patron::inline v1

#endif  // PATRON_ERROR_HPP
