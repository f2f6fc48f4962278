// SPDX-License-Identifier: MIT
// The purchase log: one row per transaction record, as a struct of arrays.
#ifndef PATRON_DATA_TRANSACTION_LOG_HPP
#define PATRON_DATA_TRANSACTION_LOG_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/id_table.hpp"

namespace patron::inline v1 {

/// A purchase log as columns. `customer`, `time` and `amount` always have size() entries;
/// `item`, `quantity` and `invoice` have size() entries when the source had that column and are
/// empty otherwise. Ids are interned: `customers.name(customer[i])` is row i's customer id.
/// Rows keep the order they were read in; nothing here assumes they are sorted.
struct transaction_log {
  id_table customers;
  id_table items;
  id_table invoices;
  std::vector<std::uint32_t> customer;  ///< index into `customers`
  std::vector<timestamp> time;          ///< seconds since 1970-01-01, shop-local time
  std::vector<double> amount;           ///< money per row (may be negative for returns)
  std::vector<std::uint32_t> item;      ///< index into `items`, or empty
  std::vector<double> quantity;         ///< units per row, or empty
  std::vector<std::uint32_t> invoice;   ///< index into `invoices`, or empty

  [[nodiscard]] std::size_t size() const noexcept { return customer.size(); }
  [[nodiscard]] bool empty() const noexcept { return customer.empty(); }
  [[nodiscard]] bool has_items() const noexcept { return !item.empty(); }
  [[nodiscard]] bool has_quantity() const noexcept { return !quantity.empty(); }
  [[nodiscard]] bool has_invoices() const noexcept { return !invoice.empty(); }

  /// Appends one row of a log without item, quantity and invoice columns.
  void add(std::string_view customer_id, timestamp t, double value) {
    customer.push_back(customers.intern(customer_id));
    time.push_back(t);
    amount.push_back(value);
  }
  /// Appends one row of a log with all three optional columns (use one form for every row).
  void add(std::string_view customer_id, timestamp t, double value, std::string_view item_id,
           double units, std::string_view invoice_id) {
    add(customer_id, t, value);
    item.push_back(items.intern(item_id));
    quantity.push_back(units);
    invoice.push_back(invoices.intern(invoice_id));
  }
  void reserve(std::size_t n) {
    customer.reserve(n);
    time.reserve(n);
    amount.reserve(n);
  }
};

}  // namespace patron::inline v1

#endif  // PATRON_DATA_TRANSACTION_LOG_HPP
