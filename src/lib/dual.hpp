// SPDX-License-Identifier: MIT
// Internal: forward-mode automatic differentiation with N directional derivatives, for the
// exact gradient of likelihoods whose special functions are templated on Real (the Pareto/NBD
// 2F1 series in patron/detail/special.hpp). A dual carries f and ∂f/∂θ_k, k < N; every operation
// applies the chain rule, so the derivative is that of the computed approximation itself (the
// same series, transformations and stopping points), not of a finite-difference quotient.
// Comparisons look at the value only, so control flow is that of the double computation.
#ifndef PATRON_SRC_LIB_DUAL_HPP
#define PATRON_SRC_LIB_DUAL_HPP

#include <array>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/digamma.hpp>

namespace patron::detail {

template <int N>
struct dual {
  double v = 0;
  std::array<double, N> d{};

  dual() = default;
  dual(double value) : v(value) {}  // NOLINT: constants mix with duals implicitly
  /// θ_k's own dual: value `value`, ∂/∂θ_k = `slope`.
  static dual variable(double value, int k, double slope = 1.0) {
    dual r(value);
    r.d[static_cast<std::size_t>(k)] = slope;
    return r;
  }
  /// f(x) with f'(x) = `slope`: chain rule over every direction.
  [[nodiscard]] dual apply(double value, double slope) const {
    dual r(value);
    for (int k = 0; k < N; ++k) r.d[k] = slope * d[k];
    return r;
  }

  dual& operator+=(const dual& o) {
    v += o.v;
    for (int k = 0; k < N; ++k) d[k] += o.d[k];
    return *this;
  }
  dual& operator-=(const dual& o) {
    v -= o.v;
    for (int k = 0; k < N; ++k) d[k] -= o.d[k];
    return *this;
  }
  dual& operator*=(const dual& o) {
    for (int k = 0; k < N; ++k) d[k] = d[k] * o.v + v * o.d[k];
    v *= o.v;
    return *this;
  }
  dual& operator/=(const dual& o) {
    const double q = v / o.v;
    for (int k = 0; k < N; ++k) d[k] = (d[k] - q * o.d[k]) / o.v;
    v = q;
    return *this;
  }
  dual operator-() const {
    dual r;
    r.v = -v;
    for (int k = 0; k < N; ++k) r.d[k] = -d[k];
    return r;
  }
};

template <int N> dual<N> operator+(dual<N> a, const dual<N>& b) { return a += b; }
template <int N> dual<N> operator-(dual<N> a, const dual<N>& b) { return a -= b; }
template <int N> dual<N> operator*(dual<N> a, const dual<N>& b) { return a *= b; }
template <int N> dual<N> operator/(dual<N> a, const dual<N>& b) { return a /= b; }
template <int N> dual<N> operator+(dual<N> a, double b) { a.v += b; return a; }
template <int N> dual<N> operator+(double a, dual<N> b) { b.v += a; return b; }
template <int N> dual<N> operator-(dual<N> a, double b) { a.v -= b; return a; }
template <int N> dual<N> operator-(double a, const dual<N>& b) { return -b + a; }
template <int N> dual<N> operator*(dual<N> a, double b) {
  a.v *= b;
  for (auto& x : a.d) x *= b;
  return a;
}
template <int N> dual<N> operator*(double a, dual<N> b) { return b * a; }
template <int N> dual<N> operator/(dual<N> a, double b) { return a * (1.0 / b); }
template <int N> dual<N> operator/(double a, const dual<N>& b) { return dual<N>(a) / b; }

#define PATRON_DUAL_COMPARE(op)                                                              \
  template <int N> bool operator op(const dual<N>& a, const dual<N>& b) { return a.v op b.v; } \
  template <int N> bool operator op(const dual<N>& a, double b) { return a.v op b; }          \
  template <int N> bool operator op(double a, const dual<N>& b) { return a op b.v; }
PATRON_DUAL_COMPARE(<)
PATRON_DUAL_COMPARE(>)
PATRON_DUAL_COMPARE(<=)
PATRON_DUAL_COMPARE(>=)
PATRON_DUAL_COMPARE(==)
PATRON_DUAL_COMPARE(!=)
#undef PATRON_DUAL_COMPARE

template <int N> dual<N> log(const dual<N>& x) { return x.apply(std::log(x.v), 1.0 / x.v); }
template <int N> dual<N> log1p(const dual<N>& x) { return x.apply(std::log1p(x.v), 1.0 / (1.0 + x.v)); }
template <int N> dual<N> exp(const dual<N>& x) {
  const double e = std::exp(x.v);
  return x.apply(e, e);
}
template <int N> dual<N> expm1(const dual<N>& x) { return x.apply(std::expm1(x.v), std::exp(x.v)); }
template <int N> dual<N> abs(const dual<N>& x) { return x.v < 0 ? -x : x; }
template <int N> dual<N> floor(const dual<N>& x) { return dual<N>(std::floor(x.v)); }  // piecewise constant
template <int N> dual<N> lgamma(const dual<N>& x) {
  return x.apply(std::lgamma(x.v), boost::math::digamma(x.v));
}

}  // namespace patron::detail

template <int N>
class std::numeric_limits<patron::detail::dual<N>> : public std::numeric_limits<double> {
 public:
  static patron::detail::dual<N> epsilon() noexcept { return std::numeric_limits<double>::epsilon(); }
  static patron::detail::dual<N> infinity() noexcept { return std::numeric_limits<double>::infinity(); }
};

#endif  // PATRON_SRC_LIB_DUAL_HPP
