// SPDX-License-Identifier: MIT
// Internal: element-wise ln, exp, ln(1 + x) and eˣ − 1 over arrays, the transcendental core of the batch
// scorers and fits. One call per block of customers instead of three libm calls per customer.
#ifndef PATRON_SRC_LIB_VMATH_HPP
#define PATRON_SRC_LIB_VMATH_HPP

#include <cstddef>

namespace patron::detail::vmath {

// out[i] = f(in[i]) for i < n (in == out allowed).
//
// On x86-64 with glibc these call libmvec, glibc's vector maths library (4 lanes with AVX2,
// otherwise 2 SSE lanes, chosen once per process); elsewhere the std:: functions. libmvec's
// error bound is 4 ulp (glibc manual, "Errors in Math Functions"); the models' contracts are
// stated well above that (relative 1e-9 against 50-digit references).
//
// Each element's result depends on its own value only: whole vectors are loaded from the array
// and a short tail is padded to a whole vector, so a value gives the same result in a batch of a
// million as in a one-element call, whatever the split of the work between threads.
void log(const double* in, double* out, std::size_t n) noexcept;
void exp(const double* in, double* out, std::size_t n) noexcept;
void log1p(const double* in, double* out, std::size_t n) noexcept;
void expm1(const double* in, double* out, std::size_t n) noexcept;

/// The implementation in use: "libmvec-avx2", "libmvec-sse" or "libm" (for benchmarks' logs).
[[nodiscard]] const char* implementation() noexcept;

}  // namespace patron::detail::vmath

#endif  // PATRON_SRC_LIB_VMATH_HPP
