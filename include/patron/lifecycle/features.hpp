// SPDX-License-Identifier: MIT
// The per-customer features lifecycle guards test, passed as optional columns.
#ifndef PATRON_LIFECYCLE_FEATURES_HPP
#define PATRON_LIFECYCLE_FEATURES_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

namespace patron::inline v1::lifecycle {

/// A customer feature a guard may test. Units are days and the log's currency. Features that
/// come from other parts of patron (P(alive), expected purchases, CLV from the CLV models; the
/// RFM segment's number) are plain input columns here: lifecycle never fits a model itself.
// clang-format off
enum class feature : std::uint8_t {
  recency_days,             ///< days since the last purchase day (at the evaluation date)
  frequency,                ///< repeat purchase days (the models' x: purchase days − 1)
  monetary,                 ///< mean spend per purchase day, first day included
  total_spend,              ///< total spend so far
  tenure_days,              ///< days since the first purchase
  mean_interpurchase_days,  ///< (last − first) / frequency; NaN when frequency = 0
  p_alive,                  ///< P(alive), from a CLV model (input column)
  expected_purchases,       ///< expected purchases in the model's horizon (input column)
  clv,                      ///< customer lifetime value (input column)
  rfm_segment,              ///< RFM segment number (input column)
  days_since_contact,       ///< days since the CRM last contacted the customer (input column)
  none = 255,               ///< "no feature": a condition's scale when it has none
};
// clang-format on

/// Number of real features (`none` excluded).
inline constexpr std::size_t feature_count = 11;

/// "recency_days", "p_alive", ...: the names tables use in JSON/CSV.
[[nodiscard]] constexpr std::string_view feature_name(feature f) noexcept {
  constexpr std::array<std::string_view, feature_count> names = {
      "recency_days", "frequency",  "monetary",    "total_spend",
      "tenure_days",  "mean_interpurchase_days",   "p_alive",
      "expected_purchases", "clv",  "rfm_segment", "days_since_contact"};
  const auto i = static_cast<std::size_t>(f);
  return i < feature_count ? names[i] : std::string_view("none");
}

/// The feature named `name`, or nullopt.
[[nodiscard]] constexpr std::optional<feature> parse_feature(std::string_view name) noexcept {
  for (std::size_t i = 0; i < feature_count; ++i) {
    const auto f = static_cast<feature>(i);
    if (feature_name(f) == name) return f;
  }
  return std::nullopt;
}

/// A set of features, as a bit mask (bit i = feature i).
struct feature_set {
  std::uint32_t bits = 0;
  constexpr void add(feature f) noexcept { bits |= 1u << static_cast<unsigned>(f); }
  [[nodiscard]] constexpr bool has(feature f) const noexcept {
    return f != feature::none && (bits >> static_cast<unsigned>(f) & 1u) != 0;
  }
  [[nodiscard]] static constexpr feature_set all() noexcept { return {(1u << feature_count) - 1}; }
};

/// One customer's features; absent ones are NaN (every comparison on NaN is false, except ≠).
struct feature_row {
  std::array<double, feature_count> value;
  feature_row() { value.fill(std::numeric_limits<double>::quiet_NaN()); }
  [[nodiscard]] double operator[](feature f) const noexcept {
    return value[static_cast<std::size_t>(f)];
  }
  double& operator[](feature f) noexcept { return value[static_cast<std::size_t>(f)]; }
};

/// Features of a batch of customers as columns (non-owning). A column is either empty (the
/// feature is absent) or has one entry per customer; `size()` is the common length.
class feature_columns {
 public:
  feature_columns() = default;
  explicit feature_columns(std::size_t n) : n_(n) {}

  /// Sets one column; throws invalid_argument_error when its length is not size().
  void set(feature f, std::span<const double> column);
  [[nodiscard]] std::span<const double> operator[](feature f) const noexcept {
    return cols_[static_cast<std::size_t>(f)];
  }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// The features that have a column.
  [[nodiscard]] feature_set present() const noexcept { return present_; }

 private:
  std::array<std::span<const double>, feature_count> cols_{};
  std::size_t n_ = 0;
  feature_set present_{};
};

}  // namespace patron::inline v1::lifecycle

#endif  // PATRON_LIFECYCLE_FEATURES_HPP
