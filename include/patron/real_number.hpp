// SPDX-License-Identifier: MIT
// The scalar concept money and discounting are templated on: double or Boost.Multiprecision.
#ifndef PATRON_REAL_NUMBER_HPP
#define PATRON_REAL_NUMBER_HPP

#include <concepts>

namespace patron::inline v1 {

/// A real scalar type: double, long double, or a Boost.Multiprecision float/decimal
/// (cpp_dec_float_50 for exact decimal money). Maths is called unqualified (ADL finds Boost).
template <class T>
concept real_number = requires(T a, T b) {
  { a + b } -> std::convertible_to<T>;
  { a - b } -> std::convertible_to<T>;
  { a * b } -> std::convertible_to<T>;
  { a / b } -> std::convertible_to<T>;
  { a < b } -> std::convertible_to<bool>;
  T(1.0);
};

}  // namespace patron::inline v1

#endif  // PATRON_REAL_NUMBER_HPP
