// SPDX-License-Identifier: MIT
// Customer × item matrices, splits, top-N selection, popularity baselines and ranking metrics.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

#include "patron/error.hpp"
#include "patron/recommend/interactions.hpp"
#include "patron/recommend/metrics.hpp"
#include "patron/recommend/popularity.hpp"
#include "patron/recommend/ranking.hpp"
#include "recommend_parallel.hpp"

namespace patron::inline v1::recommend {

bool interactions::has(std::size_t u, std::uint32_t i) const noexcept {
  const auto row = items_of(u);
  return std::binary_search(row.begin(), row.end(), i);
}

namespace {

interactions build(const transaction_log& log, std::span<const std::size_t> rows, bool all,
                   interaction_value kind) {
  if (!log.has_items())
    throw invalid_argument_error("make_interactions", "log.item", "empty",
                                 "the log has no item column");
  if (kind == interaction_value::quantity && !log.has_quantity())
    throw invalid_argument_error("make_interactions", "kind", "quantity",
                                 "the log has no quantity column");
  interactions m;
  m.customers = log.customers;
  m.items = log.items;
  const std::size_t nu = log.customers.size();
  const std::size_t n = all ? log.size() : rows.size();
  // Counting sort of the rows by customer, then merge equal items within each row.
  std::vector<std::size_t> start(nu + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = all ? k : rows[k];
    if (r >= log.size())
      throw invalid_argument_error("make_interactions", "rows", std::to_string(r),
                                   "row index beyond the log");
    ++start[log.customer[r] + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::pair<std::uint32_t, double>> cells(n);
  std::vector<std::size_t> fill(start.begin(), start.end() - 1);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = all ? k : rows[k];
    double v = 1.0;
    switch (kind) {
      case interaction_value::binary:
      case interaction_value::count: v = 1.0; break;
      case interaction_value::quantity: v = log.quantity[r]; break;
      case interaction_value::spend: v = log.amount[r]; break;
    }
    cells[fill[log.customer[r]]++] = {log.item[r], v};
  }
  m.offsets.assign(1, 0);
  m.offsets.reserve(nu + 1);
  for (std::size_t u = 0; u < nu; ++u) {
    auto b = cells.begin() + static_cast<std::ptrdiff_t>(start[u]);
    auto e = cells.begin() + static_cast<std::ptrdiff_t>(start[u + 1]);
    std::stable_sort(b, e, [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto it = b; it != e;) {
      const std::uint32_t i = it->first;
      double v = 0.0;
      for (; it != e && it->first == i; ++it) v += it->second;
      if (kind == interaction_value::binary) v = v > 0.0 ? 1.0 : 0.0;
      if (v > 0.0) {
        m.item.push_back(i);
        m.value.push_back(v);
      }
    }
    m.offsets.push_back(m.item.size());
  }
  return m;
}

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

interactions make_interactions(const transaction_log& log, interaction_value kind) {
  return build(log, {}, true, kind);
}

interactions make_interactions(const transaction_log& log, std::span<const std::size_t> rows,
                               interaction_value kind) {
  return build(log, rows, false, kind);
}

interactions make_interactions(const basket_set& baskets) {
  interactions m;
  m.items = baskets.items;
  m.customers.reserve(baskets.size());
  for (std::size_t b = 0; b < baskets.size(); ++b) (void)m.customers.intern(std::to_string(b + 1));
  m.offsets = baskets.offsets;
  m.item = baskets.item;
  m.value.assign(baskets.item.size(), 1.0);
  return m;
}

split_rows leave_last_out(const transaction_log& log) {
  // Basket key per row; per basket its earliest time and first row.
  std::unordered_map<std::uint64_t, std::size_t> basket_of;
  std::vector<timestamp> b_time;
  std::vector<std::size_t> b_first;
  std::vector<std::uint32_t> b_customer;
  std::vector<std::size_t> row_basket(log.size());
  for (std::size_t r = 0; r < log.size(); ++r) {
    const std::uint64_t key =
        log.has_invoices()
            ? log.invoice[r]
            : (std::uint64_t{log.customer[r]} << 32) |
                  static_cast<std::uint32_t>(day_of(log.time[r]).days);
    auto [it, added] = basket_of.try_emplace(key, b_time.size());
    if (added) {
      b_time.push_back(log.time[r]);
      b_first.push_back(r);
      b_customer.push_back(log.customer[r]);
    } else {
      b_time[it->second] = std::min(b_time[it->second], log.time[r]);
    }
    row_basket[r] = it->second;
  }
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> last(log.customers.size(), none), n_baskets(log.customers.size(), 0);
  for (std::size_t b = 0; b < b_time.size(); ++b) {
    const auto c = b_customer[b];
    ++n_baskets[c];
    const std::size_t l = last[c];
    if (l == none || b_time[b] > b_time[l] || (b_time[b] == b_time[l] && b_first[b] > b_first[l]))
      last[c] = b;
  }
  split_rows s;
  for (std::size_t r = 0; r < log.size(); ++r) {
    const auto c = log.customer[r];
    (n_baskets[c] > 1 && row_basket[r] == last[c] ? s.test : s.train).push_back(r);
  }
  return s;
}

split_rows random_holdout(const transaction_log& log, double fraction, std::uint64_t seed) {
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw invalid_argument_error("random_holdout", "fraction", std::to_string(fraction),
                                 "must be in [0, 1]");
  if (!log.has_items())
    throw invalid_argument_error("random_holdout", "log.item", "empty", "the log has no item column");
  split_rows s;
  for (std::size_t r = 0; r < log.size(); ++r) {
    const std::uint64_t h =
        mix(mix(seed ^ mix(log.customer[r])) ^ (std::uint64_t{log.item[r]} * 0x632BE59BD9B4E019ull));
    const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
    (u < fraction ? s.test : s.train).push_back(r);
  }
  return s;
}

split_rows time_split(const transaction_log& log, timestamp at) {
  split_rows s;
  for (std::size_t r = 0; r < log.size(); ++r) (log.time[r] < at ? s.train : s.test).push_back(r);
  return s;
}

// --- top-N -----------------------------------------------------------------------------------

std::size_t top_n(std::span<const double> scores, std::span<const std::uint32_t> exclude,
                  std::span<std::uint32_t> items, std::span<double> out_scores, double floor) {
  const std::size_t k = std::min(items.size(), out_scores.size());
  if (k == 0) return 0;
  // Keep a sorted buffer of the best k (insertion; k is small).
  auto better = [](double sa, std::uint32_t ia, double sb, std::uint32_t ib) {
    return sa > sb || (sa == sb && ia < ib);
  };
  std::size_t n = 0, ex = 0;
  for (std::uint32_t i = 0; i < scores.size(); ++i) {
    while (ex < exclude.size() && exclude[ex] < i) ++ex;
    if (ex < exclude.size() && exclude[ex] == i) continue;
    const double s = scores[i];
    if (!(s > floor)) continue;
    if (n == k && !better(s, i, out_scores[k - 1], items[k - 1])) continue;
    std::size_t p = n < k ? n++ : k - 1;
    while (p > 0 && better(s, i, out_scores[p - 1], items[p - 1])) {
      items[p] = items[p - 1];
      out_scores[p] = out_scores[p - 1];
      --p;
    }
    items[p] = i;
    out_scores[p] = s;
  }
  return n;
}

void recommend_all(std::size_t n_customers, std::size_t k, const recommend_fn& fn,
                   std::span<std::uint32_t> items, std::span<double> scores, int threads) {
  if (items.size() != n_customers * k || scores.size() != n_customers * k)
    throw invalid_argument_error("recommend_all", "items.size()", std::to_string(items.size()),
                                 "must be n_customers × k = " + std::to_string(n_customers * k));
  const auto n = static_cast<std::ptrdiff_t>(n_customers);
  const int omp_threads_ = detail::resolve_threads(threads);
  PATRON_OMP_FOR
  for (std::ptrdiff_t u = 0; u < n; ++u) {
    const auto off = static_cast<std::size_t>(u) * k;
    const std::size_t got = fn(static_cast<std::uint32_t>(u), items.subspan(off, k), scores.subspan(off, k));
    for (std::size_t j = got; j < k; ++j) {
      items[off + j] = id_table::npos;
      scores[off + j] = std::numeric_limits<double>::quiet_NaN();
    }
  }
}

// --- popularity ------------------------------------------------------------------------------

popularity popularity::fit(const interactions& data) {
  popularity p;
  p.n_items_ = data.n_items();
  p.global_.assign(p.n_items_, 0.0);
  for (auto i : data.item) p.global_[i] += 1.0;
  return p;
}

popularity popularity::fit(const interactions& data, std::span<const std::uint32_t> segment) {
  if (segment.size() != data.n_customers())
    throw invalid_argument_error("popularity::fit", "segment.size()", std::to_string(segment.size()),
                                 "must equal n_customers = " + std::to_string(data.n_customers()));
  popularity p = fit(data);
  const std::uint32_t ns = segment.empty() ? 0 : *std::max_element(segment.begin(), segment.end()) + 1;
  p.by_segment_.assign(std::size_t{ns} * p.n_items_, 0.0);
  for (std::size_t u = 0; u < data.n_customers(); ++u)
    for (auto i : data.items_of(u)) p.by_segment_[segment[u] * p.n_items_ + i] += 1.0;
  p.segment_.assign(segment.begin(), segment.end());
  return p;
}

std::size_t popularity::recommend(const interactions& history, std::uint32_t u,
                                  std::span<std::uint32_t> items, std::span<double> scores) const {
  std::span<const double> counts = global_;
  if (!segment_.empty() && u < segment_.size())
    counts = std::span<const double>(by_segment_).subspan(segment_[u] * n_items_, n_items_);
  const auto seen = u < history.n_customers() ? history.items_of(u) : std::span<const std::uint32_t>{};
  return top_n(counts, seen, items, scores, 0.0);
}

// --- metrics ---------------------------------------------------------------------------------

ranking_metrics ranking_metrics_at_k(const interactions& train, const interactions& test,
                                     std::size_t k, const recommend_fn& fn, bool drop_known,
                                     int threads) {
  if (k == 0) throw invalid_argument_error("ranking_metrics_at_k", "k", "0", "must be >= 1");
  if (train.n_items() != test.n_items() || train.n_customers() != test.n_customers())
    throw invalid_argument_error("ranking_metrics_at_k", "test", "shape",
                                 "train and test must come from one log (same id tables)");
  const std::size_t nu = test.n_customers();
  const double n_items = static_cast<double>(test.n_items());
  struct per_user {
    double relevant = 0, m = 0, recall = 0, ap = 0, ndcg = 0, auc = 0, hit = 0;
    bool used = false;
  };
  std::vector<per_user> res(nu);
  std::vector<std::uint32_t> recs(nu * k, id_table::npos);
  std::vector<double> discount(k), idcg(k);
  for (std::size_t j = 0; j < k; ++j) {
    discount[j] = 1.0 / std::log2(static_cast<double>(j) + 2.0);
    idcg[j] = discount[j] + (j > 0 ? idcg[j - 1] : 0.0);
  }
  const auto n = static_cast<std::ptrdiff_t>(nu);
  const int omp_threads_ = detail::resolve_threads(threads);
  PATRON_OMP_FOR
  for (std::ptrdiff_t ui = 0; ui < n; ++ui) {
    const auto u = static_cast<std::uint32_t>(ui);
    std::vector<std::uint32_t> likes;
    for (auto i : test.items_of(u))
      if (!drop_known || !train.has(u, i)) likes.push_back(i);
    if (likes.empty()) continue;
    std::vector<std::uint32_t> items(k);
    std::vector<double> scores(k);
    const std::size_t got = std::min(k, fn(u, items, scores));
    per_user& r = res[u];
    r.used = true;
    const double p = static_cast<double>(likes.size());
    const double neg = n_items - p;
    r.m = std::min(static_cast<double>(k), p);
    double hits = 0, miss = 0, auc = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const bool rel = j < got && std::binary_search(likes.begin(), likes.end(), items[j]);
      if (j < got) recs[u * k + j] = items[j];
      if (rel) {
        hits += 1;
        r.ap += hits / static_cast<double>(j + 1);
        r.ndcg += discount[j];
      } else {
        miss += 1;
        auc += hits;
      }
    }
    auc += ((hits + p) / 2.0) * (neg - miss);
    r.relevant = hits;
    r.recall = hits / p;
    r.ap /= r.m;
    r.ndcg /= idcg[static_cast<std::size_t>(r.m) - 1];
    r.auc = neg > 0 ? auc / (p * neg) : 0.0;
    r.hit = hits > 0 ? 1.0 : 0.0;
  }
  ranking_metrics out;
  out.k = k;
  double relevant = 0, pr_div = 0;
  std::vector<char> shown(test.n_items(), 0);
  for (std::size_t u = 0; u < nu; ++u) {
    const auto& r = res[u];
    if (!r.used) continue;
    ++out.customers;
    relevant += r.relevant;
    pr_div += r.m;
    out.recall += r.recall;
    out.map += r.ap;
    out.ndcg += r.ndcg;
    out.auc += r.auc;
    out.hit_rate += r.hit;
    for (std::size_t j = 0; j < k; ++j)
      if (recs[u * k + j] < shown.size()) shown[recs[u * k + j]] = 1;  // npos and items beyond the matrix: not counted
  }
  if (out.customers == 0) return out;
  const double c = static_cast<double>(out.customers);
  out.precision = relevant / pr_div;
  out.recall /= c;
  out.map /= c;
  out.ndcg /= c;
  out.auc /= c;
  out.hit_rate /= c;
  out.coverage = static_cast<double>(std::count(shown.begin(), shown.end(), 1)) / n_items;
  return out;
}

}  // namespace patron::inline v1::recommend
