// SPDX-License-Identifier: MIT
// Shared helpers for the tests: where the reference data lives, and how to find it.
#ifndef PATRON_TESTS_TEST_SUPPORT_HPP
#define PATRON_TESTS_TEST_SUPPORT_HPP

#include <filesystem>
#include <stdexcept>
#include <string>

namespace patron_test {

/// Path of a file in ../shared/data; a test that needs it and cannot find it fails loudly.
inline std::string data_file(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(PATRON_TEST_DATA_DIR) / name;
  if (!std::filesystem::exists(p)) {
    throw std::runtime_error("reference data " + name + " not found at " + p.string() +
                             ": expected ../shared/data beside the checkout "
                             "(or configure with -DPATRON_DATA_DIR=...)");
  }
  return p.string();
}

}  // namespace patron_test

#endif  // PATRON_TESTS_TEST_SUPPORT_HPP
