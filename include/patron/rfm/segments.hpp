// SPDX-License-Identifier: MIT
// Named RFM segments as data: ordered rule tables (first match wins), built-in tables, statistics.
#ifndef PATRON_RFM_SEGMENTS_HPP
#define PATRON_RFM_SEGMENTS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patron::inline v1::rfm {

/// An inclusive score range lo..hi.
struct score_range {
  int lo = 1, hi = 5;
  [[nodiscard]] constexpr bool contains(int s) const noexcept { return lo <= s && s <= hi; }
  friend constexpr bool operator==(score_range, score_range) = default;
};

/// One rule: a customer whose R, F and M scores all fall in the ranges gets `name`.
struct segment_rule {
  std::string name;
  score_range r, f, m;
  friend bool operator==(const segment_rule&, const segment_rule&) = default;
};

/// One finding of segment_table::validate().
struct rule_issue {
  enum class kind : std::uint8_t {
    bad_range,    ///< error: lo > hi, or a bound outside 1..bins (a typo'd range)
    empty_name,   ///< error: a rule without a name
    unreachable,  ///< error: every cell of the rule is taken by earlier rules (it never matches)
    overlap,      ///< note: shares cells with an earlier rule (fine: first match wins)
  };
  kind what;
  std::size_t rule;   ///< 0-based index of the rule
  std::size_t other;  ///< the earlier rule for overlap, otherwise == rule
  std::string message;
  [[nodiscard]] bool is_error() const noexcept { return what != kind::overlap; }
};

/// An ordered rule table: the first rule that matches wins; no match gives `fallback`.
struct segment_table {
  std::vector<segment_rule> rules;
  std::string fallback = "Others";
  int bins = 5;  ///< the score scale the ranges are written for

  /// Every problem (errors and overlap notes), in rule order.
  [[nodiscard]] std::vector<rule_issue> validate() const;
  /// Throws invalid_argument_error(bad_rule) naming `source`, the rule and its range at the
  /// first error of validate().
  void check(std::string_view source = "segment table") const;
  /// Index of the first matching rule, or rules.size() for the fallback. O(rules).
  [[nodiscard]] std::size_t match(int r, int f, int m) const noexcept;
  /// rules[i].name, or fallback for i == rules.size().
  [[nodiscard]] const std::string& label(std::size_t i) const noexcept {
    return i < rules.size() ? rules[i].name : fallback;
  }
};

enum class label_language : std::uint8_t { zh, en };

/// The 10-segment grid of R `rfm`'s documentation (5 bins), in its order: Champions,
/// Potential Loyalist, Loyal Customers, Promising, New Customers, Can't Lose Them, At Risk,
/// Need Attention, About To Sleep, Lost; fallback "Others".
/// Example: R=4 F=4 M=4 → Potential Loyalist; R=2 F=4 M=5 → Can't Lose Them; R=5 F=5 M=1 → Others.
[[nodiscard]] segment_table rfm10_table();
/// The 8-class mean-split table (2 bins: 2 = high, 1 = low; R high = recent):
/// 重要价值 important value (2,2,2), 重要唤回 important win-back (1,2,2), 重要深耕 important
/// development (2,1,2), 重要挽留 important retention (1,1,2), 潜力 potential (2,2,1),
/// 新客户 new (2,1,1), 一般维持 general maintenance (1,2,1), 流失 lost (1,1,1).
[[nodiscard]] segment_table cn8_table(label_language lang = label_language::zh);
/// Four value segments on 5 bins, in order: high-value R4–5 F4–5 M4–5; potential R4–5 F1–5
/// M1–5; churn-risk R1–2 F1–5 M1–5; general R1–5 F1–5 M1–5 (catches the rest).
[[nodiscard]] segment_table value4_table();
/// "rfm10", "cn8" or "value4"; throws invalid_argument_error for another name.
[[nodiscard]] segment_table builtin_table(std::string_view name,
                                          label_language lang = label_language::zh);

/// A rule table compiled to a lookup over all bins³ score cells: O(1) per customer.
class segmenter {
 public:
  /// Checks the table (segment_table::check) and builds the lookup.
  explicit segmenter(segment_table table);
  /// Segment index (into labels()) of one customer; scores outside 1..bins get the fallback.
  [[nodiscard]] std::uint16_t operator()(int r, int f, int m) const noexcept {
    const auto n = static_cast<unsigned>(table_.bins);
    const auto ur = static_cast<unsigned>(r - 1), uf = static_cast<unsigned>(f - 1),
               um = static_cast<unsigned>(m - 1);
    if (ur >= n || uf >= n || um >= n) return fallback_index();
    return cell_[(ur * n + uf) * n + um];
  }
  /// Batch: segment index per customer. Sizes must match (checked).
  void assign(std::span<const std::uint8_t> r, std::span<const std::uint8_t> f,
              std::span<const std::uint8_t> m, std::span<std::uint16_t> out) const;
  /// Rule names then the fallback (index rules.size()).
  [[nodiscard]] const std::string& label(std::size_t i) const noexcept { return table_.label(i); }
  [[nodiscard]] std::size_t label_count() const noexcept { return table_.rules.size() + 1; }
  [[nodiscard]] std::uint16_t fallback_index() const noexcept {
    return static_cast<std::uint16_t>(table_.rules.size());
  }
  [[nodiscard]] const segment_table& table() const noexcept { return table_; }

 private:
  segment_table table_;
  std::vector<std::uint16_t> cell_;
};

/// Per-segment statistics, one entry per label (rules then fallback), empty segments included.
struct segment_stat {
  std::string name;
  std::uint64_t count = 0;
  double share = 0;           ///< count / customers
  double total_monetary = 0;  ///< Σ monetary
  double mean_monetary = 0, mean_recency = 0, mean_frequency = 0;  ///< 0 when count = 0
};

/// Throws invalid_argument_error when sizes differ or an index is beyond the labels.
[[nodiscard]] std::vector<segment_stat> segment_statistics(const segmenter& s,
                                                           std::span<const std::uint16_t> segment,
                                                           std::span<const double> recency,
                                                           std::span<const double> frequency,
                                                           std::span<const double> monetary);

}  // namespace patron::inline v1::rfm

#endif  // PATRON_RFM_SEGMENTS_HPP
