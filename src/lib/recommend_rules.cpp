// SPDX-License-Identifier: MIT
// Frequent itemsets by depth-first tidset intersection (Eclat) and association rules from them.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "patron/error.hpp"
#include "patron/recommend/rules.hpp"

namespace patron::inline v1::recommend {

void itemset_options::validate() const {
  if (!(min_support > 0.0 && min_support <= 1.0))
    throw invalid_argument_error("itemset_options", "min_support", std::to_string(min_support),
                                 "must be in (0, 1]");
}

void rule_options::validate() const {
  if (std::isnan(min_threshold))
    throw invalid_argument_error("rule_options", "min_threshold", "nan", "must be a number");
}

rule_metric parse_rule_metric(std::string_view name) {
  struct entry {
    std::string_view name;
    rule_metric metric;
  };
  static constexpr entry table[] = {
      {"support", rule_metric::support},       {"confidence", rule_metric::confidence},
      {"lift", rule_metric::lift},             {"leverage", rule_metric::leverage},
      {"conviction", rule_metric::conviction}, {"zhang", rule_metric::zhang},
      {"jaccard", rule_metric::jaccard}};
  for (const auto& e : table)
    if (e.name == name) return e.metric;
  throw invalid_argument_error("association_rules", "metric", name,
                               "expected support, confidence, lift, leverage, conviction, zhang "
                               "or jaccard");
}

namespace {

using word = std::uint64_t;

struct search {
  std::size_t words;
  std::uint64_t min_count;
  std::size_t max_len;
  double n;
  std::vector<frequent_itemset>* out;
  std::vector<std::uint32_t> prefix;

  // `ext` holds candidate extensions of `prefix`: item, count, tidset (words each).
  void run(const std::vector<std::uint32_t>& items, const std::vector<std::uint64_t>& counts,
           const std::vector<word>& bits) {
    const std::size_t m = items.size();
    for (std::size_t i = 0; i < m; ++i) {
      prefix.push_back(items[i]);
      out->push_back({prefix, counts[i], static_cast<double>(counts[i]) / n});
      if (max_len == 0 || prefix.size() < max_len) {
        std::vector<std::uint32_t> next_items;
        std::vector<std::uint64_t> next_counts;
        std::vector<word> next_bits;
        const word* a = bits.data() + i * words;
        std::vector<word> tmp(words);
        for (std::size_t j = i + 1; j < m; ++j) {
          const word* b = bits.data() + j * words;
          std::uint64_t c = 0;
          for (std::size_t w = 0; w < words; ++w) {
            tmp[w] = a[w] & b[w];
            c += static_cast<std::uint64_t>(std::popcount(tmp[w]));
          }
          if (c >= min_count) {
            next_items.push_back(items[j]);
            next_counts.push_back(c);
            next_bits.insert(next_bits.end(), tmp.begin(), tmp.end());
          }
        }
        if (!next_items.empty()) run(next_items, next_counts, next_bits);
      }
      prefix.pop_back();
    }
  }
};

struct vec_hash {
  std::size_t operator()(const std::vector<std::uint32_t>& v) const noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ v.size();
    for (auto x : v) {
      h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
      h *= 0xBF58476D1CE4E5B9ull;
    }
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

}  // namespace

std::vector<frequent_itemset> frequent_itemsets(const basket_set& baskets,
                                                const itemset_options& options) {
  options.validate();
  std::vector<frequent_itemset> out;
  const std::size_t nb = baskets.size();
  if (nb == 0) return out;
  const double n = static_cast<double>(nb);
  // Smallest count c with c / n >= min_support, compared in double as mlxtend compares.
  auto passes = [&](std::uint64_t c) { return static_cast<double>(c) / n >= options.min_support; };
  auto min_count = static_cast<std::uint64_t>(std::ceil(options.min_support * n));
  while (min_count > 0 && passes(min_count - 1)) --min_count;
  while (!passes(min_count)) ++min_count;

  const std::size_t n_items = baskets.items.size();
  std::vector<std::uint64_t> item_count(n_items, 0);
  for (auto i : baskets.item) ++item_count[i];
  std::vector<std::uint32_t> f1;
  std::vector<std::uint32_t> slot(n_items, std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t i = 0; i < n_items; ++i)
    if (item_count[i] >= min_count) {
      slot[i] = static_cast<std::uint32_t>(f1.size());
      f1.push_back(i);
    }
  const std::size_t words = (nb + 63) / 64;
  std::vector<word> bits(f1.size() * words, 0);
  std::vector<std::uint64_t> counts(f1.size());
  for (std::size_t k = 0; k < f1.size(); ++k) counts[k] = item_count[f1[k]];
  for (std::size_t b = 0; b < nb; ++b)
    for (auto i : baskets.basket(b))
      if (slot[i] != std::numeric_limits<std::uint32_t>::max())
        bits[slot[i] * words + b / 64] |= word{1} << (b % 64);

  search s{words, min_count, options.max_len, n, &out, {}};
  s.run(f1, counts, bits);
  std::stable_sort(out.begin(), out.end(), [](const frequent_itemset& a, const frequent_itemset& b) {
    if (a.items.size() != b.items.size()) return a.items.size() < b.items.size();
    return a.items < b.items;
  });
  return out;
}

std::vector<association_rule> association_rules(std::span<const frequent_itemset> itemsets,
                                                std::size_t n_baskets,
                                                const rule_options& options) {
  options.validate();
  if (n_baskets == 0)
    throw invalid_argument_error("association_rules", "n_baskets", "0", "must be > 0");
  std::unordered_map<std::vector<std::uint32_t>, std::uint64_t, vec_hash> count_of;
  count_of.reserve(itemsets.size());
  for (const auto& s : itemsets) count_of.emplace(s.items, s.count);
  const double n = static_cast<double>(n_baskets);
  auto support_of = [&](const std::vector<std::uint32_t>& v) {
    auto it = count_of.find(v);
    if (it == count_of.end())
      throw invalid_argument_error("association_rules", "itemsets", std::to_string(v.size()) + " items",
                                   "not downward closed: a subset of a frequent itemset is missing");
    return static_cast<double>(it->second) / n;
  };

  std::vector<association_rule> rules;
  std::vector<std::uint32_t> a, c;
  for (const auto& set : itemsets) {
    const std::size_t len = set.items.size();
    if (len < 2) continue;
    if (len > 62)
      throw invalid_argument_error("association_rules", "itemset length", std::to_string(len),
                                   "over 62 items");
    const double s_ac = static_cast<double>(set.count) / n;
    std::vector<std::uint64_t> masks;
    for (std::uint64_t m = 1; m + 1 < (std::uint64_t{1} << len); ++m) masks.push_back(m);
    std::vector<association_rule> local;
    for (auto m : masks) {
      a.clear();
      c.clear();
      for (std::size_t k = 0; k < len; ++k) ((m >> k) & 1 ? a : c).push_back(set.items[k]);
      const double s_a = support_of(a), s_c = support_of(c);
      association_rule r;
      r.antecedent = a;
      r.consequent = c;
      r.antecedent_support = s_a;
      r.consequent_support = s_c;
      r.support = s_ac;
      r.confidence = s_ac / s_a;
      r.lift = r.confidence / s_c;
      r.leverage = s_ac - s_a * s_c;
      r.conviction = r.confidence == 1.0 ? std::numeric_limits<double>::infinity()
                                         : (1.0 - s_c) / (1.0 - r.confidence);
      const double zden = std::max(s_ac * (1.0 - s_a), s_a * (s_c - s_ac));
      r.zhang = zden == 0.0 ? 0.0 : r.leverage / zden;
      r.jaccard = s_ac / (s_a + s_c - s_ac);
      r.certainty = s_c == 1.0 ? 0.0 : (r.confidence - s_c) / (1.0 - s_c);
      r.kulczynski = 0.5 * (s_ac / s_a + s_ac / s_c);
      double v = 0.0;
      switch (options.metric) {
        case rule_metric::support: v = r.support; break;
        case rule_metric::confidence: v = r.confidence; break;
        case rule_metric::lift: v = r.lift; break;
        case rule_metric::leverage: v = r.leverage; break;
        case rule_metric::conviction: v = r.conviction; break;
        case rule_metric::zhang: v = r.zhang; break;
        case rule_metric::jaccard: v = r.jaccard; break;
      }
      if (v >= options.min_threshold) local.push_back(std::move(r));
    }
    std::sort(local.begin(), local.end(), [](const association_rule& x, const association_rule& y) {
      if (x.antecedent.size() != y.antecedent.size())
        return x.antecedent.size() < y.antecedent.size();
      return x.antecedent < y.antecedent;
    });
    for (auto& r : local) rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace patron::inline v1::recommend
