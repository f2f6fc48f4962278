// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>

#include "patron/error.hpp"

namespace patron::cli {

output::output(const std::string& path) : path_(path), os_(&std::cout) {
  if (!path.empty() && path != "-") {
    auto f = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*f)
      throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open for writing: ") + std::strerror(errno));
    os_ = f.get();
    owned_ = std::move(f);
  }
}

output::~output() = default;

void output::close() {
  os_->flush();
  if (!*os_) throw data_error(errc::io_error, path_.empty() ? "<stdout>" : path_, 0, 0, "", "", "write failed");
  owned_.reset();
  os_ = &std::cout;
}

std::string format_double(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + '"';
}

}  // namespace patron::cli
