// SPDX-License-Identifier: MIT
// Market baskets: sets of item ids, stored as one compressed row per basket.
#ifndef PATRON_RECOMMEND_BASKETS_HPP
#define PATRON_RECOMMEND_BASKETS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/data/id_table.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1::recommend {

/// A list of baskets. Basket b holds the items `item[offsets[b] .. offsets[b+1])`, sorted by
/// index and without repeats (a basket is a set: an item listed twice counts once).
/// `items.name(i)` is item i's label, exactly as read (no trimming).
struct basket_set {
  id_table items;
  std::vector<std::size_t> offsets{0};  ///< size() + 1 entries, offsets[0] = 0
  std::vector<std::uint32_t> item;      ///< item indices, basket after basket

  [[nodiscard]] std::size_t size() const noexcept { return offsets.size() - 1; }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::span<const std::uint32_t> basket(std::size_t b) const noexcept {
    return {item.data() + offsets[b], offsets[b + 1] - offsets[b]};
  }
  /// Appends a basket of labels (repeats removed).
  void add(std::span<const std::string_view> labels);
  /// Appends a basket of item indices (sorted and deduplicated here).
  void add_indices(std::vector<std::uint32_t> indices);
};

/// Reads a basket file: one basket per line, items separated by commas, no header; fields may
/// be double-quoted (RFC 4180: `""` inside quotes is a quote; a quoted field may not span
/// lines). CRLF and LF line endings are accepted; a final newline is optional. Labels are kept
/// byte for byte (groceries.csv has two labels with a trailing space).
/// Throws data_error naming file:line(:column) for an empty line (errc::missing_value), an
/// empty item (errc::missing_value), an unterminated or misplaced quote (errc::bad_encoding),
/// and data_error(errc::empty_input) for a file with no basket; errc::io_error when the file
/// cannot be read.
[[nodiscard]] basket_set read_baskets(const std::string& path);

/// The same from text in memory; `name` stands for the file name in messages.
[[nodiscard]] basket_set read_baskets_from_string(std::string_view text,
                                                  const std::string& name = "<memory>");

/// Baskets from a purchase log with items: one basket per invoice when the log has invoices,
/// else one per (customer, day); return rows (amount or quantity < 0) are skipped. Baskets come
/// in order of their first row; item indices are the log's (`baskets.items` = `log.items`).
/// Throws invalid_argument_error when the log has no item column.
[[nodiscard]] basket_set baskets_from_log(const transaction_log& log);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_BASKETS_HPP
