// SPDX-License-Identifier: MIT
// The customer × item matrix (compressed rows) and train/test splits of a purchase log.
#ifndef PATRON_RECOMMEND_INTERACTIONS_HPP
#define PATRON_RECOMMEND_INTERACTIONS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/id_table.hpp"
#include "patron/data/transaction_log.hpp"
#include "patron/recommend/baskets.hpp"

namespace patron::inline v1::recommend {

/// What a customer × item cell holds.
enum class interaction_value {
  binary,    ///< 1 if the customer bought the item at all
  count,     ///< number of log rows (invoice lines) for the pair
  quantity,  ///< sum of units (needs the log's quantity column)
  spend,     ///< sum of amounts
};

/// A sparse customer × item matrix in compressed sparse row form. Row u (customer u) holds the
/// items `item[offsets[u] .. offsets[u+1])` in increasing order with their `value`s; only
/// cells with a value > 0 are stored (a pair whose returns net to 0 or less is absent).
/// `customers` and `items` are copies of the log's id tables, so indices are the log's and
/// every matrix built from one log (train, test) shares them. Customer ids map to rows with
/// `customers.find(id)` and back with `customers.name(u)`.
struct interactions {
  id_table customers;
  id_table items;
  std::vector<std::size_t> offsets{0};  ///< n_customers() + 1 entries
  std::vector<std::uint32_t> item;      ///< column index of each stored cell
  std::vector<double> value;            ///< value of each stored cell

  [[nodiscard]] std::size_t n_customers() const noexcept { return offsets.size() - 1; }
  [[nodiscard]] std::size_t n_items() const noexcept { return items.size(); }
  [[nodiscard]] std::size_t nnz() const noexcept { return item.size(); }
  [[nodiscard]] std::span<const std::uint32_t> items_of(std::size_t u) const noexcept {
    return {item.data() + offsets[u], offsets[u + 1] - offsets[u]};
  }
  [[nodiscard]] std::span<const double> values_of(std::size_t u) const noexcept {
    return {value.data() + offsets[u], offsets[u + 1] - offsets[u]};
  }
  /// True when customer u has item i (binary search in the row).
  [[nodiscard]] bool has(std::size_t u, std::uint32_t i) const noexcept;
};

/// The matrix of a whole log. Throws invalid_argument_error when the log has no item column,
/// or for `quantity` without a quantity column.
[[nodiscard]] interactions make_interactions(const transaction_log& log,
                                             interaction_value kind = interaction_value::count);

/// The matrix of the log rows listed in `rows` (e.g. a split's train rows). Rows out of range
/// throw invalid_argument_error.
[[nodiscard]] interactions make_interactions(const transaction_log& log,
                                             std::span<const std::size_t> rows,
                                             interaction_value kind = interaction_value::count);

/// A binary basket × item matrix: basket b is "customer" b (named by its 1-based line number),
/// items keep the basket set's indices. Lets item-item and ALS run on basket files.
[[nodiscard]] interactions make_interactions(const basket_set& baskets);

/// Row indices of a log, divided into training and test rows (each row in exactly one).
struct split_rows {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

/// Leave-last-out: each customer's last basket goes to test, everything else to train.
/// A basket is an invoice when the log has invoices, else a (customer, calendar day). A
/// basket's time is the earliest timestamp among its rows. The last basket is the one with
/// the latest time; **tie-break**: among baskets with equal times, the one whose first row
/// comes last in the log. Customers with a single basket stay wholly in train.
[[nodiscard]] split_rows leave_last_out(const transaction_log& log);

/// Random holdout: each (customer, item) pair goes to test with probability `fraction`,
/// decided by a hash of (seed, customer, item), so all rows of a pair go the same way and
/// the split does not depend on row order or thread count. fraction in [0, 1].
[[nodiscard]] split_rows random_holdout(const transaction_log& log, double fraction,
                                        std::uint64_t seed);

/// Time split: rows with time < `at` train, the rest test.
[[nodiscard]] split_rows time_split(const transaction_log& log, timestamp at);

}  // namespace patron::inline v1::recommend

#endif  // PATRON_RECOMMEND_INTERACTIONS_HPP
