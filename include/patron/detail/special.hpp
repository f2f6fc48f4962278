// SPDX-License-Identifier: MIT
// Special functions the CLV models need, in log space: Gauss 2F1, the scaled upper incomplete
// gamma function and the Tricomi U cases it covers, log-beta. Templated on Real so the same code
// runs in double and in 50-digit Boost.Multiprecision. Internal: no stability promise.
#ifndef PATRON_DETAIL_SPECIAL_HPP
#define PATRON_DETAIL_SPECIAL_HPP

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace patron::detail {

/// Result of a special-function evaluation in log space: value = sign · exp(log_abs).
/// `ok` is false when the method's documented range is left (series not converged, sign not
/// positive where positivity is required); log_abs is then +inf, never NaN.
template <class Real>
struct log_value {
  Real log_abs;
  int sign;
  bool ok;
};

/// Machine epsilon of Real, as a Real.
template <class Real>
[[nodiscard]] inline Real eps_of() {
  return std::numeric_limits<Real>::epsilon();
}

/// ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a+b), a, b > 0.
template <class Real>
[[nodiscard]] inline Real lbeta(Real a, Real b) {
  using boost::math::lgamma;
  using std::lgamma;
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/// Sums the Gauss series Σ (a)_n (b)_n / ((c)_n n!) zⁿ for |z| < 1 in scaled arithmetic (no
/// overflow); returns its log and sign. Stops when a term is below eps·|sum| after the terms
/// started to shrink; at most max_terms terms (then ok = false).
template <class Real>
[[nodiscard]] log_value<Real> hyp2f1_series(Real a, Real b, Real c, Real z,
                                            std::int64_t max_terms = 2'000'000) {
  using std::abs;
  using std::log;
  const Real eps = eps_of<Real>() / 4;
  Real sum = 1, term = 1, log_scale = 0;
  const Real big = Real(1e200);
  for (std::int64_t n = 0; n < max_terms; ++n) {
    const Real nn = Real(static_cast<double>(n));
    const Real ratio = (a + nn) * (b + nn) / ((c + nn) * (nn + 1)) * z;
    term *= ratio;
    sum += term;
    if (abs(sum) > big) {  // rescale to stay finite for huge values
      log_scale += log(big);
      sum /= big;
      term /= big;
    }
    if (term == 0) return {log(abs(sum)) + log_scale, sum < 0 ? -1 : 1, sum != 0};
    // Past the peak (|ratio| < 1 from here on, since the ratio tends to z monotonically for
    // large n) and the tail bound |term|·|ratio|/(1−|ratio|) is below eps·|sum|.
    const Real ar = abs(ratio);
    if (nn > abs(a) + abs(b) + abs(c) && ar < 1 && abs(term) * ar < eps * abs(sum) * (1 - ar))
      return {log(abs(sum)) + log_scale, sum < 0 ? -1 : 1, sum != 0};
  }
  return {std::numeric_limits<Real>::infinity(), 1, false};
}

/// ln 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer) and z < 1.
/// Method: for z < 0 Pfaff's transformation 2F1(a,b;c;z) = (1−z)^(−b) 2F1(b, c−a; c; z/(z−1))
/// maps z to [0, 1); for z in [0, 1) Euler's transformation
/// 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z) is used when it makes the series smaller
/// (c − a − b < 0 with a, b > 0: the large-x case of BG/NBD, where it turns a divergent-looking
/// sum into a short one). The series is summed to full precision (tail bound below eps); the
/// cost grows like ln(eps)/ln(z) terms, so z → 1 is slow but exact up to z = 1 − 1e-5.
/// Contract: ok = true and a finite value, or ok = false (never NaN). `max_terms` caps the series
/// (fits pass a lower cap, so that an optimiser wandering towards z → 1 is refused quickly).
template <class Real>
[[nodiscard]] log_value<Real> log_hyp2f1(Real a, Real b, Real c, Real z, std::int64_t max_terms = 2'000'000) {
  using std::log;
  using std::log1p;
  const Real inf = std::numeric_limits<Real>::infinity();
  if (!(z < 1) || !(c > 0 || c != floor(c))) return {inf, 1, false};
  // No shortcut for z = 0: the series stops after one term anyway, and a forward-mode dual
  // argument needs that term's derivative ab/c (src/lib/dual.hpp).
  Real log_pre = 0;
  if (z < 0) {
    // Pfaff on the parameter that keeps the new series' parameters smallest.
    const Real w = z / (z - 1);
    const Real l1mz = log1p(-z);
    log_value<Real> r;
    if (abs(c - a) <= abs(c - b)) {
      r = hyp2f1_series(b, c - a, c, w, max_terms);
      log_pre = -b * l1mz;
    } else {
      r = hyp2f1_series(a, c - b, c, w, max_terms);
      log_pre = -a * l1mz;
    }
    r.log_abs += log_pre;
    return r;
  }
  const Real s = c - a - b;
  // Euler when both transformed parameters are smaller in size (fewer, smaller terms).
  if (s < 0 && abs(c - a) + abs(c - b) < abs(a) + abs(b)) {
    auto r = hyp2f1_series(c - a, c - b, c, z, max_terms);
    r.log_abs += s * log1p(-z);
    return r;
  }
  return hyp2f1_series(a, b, c, z, max_terms);
}

/// ln H(b, z) with H(b, z) = z^(−b) e^z Γ(b, z) = ∫₀^∞ e^(−zt) (1+t)^(b−1) dt = U(1, b+1, z),
/// for any real b and z > 0 (H is finite and positive there; H ≈ 1/z for large z).
/// Methods: the Legendre continued fraction (modified Lentz) for z ≥ 1 when b ≤ 0.5, or for
/// z > b + 1; Boost's regularised Q(b, z) for b > 0.5 and z ≤ b + 1; for b ≤ 0.5 and z < 1 the
/// power series of Γ(b₀, z) at b₀ = b + m in (−0.5, 0.5] (written with tgamma1pm1 and expm1 so
/// b₀ → 0 loses nothing) followed by the stable downward recurrence
/// H(b, z) = (z·H(b+1, z) − 1)/b over m steps (|b| ≥ 0.5 on every step).
template <class Real>
[[nodiscard]] log_value<Real> log_upper_gamma_scaled(Real b, Real z) {
  using std::abs;
  using std::exp;
  using std::expm1;
  using std::floor;
  using std::log;
  const Real inf = std::numeric_limits<Real>::infinity();
  if (!(z > 0) || !(abs(b) < Real(1e12)) || !(z < inf)) return {inf, 1, false};
  const Real eps = eps_of<Real>();
  const Real lz = log(z);
  const bool use_cf = (b <= Real(0.5)) ? (z >= 1) : (z > b + 1);
  if (use_cf) {
    // e^z Γ(b, z) = z^b / (z+1−b − 1(1−b)/(z+3−b − 2(2−b)/(z+5−b − ...)))
    const Real tiny = Real(1e-300);
    Real bb = z + 1 - b;
    Real cc = 1 / tiny, d = 1 / bb, h = d;
    for (int i = 1; i < 100000; ++i) {
      const Real ii = Real(i);
      const Real an = -ii * (ii - b);
      bb += 2;
      d = an * d + bb;
      if (abs(d) < tiny) d = tiny;
      cc = bb + an / cc;
      if (abs(cc) < tiny) cc = tiny;
      d = 1 / d;
      const Real del = d * cc;
      h *= del;
      if (abs(del - 1) < eps) return {log(h), 1, h > 0};
    }
    return {inf, 1, false};
  }
  if (b > Real(0.5)) {
    // Γ(b, z) = Γ(b) Q(b, z); z ≤ b + 1 keeps Q away from underflow.
    using boost::math::gamma_q;
    using boost::math::lgamma;
    const Real q = gamma_q(b, z);
    return {lgamma(b) + log(q) + z - b * lz, 1, q > 0};
  }
  // b ≤ 0.5, 0 < z < 1.
  const Real mr = floor(Real(0.5) - b);
  const Real b0 = b + mr;
  // Γ(b0, z) = [Γ(1+b0) − 1 − (z^b0 − 1)]/b0 − z^b0 Σ_{n≥1} (−z)^n / (n! (b0+n))
  Real head;
  if (b0 == 0) {
    head = -boost::math::constants::euler<Real>() - lz;
  } else {
    using boost::math::tgamma1pm1;
    head = (tgamma1pm1(b0) - expm1(b0 * lz)) / b0;
  }
  Real sum = 0, t = 1;
  for (int n = 1; n < 1000; ++n) {
    t *= -z / Real(n);
    const Real add = t / (b0 + Real(n));
    sum += add;
    if (abs(add) < eps * abs(sum) * Real(0.25)) break;
  }
  const Real zb0 = exp(b0 * lz);
  const Real gamma_b0 = head - zb0 * sum;
  // H(b0) = e^z z^-b0 Γ(b0, z), then H(b) = (z H(b+1) − 1)/b downwards.
  Real h = exp(z) * gamma_b0 / zb0;
  const auto m = static_cast<std::int64_t>(mr);
  Real bk = b0;
  for (std::int64_t k = 0; k < m; ++k) {
    bk -= 1;
    h = (z * h - 1) / bk;
  }
  return {log(h), 1, h > 0};
}

/// ln U(a, a, z) = ln(e^z Γ(1−a, z)) for z > 0: the Tricomi function in the Pareto/NBD DERT
/// (Fader, Hardie & Lee 2005, JMR, eq. 2). U(a, a, z) = z^(1−a) H(1−a, z).
template <class Real>
[[nodiscard]] log_value<Real> log_tricomi_u_aa(Real a, Real z) {
  using std::log;
  auto r = log_upper_gamma_scaled(Real(1) - a, z);
  r.log_abs += (1 - a) * log(z);
  return r;
}

/// ln U(1, b, z) = ln H(b−1, z), z > 0: the Tricomi function in the BG/NBD DERT integrand.
template <class Real>
[[nodiscard]] log_value<Real> log_tricomi_u_1b(Real b, Real z) {
  return log_upper_gamma_scaled(b - 1, z);
}

// Complex arithmetic written out: std::complex's * and / call the C99 Annex G helpers
// (__muldc3, __divdc3) unless -fcx-limited-range, several times slower than these formulas,
// which are exact enough here (no infinities, moduli between 1e-300 and 1e300).
[[nodiscard]] inline std::complex<double> cmul(std::complex<double> x, std::complex<double> y) {
  return {x.real() * y.real() - x.imag() * y.imag(), x.real() * y.imag() + x.imag() * y.real()};
}
[[nodiscard]] inline std::complex<double> cinv(std::complex<double> x) {
  const double n = x.real() * x.real() + x.imag() * x.imag();
  return {x.real() / n, -x.imag() / n};
}
[[nodiscard]] inline std::complex<double> cexp(std::complex<double> x) {
  const double m = std::exp(x.real());
  return {m * std::cos(x.imag()), m * std::sin(x.imag())};
}

/// ln Γ(y − s) − ln Γ(y) for real y > 0 and complex s (|Re s| < 1000), y − s not a pole, up to a
/// multiple of 2πi (callers exponentiate); NaN outside that range. Both arguments are first
/// shifted up by m until y + m − Re s ≥ 10, Γ(y−s)/Γ(y) = Γ(y+m−s)/Γ(y+m) · Πₖ (y+k)/(y+k−s),
/// k = 0..m−1; then Stirling's series ln Γ(z) = (z−½) ln z − z + ½ ln 2π + φ(z),
/// φ(z) = Σₖ B₂ₖ/(2k(2k−1) z^(2k−1)) (DLMF 5.11.1, 8 terms: below 1e-16 for |z| ≥ 9), is
/// differenced without forming either logarithm of Γ:
///   ln Γ(Y−s) − ln Γ(Y) = −s ln Y + (Y − s − ½) ln(1 − s/Y) + s + φ(Y−s) − φ(Y),
/// with ln(1+u) = ½ log1p(2 Re u + |u|²) + i atan2(Im u, 1 + Re u), accurate for small |u|; so
/// the absolute error stays O(eps·|s|·ln Y) even when y is in the thousands.
[[nodiscard]] inline std::complex<double> log_gamma_shift(double y, std::complex<double> s) {
  using cd = std::complex<double>;
  // Outside the documented range (and to bound the shift loop): NaN, which callers detect.
  if (!(y > 0) || !(y < 1e300) || !(std::abs(s.real()) < 1e3) || !std::isfinite(s.imag()))
    return {std::numeric_limits<double>::quiet_NaN(), 0.0};
  // clang-format off
  static constexpr double c[] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
                                 -691.0 / 360360, 1.0 / 156, -3617.0 / 122400};
  // clang-format on
  auto phi = [](cd z) {
    const cd iz = cinv(z), iz2 = cmul(iz, iz);
    cd sum = c[7];
    for (int k = 6; k >= 0; --k) sum = cmul(sum, iz2) + c[k];
    return cmul(sum, iz);
  };
  auto phi_real = [](double z) {
    const double iz = 1 / z, iz2 = iz * iz;
    double sum = c[7];
    for (int k = 6; k >= 0; --k) sum = sum * iz2 + c[k];
    return sum * iz;
  };
  cd den = 1.0;
  double num = 1.0, yy = y;
  bool shifted = false;
  while (yy - s.real() < 10.0) {
    num *= yy;
    den = cmul(den, cd(yy - s.real(), -s.imag()));
    yy += 1.0;
    shifted = true;
  }
  const cd z(yy - s.real(), -s.imag());
  const double ur = -s.real() / yy, ui = -s.imag() / yy;
  const cd l1p(0.5 * std::log1p(ur * (2 + ur) + ui * ui), std::atan2(ui, 1 + ur));
  cd r = -s * std::log(yy) + cmul(z - 0.5, l1p) + s + phi(z) - phi_real(yy);
  if (shifted) {
    const cd q = num * cinv(den);
    r += cd(std::log(std::abs(q)), std::arg(q));
  }
  return r;
}

/// log(1 + e^x) without overflow.
template <class Real>
[[nodiscard]] inline Real log1p_exp(Real x) {
  using std::exp;
  using std::log1p;
  return x > 35 ? x + exp(-x) : log1p(exp(x));
}

/// ln 2F1(1, b; c; z) for 0 ≤ z < 1 and c ≥ b > 0, the form every BG/BB and sBG discounted sum
/// takes. Its terms tₖ₊₁ = tₖ (b+k)/(c+k) z shrink at least geometrically (ratio ≤ z), so for
/// z ≤ 0.99 the series is summed directly and stopped when the tail bound tₖ₊₁/(1−z) falls
/// below eps·sum; closer to 1 (discount rates under about 1 % per period) it defers to
/// log_hyp2f1's transformations.
template <class Real>
[[nodiscard]] log_value<Real> log_hyp2f1_unit_a(Real b, Real c, Real z) {
  using std::log;
  if (!(z >= 0) || !(z <= Real(0.99)) || !(c >= b) || !(b > 0)) return log_hyp2f1(Real(1), b, c, z);
  const Real eps = eps_of<Real>() / 4;
  Real t = 1, sum = 1;
  for (long k = 0; k < 100000; ++k) {
    const Real kk = Real(static_cast<double>(k));
    t *= (b + kk) / (c + kk) * z;
    sum += t;
    if (t <= eps * sum * (1 - z)) return {log(sum), 1, true};
  }
  return log_hyp2f1(Real(1), b, c, z);
}

}  // namespace patron::detail

#endif  // PATRON_DETAIL_SPECIAL_HPP
