// SPDX-License-Identifier: MIT
// Recommendation primitives: baskets, rules, interactions, item-item, ALS, ranking metrics.
// Expected numbers come from the published mlxtend figures, from naive loops written
// here independently of the library, or from hand computation shown in the comments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <string>
#include <vector>

#include "patron/error.hpp"
#include "patron/recommend.hpp"
#include "test_support.hpp"

using namespace patron;
namespace rc = patron::recommend;

namespace {

// groceries.csv as plain sets of labels, split naively (the file has no quotes).
std::vector<std::set<std::string>> naive_groceries() {
  std::ifstream in(patron_test::data_file("groceries.csv"));
  std::vector<std::set<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    std::set<std::string> b;
    std::stringstream ss(line);
    std::string item;
    while (std::getline(ss, item, ',')) b.insert(item);
    out.push_back(b);
  }
  return out;
}

std::size_t naive_count(const std::vector<std::set<std::string>>& baskets,
                        const std::vector<std::string>& items) {
  std::size_t c = 0;
  for (const auto& b : baskets) {
    bool all = true;
    for (const auto& i : items) all = all && b.count(i) > 0;
    c += all ? 1 : 0;
  }
  return c;
}

std::vector<std::string> labels(const rc::basket_set& bs, const std::vector<std::uint32_t>& v) {
  std::vector<std::string> out;
  for (auto i : v) out.push_back(bs.items.name(i));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// --- baskets ---------------------------------------------------------------------------------

TEST_CASE("read_baskets: groceries.csv has the README's shape", "[recommend][reference]") {
  const auto bs = rc::read_baskets(patron_test::data_file("groceries.csv"));
  // data/README.md: 9,835 baskets, 169 distinct items, 43,367 item occurrences.
  CHECK(bs.size() == 9835);
  CHECK(bs.items.size() == 169);
  CHECK(bs.item.size() == 43367);
  // data/README.md: trailing spaces are part of two labels.
  CHECK(bs.items.find("cream cheese ") != id_table::npos);
  CHECK(bs.items.find("cream cheese") == id_table::npos);
}

TEST_CASE("read_baskets: quotes, CRLF, repeats", "[recommend][unit]") {
  const auto bs = rc::read_baskets_from_string("a,\"b,c\",a\r\n\"say \"\"hi\"\"\"\nb,c");
  REQUIRE(bs.size() == 3);
  CHECK(bs.basket(0).size() == 2);  // a counted once
  CHECK(bs.items.name(bs.basket(0)[1]) == "b,c");
  CHECK(bs.items.name(bs.basket(1)[0]) == "say \"hi\"");
  CHECK(bs.basket(2).size() == 2);
}

TEST_CASE("read_baskets: errors name file and line", "[recommend][error]") {
  auto code_of = [](const std::string& text) {
    try {
      (void)rc::read_baskets_from_string(text, "b.csv");
    } catch (const data_error& e) {
      return std::pair{e.code(), std::string(e.what())};
    }
    return std::pair{errc::ok, std::string()};
  };
  auto [c1, m1] = code_of("a,b\n\nc");
  CHECK(c1 == errc::missing_value);
  CHECK(m1.find("b.csv:2") != std::string::npos);
  auto [c2, m2] = code_of("a,b\nc,,d\n");
  CHECK(c2 == errc::missing_value);
  CHECK(m2.find("b.csv:2:2") != std::string::npos);
  auto [c3, m3] = code_of("a\n\"open,b\n");
  CHECK(c3 == errc::bad_encoding);
  CHECK(m3.find("b.csv:2") != std::string::npos);
  CHECK(code_of("").first == errc::empty_input);
  CHECK_THROWS_AS(rc::read_baskets("/nonexistent/baskets.csv"), data_error);
}

// --- frequent itemsets and rules -------------------------------------------------------------

TEST_CASE("frequent_itemsets: groceries at min_support 0.01 matches mlxtend", "[recommend][reference]") {
  const auto bs = rc::read_baskets(patron_test::data_file("groceries.csv"));
  rc::itemset_options o;
  o.min_support = 0.01;
  const auto sets = rc::frequent_itemsets(bs, o);
  std::size_t by_len[4] = {0, 0, 0, 0};
  for (const auto& s : sets) by_len[std::min<std::size_t>(s.items.size(), 3)]++;
  // Issue 9 / data/README.md (mlxtend apriori): 333 itemsets, 88 / 213 / 32 of sizes 1 / 2 / 3.
  CHECK(sets.size() == 333);
  CHECK(by_len[1] == 88);
  CHECK(by_len[2] == 213);
  CHECK(by_len[3] == 32);

  // Independent naive enumeration: every pair and triple of every basket, counted in a map;
  // the frequent ones (count / 9835 >= 0.01) must be exactly the library's sets and counts.
  const auto naive = naive_groceries();
  REQUIRE(naive.size() == 9835);
  std::map<std::vector<std::string>, std::size_t> counts;
  for (const auto& b : naive) {
    const std::vector<std::string> v(b.begin(), b.end());
    for (std::size_t i = 0; i < v.size(); ++i) {
      counts[{v[i]}]++;
      for (std::size_t j = i + 1; j < v.size(); ++j) {
        counts[{v[i], v[j]}]++;
        for (std::size_t k = j + 1; k < v.size(); ++k) counts[{v[i], v[j], v[k]}]++;
      }
    }
  }
  std::map<std::vector<std::string>, std::size_t> expected, got;
  for (const auto& [k, c] : counts)
    if (static_cast<double>(c) / 9835.0 >= 0.01) expected[k] = c;
  for (const auto& s : sets) got[labels(bs, s.items)] = s.count;
  CHECK(got == expected);
  // No frequent 4-itemset exists (else mlxtend would report sizes beyond 3).
  for (const auto& s : sets) CHECK(s.items.size() <= 3);

  SECTION("max_len cuts the search") {
    o.max_len = 2;
    // 88 + 213 from the published figures above.
    CHECK(rc::frequent_itemsets(bs, o).size() == 301);
  }
}

TEST_CASE("association_rules: groceries min_confidence 0.3 matches mlxtend", "[recommend][reference]") {
  const auto bs = rc::read_baskets(patron_test::data_file("groceries.csv"));
  rc::itemset_options o;
  o.min_support = 0.01;
  const auto sets = rc::frequent_itemsets(bs, o);
  rc::rule_options ro;
  ro.metric = rc::rule_metric::confidence;
  ro.min_threshold = 0.3;
  const auto rules = rc::association_rules(sets, bs.size(), ro);
  // Issue 9 / data/README.md: mlxtend derives 125 rules.
  REQUIRE(rules.size() == 125);

  // Every rule's metrics recomputed from naive basket counts with mlxtend's definitions.
  const auto naive = naive_groceries();
  const double n = 9835.0;
  for (const auto& r : rules) {
    const auto a = labels(bs, r.antecedent), c = labels(bs, r.consequent);
    std::vector<std::string> ac = a;
    ac.insert(ac.end(), c.begin(), c.end());
    const double sa = static_cast<double>(naive_count(naive, a)) / n;
    const double sc = static_cast<double>(naive_count(naive, c)) / n;
    const double sac = static_cast<double>(naive_count(naive, ac)) / n;
    const double conf = sac / sa;
    CHECK(r.support == Approx(sac).margin(1e-12));
    CHECK(r.confidence == Approx(conf).margin(1e-12));
    CHECK(conf >= 0.3);
    CHECK(r.lift == Approx(conf / sc).margin(1e-12));
    CHECK(r.leverage == Approx(sac - sa * sc).margin(1e-12));
    CHECK(r.conviction == Approx((1 - sc) / (1 - conf)).margin(1e-12));
    CHECK(r.zhang ==
          Approx((sac - sa * sc) / std::max(sac * (1 - sa), sa * (sc - sac))).margin(1e-12));
    CHECK(r.jaccard == Approx(sac / (sa + sc - sac)).margin(1e-12));
  }
  // Naive rule enumeration: every split of every naive frequent pair/triple whose naive
  // confidence is >= 0.3 must be one of the library's rules (and their numbers agree: 125).
  std::set<std::pair<std::vector<std::string>, std::vector<std::string>>> lib_rules, naive_rules;
  for (const auto& r : rules) lib_rules.insert({labels(bs, r.antecedent), labels(bs, r.consequent)});
  std::map<std::vector<std::string>, std::size_t> single;
  for (const auto& b : naive)
    for (const auto& i : b) single[{i}]++;
  auto naive_support_count = [&](const std::vector<std::string>& v) {
    return naive_count(naive, v);
  };
  {
    // Frequent itemsets of size 2 and 3 by naive counting of the candidate sets built from
    // frequent single items (Apriori property), then every split.
    std::vector<std::string> f1;
    for (const auto& [k, c] : single)
      if (static_cast<double>(c) / n >= 0.01) f1.push_back(k[0]);
    std::vector<std::vector<std::string>> freq;
    for (std::size_t i = 0; i < f1.size(); ++i)
      for (std::size_t j = i + 1; j < f1.size(); ++j) {
        if (static_cast<double>(naive_support_count({f1[i], f1[j]})) / n < 0.01) continue;
        freq.push_back({f1[i], f1[j]});
        for (std::size_t k = j + 1; k < f1.size(); ++k)
          if (static_cast<double>(naive_support_count({f1[i], f1[j], f1[k]})) / n >= 0.01)
            freq.push_back({f1[i], f1[j], f1[k]});
      }
    for (const auto& set : freq) {
      const std::size_t len = set.size();
      for (unsigned m = 1; m + 1 < (1u << len); ++m) {
        std::vector<std::string> a, c;
        for (std::size_t k = 0; k < len; ++k) ((m >> k) & 1 ? a : c).push_back(set[k]);
        const double conf = static_cast<double>(naive_support_count(set)) /
                            static_cast<double>(naive_support_count(a));
        if (conf >= 0.3) naive_rules.insert({a, c});
      }
    }
  }
  CHECK(naive_rules.size() == 125);
  CHECK(lib_rules == naive_rules);
  const auto top = std::max_element(rules.begin(), rules.end(),
                                    [](const auto& x, const auto& y) { return x.lift < y.lift; });
  // Issue 9: highest lift 3.2950 for {citrus fruit, other vegetables} -> {root vegetables}.
  CHECK(labels(bs, top->antecedent) == std::vector<std::string>{"citrus fruit", "other vegetables"});
  CHECK(labels(bs, top->consequent) == std::vector<std::string>{"root vegetables"});
  CHECK(top->lift == Approx(3.2950).margin(5e-5));
  // Hand check of the same rule from naive counts: lift = n · n(ACR) / (n(A,C) · n(R)).
  const double n_all = static_cast<double>(
      naive_count(naive, {"citrus fruit", "other vegetables", "root vegetables"}));
  const double n_ant = static_cast<double>(naive_count(naive, {"citrus fruit", "other vegetables"}));
  const double n_con = static_cast<double>(naive_count(naive, {"root vegetables"}));
  CHECK(top->lift == Approx(n * n_all / (n_ant * n_con)).epsilon(1e-12));
}

TEST_CASE("association_rules: hand-worked five baskets", "[recommend][unit]") {
  rc::basket_set bs;
  using sv = std::string_view;
  // a b | a b c | a c | b | a b   → n(a)=4, n(b)=4, n(c)=2, n(ab)=3, n(ac)=2, n(bc)=1, n(abc)=1
  for (auto b : std::vector<std::vector<sv>>{{"a", "b"}, {"a", "b", "c"}, {"a", "c"}, {"b"}, {"a", "b"}})
    bs.add(b);
  rc::itemset_options o;
  o.min_support = 0.4;  // count >= 2: a, b, c, ab, ac
  const auto sets = rc::frequent_itemsets(bs, o);
  REQUIRE(sets.size() == 5);
  rc::rule_options ro;
  ro.min_threshold = 0.0;
  const auto rules = rc::association_rules(sets, bs.size(), ro);
  REQUIRE(rules.size() == 4);  // a→b, b→a, a→c, c→a
  // c → a: s(ac) = 0.4, s(c) = 0.4, s(a) = 0.8: confidence 1, lift 1.25, leverage 0.4 − 0.32 =
  // 0.08, conviction inf, zhang 0.08 / max(0.4·0.6, 0.4·(0.8−0.4)) = 0.08 / 0.24 = 1/3,
  // jaccard 0.4 / (0.4 + 0.8 − 0.4) = 0.5.
  const auto& ca = rules[3];
  CHECK(bs.items.name(ca.antecedent[0]) == "c");
  CHECK(ca.confidence == 1.0);
  CHECK(ca.lift == Approx(1.25));
  CHECK(ca.leverage == Approx(0.08));
  CHECK(std::isinf(ca.conviction));
  CHECK(ca.zhang == Approx(1.0 / 3.0));
  CHECK(ca.jaccard == Approx(0.5));
  // a → b: s(ab) = 0.6, conf 0.75, lift 0.75 / 0.8 = 0.9375, leverage 0.6 − 0.64 = −0.04,
  // conviction 0.2 / 0.25 = 0.8, zhang −0.04 / max(0.6·0.2, 0.8·0.2) = −0.25.
  const auto& ab = rules[0];
  CHECK(ab.confidence == Approx(0.75));
  CHECK(ab.lift == Approx(0.9375));
  CHECK(ab.leverage == Approx(-0.04));
  CHECK(ab.conviction == Approx(0.8));
  CHECK(ab.zhang == Approx(-0.25));
  ro.metric = rc::rule_metric::lift;
  ro.min_threshold = 1.0;
  CHECK(rc::association_rules(sets, bs.size(), ro).size() == 2);  // a→c and c→a (lift 1.25)
  CHECK_THROWS_AS(rc::parse_rule_metric("nope"), invalid_argument_error);
  o.min_support = 0.0;
  CHECK_THROWS_AS(rc::frequent_itemsets(bs, o), invalid_argument_error);
}

// --- CLI -------------------------------------------------------------------------------------

#ifdef PATRON_TEST_CLI
namespace {
int run_cli(const std::string& args) {
  const int rc = std::system((std::string(PATRON_TEST_CLI) + " " + args).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}
}  // namespace

TEST_CASE("patron rules: groceries CSV and exit codes", "[recommend][unit]") {
  const std::string out = std::string(PATRON_TEST_BINARY_DIR) + "/rules_groceries.csv";
  REQUIRE(run_cli("rules --input " + patron_test::data_file("groceries.csv") +
                  " --min-support 0.01 --min-confidence 0.3 --output " + out + " 2>/dev/null") == 0);
  const auto lines = read_lines(out);
  // Issue 9: header + 125 rules; the strongest (lift 3.2950) first.
  REQUIRE(lines.size() == 126);
  CHECK(lines[0] == "antecedents,consequents,support,confidence,lift,leverage,conviction");
  CHECK(lines[1].rfind("citrus fruit|other vegetables,root vegetables,", 0) == 0);
  CHECK(lines[1].find(",3.295") != std::string::npos);
  // Bad data → 3, bad option → 2.
  const std::string bad = std::string(PATRON_TEST_BINARY_DIR) + "/rules_bad.csv";
  std::ofstream(bad) << "a,b\n\"x\n";
  CHECK(run_cli("rules --input " + bad + " 2>/dev/null") == 3);
  CHECK(run_cli("rules --input " + out + " --min-support 2 2>/dev/null") == 2);
  CHECK(run_cli("rules --input /nonexistent/x.csv 2>/dev/null") == 3);
}
#endif
