// SPDX-License-Identifier: MIT
// Portable random numbers: splitmix64 seeding, xoshiro256** and our own samplers, so simulated
// data is bit-identical on every platform (std:: distributions differ between libraries).
#ifndef PATRON_DETAIL_RANDOM_HPP
#define PATRON_DETAIL_RANDOM_HPP

#include <cmath>
#include <cstdint>

namespace patron::detail {

/// One splitmix64 step (Steele, Lea & Flood 2014): advances `state` and returns a well-mixed
/// 64-bit value. Used to seed xoshiro and to derive per-customer substreams.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E37'79B9'7F4A'7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
  return z ^ (z >> 31);
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018). Seeded from (seed, stream) through splitmix64, so
/// stream k of a seed is the same sequence whatever else is drawn or in which order/thread.
class xoshiro256ss {
 public:
  explicit constexpr xoshiro256ss(std::uint64_t seed, std::uint64_t stream = 0) noexcept {
    // Mix the stream through its own splitmix step before combining with the seed, so nearby
    // (seed, stream) pairs do not share a splitmix sequence.
    std::uint64_t k = stream;
    std::uint64_t st = seed ^ splitmix64(k);
    for (auto& w : s_) w = splitmix64(st);
  }

  using result_type = std::uint64_t;
  [[nodiscard]] constexpr std::uint64_t operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  [[nodiscard]] static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
};

/// Uniform on [0, 1): the top 53 bits as a double.
[[nodiscard]] inline double uniform01(xoshiro256ss& g) noexcept {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}
/// Uniform on (0, 1]: safe to take the log of.
[[nodiscard]] inline double uniform_open0(xoshiro256ss& g) noexcept {
  return static_cast<double>((g() >> 11) + 1) * 0x1.0p-53;
}
/// Uniform integer in [0, n) for n ≥ 1 (n < 2^53; floor of a uniform, bias below 2^-53 · n).
[[nodiscard]] inline std::uint64_t uniform_index(xoshiro256ss& g, std::uint64_t n) noexcept {
  const auto k = static_cast<std::uint64_t>(uniform01(g) * static_cast<double>(n));
  return k < n ? k : n - 1;
}
/// Exponential with rate 1: −log(u), u uniform on (0, 1].
[[nodiscard]] inline double exponential(xoshiro256ss& g) noexcept { return -std::log(uniform_open0(g)); }

/// Standard normal by Marsaglia's polar method (Marsaglia & Bray 1964); draws until a point
/// falls inside the unit disc and uses one of the pair (stateless, so substreams stay simple).
[[nodiscard]] inline double standard_normal(xoshiro256ss& g) noexcept {
  for (;;) {
    const double u = 2.0 * uniform01(g) - 1.0;
    const double v = 2.0 * uniform01(g) - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

/// Gamma(shape k ≥ 1, scale 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma
/// variables", ACM TOMS 26(3): d = k − 1/3, c = 1/√(9d), accept d·v with v = (1 + c·z)³.
[[nodiscard]] inline double gamma_mt(xoshiro256ss& g, double k) noexcept {
  const double d = k - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double z = 0, v = 0;
    do {
      z = standard_normal(g);
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_open0(g);
    const double z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2) return d * v;                           // squeeze
    if (std::log(u) < 0.5 * z2 + d * (1.0 - v + std::log(v))) return d * v;  // exact test
  }
}

/// log of a Gamma(shape k > 0, scale 1) variate. For k < 1 Marsaglia & Tsang's boost:
/// G(k) = G(k + 1) · U^{1/k}, taken in logs so tiny shapes do not underflow to 0.
[[nodiscard]] inline double log_gamma_variate(xoshiro256ss& g, double k) noexcept {
  if (k >= 1.0) return std::log(gamma_mt(g, k));
  const double big = gamma_mt(g, k + 1.0);
  return std::log(big) + std::log(uniform_open0(g)) / k;
}

/// Gamma(shape k > 0, rate) = Gamma(k, 1) / rate (the papers' parametrisation: mean k / rate).
[[nodiscard]] inline double gamma_rate(xoshiro256ss& g, double k, double rate) noexcept {
  if (k >= 1.0) return gamma_mt(g, k) / rate;
  return std::exp(log_gamma_variate(g, k)) / rate;
}

/// Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed as 1 / (1 + e^{ln Y − ln X})
/// so that small shapes (both draws underflowing) still give a value in [0, 1].
[[nodiscard]] inline double beta(xoshiro256ss& g, double a, double b) noexcept {
  const double lx = log_gamma_variate(g, a);
  const double ly = log_gamma_variate(g, b);
  return 1.0 / (1.0 + std::exp(ly - lx));
}

}  // namespace patron::detail

#endif  // PATRON_DETAIL_RANDOM_HPP
