// SPDX-License-Identifier: MIT
// Interned string ids: each distinct string gets a dense index 0, 1, 2, ... in first-seen order.
#ifndef PATRON_DATA_ID_TABLE_HPP
#define PATRON_DATA_ID_TABLE_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patron::inline v1 {

/// Maps strings (customer ids, item codes, invoice numbers) to dense indices and back.
/// Lookups take std::string_view and do not allocate; only a new id allocates.
class id_table {
 public:
  static constexpr std::uint32_t npos = 0xFFFF'FFFFu;

  /// The index of `id`, adding it when new.
  std::uint32_t intern(std::string_view id) {
    if (auto it = index_.find(id); it != index_.end()) return it->second;
    const auto i = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(id);
    index_.emplace(names_.back(), i);
    return i;
  }
  /// The index of `id`, or npos.
  [[nodiscard]] std::uint32_t find(std::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? npos : it->second;
  }
  [[nodiscard]] const std::string& name(std::uint32_t i) const { return names_[i]; }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] bool empty() const noexcept { return names_.empty(); }
  void reserve(std::size_t n) {
    names_.reserve(n);
    index_.reserve(n);
  }

  id_table() = default;
  // Keys are strings owned by the map itself, so copies stay valid.
  id_table(const id_table&) = default;
  id_table(id_table&&) noexcept = default;
  id_table& operator=(const id_table&) = default;
  id_table& operator=(id_table&&) noexcept = default;

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, hash, std::equal_to<>> index_;
};

}  // namespace patron::inline v1

#endif  // PATRON_DATA_ID_TABLE_HPP
