// SPDX-License-Identifier: MIT
// Shared helpers for the tests: where the reference data lives, and how to run the CLI.
#ifndef PATRON_TESTS_TEST_SUPPORT_HPP
#define PATRON_TESTS_TEST_SUPPORT_HPP

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
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

/// The whole content of a file ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Scratch files and CLI runs for one test file. ctest runs test cases as parallel processes:
/// the file's prefix and the process id keep their files apart.
struct cli_files {
  std::string prefix;  ///< e.g. "cli_"

  [[nodiscard]] std::string temp_path(const std::string& name) const {
    return (std::filesystem::path(PATRON_TEST_BINARY_DIR) / (prefix + std::to_string(::getpid()) + "_" + name)).string();
  }
  std::string write_file(const std::string& name, const std::string& text) const {
    const std::string p = temp_path(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
#ifdef PATRON_TEST_CLI
  struct run_result {
    int status = -1;
    std::string out, err;
  };
  /// Runs `patron <args>` through the shell, capturing stdout and stderr in files.
  [[nodiscard]] run_result run(const std::string& args) const {
    const std::string out = temp_path("stdout.txt"), err = temp_path("stderr.txt");
    const std::string cmd = std::string("'") + PATRON_TEST_CLI + "' " + args + " >'" + out + "' 2>'" + err + "'";
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }
#endif
};

}  // namespace patron_test

#endif  // PATRON_TESTS_TEST_SUPPORT_HPP
