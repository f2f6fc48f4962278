// SPDX-License-Identifier: MIT
#include "vmath.hpp"

#include <cmath>
#include <cstring>

#if defined(__x86_64__) && defined(__GLIBC__) && !defined(PATRON_NO_LIBMVEC)
#  define PATRON_VMATH_LIBMVEC 1
#  include <immintrin.h>
#endif

namespace patron::detail::vmath {
namespace {

using array_fn = void (*)(const double*, double*, std::size_t);

#if PATRON_VMATH_LIBMVEC
// libmvec's vector-ABI entry points (x86_64 vector function ABI names: 'b' = SSE, 2 lanes;
// 'd' = AVX2, 4 lanes). Linked through libm.so, whose linker script pulls libmvec in as needed.
extern "C" {
__m128d _ZGVbN2v_log(__m128d);
__m128d _ZGVbN2v_exp(__m128d);
__m128d _ZGVbN2v_log1p(__m128d);
__m128d _ZGVbN2v_expm1(__m128d);
}

// Whole vectors straight from the array; a short tail padded with 1.0 (inside every function's
// domain) and run as a whole vector too.
template <__m128d (*F)(__m128d)>
void sse_array(const double* in, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(out + i, F(_mm_loadu_pd(in + i)));
  if (i < n) out[i] = _mm_cvtsd_f64(F(_mm_set_pd(1.0, in[i])));
}

#  pragma GCC push_options
#  pragma GCC target("avx2")
extern "C" {
__m256d _ZGVdN4v_log(__m256d);
__m256d _ZGVdN4v_exp(__m256d);
__m256d _ZGVdN4v_log1p(__m256d);
__m256d _ZGVdN4v_expm1(__m256d);
}

template <__m256d (*F)(__m256d)>
void avx2_array(const double* in, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F(_mm256_loadu_pd(in + i)));
  if (i < n) {
    alignas(32) double buf[4] = {1.0, 1.0, 1.0, 1.0};
    std::memcpy(buf, in + i, (n - i) * sizeof(double));
    _mm256_store_pd(buf, F(_mm256_load_pd(buf)));
    std::memcpy(out + i, buf, (n - i) * sizeof(double));
  }
}
#  pragma GCC pop_options
#endif

#if !PATRON_VMATH_LIBMVEC
template <double (*F)(double)>
void scalar_array(const double* in, double* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = F(in[i]);
}
double std_log(double v) { return std::log(v); }
double std_exp(double v) { return std::exp(v); }
double std_log1p(double v) { return std::log1p(v); }
double std_expm1(double v) { return std::expm1(v); }
#endif

struct table {
  array_fn log, exp, log1p, expm1;
  const char* name;
};

table choose() noexcept {
#if PATRON_VMATH_LIBMVEC
  if (__builtin_cpu_supports("avx2"))
    return {&avx2_array<_ZGVdN4v_log>, &avx2_array<_ZGVdN4v_exp>, &avx2_array<_ZGVdN4v_log1p>,
            &avx2_array<_ZGVdN4v_expm1>, "libmvec-avx2"};
  return {&sse_array<_ZGVbN2v_log>, &sse_array<_ZGVbN2v_exp>, &sse_array<_ZGVbN2v_log1p>, &sse_array<_ZGVbN2v_expm1>,
          "libmvec-sse"};
#else
  return {&scalar_array<std_log>, &scalar_array<std_exp>, &scalar_array<std_log1p>, &scalar_array<std_expm1>, "libm"};
#endif
}

const table& functions() noexcept {
  static const table t = choose();
  return t;
}

}  // namespace

void log(const double* in, double* out, std::size_t n) noexcept { functions().log(in, out, n); }
void exp(const double* in, double* out, std::size_t n) noexcept { functions().exp(in, out, n); }
void log1p(const double* in, double* out, std::size_t n) noexcept { functions().log1p(in, out, n); }
void expm1(const double* in, double* out, std::size_t n) noexcept { functions().expm1(in, out, n); }
const char* implementation() noexcept { return functions().name; }

}  // namespace patron::detail::vmath
