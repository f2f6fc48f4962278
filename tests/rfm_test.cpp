// SPDX-License-Identifier: MIT
// RFM metrics, binning methods and their ties, rule tables, saved thresholds, bad input, CLI.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/rfm.hpp"
#include "test_support.hpp"

using namespace patron;
using namespace patron::rfm;
using Catch::Matchers::Contains;

namespace {

struct scored {
  std::vector<std::uint8_t> r, f, m;
  thresholds t;
};

scored run(const std::vector<double>& rec, const std::vector<double>& fr, const std::vector<double>& mo,
           const binning_options& o) {
  scored s;
  s.r.resize(rec.size());
  s.f.resize(rec.size());
  s.m.resize(rec.size());
  s.t = score(rec, fr, mo, o, {s.r, s.f, s.m});
  return s;
}

std::vector<int> as_int(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

binning_options method(binning_method m, int bins = 5) {
  binning_options o;
  o.method = m;
  o.bins = bins;
  return o;
}

// The worked example of the issue / R rfm docs: order counts of ten customers.
const std::vector<double> counts = {1, 1, 1, 1, 1, 1, 2, 2, 3, 10};
const std::vector<double> zeros(10, 0.0);

std::map<std::uint8_t, int> histogram(const std::vector<std::uint8_t>& v) {
  std::map<std::uint8_t, int> h;
  for (auto x : v) ++h[x];
  return h;
}

rfm_table orders_table() {
  read_options ro;
  ro.customer.name = "customer_id";
  ro.date.name = "order_date";
  ro.amount.name = "revenue";
  const read_result rr = read_transactions(patron_test::data_file("rfm_data_orders.csv"), ro);
  metrics_options mo;
  // The R rfm documentation scores rfm_data_orders with analysis date 2006-12-31.
  mo.as_of = from_ymd(2006, 12, 31);
  return compute_metrics(rr.log, mo);
}

rfm_table customers_table() {
  return read_customer_table(patron_test::data_file("rfm_customers.csv"), customer_columns{});
}

}  // namespace

TEST_CASE("r-rfm reproduces the R rfm worked example", "[rfm][reference]") {
  // Issue 4 / R rfm 0.3.0 rule: counts 1,1,1,1,1,1,2,2,3,10 → type-7 quintiles 1, 1, 1.4, 2.2,
  // cut points q+1 = 2, 2, 2.4, 3.2, and F scores 1 (for 1), 3 (for 2), 4 (for 3), 5 (for 10).
  const scored s = run(zeros, counts, counts, method(binning_method::r_rfm));
  REQUIRE(s.t.frequency.cuts.size() == 4);
  CHECK(s.t.frequency.cuts[0] == 2.0);
  CHECK(s.t.frequency.cuts[1] == 2.0);
  CHECK(s.t.frequency.cuts[2] == Approx(2.4).epsilon(1e-15));
  CHECK(s.t.frequency.cuts[3] == Approx(3.2).epsilon(1e-15));
  CHECK(as_int(s.f) == std::vector<int>{1, 1, 1, 1, 1, 1, 3, 3, 4, 5});
}

TEST_CASE("r-rfm on rfm_data_orders gives the R documentation's thresholds", "[rfm][reference]") {
  // R rfm's rfm_table_order help page passes the custom thresholds recency 115, 181, 297, 482 and
  // frequency 4, 5, 6, 8: the default cut points q+1 (rounded). Hand computation of the type-7
  // quintiles of the 995 customers (python, sorted lists): recency 114, 180, 296.4, 481;
  // orders 3, 4, 5, 7; revenue 254.8, 381, 505.4, 665.
  const rfm_table t = orders_table();
  REQUIRE(t.size() == 995);  // data README: 995 customers
  const thresholds th = fit_thresholds(t.recency, t.frequency, t.monetary, method(binning_method::r_rfm));
  CHECK(th.recency.cuts[0] == 115.0);
  CHECK(th.recency.cuts[1] == 181.0);
  CHECK(th.recency.cuts[2] == Approx(297.4).epsilon(1e-12));
  CHECK(th.recency.cuts[3] == 482.0);
  CHECK(th.frequency.cuts == std::vector<double>{4, 5, 6, 8});
  CHECK(th.monetary.cuts[0] == Approx(255.8).epsilon(1e-12));
  CHECK(th.monetary.cuts[1] == 382.0);
  CHECK(th.monetary.cuts[2] == Approx(506.4).epsilon(1e-12));
  CHECK(th.monetary.cuts[3] == 666.0);
  CHECK(th.recency.left_closed);

  // Explicit cut points (the help page's recency_bins = c(115, 181, 297, 482)) are used as is.
  binning_options o = method(binning_method::r_rfm);
  o.recency_cuts = {115, 181, 297, 482};
  const thresholds given = fit_thresholds(t.recency, t.frequency, t.monetary, o);
  CHECK(given.recency.cuts == std::vector<double>{115, 181, 297, 482});
  // Recency 297 days: ≥ 115, 181, 297 → ascending bin 4 → R = 6 − 4 = 2; 296 days → R = 3.
  CHECK(given.r_score(297) == 2);
  CHECK(given.r_score(296) == 3);
}

TEST_CASE("rfm_customers: quintile scores by hand computation", "[rfm][reference]") {
  // Hand computation on rfm_customers.csv (39,999 customers; python, type-7 quintiles + 1):
  // recency cuts 77, 126, 177, 266; orders 8, 10, 11, 13; revenue 641, 827, 1003, 1226.
  // Orders = 10 is one value sitting on the 2nd/3rd quintile, so F = 3 holds only the 4,945
  // customers with exactly 10 orders; F counts 9427, 9764, 4945, 8204, 7659.
  const rfm_table t = customers_table();
  REQUIRE(t.size() == 39999);
  const scored s = run(t.recency, t.frequency, t.monetary, method(binning_method::r_rfm));
  CHECK(s.t.recency.cuts == std::vector<double>{77, 126, 177, 266});
  CHECK(s.t.frequency.cuts == std::vector<double>{8, 10, 11, 13});
  CHECK(s.t.monetary.cuts == std::vector<double>{641, 827, 1003, 1226});
  CHECK(histogram(s.f) == std::map<std::uint8_t, int>{{1, 9427}, {2, 9764}, {3, 4945}, {4, 8204}, {5, 7659}});
  CHECK(histogram(s.r) == std::map<std::uint8_t, int>{{1, 7994}, {2, 7957}, {3, 7889}, {4, 8108}, {5, 8051}});
  CHECK(histogram(s.m) == std::map<std::uint8_t, int>{{1, 8016}, {2, 7998}, {3, 8008}, {4, 7997}, {5, 7980}});
  // On integer data the default quantile method (cuts q, closed on the right) gives the same
  // scores as r-rfm (cuts q+1, closed on the left): v > q ⇔ v ≥ q+1.
  const scored q = run(t.recency, t.frequency, t.monetary, binning_options{});
  CHECK(q.f == s.f);
  CHECK(q.r == s.r);
  CHECK(q.m == s.m);
}

TEST_CASE("type-7 quantile matches R's definition", "[rfm][unit]") {
  // By hand: x = 1..10 (unsorted input), p = 0.25 → h = 2.25 → 3 + 0.25·1 = 3.25 (R: 3.25).
  const std::vector<double> x = {7, 1, 10, 4, 2, 9, 3, 8, 6, 5};
  CHECK(quantile_type7(x, 0.25) == 3.25);
  CHECK(quantile_type7(x, 0.0) == 1.0);
  CHECK(quantile_type7(x, 1.0) == 10.0);
  CHECK(quantile_type7(std::vector<double>{42}, 0.5) == 42.0);
}

TEST_CASE("type-7 quantiles of large inputs agree with a full sort", "[rfm][property]") {
  // Oracle: std::sort and the type-7 formula by hand. Inputs above 65,536 values take the radix
  // path; ties, negatives, zeros of both signs and a narrow cluster exercise its buckets.
  std::mt19937_64 rng(42);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_int_distribution<int> small(0, 6);
  for (int shape = 0; shape < 4; ++shape) {
    std::vector<double> v(100'003);
    for (auto& x : v) {
      switch (shape) {
        case 0: x = z(rng); break;                           // continuous, negatives
        case 1: x = small(rng); break;                       // 7 values, heavy ties
        case 2: x = 1000.0 + 1e-9 * z(rng); break;           // one narrow bucket
        default: x = small(rng) == 0 ? -0.0 : 100 * z(rng);  // signed zeros
      }
    }
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int n : {2, 4, 5, 10}) {
      std::vector<double> q(static_cast<std::size_t>(n - 1));
      quantiles_type7(v, n, q);
      for (int k = 1; k < n; ++k) {
        const std::size_t num = (v.size() - 1) * static_cast<std::size_t>(k);
        const std::size_t lo = num / static_cast<std::size_t>(n);
        const double h = static_cast<double>(num % static_cast<std::size_t>(n)) / n;
        const double a = sorted[lo], b = sorted[std::min(lo + 1, v.size() - 1)];
        const double expect = a == b ? a : (1 - h) * a + h * b;
        INFO("shape " << shape << " n " << n << " k " << k);
        CHECK(q[static_cast<std::size_t>(k - 1)] == expect);
      }
    }
  }
}

TEST_CASE("every method's tie behaviour on the worked example", "[rfm][property]") {
  SECTION("quantile: cuts at q, closed on the right; equal values equal scores") {
    // By hand: q = 1, 1, 1.4, 2.2; 1 → bin 1; 2 > 1.4 → bin 4; 3, 10 > 2.2 → bin 5.
    const scored s = run(zeros, counts, counts, method(binning_method::quantile));
    CHECK(as_int(s.f) == std::vector<int>{1, 1, 1, 1, 1, 1, 4, 4, 5, 5});
  }
  SECTION("r-rfm: coinciding cut points leave bin 2 empty rather than re-ranking") {
    const scored s = run(zeros, counts, counts, method(binning_method::r_rfm));
    CHECK(histogram(s.f).count(2) == 0);
  }
  SECTION("ntile: equal counts by rank, ties split by input position") {
    // SQL NTILE(5) over 10 rows ordered by (value, row): 2 rows per bin.
    const scored s = run(zeros, counts, counts, method(binning_method::ntile));
    CHECK(as_int(s.f) == std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    // 7 rows, 3 bins: NTILE gives sizes 3, 2, 2. Input order 5,5,5,5,1,1,1 → ranks by
    // (value, row): rows 4,5,6 (value 1) bin 1; rows 0,1 bin 2; rows 2,3 bin 3.
    const std::vector<double> v = {5, 5, 5, 5, 1, 1, 1}, z(7, 0.0);
    const scored t = run(z, v, v, method(binning_method::ntile, 3));
    CHECK(as_int(t.f) == std::vector<int>{2, 2, 3, 3, 1, 1, 1});
    // Recency: NTILE over recency descending (oldest first, ties by row). All recencies are 0
    // here, so rows in input order with sizes 3, 2, 2 → 1, 1, 1, 2, 2, 3, 3.
    CHECK(as_int(t.r) == std::vector<int>{1, 1, 1, 2, 2, 3, 3});
    CHECK(as_int(run(v, z, z, method(binning_method::ntile, 3)).r) == std::vector<int>{1, 1, 1, 2, 2, 3, 3});
  }
  SECTION("fixed: user cut points closed on the left") {
    binning_options o = method(binning_method::fixed);
    o.recency_cuts = {10, 20, 30, 40};
    o.frequency_cuts = {2, 3, 5, 8};
    o.monetary_cuts = {2, 3, 5, 8};
    const scored s = run(zeros, counts, counts, o);
    // By hand: 1 < 2 → 1; 2 ≥ 2 → 2; 3 ≥ 2, 3 → 3; 10 ≥ all → 5. Recency 0 < 10 → R = 5.
    CHECK(as_int(s.f) == std::vector<int>{1, 1, 1, 1, 1, 1, 2, 2, 3, 5});
    CHECK(as_int(s.r) == std::vector<int>(10, 5));
  }
  SECTION("mean-split: high only when strictly better than the mean") {
    // Mean of the counts = 23 / 10 = 2.3: 3 and 10 are high (2); recency mean 2.3 as well:
    // recency 1 and 2 are recent (R = 2), 3 and 10 are not (R = 1).
    const scored s = run(counts, counts, counts, method(binning_method::mean_split));
    CHECK(s.t.bins == 2);
    CHECK(as_int(s.f) == std::vector<int>{1, 1, 1, 1, 1, 1, 1, 1, 2, 2});
    CHECK(as_int(s.r) == std::vector<int>{2, 2, 2, 2, 2, 2, 2, 2, 1, 1});
    binning_options med = method(binning_method::mean_split);
    med.centre = split_centre::median;  // median = 1: 2, 3, 10 are high
    CHECK(as_int(run(counts, counts, counts, med).f) == std::vector<int>{1, 1, 1, 1, 1, 1, 2, 2, 2, 2});
  }
}

TEST_CASE("all-equal values and a single customer give the documented scores", "[rfm][property]") {
  // binning.hpp: all-equal → quantile/r-rfm ascending bin 1 (R = n, F = M = 1); mean-split all
  // low (1, 1, 1); ntile splits by position; fixed follows its cuts.
  const std::vector<double> same(6, 0.1), one = {0.1};
  for (auto m : {binning_method::quantile, binning_method::r_rfm}) {
    const scored s = run(same, same, same, method(m));
    CHECK(as_int(s.r) == std::vector<int>(6, 5));
    CHECK(as_int(s.f) == std::vector<int>(6, 1));
    const scored o = run(one, one, one, method(m));
    CHECK(as_int(o.r) == std::vector<int>{5});
    CHECK(as_int(o.m) == std::vector<int>{1});
  }
  const scored ms = run(same, same, same, method(binning_method::mean_split));
  CHECK(as_int(ms.r) == std::vector<int>(6, 1));
  CHECK(as_int(ms.f) == std::vector<int>(6, 1));
  CHECK(as_int(ms.m) == std::vector<int>(6, 1));
  // NTILE(5) over 6 equal rows: sizes 2,1,1,1,1 by row order.
  CHECK(as_int(run(same, same, same, method(binning_method::ntile)).f) == std::vector<int>{1, 1, 2, 3, 4, 5});
  // One customer in NTILE(5): bin 1 (F = M = 1, and R = 1 as the first row of recency desc).
  const scored on = run(one, one, one, method(binning_method::ntile));
  CHECK(as_int(on.f) == std::vector<int>{1});
  // fixed: cuts 0.1, 0.2, 0.3, 0.4 closed on the left → 0.1 is ascending bin 2: F = M = 2, R = 4.
  binning_options fx = method(binning_method::fixed);
  fx.recency_cuts = fx.frequency_cuts = fx.monetary_cuts = {0.1, 0.2, 0.3, 0.4};
  const scored fs = run(same, same, same, fx);
  CHECK(as_int(fs.f) == std::vector<int>(6, 2));
  CHECK(as_int(fs.r) == std::vector<int>(6, 4));
  CHECK(as_int(run(one, one, one, fx).m) == std::vector<int>{2});
}

TEST_CASE("segment rule order: first match wins", "[rfm][reference]") {
  // Issue 4 acceptance: R=4 F=4 M=4 → Potential Loyalist; R=2 F=4 M=5 → Can't Lose Them;
  // R=5 F=5 M=1 → Others (the rfm10 grid of R rfm's documentation).
  const segment_table t = rfm10_table();
  // The table itself, rule by rule, as issue 4 transcribes R rfm's documentation (inclusive).
  const std::vector<segment_rule> grid = {
      {"Champions", {5, 5}, {5, 5}, {5, 5}},       {"Potential Loyalist", {3, 5}, {3, 5}, {2, 5}},
      {"Loyal Customers", {2, 4}, {2, 4}, {2, 4}}, {"Promising", {3, 4}, {1, 3}, {3, 5}},
      {"New Customers", {4, 5}, {1, 3}, {1, 5}},   {"Can't Lose Them", {1, 2}, {3, 4}, {4, 5}},
      {"At Risk", {1, 2}, {2, 5}, {4, 5}},         {"Need Attention", {1, 3}, {3, 5}, {3, 5}},
      {"About To Sleep", {2, 3}, {1, 3}, {1, 4}},  {"Lost", {1, 1}, {1, 5}, {1, 5}}};
  CHECK(t.rules == grid);
  CHECK(t.fallback == "Others");
  CHECK(t.bins == 5);
  const segmenter s(t);
  CHECK(s.label(s(4, 4, 4)) == "Potential Loyalist");
  CHECK(s.label(s(2, 4, 5)) == "Can't Lose Them");
  CHECK(s.label(s(5, 5, 1)) == "Others");
  CHECK(s.label(s(5, 5, 5)) == "Champions");
  CHECK(s.label(s(1, 1, 1)) == "Lost");
  // The table lookup agrees with the rule walk on every cell.
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f)
      for (int m = 1; m <= 5; ++m) CHECK(s(r, f, m) == t.match(r, f, m));
  // Reordering changes the answer: Loyal Customers first takes (4,4,4).
  segment_table swapped = t;
  std::swap(swapped.rules[1], swapped.rules[2]);
  CHECK(segmenter(swapped).label(segmenter(swapped)(4, 4, 4)) == "Loyal Customers");
  // The built-in grid has overlaps (by design) but no error.
  bool any_error = false, any_overlap = false;
  for (const auto& i : t.validate()) {
    any_error = any_error || i.is_error();
    any_overlap = any_overlap || i.what == rule_issue::kind::overlap;
  }
  CHECK_FALSE(any_error);
  CHECK(any_overlap);
}

TEST_CASE("cn8 and value4 built-in tables", "[rfm][unit]") {
  // Issue 4: R↑F↓M↑ is 重要深耕 (important development); R↓F↑M↓ 一般维持 (general maintenance).
  const segmenter zh(cn8_table());
  const segmenter en(cn8_table(label_language::en));
  CHECK(zh.label(zh(2, 1, 2)) == "重要深耕");
  CHECK(en.label(en(2, 1, 2)) == "important development");
  CHECK(zh.label(zh(1, 2, 1)) == "一般维持");
  CHECK(en.label(en(1, 1, 1)) == "lost");
  // Every one of the 8 cells has its own class: no fallback is reachable.
  std::set<std::uint16_t> seen;
  for (int r = 1; r <= 2; ++r)
    for (int f = 1; f <= 2; ++f)
      for (int m = 1; m <= 2; ++m) seen.insert(zh(r, f, m));
  CHECK(seen.size() == 8);
  CHECK(seen.count(zh.fallback_index()) == 0);
  const segmenter v(value4_table());
  CHECK(v.label(v(5, 4, 4)) == "high-value");
  CHECK(v.label(v(4, 1, 1)) == "potential");
  CHECK(v.label(v(2, 5, 5)) == "churn-risk");
  CHECK(v.label(v(3, 3, 3)) == "general");
}

TEST_CASE("segment statistics", "[rfm][unit]") {
  // By hand: customers (r,f,m scores) (5,5,5), (5,5,5), (1,1,1); monetary 100, 300, 10;
  // recency 1, 3, 400; frequency 4, 6, 1 → Champions: 2, share 2/3, total 400, mean 200,
  // mean recency 2, mean frequency 5; Lost: 1, total 10.
  const segmenter s(rfm10_table());
  const std::vector<std::uint8_t> r = {5, 5, 1}, f = {5, 5, 1}, m = {5, 5, 1};
  std::vector<std::uint16_t> seg(3);
  s.assign(r, f, m, seg);
  const auto st = segment_statistics(s, seg, std::vector<double>{1, 3, 400},
                                     std::vector<double>{4, 6, 1}, std::vector<double>{100, 300, 10});
  REQUIRE(st.size() == 11);
  CHECK(st[0].name == "Champions");
  CHECK(st[0].count == 2);
  CHECK(st[0].share == Approx(2.0 / 3.0));
  CHECK(st[0].total_monetary == 400.0);
  CHECK(st[0].mean_monetary == 200.0);
  CHECK(st[0].mean_recency == 2.0);
  CHECK(st[0].mean_frequency == 5.0);
  CHECK(st[9].name == "Lost");
  CHECK(st[9].count == 1);
  CHECK(st[10].name == "Others");
  CHECK(st[10].count == 0);
}

TEST_CASE("metrics from an order log: orders · days · total · mean", "[rfm][unit]") {
  // By hand: a buys 10 on 2006-12-01 and 30 + 5 on 2006-12-20 (two orders that day);
  // b buys 7 on 2006-12-31. As of 2006-12-31: a recency 11, 3 orders, 2 days, total 45,
  // mean 15 per order (22.5 per day); b recency 0, 1, 7.
  transaction_log log;
  log.add("a", start_of(from_ymd(2006, 12, 1)), 10);
  log.add("a", start_of(from_ymd(2006, 12, 20)) + 3600, 30);
  log.add("b", start_of(from_ymd(2006, 12, 31)), 7);
  log.add("a", start_of(from_ymd(2006, 12, 20)) + 7200, 5);
  metrics_options o;
  o.as_of = from_ymd(2006, 12, 31);
  rfm_table t = compute_metrics(log, o);
  REQUIRE(t.size() == 2);
  CHECK(t.id == std::vector<std::string>{"a", "b"});
  CHECK(t.recency == std::vector<double>{11, 0});
  CHECK(t.frequency == std::vector<double>{3, 1});
  CHECK(t.monetary == std::vector<double>{45, 7});
  o.frequency = frequency_basis::days;
  o.monetary = monetary_basis::mean;
  t = compute_metrics(log, o);
  CHECK(t.frequency == std::vector<double>{2, 1});
  CHECK(t.monetary == std::vector<double>{22.5, 7});
  o.frequency = frequency_basis::orders;
  CHECK(compute_metrics(log, o).monetary == std::vector<double>{15, 7});
}

TEST_CASE("saved thresholds give identical scores on reload", "[rfm][property]") {
  const rfm_table t = customers_table();
  for (auto m : {binning_method::quantile, binning_method::r_rfm, binning_method::mean_split,
                 binning_method::ntile}) {
    INFO(to_string(m));
    const scored s = run(t.recency, t.frequency, t.monetary, method(m));
    const std::string path = std::string(PATRON_TEST_BINARY_DIR) + "/rfm_thresholds_" +
                             std::string(to_string(m)) + ".json";
    save_thresholds(path, s.t);
    const thresholds back = load_thresholds(path);
    CHECK(back == s.t);
    std::vector<std::uint8_t> r(t.size()), f(t.size()), mm(t.size());
    apply(back, t.recency, t.frequency, t.monetary, {r, f, mm});
    if (m == binning_method::ntile) {
      // ntile thresholds cannot split ties: re-applied, they differ from the rank bins only for
      // values that rank scoring split across two bins.
      std::map<double, std::set<int>> f_scores_of;
      for (std::size_t i = 0; i < t.size(); ++i) f_scores_of[t.frequency[i]].insert(s.f[i]);
      for (std::size_t i = 0; i < t.size(); ++i)
        if (f[i] != s.f[i]) CHECK(f_scores_of[t.frequency[i]].size() >= 2);
    } else {
      CHECK(r == s.r);
      CHECK(f == s.f);
      CHECK(mm == s.m);
    }
    std::remove(path.c_str());
  }
  // Non-integer cut points survive the text round trip bit for bit.
  thresholds th = fit_thresholds(zeros, counts, counts, method(binning_method::r_rfm));
  th.monetary.cuts[3] = 3.0 + 0.1 + 0.2;  // 3.3000000000000003
  th.recency.cuts[3] = std::numeric_limits<double>::infinity();
  CHECK(thresholds_from_json(thresholds_to_json(th)) == th);
  // A hand-edited file with descending cut points is refused, naming the metric.
  CHECK_THROWS_WITH(thresholds_from_json(R"({"format":"patron.rfm.thresholds","version":1,"method":"fixed",)"
                                         R"("bins":3,"recency":{"cuts":[1,2]},"frequency":{"cuts":[5,4]},)"
                                         R"("monetary":{"cuts":[1,2]}})", "t.json"),
                    Contains("[patron.bad_rule] t.json: frequency") && Contains("ascending"));
}

TEST_CASE("bad input is refused with a clear error", "[rfm][error]") {
  const std::vector<double> none;
  CHECK_THROWS_MATCHES(fit_thresholds(none, none, none, binning_options{}), data_error,
                       Catch::Matchers::Predicate<data_error>([](auto& e) { return e.code() == errc::empty_input; }));
  CHECK_THROWS_AS(compute_metrics(transaction_log{}, metrics_options{}), data_error);
  CHECK_THROWS_WITH(read_customer_table_from_string("customer_id,recency_days,number_of_orders,revenue\n",
                                                    "e.csv", customer_columns{}),
                    Contains("[patron.empty_input] e.csv"));
  std::vector<std::uint8_t> none8;
  const thresholds fitted = fit_thresholds(counts, counts, counts, binning_options{});
  CHECK_NOTHROW(apply(fitted, none, none, none, {none8, none8, none8}));  // zero customers: nothing to do

  // NaN and negative monetary in a customer table.
  const std::vector<double> r = {1, 2}, f = {1, 2};
  CHECK_THROWS_WITH(validate_metrics(r, f, std::vector<double>{1, std::nan("")}, false),
                    Contains("[patron.bad_number]") && Contains("monetary"));
  CHECK_THROWS_WITH(validate_metrics(r, f, std::vector<double>{1, -5}, false),
                    Contains("[patron.out_of_range]") && Contains("monetary = \"-5\"") && Contains("--allow-negative"));
  CHECK_NOTHROW(validate_metrics(r, f, std::vector<double>{1, -5}, true));
  CHECK_THROWS_WITH(read_customer_table_from_string("customer_id,recency_days,number_of_orders,revenue\n7,3,1,-2\n",
                                                    "c.csv", customer_columns{}),
                    Contains("c.csv:2:4: revenue = \"-2\"") && Contains("customer \"7\""));

  // A refund larger than the purchases; an analysis date before a purchase names the customer.
  transaction_log log;
  log.add("Abbey O'Reilly", start_of(from_ymd(2006, 3, 4)), 20);
  log.add("Abbey O'Reilly", start_of(from_ymd(2006, 3, 5)), -30);
  metrics_options o;
  o.as_of = from_ymd(2006, 12, 31);
  CHECK_THROWS_WITH(compute_metrics(log, o), Contains("negative spend") && Contains("Abbey O'Reilly"));
  o.allow_negative = true;
  CHECK(compute_metrics(log, o).monetary == std::vector<double>{-10});
  o.as_of = from_ymd(2006, 3, 4);
  CHECK_THROWS_WITH(compute_metrics(log, o),
                    Contains("[patron.out_of_range]") && Contains("2006-03-05") && Contains("Abbey O'Reilly"));
  transaction_log nan_log;
  nan_log.add("x", 0, std::nan(""));
  CHECK_THROWS_WITH(compute_metrics(nan_log, metrics_options{}), Contains("[patron.bad_number]") && Contains("\"x\""));

  // Options.
  CHECK_THROWS_AS(fit_thresholds(r, f, f, method(binning_method::quantile, 1)), invalid_argument_error);
  CHECK_THROWS_AS(fit_thresholds(r, f, f, method(binning_method::fixed)), invalid_argument_error);
  binning_options desc = method(binning_method::fixed, 3);
  desc.recency_cuts = {5, 1};
  desc.frequency_cuts = desc.monetary_cuts = {1, 2};
  CHECK_THROWS_WITH(fit_thresholds(r, f, f, desc), Contains("ascending"));
  CHECK_THROWS_AS(parse_binning_method("quintile"), invalid_argument_error);
}

TEST_CASE("rule tables from files: typo'd · empty and overlapping rules", "[rfm][error]") {
  const std::string header = "name,r_min,r_max,f_min,f_max,m_min,m_max\n";
  // A typo'd range (5–3) names the file, line, column and rule.
  CHECK_THROWS_WITH(segment_table_from_string(header + "Best,5,5,5,5,5,5\nOops,5,3,1,5,1,5\n", "rules.csv"),
                    Contains("[patron.bad_rule] rules.csv:3:2: r_min = \"5-3\"") && Contains("Oops"));
  CHECK_THROWS_WITH(segment_table_from_string(header + "Best,5,5,5,5,5,6\n", "rules.csv"),
                    Contains("m_min = \"5-6\""));
  CHECK_THROWS_WITH(segment_table_from_string(header + "Best,5,5,x,5,5,5\n", "rules.csv"),
                    Contains("rules.csv:2:4: f_min = \"x\": not a whole number"));
  // A rule hidden behind earlier ones never matches: an error.
  CHECK_THROWS_WITH(segment_table_from_string(header + "All,1,5,1,5,1,5\nBest,5,5,5,5,5,5\n", "rules.csv"),
                    Contains("never matches") && Contains("Best"));
  // Overlaps are notes, not errors; the fallback row and JSON form load.
  const segment_table t =
      segment_table_from_string(header + "Top,4,5,4,5,4,5\nRecent,4,5,1,5,1,5\nfallback,Rest\n", "ok.csv");
  CHECK(t.rules.size() == 2);
  CHECK(t.fallback == "Rest");
  const auto issues = t.validate();
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].what == rule_issue::kind::overlap);
  CHECK(issues[0].rule == 1);
  CHECK(issues[0].other == 0);
  const segment_table j = segment_table_from_string(
      R"({"bins":3,"fallback":"x","rules":[{"name":"hi","r":[3,3],"f":[2,3],"m":[1,3]}]})", "r.json");
  CHECK(j.bins == 3);
  CHECK(j.rules[0].f == score_range{2, 3});
  CHECK_THROWS_WITH(segment_table_from_string(R"({"rules":[{"name":"a","r":[0,2],"f":[1,5],"m":[1,5]}]})", "r.json"),
                    Contains("[patron.bad_rule]") && Contains("R0-2"));
  segment_table unnamed = rfm10_table();
  unnamed.rules[3].name.clear();
  CHECK_THROWS_AS(segmenter(unnamed), invalid_argument_error);
}

#ifdef PATRON_TEST_CLI
namespace {
int run_cli(const std::string& args) {
  const std::string cmd = std::string(PATRON_TEST_CLI) + " " + args;
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("patron rfm: customer table and order log", "[rfm][cli]") {
  const std::string dir = PATRON_TEST_BINARY_DIR;
  const std::string out = dir + "/rfm_cli_out.csv", th = dir + "/rfm_cli_th.json", sum = dir + "/rfm_cli_sum.json";
  REQUIRE(run_cli("rfm --input " + patron_test::data_file("rfm_customers.csv") +
                  " --level customer --recency recency_days --frequency number_of_orders --monetary revenue"
                  " --binning r-rfm --thresholds-out " + th + " --summary " + sum + " --output " + out) == 0);
  const std::string text = slurp(out);
  CHECK(text.rfind("customer_id,recency_days,frequency,monetary,r,f,m,rfm_score,segment\n", 0) == 0);
  // rfm_customers.csv row 1: 22086, 9 orders, 232 days, revenue 777. By hand with the cuts of
  // the reference test: recency 232 ≥ 77, 126, 177 → bin 4 → R 2; 9 ≥ 8 → F 2; 777 ≥ 641 → M 2;
  // (2, 2, 2) → Loyal Customers.
  CHECK(text.find("\n22086,232,9,777,2,2,2,222,Loyal Customers\n") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 40000);
  CHECK(slurp(sum).find("\"Champions\"") != std::string::npos);
  // Scoring again with the saved thresholds gives the same file.
  const std::string out2 = dir + "/rfm_cli_out2.csv";
  REQUIRE(run_cli("rfm --input " + patron_test::data_file("rfm_customers.csv") +
                  " --level customer --thresholds-in " + th + " --output " + out2 + " 2>/dev/null") == 0);
  CHECK(slurp(out2) == text);
  // Order level: 995 customers of rfm_data_orders.
  REQUIRE(run_cli("rfm --input " + patron_test::data_file("rfm_data_orders.csv") +
                  " --customer customer_id --date order_date --amount revenue --as-of 2006-12-31"
                  " --binning r-rfm --output " + out + " 2>/dev/null") == 0);
  const std::string orders = slurp(out);
  CHECK(std::count(orders.begin(), orders.end(), '\n') == 996);
  // Bad arguments exit 2, bad data 3.
  CHECK(run_cli("rfm --input " + patron_test::data_file("rfm_customers.csv") +
                " --level customer --binning quintile 2>/dev/null") == 2);
  CHECK(run_cli("rfm --input " + patron_test::data_file("rfm_data_orders.csv") +
                " --customer customer_id --date order_date --amount revenue --as-of 2006-01-01 2>/dev/null") == 3);
  std::remove(out.c_str());
  std::remove(out2.c_str());
  std::remove(th.c_str());
  std::remove(sum.c_str());
}
#endif

#ifdef PATRON_TEST_CLI
namespace {
std::size_t count_lines_ending(const std::string& text, const std::string& tail) {
  std::size_t n = 0;
  for (std::size_t pos = 0; (pos = text.find(tail + "\n", pos)) != std::string::npos; pos += tail.size()) ++n;
  return n;
}
}  // namespace

TEST_CASE("patron rfm: fixed cuts · rule files · mean-split labels", "[rfm][cli]") {
  const std::string dir = PATRON_TEST_BINARY_DIR;
  const std::string out = dir + "/rfm_cli2_out.csv", csv_rules = dir + "/rfm_cli2_rules.csv",
                    json_rules = dir + "/rfm_cli2_rules.json", sum = dir + "/rfm_cli2_sum.json";
  const std::string base = "rfm --input " + patron_test::data_file("rfm_customers.csv") + " --level customer";
  {
    std::ofstream(csv_rules) << "name,r_min,r_max,f_min,f_max,m_min,m_max\nBig spender,1,5,1,5,5,5\nfallback,Rest\n";
    std::ofstream(json_rules) << R"({"bins":5,"fallback":"Rest","rules":[{"name":"Recent","r":[4,5],"f":[1,5],"m":[1,5]}]})";
  }
  const std::string fixed = base + " --binning fixed --cuts-r 30,90,180,365 --cuts-f 5,10,15,20 --cuts-m 100,200,300,700";
  // rfm_customers.csv row 1: 22086, 232 days, 9 orders, revenue 777. By hand with these cuts
  // (closed on the left): 232 ≥ 30, 90, 180 → bin 4 → R 2; 9 ≥ 5 → F 2; 777 ≥ all → M 5;
  // rfm10: (2, 2, 5) first matches At Risk (R1–2 F2–5 M4–5).
  REQUIRE(run_cli(fixed + " --output " + out + " 2>/dev/null") == 0);
  CHECK(slurp(out).find("\n22086,232,9,777,2,2,5,225,At Risk\n") != std::string::npos);
  // The same scores through a CSV rule file (M = 5 → Big spender) and a JSON one (R 2 → Rest).
  REQUIRE(run_cli(fixed + " --segments " + csv_rules + " --output " + out + " 2>/dev/null") == 0);
  CHECK(slurp(out).find("\n22086,232,9,777,2,2,5,225,Big spender\n") != std::string::npos);
  REQUIRE(run_cli(fixed + " --segments " + json_rules + " --output " + out + " 2>/dev/null") == 0);
  CHECK(slurp(out).find("\n22086,232,9,777,2,2,5,225,Rest\n") != std::string::npos);
  // A typo'd range in the file is bad data (exit 3); a 5-bin table on mean-split's 2 bins is a
  // usage error (exit 2).
  std::ofstream(csv_rules) << "name,r_min,r_max,f_min,f_max,m_min,m_max\nOops,5,3,1,5,1,5\n";
  CHECK(run_cli(fixed + " --segments " + csv_rules + " --output " + out + " 2>/dev/null") == 3);
  CHECK(run_cli(base + " --binning mean-split --segments rfm10 --output " + out + " 2>/dev/null") == 2);

  // Mean-split with English labels. Hand computation (python, csv module) on rfm_customers.csv:
  // means recency 181.41 days, 9.8308 orders, revenue 938.46; class counts (R,F,M high = 2)
  // (2,2,2) 11,839 important value, (1,1,1) 8,273 lost, (2,1,1) 8,435 new. Row 2: 2290,
  // 115 days, 16 orders, 1555 → all high → important value.
  REQUIRE(run_cli(base + " --binning mean-split --labels en --summary " + sum + " --output " + out) == 0);
  const std::string text = slurp(out);
  CHECK(text.find("\n2290,115,16,1555,2,2,2,222,important value\n") != std::string::npos);
  CHECK(text.find("\n22086,232,9,777,1,1,1,111,lost\n") != std::string::npos);
  CHECK(count_lines_ending(text, ",important value") == 11839);
  CHECK(count_lines_ending(text, ",lost") == 8273);
  CHECK(count_lines_ending(text, ",new") == 8435);
  CHECK(slurp(sum).find("\"count\": 11839") != std::string::npos);
  // Default labels are Chinese.
  REQUIRE(run_cli(base + " --binning mean-split --output " + out + " 2>/dev/null") == 0);
  CHECK(count_lines_ending(slurp(out), ",重要价值") == 11839);

  // Refunds: a negative revenue is refused (exit 3) unless --allow-negative.
  const std::string neg = dir + "/rfm_cli2_neg.csv";
  std::ofstream(neg) << "customer_id,recency_days,number_of_orders,revenue\na,1,2,10\nb,5,1,-4\nc,9,3,30\n";
  CHECK(run_cli("rfm --input " + neg + " --level customer --output " + out + " 2>/dev/null") == 3);
  REQUIRE(run_cli("rfm --input " + neg + " --level customer --allow-negative --output " + out + " 2>/dev/null") == 0);
  // By hand, quantile method (cuts q, closed on the right), type-7 positions 0.4, 0.8, 1.2, 1.6:
  // revenue −4, 10, 30 → cuts 1.6, 7.2, 14, 22 → −4 is M 1; recency 1, 5, 9 → 2.6, 4.2, 5.8,
  // 7.4 → 5 is bin 3 → R 3; orders 1, 2, 3 → 1.4, 1.8, 2.2, 2.6 → 1 is F 1;
  // rfm10: (3, 1, 1) first matches About To Sleep (R2–3 F1–3 M1–4).
  CHECK(slurp(out).find("\nb,5,1,-4,3,1,1,311,About To Sleep\n") != std::string::npos);
  for (const auto& p : {out, csv_rules, json_rules, sum, neg}) std::remove(p.c_str());
}
#endif
