// SPDX-License-Identifier: MIT
// OpenMP helpers for the recommend sources: a loop pragma that vanishes without OpenMP.
#ifndef PATRON_SRC_RECOMMEND_PARALLEL_HPP
#define PATRON_SRC_RECOMMEND_PARALLEL_HPP

#ifdef _OPENMP
#  include <omp.h>
#endif

namespace patron::inline v1::recommend::detail {

/// Threads to use: `requested` when > 0, else OpenMP's default (1 without OpenMP).
inline int resolve_threads(int requested) noexcept {
#ifdef _OPENMP
  return requested > 0 ? requested : omp_get_max_threads();
#else
  (void)requested;
  return 1;
#endif
}

}  // namespace patron::inline v1::recommend::detail

// Parallel for over independent iterations; needs a local `int omp_threads_` in scope.
#ifdef _OPENMP
#  define PATRON_OMP_FOR _Pragma("omp parallel for schedule(dynamic, 16) num_threads(omp_threads_)")
#else
#  define PATRON_OMP_FOR (void)omp_threads_;
#endif

#endif  // PATRON_SRC_RECOMMEND_PARALLEL_HPP
