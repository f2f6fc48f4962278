// SPDX-License-Identifier: MIT
// The error catalogue's names and the one message formatter every patron error goes through.
#include "patron/error.hpp"

#include <cstdio>

#include "patron/version.hpp"

namespace patron::inline v1 {

const char* version() noexcept { return PATRON_VERSION_STRING; }

const char* errc_name(errc code) noexcept {
  switch (code) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::io_error: return "io_error";
    case errc::empty_input: return "empty_input";
    case errc::missing_column: return "missing_column";
    case errc::ragged_row: return "ragged_row";
    case errc::bad_number: return "bad_number";
    case errc::bad_date: return "bad_date";
    case errc::missing_value: return "missing_value";
    case errc::out_of_range: return "out_of_range";
    case errc::bad_encoding: return "bad_encoding";
    case errc::line_too_long: return "line_too_long";
    case errc::return_row: return "return_row";
    case errc::numeric_error: return "numeric_error";
    case errc::bad_model: return "bad_model";
    case errc::bad_rule: return "bad_rule";
    case errc::internal: return "internal";
    case errc::out_of_memory: return "out_of_memory";
  }
  return "unknown";
}

namespace {

// Quotes a raw value for a message: printable ASCII as is, everything else as \xNN, cut at 64.
std::string render_value(std::string_view value, bool quote) {
  std::string out;
  if (quote) out += '"';
  std::size_t shown = 0;
  for (unsigned char c : value) {
    if (shown == 64) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7F) {
      if (quote && (c == '"' || c == '\\')) out += '\\';
      out += static_cast<char>(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
    ++shown;
  }
  if (quote) out += '"';
  return out;
}

}  // namespace

std::string format_error(errc code, std::string_view where, std::string_view field,
                         std::string_view value, std::string_view problem, bool quote_value) {
  std::string msg = "[patron.";
  msg += errc_name(code);
  msg += "] ";
  msg += where;
  msg += ": ";
  if (!field.empty()) {
    msg += field;
    msg += " = ";
    msg += render_value(value, quote_value);
    msg += ": ";
  }
  msg += problem;
  return msg;
}

error::error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}

invalid_argument_error::invalid_argument_error(std::string_view where, std::string_view field,
                                               std::string_view value, std::string_view problem)
    : error(errc::invalid_argument,
            format_error(errc::invalid_argument, where, field, value, problem, false)) {}

namespace {
std::string where_of(const std::string& file, std::uint64_t line, std::uint32_t column) {
  std::string w = file;
  if (line > 0) {
    w += ':';
    w += std::to_string(line);
    if (column > 0) {
      w += ':';
      w += std::to_string(column);
    }
  }
  return w;
}
}  // namespace

data_error::data_error(errc code, std::string file, std::uint64_t line, std::uint32_t column,
                       std::string field, std::string value, std::string problem)
    : error(code, format_error(code, where_of(file, line, column), field, value, problem)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      field_(std::move(field)),
      value_(std::move(value)),
      problem_(std::move(problem)) {}

numeric_error::numeric_error(std::string_view where, std::string_view problem)
    : error(errc::numeric_error, format_error(errc::numeric_error, where, {}, {}, problem)) {}

}  // namespace patron::inline v1
