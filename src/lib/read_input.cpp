// SPDX-License-Identifier: MIT
// Byte input for the transaction reader: plain or gzip'd files, standard input, memory.
#include "read_input.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/stat.h>

#include "patron/error.hpp"

namespace patron::inline v1::detail {

namespace {
constexpr std::size_t raw_chunk = std::size_t{1} << 18;  // compressed bytes per refill
}

struct byte_input::gz_state {
  z_stream z{};
  bool member_done = false;  // the current member reached Z_STREAM_END
  bool raw_eof = false;
  ~gz_state() { inflateEnd(&z); }
};

byte_input::byte_input(byte_input&& o) noexcept
    : name_(std::move(o.name_)),
      file_(o.file_),
      owns_file_(o.owns_file_),
      mem_(o.mem_),
      mem_pos_(o.mem_pos_),
      pending_(std::move(o.pending_)),
      pending_pos_(o.pending_pos_),
      gz_(std::move(o.gz_)),
      size_hint_(o.size_hint_) {
  o.file_ = nullptr;
  o.owns_file_ = false;
}

byte_input::~byte_input() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

void byte_input::fail(const std::string& problem) const {
  throw data_error(errc::io_error, name_, 0, 0, "", "", problem);
}

byte_input byte_input::open_file(const std::string& path, const std::string& name) {
  byte_input in;
  in.name_ = name;
  if (path == "-") {
    in.file_ = stdin;
  } else {
    in.file_ = std::fopen(path.c_str(), "rb");
    if (in.file_ == nullptr) in.fail(std::string("cannot open: ") + std::strerror(errno));
    in.owns_file_ = true;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      in.size_hint_ = static_cast<std::uint64_t>(st.st_size);
  }
  in.detect();
  return in;
}

byte_input byte_input::from_memory(std::string_view bytes, const std::string& name) {
  byte_input in;
  in.name_ = name;
  in.mem_ = bytes;
  in.size_hint_ = bytes.size();
  in.detect();
  return in;
}

std::size_t byte_input::read_raw(char* dst, std::size_t n) {
  std::size_t got = 0;
  if (pending_pos_ < pending_.size()) {  // bytes read ahead by detect()
    got = std::min(n, pending_.size() - pending_pos_);
    std::memcpy(dst, pending_.data() + pending_pos_, got);
    pending_pos_ += got;
    if (got == n) return got;
  }
  if (file_ != nullptr) {
    const std::size_t k = std::fread(dst + got, 1, n - got, file_);
    if (k < n - got && std::ferror(file_)) fail(std::string("read failed: ") + std::strerror(errno));
    return got + k;
  }
  const std::size_t k = std::min(n - got, mem_.size() - mem_pos_);
  if (k > 0) std::memcpy(dst + got, mem_.data() + mem_pos_, k);
  mem_pos_ += k;
  return got + k;
}

// Peeks at the first two bytes; gzip streams start with 1f 8b.
void byte_input::detect() {
  char head[2];
  std::size_t k = 0;
  while (k < 2) {
    const std::size_t r = read_raw(head + k, 2 - k);
    if (r == 0) break;
    k += r;
  }
  pending_.assign(head, head + k);
  pending_pos_ = 0;
  if (k == 2 && static_cast<unsigned char>(pending_[0]) == 0x1f &&
      static_cast<unsigned char>(pending_[1]) == 0x8b) {
    gz_ = std::make_unique<gz_state>();
    // 15 + 16: a gzip wrapper is required (the magic said so).
    if (inflateInit2(&gz_->z, 15 + 16) != Z_OK) fail("cannot initialise zlib");
    std::vector<char> window(raw_chunk);
    std::memcpy(window.data(), pending_.data(), 2);
    pending_pos_ = pending_.size();  // the magic bytes are in the window now
    const std::size_t more = read_raw(window.data() + 2, raw_chunk - 2);
    window.resize(2 + more);
    pending_ = std::move(window);
    pending_pos_ = pending_.size();  // consumed into the inflater's window below
    gz_->z.next_in = reinterpret_cast<Bytef*>(pending_.data());
    gz_->z.avail_in = static_cast<uInt>(pending_.size());
  }
}

std::size_t byte_input::read_inflated(char* dst, std::size_t n) {
  gz_state& g = *gz_;
  z_stream& z = g.z;
  n = std::min<std::size_t>(n, std::numeric_limits<uInt>::max());
  z.next_out = reinterpret_cast<Bytef*>(dst);
  z.avail_out = static_cast<uInt>(n);
  while (z.avail_out > 0) {
    if (z.avail_in == 0) {
      if (g.raw_eof) break;
      pending_.resize(raw_chunk);
      pending_pos_ = raw_chunk;  // the window belongs to zlib, not to read_raw
      std::size_t k = 0;
      if (file_ != nullptr) {
        k = std::fread(pending_.data(), 1, raw_chunk, file_);
        if (k < raw_chunk && std::ferror(file_))
          fail(std::string("read failed: ") + std::strerror(errno));
      } else {
        k = std::min(raw_chunk, mem_.size() - mem_pos_);
        std::memcpy(pending_.data(), mem_.data() + mem_pos_, k);
        mem_pos_ += k;
      }
      if (k == 0) {
        g.raw_eof = true;
        break;
      }
      z.next_in = reinterpret_cast<Bytef*>(pending_.data());
      z.avail_in = static_cast<uInt>(k);
    }
    if (g.member_done) {  // another gzip member follows the finished one
      if (inflateReset(&z) != Z_OK) fail("cannot reset zlib");
      g.member_done = false;
    }
    const int r = inflate(&z, Z_NO_FLUSH);
    if (r == Z_STREAM_END) {
      g.member_done = true;
    } else if (r != Z_OK && r != Z_BUF_ERROR) {
      fail(std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate failed"));
    }
  }
  const std::size_t got = n - z.avail_out;
  if (got == 0 && g.raw_eof && !g.member_done) fail("truncated gzip data");
  return got;
}

std::size_t byte_input::read(char* dst, std::size_t n) {
  return gz_ ? read_inflated(dst, n) : read_raw(dst, n);
}

}  // namespace patron::inline v1::detail
