// SPDX-License-Identifier: MIT
// Segment rule tables: built-in tables, validation by walking the score cells, the O(1) lookup.
#include "patron/rfm/segments.hpp"

#include <algorithm>

#include "patron/error.hpp"

namespace patron::inline v1::rfm {
namespace {

std::string range_text(const segment_rule& r) {
  // Appends instead of operator+ chains: GCC 12 reports a false -Wrestrict on those
  // (https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105329).
  std::string out;
  auto one = [&out](char c, score_range s) {
    if (!out.empty()) out += ' ';
    out += c;
    out += std::to_string(s.lo);
    out += '-';
    out += std::to_string(s.hi);
  };
  one('R', r.r);
  one('F', r.f);
  one('M', r.m);
  return out;
}

segment_rule rule(std::string name, int r0, int r1, int f0, int f1, int m0, int m1) {
  return segment_rule{std::move(name), {r0, r1}, {f0, f1}, {m0, m1}};
}

}  // namespace

std::vector<rule_issue> segment_table::validate() const {
  std::vector<rule_issue> out;
  if (bins < 2 || bins > 9) {
    out.push_back({rule_issue::kind::bad_range, 0, 0, "bins = " + std::to_string(bins) + ": must be in 2..9"});
    return out;
  }
  const auto nb = static_cast<std::size_t>(bins);
  std::vector<std::size_t> owner(nb * nb * nb, rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const segment_rule& ru = rules[i];
    if (ru.name.empty())
      out.push_back({rule_issue::kind::empty_name, i, i, "rule " + std::to_string(i + 1) + " has no name"});
    bool ok = true;
    for (score_range s : {ru.r, ru.f, ru.m})
      if (s.lo < 1 || s.hi > bins || s.lo > s.hi) ok = false;
    if (!ok) {
      out.push_back({rule_issue::kind::bad_range, i, i,
                     "rule " + std::to_string(i + 1) + " \"" + ru.name + "\" " + range_text(ru) +
                         ": each range needs 1 <= lo <= hi <= " + std::to_string(bins)});
      continue;
    }
    bool reachable = false;
    std::vector<bool> overlaps(rules.size(), false);
    for (int r = ru.r.lo; r <= ru.r.hi; ++r)
      for (int f = ru.f.lo; f <= ru.f.hi; ++f)
        for (int m = ru.m.lo; m <= ru.m.hi; ++m) {
          auto& o = owner[((static_cast<std::size_t>(r) - 1) * nb + static_cast<std::size_t>(f) - 1) * nb +
                          static_cast<std::size_t>(m) - 1];
          if (o == rules.size()) {
            o = i;
            reachable = true;
          } else {
            overlaps[o] = true;
          }
        }
    for (std::size_t j = 0; j < i; ++j)
      if (overlaps[j])
        out.push_back({rule_issue::kind::overlap, i, j,
                       "rule " + std::to_string(i + 1) + " \"" + ru.name + "\" overlaps earlier rule " +
                           std::to_string(j + 1) + " \"" + rules[j].name + "\" (first match wins)"});
    if (!reachable)
      out.push_back({rule_issue::kind::unreachable, i, i,
                     "rule " + std::to_string(i + 1) + " \"" + ru.name + "\" " + range_text(ru) +
                         ": never matches, every cell is taken by earlier rules"});
  }
  return out;
}

void segment_table::check(std::string_view source) const {
  for (const rule_issue& issue : validate())
    if (issue.is_error())
      throw invalid_argument_error(errc::bad_rule,
                                   format_error(errc::bad_rule, source, {}, {}, issue.message));
}

std::size_t segment_table::match(int r, int f, int m) const noexcept {
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].r.contains(r) && rules[i].f.contains(f) && rules[i].m.contains(m)) return i;
  return rules.size();
}

segment_table rfm10_table() {
  // The grid of the R rfm documentation, in its order (first match wins).
  segment_table t;
  t.rules = {rule("Champions", 5, 5, 5, 5, 5, 5),
             rule("Potential Loyalist", 3, 5, 3, 5, 2, 5),
             rule("Loyal Customers", 2, 4, 2, 4, 2, 4),
             rule("Promising", 3, 4, 1, 3, 3, 5),
             rule("New Customers", 4, 5, 1, 3, 1, 5),
             rule("Can't Lose Them", 1, 2, 3, 4, 4, 5),
             rule("At Risk", 1, 2, 2, 5, 4, 5),
             rule("Need Attention", 1, 3, 3, 5, 3, 5),
             rule("About To Sleep", 2, 3, 1, 3, 1, 4),
             rule("Lost", 1, 1, 1, 5, 1, 5)};
  return t;
}

segment_table cn8_table(label_language lang) {
  const bool zh = lang == label_language::zh;
  segment_table t;
  t.bins = 2;
  t.rules = {rule(zh ? "重要价值" : "important value", 2, 2, 2, 2, 2, 2),
             rule(zh ? "重要唤回" : "important win-back", 1, 1, 2, 2, 2, 2),
             rule(zh ? "重要深耕" : "important development", 2, 2, 1, 1, 2, 2),
             rule(zh ? "重要挽留" : "important retention", 1, 1, 1, 1, 2, 2),
             rule(zh ? "潜力" : "potential", 2, 2, 2, 2, 1, 1),
             rule(zh ? "新客户" : "new", 2, 2, 1, 1, 1, 1),
             rule(zh ? "一般维持" : "general maintenance", 1, 1, 2, 2, 1, 1),
             rule(zh ? "流失" : "lost", 1, 1, 1, 1, 1, 1)};
  t.fallback = zh ? "其他" : "Others";
  return t;
}

segment_table value4_table() {
  segment_table t;
  t.rules = {rule("high-value", 4, 5, 4, 5, 4, 5),
             rule("potential", 4, 5, 1, 5, 1, 5),
             rule("churn-risk", 1, 2, 1, 5, 1, 5),
             rule("general", 1, 5, 1, 5, 1, 5)};
  return t;
}

segment_table builtin_table(std::string_view name, label_language lang) {
  if (name == "rfm10") return rfm10_table();
  if (name == "cn8") return cn8_table(lang);
  if (name == "value4") return value4_table();
  throw invalid_argument_error("rfm", "segments", name, "expected rfm10, cn8, value4 or a rule file");
}

segmenter::segmenter(segment_table table) : table_(std::move(table)) {
  table_.check();
  const auto nb = static_cast<std::size_t>(table_.bins);
  cell_.resize(nb * nb * nb);
  for (int r = 1; r <= table_.bins; ++r)
    for (int f = 1; f <= table_.bins; ++f)
      for (int m = 1; m <= table_.bins; ++m)
        cell_[((static_cast<std::size_t>(r) - 1) * nb + static_cast<std::size_t>(f) - 1) * nb +
              static_cast<std::size_t>(m) - 1] = static_cast<std::uint16_t>(table_.match(r, f, m));
}

void segmenter::assign(std::span<const std::uint8_t> r, std::span<const std::uint8_t> f,
                       std::span<const std::uint8_t> m, std::span<std::uint16_t> out) const {
  if (f.size() != r.size() || m.size() != r.size() || out.size() != r.size())
    throw invalid_argument_error("rfm::segmenter::assign", "sizes", std::to_string(r.size()),
                                 "r, f, m and out must have equal lengths");
  for (std::size_t i = 0; i < r.size(); ++i) out[i] = (*this)(r[i], f[i], m[i]);
}

std::vector<segment_stat> segment_statistics(const segmenter& s, std::span<const std::uint16_t> segment,
                                             std::span<const double> recency,
                                             std::span<const double> frequency,
                                             std::span<const double> monetary) {
  const std::size_t n = segment.size();
  if (recency.size() != n || frequency.size() != n || monetary.size() != n)
    throw invalid_argument_error("rfm::segment_statistics", "sizes", std::to_string(n),
                                 "segment, recency, frequency and monetary must have equal lengths");
  std::vector<segment_stat> out(s.label_count());
  std::vector<double> sum_r(out.size(), 0.0), sum_f(out.size(), 0.0);
  for (std::size_t k = 0; k < out.size(); ++k) out[k].name = s.label(k);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = segment[i];
    if (k >= out.size())
      throw invalid_argument_error("rfm::segment_statistics", "segment", std::to_string(k),
                                   "beyond the table's labels");
    ++out[k].count;
    out[k].total_monetary += monetary[i];
    sum_r[k] += recency[i];
    sum_f[k] += frequency[i];
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    segment_stat& st = out[k];
    if (st.count == 0) continue;
    const auto c = static_cast<double>(st.count);
    st.share = c / static_cast<double>(n);
    st.mean_monetary = st.total_monetary / c;
    st.mean_recency = sum_r[k] / c;
    st.mean_frequency = sum_f[k] / c;
  }
  return out;
}

}  // namespace patron::inline v1::rfm
