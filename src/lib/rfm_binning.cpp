// SPDX-License-Identifier: MIT
// RFM cut points by multi-selection (no full sort), NTILE ranks, mean/median splits, and scoring.
#include "patron/rfm/binning.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

#include "patron/error.hpp"

namespace patron::inline v1::rfm {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Places the order statistics `ranks` (ascending, absolute indices in [b, e)) of data[b, e)
// at their positions: nth_element on the middle rank, then each side with its own ranks.
void multi_select(std::span<double> data, std::size_t b, std::size_t e,
                  std::span<const std::size_t> ranks) {
  while (!ranks.empty()) {
    const std::size_t mid = ranks.size() / 2;
    const std::size_t r = ranks[mid];
    std::nth_element(data.begin() + static_cast<std::ptrdiff_t>(b),
                     data.begin() + static_cast<std::ptrdiff_t>(r),
                     data.begin() + static_cast<std::ptrdiff_t>(e));
    multi_select(data, b, r, ranks.first(mid));
    b = r + 1;
    ranks = ranks.subspan(mid + 1);
  }
}

// Order-preserving 64-bit key of a double (NaN excluded by the caller): flip all bits of
// negatives, only the sign bit of the rest.
inline std::uint64_t order_key(double x) noexcept {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u ^ ((u >> 63) != 0 ? ~std::uint64_t{0} : std::uint64_t{1} << 63);
}

// The order statistics `ranks` (ascending, < values.size()) of `values`, without a full sort or a
// copy: a 16-bit radix histogram finds the bucket of each rank, one more pass gathers just those
// buckets (noting min and max, so a bucket of one repeated value needs no selection), and
// nth_element finishes inside each gathered bucket. Two streaming passes over the data.
void select_ranks(std::span<const double> values, std::span<const std::size_t> ranks,
                  std::span<double> out) {
  constexpr int shift = 48;
  constexpr std::size_t buckets = std::size_t{1} << 16;
  // Two histograms for alternate values: runs of one bucket (ties) would otherwise chain every
  // increment on the previous store.
  std::vector<std::uint32_t> hist(buckets, 0), hist2(buckets, 0);
  const std::size_t count = values.size();
  std::size_t j = 0;
  for (; j + 2 <= count; j += 2) {
    ++hist[order_key(values[j]) >> shift];
    ++hist2[order_key(values[j + 1]) >> shift];
  }
  if (j < count) ++hist[order_key(values[j]) >> shift];
  for (std::size_t k = 0; k < buckets; ++k) hist[k] += hist2[k];
  // Bucket of each rank and the rank inside it.
  std::vector<std::uint8_t> slot_of(buckets, 0);  // 0 = not needed, else slot + 1
  std::vector<std::size_t> slot_bucket;
  std::vector<std::size_t> rank_slot(ranks.size()), rank_local(ranks.size());
  std::size_t below = 0, b = 0;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    while (below + hist[b] <= ranks[i]) below += hist[b++];
    if (slot_of[b] == 0) {
      slot_bucket.push_back(b);
      slot_of[b] = static_cast<std::uint8_t>(slot_bucket.size());
    }
    rank_slot[i] = slot_of[b] - 1u;
    rank_local[i] = ranks[i] - below;
  }
  // Pass 2: min and max of each needed bucket. A bucket holding one repeated value (the usual
  // case for order counts) is answered here, with nothing gathered.
  const std::size_t slots = slot_bucket.size();
  std::vector<double> lo(slots, inf), hi(slots, -inf);
  for (double x : values) {
    const std::uint8_t sl = slot_of[order_key(x) >> shift];
    if (sl != 0) {
      lo[sl - 1u] = std::min(lo[sl - 1u], x);
      hi[sl - 1u] = std::max(hi[sl - 1u], x);
    }
  }
  // Pass 3, only when some bucket holds different values: gather those buckets.
  std::vector<std::vector<double>> gathered(slots);
  bool any = false;
  for (std::size_t k = 0; k < slots; ++k) {
    if (lo[k] == hi[k]) {
      slot_of[slot_bucket[k]] = 0;
    } else {
      gathered[k].resize(hist[slot_bucket[k]]);
      any = true;
    }
  }
  if (any) {
    std::vector<std::size_t> fill(slots, 0);
    for (double x : values) {
      const std::uint8_t sl = slot_of[order_key(x) >> shift];
      if (sl != 0) gathered[sl - 1u][fill[sl - 1u]++] = x;
    }
  }
  // Ranks ascend, so within a slot the local ranks ascend too: select them in one sweep.
  std::vector<std::size_t> done_upto(slot_bucket.size(), 0);
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const std::size_t k = rank_slot[i];
    if (lo[k] == hi[k]) {
      out[i] = lo[k];
      continue;
    }
    auto& g = gathered[k];
    const auto from = static_cast<std::ptrdiff_t>(done_upto[k]);
    const auto at = static_cast<std::ptrdiff_t>(rank_local[i]);
    std::nth_element(g.begin() + from, g.begin() + at, g.end());
    out[i] = g[rank_local[i]];
    done_upto[k] = rank_local[i];
  }
}

// out[i] = base + sign · bin(v[i]) with the cut count fixed at compile time and the cuts in a
// local array: the byte stores cannot alias them, so the loop stays branch-free and vectorizes.
template <int NC, bool Left>
void bin_kernel(const double* cuts, std::span<const double> v, int base, int sign,
                std::span<std::uint8_t> out) noexcept {
  double c[NC];
  for (int k = 0; k < NC; ++k) c[k] = cuts[k];
  const std::size_t n = v.size();
  const double* in = v.data();
  std::uint8_t* o = out.data();
  std::size_t i = 0;
#if defined(__SSE2__)
  // Two customers per step with SSE2 (in every x86-64): compare masks are −1, so subtracting
  // them counts the cuts passed.
  __m128d cv[NC];
  for (int k = 0; k < NC; ++k) cv[k] = _mm_set1_pd(c[k]);
  for (; i + 2 <= n; i += 2) {
    const __m128d x = _mm_loadu_pd(in + i);
    __m128i acc = _mm_setzero_si128();
    for (int k = 0; k < NC; ++k) {
      const __m128d m = Left ? _mm_cmpge_pd(x, cv[k]) : _mm_cmpgt_pd(x, cv[k]);
      acc = _mm_sub_epi64(acc, _mm_castpd_si128(m));
    }
    const auto b0 = static_cast<int>(_mm_cvtsi128_si64(acc));
    const auto b1 = static_cast<int>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc)));
    o[i] = static_cast<std::uint8_t>(base + sign * (1 + b0));
    o[i + 1] = static_cast<std::uint8_t>(base + sign * (1 + b1));
  }
#endif
  for (; i < n; ++i) {
    const double x = in[i];
    int b = 1;
    for (int k = 0; k < NC; ++k) b += Left ? static_cast<int>(x >= c[k]) : static_cast<int>(x > c[k]);
    o[i] = static_cast<std::uint8_t>(base + sign * b);
  }
}

template <bool Left>
void bin_dispatch(const double* c, std::size_t nc, std::span<const double> v, int base, int sign,
                  std::span<std::uint8_t> out) noexcept {
  switch (nc) {
    case 1: bin_kernel<1, Left>(c, v, base, sign, out); break;
    case 2: bin_kernel<2, Left>(c, v, base, sign, out); break;
    case 3: bin_kernel<3, Left>(c, v, base, sign, out); break;
    case 4: bin_kernel<4, Left>(c, v, base, sign, out); break;
    case 5: bin_kernel<5, Left>(c, v, base, sign, out); break;
    case 6: bin_kernel<6, Left>(c, v, base, sign, out); break;
    case 7: bin_kernel<7, Left>(c, v, base, sign, out); break;
    default: bin_kernel<8, Left>(c, v, base, sign, out); break;
  }
}

void bin_column(const metric_cuts& mc, std::span<const double> v, int base, int sign,
                std::span<std::uint8_t> out) {
  if (mc.cuts.empty() || mc.cuts.size() > 8)
    throw invalid_argument_error("rfm::apply", "cuts", std::to_string(mc.cuts.size()), "need 1..8 cut points");
  if (mc.left_closed) bin_dispatch<true>(mc.cuts.data(), mc.cuts.size(), v, base, sign, out);
  else bin_dispatch<false>(mc.cuts.data(), mc.cuts.size(), v, base, sign, out);
}

void check_sizes(std::span<const double> r, std::span<const double> f, std::span<const double> m,
                 std::string_view where) {
  if (r.size() != f.size() || r.size() != m.size())
    throw invalid_argument_error(where, "sizes",
                                 std::to_string(r.size()) + "/" + std::to_string(f.size()) + "/" +
                                     std::to_string(m.size()),
                                 "recency, frequency and monetary must have equal lengths");
}

void check_cuts(const std::vector<double>& cuts, int bins, std::string_view field, bool required) {
  if (cuts.empty() && !required) return;
  if (cuts.size() != static_cast<std::size_t>(bins - 1))
    throw invalid_argument_error("rfm binning", field, std::to_string(cuts.size()) + " cut points",
                                 "need bins - 1 = " + std::to_string(bins - 1));
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    if (std::isnan(cuts[i]))
      throw invalid_argument_error("rfm binning", field, "nan", "cut points must be numbers");
    if (i > 0 && cuts[i] < cuts[i - 1])
      throw invalid_argument_error("rfm binning", field, std::to_string(cuts[i]),
                                   "cut points must be ascending");
  }
}

// Ascending-scale NTILE bins: order by value (descending for recency), ties by input position.
void ntile_bins(std::span<const double> v, int n, bool descending, std::span<std::uint8_t> bin) {
  const std::size_t count = v.size();
  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  if (descending) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return v[a] > v[b]; });
  } else {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return v[a] < v[b]; });
  }
  const std::size_t bins = static_cast<std::size_t>(n);
  const std::size_t q = count / bins, rem = count % bins;
  const std::size_t big = rem * (q + 1);  // positions held by the first rem (larger) buckets
  for (std::size_t pos = 0; pos < count; ++pos) {
    const std::size_t bucket = pos < big ? pos / (q + 1) : rem + (pos - big) / q;  // 0-based
    const std::size_t asc = descending ? bins - bucket : bucket + 1;
    bin[order[pos]] = static_cast<std::uint8_t>(asc);
  }
}

// Cut points that re-create ascending bins as well as values allow: the lowest value of each bin,
// closed on the left; an empty bin takes the cut of the bin above (+inf at the top).
metric_cuts cuts_from_bins(std::span<const double> v, std::span<const std::uint8_t> bin, int n) {
  std::vector<double> low(static_cast<std::size_t>(n) + 1, inf);
  for (std::size_t i = 0; i < v.size(); ++i) low[bin[i]] = std::min(low[bin[i]], v[i]);
  metric_cuts mc;
  mc.left_closed = true;
  mc.cuts.assign(static_cast<std::size_t>(n - 1), inf);
  for (int j = n; j >= 2; --j) {
    const auto ju = static_cast<std::size_t>(j);
    const double above = j == n ? inf : mc.cuts[ju - 1];
    mc.cuts[ju - 2] = low[ju] == inf ? above : low[ju];
  }
  return mc;
}

double centre_of(std::span<const double> v, split_centre c) {
  if (c == split_centre::median) {
    double q = 0;
    quantiles_type7(v, 2, std::span<double>(&q, 1));
    return q;
  }
  // min + mean of the offsets: exact when all values are equal, and a smaller rounding error.
  const double lo = *std::min_element(v.begin(), v.end());
  double s = 0;
  for (double x : v) s += x - lo;
  return lo + s / static_cast<double>(v.size());
}

}  // namespace

std::string_view to_string(binning_method m) noexcept {
  switch (m) {
    case binning_method::quantile: return "quantile";
    case binning_method::r_rfm: return "r-rfm";
    case binning_method::ntile: return "ntile";
    case binning_method::fixed: return "fixed";
    case binning_method::mean_split: return "mean-split";
  }
  return "?";
}

binning_method parse_binning_method(std::string_view text, std::string_view field) {
  for (auto m : {binning_method::quantile, binning_method::r_rfm, binning_method::ntile,
                 binning_method::fixed, binning_method::mean_split})
    if (text == to_string(m)) return m;
  throw invalid_argument_error("rfm", field, text,
                               "expected quantile, r-rfm, ntile, fixed or mean-split");
}

void binning_options::validate() const {
  if (method != binning_method::mean_split && (bins < 2 || bins > 9))
    throw invalid_argument_error("rfm binning", "bins", std::to_string(bins), "must be in 2..9");
  const bool required = method == binning_method::fixed;
  if (method == binning_method::fixed || method == binning_method::r_rfm) {
    check_cuts(recency_cuts, bins, "recency_cuts", required);
    check_cuts(frequency_cuts, bins, "frequency_cuts", required);
    check_cuts(monetary_cuts, bins, "monetary_cuts", required);
  } else if (!recency_cuts.empty() || !frequency_cuts.empty() || !monetary_cuts.empty()) {
    throw invalid_argument_error("rfm binning", "cuts", to_string(method),
                                 "explicit cut points need --binning fixed or r-rfm");
  }
}

void thresholds::validate() const {
  auto bad = [](std::string_view field, const std::string& value, std::string_view problem) {
    throw invalid_argument_error(errc::bad_rule,
                                 format_error(errc::bad_rule, "rfm thresholds", field, value, problem));
  };
  if (bins < 2 || bins > 9) bad("bins", std::to_string(bins), "must be in 2..9");
  const std::pair<const char*, const metric_cuts*> all[] = {
      {"recency", &recency}, {"frequency", &frequency}, {"monetary", &monetary}};
  for (const auto& [name, mc] : all) {
    if (mc->cuts.size() != static_cast<std::size_t>(bins - 1))
      bad(name, std::to_string(mc->cuts.size()) + " cut points", "need bins - 1");
    for (std::size_t i = 0; i < mc->cuts.size(); ++i) {
      if (std::isnan(mc->cuts[i])) bad(name, "nan", "cut points must be numbers");
      if (i > 0 && mc->cuts[i] < mc->cuts[i - 1]) bad(name, std::to_string(mc->cuts[i]), "cut points must be ascending");
    }
  }
}

void quantiles_type7(std::span<const double> values, int n, std::span<double> out) {
  const std::size_t count = values.size();
  if (count == 0) throw data_error(errc::empty_input, "rfm::quantiles_type7", 0, 0, "", "", "no values");
  const auto bins = static_cast<std::size_t>(n);
  std::size_t ranks[32];
  std::size_t nr = 0;
  for (std::size_t k = 1; k < bins; ++k) {
    const std::size_t num = (count - 1) * k;
    ranks[nr++] = num / bins;
    if (num % bins != 0) ranks[nr++] = num / bins + 1;
  }
  std::sort(ranks, ranks + nr);
  nr = static_cast<std::size_t>(std::unique(ranks, ranks + nr) - ranks);
  double at[32];
  if (count < (std::size_t{1} << 16)) {
    // Small inputs: multi-selection on a copy beats two passes with a 64k-bucket histogram.
    std::vector<double> scratch(values.begin(), values.end());
    multi_select(scratch, 0, count, std::span<const std::size_t>(ranks, nr));
    for (std::size_t i = 0; i < nr; ++i) at[i] = scratch[ranks[i]];
  } else {
    select_ranks(values, std::span<const std::size_t>(ranks, nr), std::span<double>(at, nr));
  }
  auto value_at = [&](std::size_t r) { return at[std::lower_bound(ranks, ranks + nr, r) - ranks]; };
  for (std::size_t k = 1; k < bins; ++k) {
    const std::size_t num = (count - 1) * k;
    const std::size_t lo = num / bins, rem = num % bins;
    double q = value_at(lo);
    // As R: interpolate only between different neighbours, so a tied value stays exact.
    if (rem != 0 && value_at(lo + 1) != q) {
      const double h = static_cast<double>(rem) / static_cast<double>(bins);
      q = (1 - h) * q + h * value_at(lo + 1);
    }
    out[k - 1] = q;
  }
}

double quantile_type7(std::span<const double> values, double p) {
  if (values.empty()) throw data_error(errc::empty_input, "rfm::quantile_type7", 0, 0, "", "", "no values");
  if (!(p >= 0 && p <= 1)) throw invalid_argument_error("rfm::quantile_type7", "p", std::to_string(p), "must be in [0, 1]");
  std::vector<double> x(values.begin(), values.end());
  const double h = static_cast<double>(x.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  std::size_t ranks[2] = {lo, hi};
  multi_select(x, 0, x.size(), std::span<const std::size_t>(ranks, lo == hi ? 1 : 2));
  if (x[hi] == x[lo]) return x[lo];
  const double frac = h - static_cast<double>(lo);
  return (1 - frac) * x[lo] + frac * x[hi];
}

thresholds fit_thresholds(std::span<const double> recency, std::span<const double> frequency,
                          std::span<const double> monetary, const binning_options& options) {
  options.validate();
  check_sizes(recency, frequency, monetary, "rfm::fit_thresholds");
  if (recency.empty())
    throw data_error(errc::empty_input, "rfm::fit_thresholds", 0, 0, "", "", "no customers to fit cut points on");
  thresholds t;
  t.method = options.method;
  t.bins = options.method == binning_method::mean_split ? 2 : options.bins;
  const std::span<const double> col[3] = {recency, frequency, monetary};
  const std::vector<double>* given[3] = {&options.recency_cuts, &options.frequency_cuts,
                                         &options.monetary_cuts};
  metric_cuts* dst[3] = {&t.recency, &t.frequency, &t.monetary};
  for (int j = 0; j < 3; ++j) {
    metric_cuts& mc = *dst[j];
    switch (options.method) {
      case binning_method::quantile:
      case binning_method::r_rfm: {
        mc.left_closed = options.method == binning_method::r_rfm;
        if (!given[j]->empty()) {
          mc.cuts = *given[j];
          break;
        }
        mc.cuts.resize(static_cast<std::size_t>(t.bins - 1));
        quantiles_type7(col[j], t.bins, mc.cuts);
        if (mc.left_closed)
          for (double& c : mc.cuts) c += 1.0;
        break;
      }
      case binning_method::fixed:
        mc.left_closed = true;
        mc.cuts = *given[j];
        break;
      case binning_method::mean_split:
        // High = strictly better than the centre: v > c for F and M, recency < c for R.
        mc.left_closed = j == 0;
        mc.cuts = {centre_of(col[j], options.centre)};
        break;
      case binning_method::ntile: {
        std::vector<std::uint8_t> bin(col[j].size());
        ntile_bins(col[j], t.bins, j == 0, bin);
        mc = cuts_from_bins(col[j], bin, t.bins);
        break;
      }
    }
  }
  return t;
}

void apply(const thresholds& t, std::span<const double> recency, std::span<const double> frequency,
           std::span<const double> monetary, score_span out) {
  check_sizes(recency, frequency, monetary, "rfm::apply");
  if (out.r.size() != recency.size() || out.f.size() != recency.size() || out.m.size() != recency.size())
    throw invalid_argument_error("rfm::apply", "out", std::to_string(out.r.size()),
                                 "score columns must have one entry per customer");
  bin_column(t.recency, recency, t.bins + 1, -1, out.r);
  bin_column(t.frequency, frequency, 0, 1, out.f);
  bin_column(t.monetary, monetary, 0, 1, out.m);
}

thresholds score(std::span<const double> recency, std::span<const double> frequency,
                 std::span<const double> monetary, const binning_options& options, score_span out) {
  if (options.method != binning_method::ntile) {
    thresholds t = fit_thresholds(recency, frequency, monetary, options);
    apply(t, recency, frequency, monetary, out);
    return t;
  }
  options.validate();
  check_sizes(recency, frequency, monetary, "rfm::score");
  if (recency.empty())
    throw data_error(errc::empty_input, "rfm::score", 0, 0, "", "", "no customers to fit cut points on");
  if (out.r.size() != recency.size() || out.f.size() != recency.size() || out.m.size() != recency.size())
    throw invalid_argument_error("rfm::score", "out", std::to_string(out.r.size()),
                                 "score columns must have one entry per customer");
  thresholds t;
  t.method = binning_method::ntile;
  t.bins = options.bins;
  ntile_bins(recency, t.bins, true, out.r);
  t.recency = cuts_from_bins(recency, out.r, t.bins);
  for (auto& b : out.r) b = static_cast<std::uint8_t>(t.bins + 1 - b);
  ntile_bins(frequency, t.bins, false, out.f);
  t.frequency = cuts_from_bins(frequency, out.f, t.bins);
  ntile_bins(monetary, t.bins, false, out.m);
  t.monetary = cuts_from_bins(monetary, out.m, t.bins);
  return t;
}

}  // namespace patron::inline v1::rfm
