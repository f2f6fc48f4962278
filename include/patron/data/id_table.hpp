// SPDX-License-Identifier: MIT
// Interned string ids: each distinct string gets a dense index 0, 1, 2, ... in first-seen order.
#ifndef PATRON_DATA_ID_TABLE_HPP
#define PATRON_DATA_ID_TABLE_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patron::inline v1 {

/// Maps strings (customer ids, item codes, invoice numbers) to dense indices and back.
/// Lookups take std::string_view and do not allocate; only a new id (longer than the
/// small-string buffer) allocates.
class id_table {
 public:
  static constexpr std::uint32_t npos = 0xFFFF'FFFFu;

  /// The index of `id`, adding it when new.
  std::uint32_t intern(std::string_view id) {
    if ((names_.size() + 1) * 4 > slots_.size() * 3) grow(names_.size() + 1);
    const std::uint64_t h = hash_of(id);
    for (std::size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
      const std::uint64_t s = slots_[pos];
      if (s == 0) {
        const auto i = static_cast<std::uint32_t>(names_.size());
        names_.emplace_back(id);
        slots_[pos] = tag(h) | (std::uint64_t{i} + 1);
        return i;
      }
      if ((s & tag_mask) == tag(h) && names_[index(s)] == id) return index(s);
    }
  }
  /// The index of `id`, or npos.
  [[nodiscard]] std::uint32_t find(std::string_view id) const {
    if (slots_.empty()) return npos;
    const std::uint64_t h = hash_of(id);
    for (std::size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
      const std::uint64_t s = slots_[pos];
      if (s == 0) return npos;
      if ((s & tag_mask) == tag(h) && names_[index(s)] == id) return index(s);
    }
  }
  [[nodiscard]] const std::string& name(std::uint32_t i) const { return names_[i]; }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] bool empty() const noexcept { return names_.empty(); }
  void reserve(std::size_t n) {
    names_.reserve(n);
    if (n * 4 > slots_.size() * 3) grow(n);
  }

 private:
  // Open addressing with linear probing over 64-bit slots: the high 32 bits hold the hash's top
  // bits (a cheap filter before comparing strings), the low 32 bits index + 1 (0 = empty). One
  // flat array, so a new id costs only its own string (none for ids short enough for SSO).
  static constexpr std::uint64_t tag_mask = 0xFFFF'FFFF'0000'0000u;
  static std::uint64_t hash_of(std::string_view s) noexcept {
    return static_cast<std::uint64_t>(std::hash<std::string_view>{}(s));
  }
  static std::uint64_t tag(std::uint64_t h) noexcept { return h & tag_mask; }
  static std::uint32_t index(std::uint64_t slot) noexcept {
    return static_cast<std::uint32_t>(slot & 0xFFFF'FFFFu) - 1;
  }
  void grow(std::size_t n) {
    std::size_t cap = 16;
    while (cap * 3 < n * 4 + 4) cap *= 2;
    std::vector<std::uint64_t> slots(cap, 0);
    const std::size_t mask = cap - 1;
    for (std::uint64_t s : slots_) {
      if (s == 0) continue;
      const std::uint64_t h = hash_of(names_[index(s)]);
      std::size_t pos = h & mask;
      while (slots[pos] != 0) pos = (pos + 1) & mask;
      slots[pos] = s;
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::vector<std::string> names_;
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
};

}  // namespace patron::inline v1

#endif  // PATRON_DATA_ID_TABLE_HPP
