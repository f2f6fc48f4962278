// SPDX-License-Identifier: MIT
// Internal: the quick row test that batch scoring runs inside its loop, so checking the inputs
// costs no second pass over memory. Used by the C++ batch members and the C ABI.
#ifndef PATRON_SRC_LIB_SUMMARY_CHECK_HPP
#define PATRON_SRC_LIB_SUMMARY_CHECK_HPP

#include <bit>
#include <cstdint>
#include <limits>

namespace patron::detail {

// The fast path of the row check: accepts only rows that are surely valid (x whole in 0..2^52,
// 0 <= t_x <= T <= max double, t_x = 0 when x = 0). Anything else goes to validate_summary,
// which names the first bad row or accepts the batch (x beyond 2^52, −0.0, t_x a rounding hair
// above T). Cheap enough to sit in the scoring loop:
//  - for doubles with the sign bit clear the bit patterns order like the values, and negative
//    numbers and NaN sort above every finite positive pattern, so one unsigned compare of the
//    bits checks "0 <= v <= limit and not NaN";
//  - (x + 2^52) − 2^52 == x exactly when x is a whole number, for 0 <= x <= 2^52 (IEEE rounding
//    to nearest; kept as written without -ffast-math).
[[nodiscard]] inline bool row_surely_valid(double x, double t_x, double T) noexcept {
  constexpr double two52 = 4503599627370496.0;
  constexpr std::uint64_t two52_bits = std::bit_cast<std::uint64_t>(two52);
  constexpr std::uint64_t max_bits = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::max());
  const std::uint64_t xb = std::bit_cast<std::uint64_t>(x), tb = std::bit_cast<std::uint64_t>(t_x),
                      Tb = std::bit_cast<std::uint64_t>(T);
  return static_cast<bool>(static_cast<unsigned>(xb <= two52_bits) & static_cast<unsigned>(Tb <= max_bits) &
                           static_cast<unsigned>(tb <= Tb) & static_cast<unsigned>((x + two52) - two52 == x) &
                           static_cast<unsigned>((xb != 0) | (tb == 0)));
}

}  // namespace patron::detail

#endif  // PATRON_SRC_LIB_SUMMARY_CHECK_HPP
