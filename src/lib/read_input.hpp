// SPDX-License-Identifier: MIT
// Internal: a byte stream from a file, standard input or memory, inflated on the fly when it
// starts with the gzip magic bytes 1f 8b.
#ifndef PATRON_SRC_LIB_READ_INPUT_HPP
#define PATRON_SRC_LIB_READ_INPUT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1::detail {

/// Reads decoded bytes in chunks. Gzip is recognised by its magic bytes, never by the name;
/// concatenated gzip members are read one after the other. Errors throw data_error(io_error).
class byte_input {
 public:
  /// `path` "-" is standard input; `name` is what messages call it.
  static byte_input open_file(const std::string& path, const std::string& name);
  static byte_input from_memory(std::string_view bytes, const std::string& name);

  byte_input(byte_input&&) noexcept;
  byte_input& operator=(byte_input&&) = delete;
  byte_input(const byte_input&) = delete;
  byte_input& operator=(const byte_input&) = delete;
  ~byte_input();

  /// Fills up to `n` bytes; returns fewer only at the end of the input, 0 when nothing is left.
  [[nodiscard]] std::size_t read(char* dst, std::size_t n);
  [[nodiscard]] bool compressed() const noexcept { return gz_ != nullptr; }
  /// Size of a regular file (compressed bytes when gzip'd), 0 when unknown.
  [[nodiscard]] std::uint64_t size_hint() const noexcept { return size_hint_; }

 private:
  byte_input() = default;
  std::size_t read_raw(char* dst, std::size_t n);
  std::size_t read_inflated(char* dst, std::size_t n);
  void detect();
  [[noreturn]] void fail(const std::string& problem) const;

  struct gz_state;
  std::string name_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string_view mem_;
  std::size_t mem_pos_ = 0;
  // Raw bytes read ahead (for the magic check, or the inflater's input window).
  std::vector<char> pending_;
  std::size_t pending_pos_ = 0;
  std::unique_ptr<gz_state> gz_;
  std::uint64_t size_hint_ = 0;
};

}  // namespace patron::inline v1::detail

#endif  // PATRON_SRC_LIB_READ_INPUT_HPP
