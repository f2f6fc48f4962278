// SPDX-License-Identifier: MIT
// Lifecycle: table validation, the built-in tables on hand-built histories, replay, Markov CLV,
// triggers. Every expected number is worked out by hand in the comment above it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include <sys/wait.h>
#include <string>
#include <vector>

#include "patron/error.hpp"
#include "patron/data/read.hpp"
#include "patron/lifecycle.hpp"
#include "patron/models/model_io.hpp"
#include "test_support.hpp"

using namespace patron;
using namespace patron::lifecycle;

namespace {

timestamp day(int y, int m, int d) { return start_of(from_ymd(y, m, d)); }

transition_table tiny_table() {
  transition_table t;
  t.name = "tiny";
  t.states = {"a", "b", "c"};
  t.events = {"go", "stop"};
  t.initial = "a";
  t.rows = {{"a", "go", guard{combine::all, {{feature::frequency, comparison::ge, 2.0}}}, "c", "far"},
            {"a", "go", {}, "b", "near"},
            {"b", "go", {}, "c", ""}};
  return t;
}

bool has_issue(const std::vector<validation_issue>& v, issue_kind k, int row) {
  for (const auto& i : v)
    if (i.kind == k && i.row == row) return true;
  return false;
}

}  // namespace

TEST_CASE("state_machine: the first matching row wins and an event with no row is unhandled",
          "[lifecycle][unit]") {
  const state_machine m(tiny_table());
  feature_row f;
  f[feature::frequency] = 3;
  // frequency 3 ≥ 2: row 0 ("far") fires before the unguarded row 1.
  auto r = m.fire(m.state("a"), m.event("go"), f);
  CHECK(r.to == m.state("c"));
  CHECK(r.row == 0);
  CHECK(m.row_name(r.row) == "far");
  f[feature::frequency] = 1;
  r = m.fire(m.state("a"), m.event("go"), f);
  CHECK(r.to == m.state("b"));
  CHECK(r.row == 1);
  // Row 2 has no name: the default names it from-event->to.
  CHECK(m.row_name(2) == "b-go->c");
  // No row for (a, stop) nor (c, go): unhandled, state unchanged.
  r = m.fire(m.state("a"), m.event("stop"), f);
  CHECK(r.row == step_result::unhandled);
  CHECK(r.to == m.state("a"));
  r = m.fire(m.state("c"), m.event("go"), f);
  CHECK(r.row == step_result::unhandled);
  CHECK(r.to == m.state("c"));
}

TEST_CASE("state_machine: NaN features fail every comparison", "[lifecycle][unit]") {
  const state_machine m(tiny_table());
  feature_row f;  // all NaN: frequency >= 2 is false, so the unguarded row fires
  CHECK(m.fire(m.state("a"), m.event("go"), f).row == 1);
}

TEST_CASE("validate: unknown states · events · features · ambiguous and dead rows are reported",
          "[lifecycle][error]") {
  transition_table t = tiny_table();
  t.rows.push_back({"a", "go", {}, "zzz", ""});                    // row 3: unknown to-state; unguarded like row 1
  t.rows.push_back({"q", "go", {}, "a", ""});                      // row 4: unknown from-state
  t.rows.push_back({"b", "jump", {}, "a", ""});                    // row 5: unknown event
  t.rows.push_back({"b", "stop", guard{combine::all, {{feature::p_alive, comparison::lt, 0.5}}}, "a", ""});  // row 6
  t.rows.push_back({"b", "stop", guard{combine::all, {{feature::p_alive, comparison::lt, 0.5}}}, "c", ""});  // row 7: same guard
  // row 8: frequency < 1 and frequency > 3 cannot both hold
  t.rows.push_back({"c", "stop",
                    guard{combine::all, {{feature::frequency, comparison::lt, 1.0}, {feature::frequency, comparison::gt, 3.0}}},
                    "a", ""});
  t.rows.push_back({"c", "go", guard{combine::all, {{feature::monetary, comparison::gt, std::nan("")}}}, "a", ""});  // row 9
  // row 10: shadowed by the unguarded row 2 (b, go)
  t.rows.push_back({"b", "go", guard{combine::all, {{feature::frequency, comparison::gt, 1.0}}}, "a", ""});
  feature_set avail;
  avail.add(feature::frequency);
  avail.add(feature::monetary);
  const auto issues = validate(t, avail);
  CHECK(has_issue(issues, issue_kind::unknown_state, 3));
  CHECK(has_issue(issues, issue_kind::ambiguous, 3));
  CHECK(has_issue(issues, issue_kind::never_fires, 10));
  CHECK(has_issue(issues, issue_kind::unknown_state, 4));
  CHECK(has_issue(issues, issue_kind::unknown_event, 5));
  CHECK(has_issue(issues, issue_kind::missing_feature, 6));
  CHECK(has_issue(issues, issue_kind::ambiguous, 7));
  CHECK(has_issue(issues, issue_kind::never_fires, 8));
  CHECK(has_issue(issues, issue_kind::bad_threshold, 9));
  CHECK_THROWS_MATCHES(state_machine(t, avail), invalid_argument_error,
                       Catch::Matchers::Message("[patron.bad_rule] lifecycle table \"tiny\": row 4: to = \"zzz\": "
                                                "no such state"));
}

TEST_CASE("validate: unreachable states are a warning · a bad initial state an error", "[lifecycle][error]") {
  transition_table t = tiny_table();
  t.states.push_back("island");
  const auto issues = validate(t);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].kind == issue_kind::unreachable);
  CHECK_FALSE(issues[0].is_error);
  CHECK(issues[0].message == "state \"island\" is unreachable from \"a\"");
  CHECK_NOTHROW(state_machine(t));
  t.initial = "nowhere";
  CHECK(has_issue(validate(t), issue_kind::unknown_state, -1));
  CHECK_THROWS_AS(state_machine(t), invalid_argument_error);
  t.states.clear();
  CHECK(has_issue(validate(t), issue_kind::no_states, -1));
}

TEST_CASE("built-in tables validate cleanly with every state reachable", "[lifecycle][unit]") {
  feature_set log_only;
  for (feature f : {feature::recency_days, feature::frequency, feature::monetary, feature::total_spend,
                    feature::tenure_days, feature::mean_interpurchase_days})
    log_only.add(f);
  CHECK(validate(seven_stage_table(), log_only).empty());
  CHECK(validate(four_stage_table(), log_only).empty());
  seven_stage_options o;
  o.use_p_alive = true;
  // With P(alive) guards but no p_alive column: a validation error.
  CHECK(has_issue(validate(seven_stage_table(o), log_only), issue_kind::missing_feature, 9));
  CHECK(validate(seven_stage_table(o)).empty());
  // 9 purchase rows + 5 termination + 1 + 3 decline rows + 7 stay rows = 25.
  CHECK(seven_stage_table().rows.size() == 25);
  o.termination_p_alive = 0.9;  // above decline_p_alive 0.5
  CHECK_THROWS_AS(seven_stage_table(o), invalid_argument_error);
}

TEST_CASE("classify: P(alive) guards over a batch of customers", "[lifecycle][unit]") {
  seven_stage_options o;
  o.use_p_alive = true;  // decline below 0.5, termination below 0.1
  const state_machine m(seven_stage_table(o));
  const state_id mat = m.state("maturity");
  // Four mature customers, recent purchases (recency 5 days, own mean IPT 30 days: not overdue).
  const std::vector<state_id> from(4, mat);
  const std::vector<double> recency{5, 5, 5, 400}, ipt{30, 30, 30, 30}, p_alive{0.9, 0.3, 0.05, 0.9};
  feature_columns cols(4);
  cols.set(feature::recency_days, recency);
  cols.set(feature::mean_interpurchase_days, ipt);
  std::vector<state_id> to(4);
  std::vector<std::int32_t> row(4);
  // Without the p_alive column the table cannot be evaluated.
  CHECK_THROWS_MATCHES(m.classify(from, m.event("review"), cols, to, row), invalid_argument_error,
                       Catch::Matchers::Message("[patron.bad_rule] state_machine::classify: feature = "
                                                "\"p_alive\": the table tests it but no column was given"));
  cols.set(feature::p_alive, p_alive);
  m.classify(from, m.event("review"), cols, to, row);
  // 0.9 with recency 5 ≤ 2 × 30: stays mature; 0.3 < 0.5: decline; 0.05 < 0.1: termination;
  // recency 400 > 365: termination even with P(alive) 0.9.
  CHECK(m.state_name(to[0]) == "maturity");
  CHECK(m.row_name(row[0]) == "stay");
  CHECK(m.state_name(to[1]) == "decline");
  CHECK(m.row_name(row[1]) == "overdue");
  CHECK(m.state_name(to[2]) == "termination");
  CHECK(m.state_name(to[3]) == "termination");
  CHECK(m.row_name(row[3]) == "lapsed");
  std::vector<state_id> wrong(3);
  CHECK_THROWS_AS(m.classify(from, m.event("review"), cols, wrong), invalid_argument_error);
}

TEST_CASE("replay: every default seven-stage transition on hand-built histories", "[lifecycle][reference]") {
  transaction_log log;
  // a: buys 2024-01-01, 01-11, 01-21, 01-31 → development, growth, (growth, x = 2), maturity
  //    (x = 3); mean IPT 30/3 = 10 days. 2024-02-25: recency 25 > 2 × 10 → decline.
  //    2025-02-01: recency 367 (366 days to 2025-01-31, 2024 is leap, + 1) > 365 → termination.
  //    2025-03-01 → recovery; 2025-03-10 → maturity. 2025-03-31: recency 21, mean IPT
  //    (2025-03-10 − 2024-01-01) / 5 = 434 / 5 = 86.8 → stays mature.
  for (auto [y, m, d] : {std::tuple{2024, 1, 1}, {2024, 1, 11}, {2024, 1, 21}, {2024, 1, 31},
                         {2025, 3, 1}, {2025, 3, 10}})
    log.add("a", day(y, m, d), 10.0);
  // b: one purchase 2024-01-10; 2025-02-01: recency 388 > 365 → termination (the termination
  //    row comes before the decline row).
  log.add("b", day(2024, 1, 10), 5.0);
  // c: one purchase 2024-08-01; 2025-02-01: recency 184 (31+30+31+30+31+31) > 180 → decline;
  //    2025-03-31: recency 242 ≤ 365 → still decline.
  log.add("c", day(2024, 8, 1), 5.0);
  // d: 2024-01-01, 01-06 (growth, IPT 5); 01-31: recency 25 > 10 → decline; 02-10 purchase
  //    with x = 2 < 3 → growth; 02-15 and 02-25: IPT 40/2 = 20, recency 5 and 15 ≤ 40 → growth.
  //    2025-02-01: recency 357 (366 days to 2025-02-10 − 9) ≤ 365 but > 40 → decline;
  //    2025-03-31: recency 357 + 58 = 415 > 365 → termination.
  log.add("d", day(2024, 1, 1), 1.0);
  log.add("d", day(2024, 1, 6), 1.0);
  log.add("d", day(2024, 2, 10), 1.0);
  // e: 2024-01-01, 01-02, 01-03 (growth, IPT 1); 01-31: recency 28 > 2 → decline; 02-10
  //    purchase, x = 3 → maturity; 02-15/02-25: IPT 40/3, recency 5 and 15 ≤ 26.7 → maturity;
  //    then like d: 2025-02-01 decline (357 > 26.7), 2025-03-31 termination (415 > 365).
  log.add("e", day(2024, 1, 1), 1.0);
  log.add("e", day(2024, 1, 2), 1.0);
  log.add("e", day(2024, 1, 3), 1.0);
  log.add("e", day(2024, 2, 10), 1.0);
  const std::vector<date> dates{from_ymd(2024, 1, 31), from_ymd(2024, 2, 15), from_ymd(2024, 2, 25),
                                from_ymd(2025, 2, 1), from_ymd(2025, 3, 31)};
  const state_machine m(seven_stage_table());
  const replay_result r = replay(log, dates, m);
  auto stages = [&](std::uint32_t c) {
    std::vector<std::string> s;
    for (std::size_t d = 0; d < dates.size(); ++d) s.push_back(m.state_name(r.stage_at(d, c)));
    return s;
  };
  using v = std::vector<std::string>;
  CHECK(stages(0) == v{"maturity", "maturity", "decline", "termination", "maturity"});
  CHECK(stages(1) == v{"development", "development", "development", "termination", "termination"});
  CHECK(stages(2) == v{"prospect", "prospect", "prospect", "decline", "decline"});
  CHECK(stages(3) == v{"decline", "growth", "growth", "decline", "termination"});
  CHECK(stages(4) == v{"decline", "maturity", "maturity", "decline", "termination"});
  CHECK(r.unhandled == 0);

  // a's changes with the rule that fired, in order.
  std::vector<std::string> a_rules;
  std::vector<date> a_days;
  for (const auto& t : r.transitions)
    if (t.customer == 0) {
      a_rules.push_back(m.row_name(t.row));
      a_days.push_back(t.on);
    }
  CHECK(a_rules == v{"first_purchase", "repeat_purchase", "reached_maturity", "overdue", "lapsed", "won_back",
                     "recovered"});
  CHECK(a_days[5] == from_ymd(2025, 3, 1));
  // Funnel at 2024-01-31: c prospect, b development, a maturity, d and e decline.
  const std::size_t ns = m.state_count();
  CHECK(r.funnel[0 * ns + m.state("prospect")] == 1);
  CHECK(r.funnel[0 * ns + m.state("development")] == 1);
  CHECK(r.funnel[0 * ns + m.state("growth")] == 0);
  CHECK(r.funnel[0 * ns + m.state("maturity")] == 1);
  CHECK(r.funnel[0 * ns + m.state("decline")] == 2);
  // Migration over the 4 steps × 5 customers = 20 pairs; from the stage lists above:
  // termination→termination: b in the last step = 1; maturity→maturity: a (0→1), e (1→2) = 2;
  // decline→termination: a (2→3), d and e (3→4) = 3; termination→maturity: a (3→4) = 1.
  auto mig = [&](const char* a, const char* b) { return r.migration[m.state(a) * ns + m.state(b)]; };
  std::uint64_t total = 0;
  for (auto n : r.migration) total += n;
  CHECK(total == 20);
  CHECK(mig("termination", "termination") == 1);
  CHECK(mig("maturity", "maturity") == 2);
  CHECK(mig("decline", "termination") == 3);
  CHECK(mig("termination", "maturity") == 1);
  CHECK(mig("prospect", "prospect") == 2);
}

TEST_CASE("replay: the remaining seven-stage rows (lapsed from growth · maturity and recovery · recovery overdue)",
          "[lifecycle][reference]") {
  // With the test above this fires every non-stay row of seven_stage_table() on a replay, except
  // the purchase self-rows growth_purchase and mature_purchase (self-transitions are not listed
  // as transitions), checked with fire() at the end.
  transaction_log log;
  // f: 2024-01-01, 2024-07-01 → growth, mean IPT 182 days (2 × 182 = 364). 2024-07-31: recency
  //    30 → growth. 2025-07-05: recency 365 + 4 = 369 > 365 → termination straight from growth
  //    (the lapsed row comes before the overdue row).
  log.add("f", day(2024, 1, 1), 1.0);
  log.add("f", day(2024, 7, 1), 1.0);
  // g: 2024-01-01, 03-01, 05-01, 07-01 → maturity (x = 3), IPT 182 / 3 = 60.7. 2024-07-31:
  //    recency 30 ≤ 121.3 → maturity; 2025-07-05: recency 369 > 365 → termination from maturity.
  for (int m : {1, 3, 5, 7}) log.add("g", day(2024, m, 1), 1.0);
  // h: 2024-01-01, 01-11 → growth (IPT 10). 2024-07-31: recency 202 > 20 → decline; 2025-07-05:
  //    recency 541 > 365 → termination; purchase 2025-07-10 → recovery, mean IPT (366 + 190) / 2
  //    = 278. 2025-08-31: recency 52 → recovery; 2025-12-31: 174 ≤ 556 → recovery; 2026-10-31:
  //    174 + 304 = 478 > 365 → termination from recovery.
  log.add("h", day(2024, 1, 1), 1.0);
  log.add("h", day(2024, 1, 11), 1.0);
  log.add("h", day(2025, 7, 10), 1.0);
  // i: every day 2024-01-01..01-10 → maturity (x = 9). 2024-07-31: recency 203 > 2 → decline;
  //    2025-07-05: recency 366 + 176 = 542 > 365 → termination; purchase 2025-07-06 → recovery,
  //    mean IPT (366 + 186) / 10 = 55.2. 2025-08-31: recency 56 ≤ 110.4 → recovery; 2025-12-31:
  //    recency 178 > 110.4 (and ≤ 365) → decline from recovery; 2026-10-31: 482 > 365 → termination.
  for (int d = 1; d <= 10; ++d) log.add("i", day(2024, 1, d), 1.0);
  log.add("i", day(2025, 7, 6), 1.0);
  const std::vector<date> dates{from_ymd(2024, 7, 31), from_ymd(2025, 7, 5), from_ymd(2025, 8, 31),
                                from_ymd(2025, 12, 31), from_ymd(2026, 10, 31)};
  const state_machine m(seven_stage_table());
  const replay_result r = replay(log, dates, m);
  auto stages = [&](std::uint32_t c) {
    std::vector<std::string> s;
    for (std::size_t d = 0; d < dates.size(); ++d) s.push_back(m.state_name(r.stage_at(d, c)));
    return s;
  };
  using v = std::vector<std::string>;
  CHECK(stages(0) == v{"growth", "termination", "termination", "termination", "termination"});
  CHECK(stages(1) == v{"maturity", "termination", "termination", "termination", "termination"});
  CHECK(stages(2) == v{"decline", "termination", "recovery", "recovery", "termination"});
  CHECK(stages(3) == v{"decline", "termination", "recovery", "decline", "termination"});
  // The row behind each change, as "<customer> <from>-><to> <rule>".
  std::vector<std::string> fired;
  for (const auto& t : r.transitions)
    fired.push_back(log.customers.name(t.customer) + " " + m.state_name(t.from) + "->" + m.state_name(t.to) + " " +
                    m.row_name(t.row));
  auto has = [&](const std::string& s) { return std::find(fired.begin(), fired.end(), s) != fired.end(); };
  CHECK(has("f growth->termination lapsed"));
  CHECK(has("g maturity->termination lapsed"));
  CHECK(has("h recovery->termination lapsed"));
  CHECK(has("i recovery->decline overdue"));
  CHECK(has("i termination->recovery won_back"));
  CHECK(r.unhandled == 0);
  // The purchase self-rows: a growth customer below maturity stays growth, a mature one mature.
  feature_row f;
  f[feature::frequency] = 2;
  CHECK(m.row_name(m.fire(m.state("growth"), m.event("purchase"), f).row) == "growth_purchase");
  f[feature::frequency] = 7;
  CHECK(m.row_name(m.fire(m.state("maturity"), m.event("purchase"), f).row) == "mature_purchase");
  // The four-stage table's P(alive) guard: an existing customer bought 10 days ago but with
  // P(alive) 0.05 < churn_p_alive 0.1 is churned.
  four_stage_options fo;
  fo.use_p_alive = true;
  const state_machine four(four_stage_table(fo));
  f[feature::recency_days] = 10;
  f[feature::p_alive] = 0.05;
  CHECK(four.state_name(four.fire(four.state("existing"), four.event("review"), f).to) == "churned");
  f[feature::p_alive] = 0.5;
  CHECK(four.state_name(four.fire(four.state("existing"), four.event("review"), f).to) == "existing");
}

TEST_CASE("replay: the four-stage table", "[lifecycle][reference]") {
  transaction_log log;
  // x: 2024-01-01 → new; 2024-03-01 → existing; 2025-06-01: recency 457 > 365 → churned;
  //    2025-07-01 purchase → existing (won back).
  log.add("x", day(2024, 1, 1), 1.0);
  log.add("x", day(2024, 3, 1), 1.0);
  log.add("x", day(2025, 7, 1), 1.0);
  // y: 2024-02-01 → new; 2025-06-01: recency 486 > 365 → churned and stays churned.
  log.add("y", day(2024, 2, 1), 1.0);
  const std::vector<date> dates{from_ymd(2024, 1, 31), from_ymd(2024, 3, 31), from_ymd(2025, 6, 1),
                                from_ymd(2025, 7, 31)};
  const state_machine m(four_stage_table());
  const replay_result r = replay(log, dates, m);
  CHECK(m.state_name(r.stage_at(0, 0)) == "new");
  CHECK(m.state_name(r.stage_at(1, 0)) == "existing");
  CHECK(m.state_name(r.stage_at(2, 0)) == "churned");
  CHECK(m.state_name(r.stage_at(3, 0)) == "existing");
  CHECK(m.state_name(r.stage_at(0, 1)) == "potential");
  CHECK(m.state_name(r.stage_at(1, 1)) == "new");
  CHECK(m.state_name(r.stage_at(2, 1)) == "churned");
  CHECK(m.state_name(r.stage_at(3, 1)) == "churned");
}

TEST_CASE("replay: input columns and their validation", "[lifecycle][error]") {
  transaction_log log;
  log.add("a", day(2024, 1, 1), 1.0);
  log.add("a", day(2024, 1, 5), 1.0);
  const std::vector<date> dates{from_ymd(2024, 1, 31), from_ymd(2024, 2, 29)};
  seven_stage_options o;
  o.use_p_alive = true;
  const state_machine m(seven_stage_table(o));
  CHECK_THROWS_MATCHES(replay(log, dates, m), invalid_argument_error,
                       Catch::Matchers::Message("[patron.bad_rule] lifecycle::replay: feature = \"p_alive\": the "
                                                "table tests it but the replay has no such input column"));
  replay_inputs in;
  in.columns.push_back({feature::p_alive, {0.9}});  // needs 1 customer × 2 dates
  CHECK_THROWS_AS(replay(log, dates, m, in), invalid_argument_error);
  // 2024-01-31: recency 26 > 2 × 4 → decline anyway; use P(alive) at date 2 = 0.05 → termination.
  in.columns[0].values = {0.9, 0.05};
  const replay_result r = replay(log, dates, m, in);
  CHECK(m.state_name(r.stage_at(0, 0)) == "decline");
  CHECK(m.state_name(r.stage_at(1, 0)) == "termination");
  const std::vector<date> backwards{from_ymd(2024, 2, 29), from_ymd(2024, 1, 31)};
  CHECK_THROWS_AS(replay(log, backwards, m, in), invalid_argument_error);
}

TEST_CASE("month_ends: last days of each month · leap February included", "[lifecycle][unit]") {
  const auto d = month_ends(from_ymd(1997, 12, 15), from_ymd(1998, 2, 3));
  REQUIRE(d.size() == 3);
  CHECK(d[0] == from_ymd(1997, 12, 31));
  CHECK(d[1] == from_ymd(1998, 1, 31));
  CHECK(d[2] == from_ymd(1998, 2, 28));
  CHECK(month_ends(from_ymd(2024, 2, 1), from_ymd(2024, 2, 1)).front() == from_ymd(2024, 2, 29));
}

// ---- Markov migration CLV ---------------------------------------------------------------------

namespace {
// States {active, at_risk, lost}, lost absorbing; d = 0.25 so (1+d)^−1 = 0.8.
Eigen::MatrixXd three_state_p() {
  Eigen::MatrixXd P(3, 3);
  P << 0.5, 0.25, 0.25,  //
      0.25, 0.5, 0.25,   //
      0.0, 0.0, 1.0;
  return P;
}
}  // namespace

TEST_CASE("markov_value: hand-computed three-state example", "[lifecycle][reference]") {
  const Eigen::MatrixXd P = three_state_p();
  Eigen::VectorXd R(3);
  R << 100, 40, 0;
  // M = 0.8 P. V3 = 0 (absorbing, no reward). V1 = 100 + 0.4 V1 + 0.2 V2, V2 = 40 + 0.2 V1 + 0.4 V2
  // → 0.6 V1 − 0.2 V2 = 100, −0.2 V1 + 0.6 V2 = 40 → V1 = 3 V2 − 200 → 1.6 V2 = 220:
  // V2 = 137.5, V1 = 212.5. Tolerance: one LU solve of a 3 × 3 well-conditioned system.
  const Eigen::VectorXd v = markov_value(P, R, 0.25);
  CHECK(v(0) == Approx(212.5).epsilon(1e-12));
  CHECK(v(1) == Approx(137.5).epsilon(1e-12));
  CHECK(v(2) == Approx(0.0).margin(1e-12));
  // Horizon 0: V = R. Horizon 1: R + M R = [100 + 0.4·100 + 0.2·40, 40 + 0.2·100 + 0.4·40] = [148, 76].
  CHECK(markov_value(P, R, 0.25, 0)(0) == 100.0);
  const Eigen::VectorXd v1 = markov_value(P, R, 0.25, 1);
  CHECK(v1(0) == Approx(148.0));
  CHECK(v1(1) == Approx(76.0));
  // The finite sums increase to the closed form: the spectral radius of M is 0.8 × 0.75 = 0.6, so
  // after 100 periods the remainder is below 212.5 × 0.6^100 / 0.4 ≈ 3e-20.
  double prev = 0;
  for (std::size_t h : {1u, 5u, 20u, 100u}) {
    const double vh = markov_value(P, R, 0.25, h)(0);
    CHECK(vh > prev);
    CHECK(vh <= 212.5 + 1e-9);
    prev = vh;
  }
  CHECK(markov_value(P, R, 0.25, 100)(0) == Approx(212.5).epsilon(1e-12));
}

TEST_CASE("expected_time_to_absorption: matches the churn-rate lifetime", "[lifecycle][reference]") {
  // Q = [[0.5, 0.25], [0.25, 0.5]]; (I − Q) t = 1 is symmetric so t1 = t2 = t, 0.25 t = 1: t = 4.
  // Both transient states churn with probability 0.25 per period: T = 1 / 0.25 = 4.
  const Eigen::VectorXd t = expected_time_to_absorption(three_state_p());
  CHECK(t(0) == Approx(4.0));
  CHECK(t(1) == Approx(4.0));
  CHECK(t(2) == 0.0);
  CHECK(t(0) == Approx(churn_lifetime(0.25)));
  CHECK_THROWS_AS(churn_lifetime(0.0), invalid_argument_error);
}

TEST_CASE("markov: identity · absorbing and singular edge cases", "[lifecycle][error]") {
  // P = I: every state keeps its reward forever: V = R / (1 − 1/1.1) = 11 R.
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(2, 2);
  Eigen::VectorXd R(2);
  R << 10, 20;
  const Eigen::VectorXd v = markov_value(I, R, 0.1);
  CHECK(v(0) == Approx(110.0));
  CHECK(v(1) == Approx(220.0));
  // Every state absorbing: lifetime 0 from each.
  CHECK(expected_time_to_absorption(I).isZero());
  // d = 0 with a stochastic P: I − P is singular.
  CHECK_THROWS_AS(markov_value(three_state_p(), Eigen::VectorXd::Ones(3), 0.0), numeric_error);
  // No absorbing state: infinite lifetime is an error.
  Eigen::MatrixXd flip(2, 2);
  flip << 0, 1, 1, 0;
  CHECK_THROWS_AS(expected_time_to_absorption(flip), numeric_error);
  // Two transient states cycling between themselves beside an absorbing one never absorb.
  Eigen::MatrixXd trap(3, 3);
  trap << 0, 1, 0, 1, 0, 0, 0, 0, 1;
  CHECK_THROWS_AS(expected_time_to_absorption(trap), numeric_error);
  Eigen::MatrixXd bad(2, 2);
  bad << 0.5, 0.6, 0, 1;  // row sums to 1.1
  CHECK_THROWS_AS(markov_value(bad, R, 0.1), invalid_argument_error);
}

TEST_CASE("estimate_transition_matrix: row frequencies · empty rows absorbing", "[lifecycle][unit]") {
  // Counts [[3, 1], [0, 0]]: row 0 → [0.75, 0.25]; row 1 never observed → absorbing.
  const std::vector<std::uint64_t> counts{3, 1, 0, 0};
  const auto e = estimate_transition_matrix(counts, 2);
  CHECK(e.P(0, 0) == 0.75);
  CHECK(e.P(0, 1) == 0.25);
  CHECK(e.P(1, 1) == 1.0);
  REQUIRE(e.empty_rows.size() == 1);
  CHECK(e.empty_rows[0] == 1);
  CHECK_THROWS_AS(estimate_transition_matrix(counts, 3), invalid_argument_error);
}

// ---- tables as files ----------------------------------------------------------------------------

TEST_CASE("parse_guard: text conditions · scales and errors", "[lifecycle][unit]") {
  const guard g = parse_guard("recency_days > 2*mean_interpurchase_days | p_alive < 0.5");
  CHECK(g.mode == combine::any);
  REQUIRE(g.conditions.size() == 2);
  CHECK(g.conditions[0] == condition{feature::recency_days, comparison::gt, 2.0, feature::mean_interpurchase_days});
  CHECK(g.conditions[1] == condition{feature::p_alive, comparison::lt, 0.5, feature::none});
  CHECK(to_string(g) == "recency_days > 2*mean_interpurchase_days | p_alive < 0.5");
  CHECK(parse_guard(" always ").always());
  CHECK(parse_guard("frequency >= 3 & monetary != -1").conditions[1].threshold == -1.0);
  CHECK_THROWS_MATCHES(parse_guard("frequency >= 3 & p_alive < 1 | clv > 2"), invalid_argument_error,
                       Catch::Matchers::Message("[patron.bad_rule] guard: condition = \"frequency >= 3 & p_alive "
                                                "< 1 | clv > 2\": mixes & and |: split it into two rows"));
  CHECK_THROWS_MATCHES(parse_guard("age > 3"), invalid_argument_error,
                       Catch::Matchers::Message("[patron.bad_rule] guard: condition = \"age > 3\": unknown feature "
                                                "\"age\""));
  CHECK_THROWS_AS(parse_guard("frequency => 3"), invalid_argument_error);
  CHECK_THROWS_AS(parse_guard("frequency > three"), invalid_argument_error);
}

TEST_CASE("table_from_json / table_from_csv: a custom lifecycle as data", "[lifecycle][unit]") {
  const std::string json = R"({"name": "vip", "states": ["guest", "member", "vip"], "events": ["review"],
    "initial": "guest",
    "rows": [
      {"from": "guest", "event": "review", "to": "vip", "name": "big",
       "guard": {"all": [{"feature": "total_spend", "op": ">=", "value": 1000}]}},
      {"from": "guest", "event": "review", "to": "member", "guard": "total_spend >= 100"},
      {"from": "member", "event": "review", "to": "vip",
       "guard": {"any": [{"feature": "total_spend", "op": ">=", "value": 1000},
                         {"feature": "clv", "op": ">", "value": 2, "times": "total_spend"}]}}]})";
  const transition_table t = table_from_json(json, "vip.json");
  const state_machine m(t);
  feature_row f;
  f[feature::total_spend] = 150;
  // 150 < 1000 fails "big"; 150 ≥ 100 → member.
  CHECK(m.state_name(m.fire(m.state("guest"), 0, f).to) == "member");
  // member with CLV 400 > 2 × 150 = 300 → vip through the scaled any-condition.
  f[feature::clv] = 400;
  CHECK(m.state_name(m.fire(m.state("member"), 0, f).to) == "vip");
  // The JSON writer reads back to the same table.
  const transition_table back = table_from_json(table_to_json(t));
  REQUIRE(back.rows.size() == 3);
  CHECK(back.rows[2].when == t.rows[2].when);
  CHECK(back.states == t.states);

  const std::string csv =
      "from,event,to,guard,name\n"
      "# comment lines and blank lines are skipped\n"
      "\n"
      "guest,review,member,total_spend >= 100,joined\n"
      "member,review,guest,recency_days > 365\r\n";
  const transition_table c = table_from_csv(csv, "dir/rules.csv");
  CHECK(c.name == "rules.csv");
  CHECK(c.initial == "guest");
  CHECK(c.states == std::vector<std::string>{"guest", "member"});
  CHECK(c.events == std::vector<std::string>{"review"});
  CHECK(c.rows[0].name == "joined");
  CHECK(c.rows[1].when.conditions[0].threshold == 365.0);
}

TEST_CASE("table_from_json / table_from_csv: errors name the file · line and field", "[lifecycle][error]") {
  CHECK_THROWS_MATCHES(table_from_csv("from,event,to,guard\na,go,b\n", "r.csv"), data_error,
                       Catch::Matchers::Message("[patron.bad_rule] r.csv:2: fields = \"3\": expected 4 or 5: "
                                                "from,event,to,guard[,name]"));
  CHECK_THROWS_AS(table_from_csv("from,event,to,guard\na,go,b,frequency ~ 3\n", "r.csv"), data_error);
  CHECK_THROWS_AS(table_from_csv("a,go,b,\n", "r.csv"), data_error);
  CHECK_THROWS_AS(table_from_json("{", "t.json"), data_error);
  CHECK_THROWS_MATCHES(table_from_json(R"({"states": ["a"], "events": ["go"], "rows": []})", "t.json"), data_error,
                       Catch::Matchers::Message("[patron.bad_rule] t.json: .initial = \"\": missing"));
  CHECK_THROWS_AS(table_from_json(R"({"states": ["a"], "events": ["go"], "initial": "a",
      "rows": [{"from": "a", "event": "go", "to": "a", "guard": {"all": [{"feature": "clv"}]}}]})", "t.json"),
                  data_error);
  CHECK_THROWS_AS(load_table("/nonexistent/table.json"), data_error);
}

// ---- triggers and capping ---------------------------------------------------------------------

TEST_CASE("evaluate_triggers: every trigger on hand-built histories", "[lifecycle][reference]") {
  const date base = from_ymd(2024, 1, 1);
  transaction_log log;
  // h: a purchase of 10 every 10 days on days 0..200.
  for (int i = 0; i <= 200; i += 10) log.add("h", start_of(base + i), 10.0);
  // s: the same rhythm, 100 per day up to day 110 then 20.
  for (int i = 0; i <= 200; i += 10) log.add("s", start_of(base + i), i <= 110 ? 100.0 : 20.0);
  // b: one purchase on day 0.
  log.add("b", start_of(base), 5.0);
  const std::vector<date> dates{base + 200, base + 260, base + 290};
  trigger_inputs in;
  in.birthday_customer = {2};
  in.birthday = {from_ymd(1990, 7, 30)};
  // b: cart on day 250 10:00, no order → abandoned when the 24 h window ends on day 251.
  // h: cart on day 199 20:00, purchase on day 200 within 24 h → no trigger.
  in.cart_customer = {2, 0};
  in.cart_time = {start_of(base + 250) + 10 * 3600, start_of(base + 199) + 20 * 3600};
  const auto ev = evaluate_triggers(log, dates, {}, in);
  std::vector<std::string> got;
  for (const auto& e : ev)
    got.push_back(log.customers.name(e.customer) + " " + to_string(e.on) + " " + std::string(trigger_name(e.kind)));
  // h at day 260: recency 60 > 2 × 10 → overdue; window (170, 260] has days 180, 190, 200: rate
  //   3/90 = 0.033 ≤ 0.5 × (18 days / 170) = 0.053 → habit change. Day 290: same spells, no repeat.
  //   Day 200: rate 9/90 = 0.1 vs 12/110 = 0.109: no change.
  // s at day 200: rate as h, but mean spend in (110, 200] is 20 ≤ 0.5 × 100 → habit change;
  //   day 260: overdue (60 > 20); the habit spell continues, no second event.
  // b: birthday 07-30: the first period is (day 140, day 200] (as long as the second), without
  //   it; (day 200, day 260] holds 2024-07-30 (day 211); cart abandonment on day 251 = 2024-09-08.
  // Day 200 = 2024-07-19, day 260 = 2024-09-17.
  CHECK(got == std::vector<std::string>{
                   "h 2024-09-17 overdue_repurchase", "h 2024-09-17 habit_change",
                   "s 2024-07-19 habit_change", "s 2024-09-17 overdue_repurchase",
                   "b 2024-07-30 birthday", "b 2024-09-08 cart_abandonment"});
  CHECK(ev[2].reason == "mean spend 20 vs 100 before");
  CHECK(ev[0].reason == "no purchase for 60 days, over 2 x the usual 10 days");
  // One date on the birthday itself: the period is that one day.
  const std::vector<date> on_birthday{from_ymd(2024, 7, 30)};
  std::size_t birthdays = 0;
  for (const auto& e : evaluate_triggers(log, on_birthday, {}, in)) birthdays += e.kind == trigger_kind::birthday;
  CHECK(birthdays == 1);

  // Stage changes from a seven-stage replay over the same dates. h: prospect→development (day 0),
  // →growth (day 10), →maturity (day 30, x = 3), maturity→decline at day 260 (60 > 2 × 10).
  const state_machine m(seven_stage_table());
  const replay_result r = replay(log, dates, m);
  in.replay = &r;
  in.machine = &m;
  std::vector<trigger_event> h_stage;
  for (const auto& e : evaluate_triggers(log, dates, {}, in))
    if (e.customer == 0 && e.kind == trigger_kind::stage_change) h_stage.push_back(e);
  REQUIRE(h_stage.size() == 4);
  CHECK(h_stage[2].on == base + 30);
  CHECK(h_stage[3].reason == "maturity -> decline (overdue)");
  const std::vector<date> other{base + 200};
  CHECK_THROWS_AS(evaluate_triggers(log, other, {}, in), invalid_argument_error);
  trigger_options bad;
  bad.habit_drop = 1.5;
  CHECK_THROWS_AS(evaluate_triggers(log, dates, bad), invalid_argument_error);
}

TEST_CASE("apply_capping: priority order · window cap and minimum gap", "[lifecycle][reference]") {
  const date d0 = from_ymd(2024, 3, 1);
  // One customer: overdue day 0 (priority 1), birthday day 1 (4), stage change day 2 (2),
  // habit day 10 (3); another customer's cart on day 0 is independent.
  const std::vector<trigger_event> ev{{0, d0, trigger_kind::overdue_repurchase, ""},
                                      {0, d0 + 1, trigger_kind::birthday, ""},
                                      {0, d0 + 2, trigger_kind::stage_change, ""},
                                      {0, d0 + 10, trigger_kind::habit_change, ""},
                                      {1, d0, trigger_kind::cart_abandonment, ""}};
  capping_options o;
  o.max_per_window = 2;
  o.window_days = 7;
  o.min_gap_days = 2;
  // In priority order: overdue day 0 kept; stage change day 2 (gap 2, 2 in any 7 days) kept;
  // habit day 10 kept (windows containing day 10 start at day 4 or later: only itself);
  // birthday day 1: 1 day from day 0 < gap 2 → suppressed.
  auto r = apply_capping(ev, o);
  CHECK(r.kept.size() == 4);
  CHECK(r.suppressed[static_cast<std::size_t>(trigger_kind::birthday)] == 1);
  CHECK(r.suppressed_total() == 1);
  // One message per 7 days, no gap rule: overdue day 0 kept; stage change day 2 shares the
  // window [0, 6] → suppressed; birthday day 1 too; habit day 10 kept (window [4, 10] is empty).
  o.max_per_window = 1;
  o.min_gap_days = 0;
  r = apply_capping(ev, o);
  REQUIRE(r.kept.size() == 3);
  CHECK(r.kept[0].kind == trigger_kind::overdue_repurchase);
  CHECK(r.kept[1].kind == trigger_kind::habit_change);
  CHECK(r.kept[2].customer == 1);
  CHECK(r.suppressed[static_cast<std::size_t>(trigger_kind::stage_change)] == 1);
  CHECK(r.suppressed[static_cast<std::size_t>(trigger_kind::birthday)] == 1);
  // Birthday first in priority: it takes the slot and day 0 and day 2 are suppressed instead.
  o.priority = {0, 2, 3, 4, 1};
  r = apply_capping(ev, o);
  CHECK(r.kept[0].kind == trigger_kind::birthday);
  CHECK(r.suppressed_total() == 2);
  CHECK(apply_capping({}, o).kept.empty());
  o.window_days = 0;
  CHECK_THROWS_AS(apply_capping(ev, o), invalid_argument_error);
}

// ---- CDNOW and the command line -----------------------------------------------------------------

TEST_CASE("replay: CDNOW_master monthly funnel · 1997-01 to 1998-06", "[lifecycle][reference][slow]") {
  const read_result in = read_transactions(patron_test::data_file("CDNOW_master.txt"), {});
  const auto dates = month_ends(from_ymd(1997, 1, 1), from_ymd(1998, 6, 30));
  REQUIRE(dates.size() == 18);
  const state_machine m(seven_stage_table());
  const replay_result r = replay(in.log, dates, m);
  const std::size_t ns = m.state_count();
  auto at = [&](std::size_t d, const char* s) { return r.funnel[d * ns + m.state(s)]; };
  for (std::size_t d = 0; d < dates.size(); ++d) {
    std::uint64_t sum = 0;
    for (std::size_t s = 0; s < ns; ++s) sum += r.funnel[d * ns + s];
    // Data README: 23,570 customers, each counted once per date.
    CHECK(sum == 23570);
  }
  // README: every first purchase is between 1997-01-01 and 1997-03-25, so no prospects remain
  // at 1997-03-31 (index 2) ...
  CHECK(at(2, "prospect") == 0);
  CHECK(at(1, "prospect") > 0);
  // ... one-time buyers leave development 180 days after their purchase: by 1997-03-25 + 180 =
  // 1997-09-21, so none remain at 1997-09-30 (index 8);
  CHECK(at(8, "development") == 0);
  // termination needs > 365 days without a purchase: the earliest is 1998-01-02 (after a
  // purchase on 1997-01-01), so none at 1997-12-31 (index 11), some at 1998-01-31;
  CHECK(at(11, "termination") == 0);
  CHECK(at(12, "termination") > 0);
  // and recovery needs a purchase after termination: none before 1998-01-31.
  CHECK(at(11, "recovery") == 0);
  // 17 steps × 23,570 customers in the migration counts; no event is unhandled.
  std::uint64_t pairs = 0;
  for (auto n : r.migration) pairs += n;
  CHECK(pairs == 17u * 23570u);
  CHECK(r.unhandled == 0);
  // The estimated chain is stochastic and gives a finite value for a positive discount rate.
  const auto est = estimate_transition_matrix(r.migration, ns);
  CHECK(est.P.rowwise().sum().isOnes(1e-12));
}

#ifdef PATRON_TEST_CLI
namespace {
int run(const std::string& args) {
  const std::string cmd = std::string(PATRON_TEST_CLI) + " " + args;
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("patron lifecycle / triggers: CSV out · funnel · exit codes", "[lifecycle][unit]") {
  const std::string dir = PATRON_TEST_BINARY_DIR;
  {
    std::ofstream f(dir + "/lc_in.csv");
    // a: 2024-01-01 and 2024-01-11 → development then growth; b: 2024-02-10 → development.
    f << "customer,date,amount\na,2024-01-01,10\na,2024-01-11,5\nb,2024-02-10,7\n";
  }
  REQUIRE(run("lifecycle -i " + dir + "/lc_in.csv --every month --from 2024-01-01 --to 2024-02-29 -o " + dir +
              "/lc_out.csv > " + dir + "/lc_report.txt 2> /dev/null") == 0);
  // Month ends 2024-01-31 and 2024-02-29. a at 01-31: growth (recency 20 ≤ 2 × 10); at 02-29:
  // recency 49 > 20 → decline. b: prospect, then development.
  CHECK(slurp(dir + "/lc_out.csv") ==
        "customer_id,date,stage,previous_stage,rule\n"
        "a,2024-01-31,growth,prospect,repeat_purchase\n"
        "a,2024-02-29,decline,growth,overdue\n"
        "b,2024-01-31,prospect,prospect,\n"
        "b,2024-02-29,development,prospect,first_purchase\n");
  const std::string report = slurp(dir + "/lc_report.txt");
  CHECK(report.find("2024-02-29,0,1,0,0,1,0,0") != std::string::npos);
  CHECK(report.find("growth,0,0,0,0,1,0,0") != std::string::npos);
  CHECK(run("lifecycle -i " + dir + "/lc_in.csv --at 2024-13-01 2> /dev/null") == 2);
  CHECK(run("lifecycle -i " + dir + "/missing.csv 2> /dev/null") == 3);
  {
    std::ofstream f(dir + "/lc_bad_table.csv");
    f << "from,event,to,guard\na,purchase,b,age > 3\n";
  }
  CHECK(run("lifecycle -i " + dir + "/lc_in.csv --table " + dir + "/lc_bad_table.csv 2> /dev/null") == 3);
  {
    // Parses, but tests P(alive) without --model: a validation error, also exit 3.
    std::ofstream f(dir + "/lc_pa_table.csv");
    f << "from,event,to,guard\na,purchase,b,p_alive < 0.5\n";
  }
  CHECK(run("lifecycle -i " + dir + "/lc_in.csv --table " + dir + "/lc_pa_table.csv 2> /dev/null") == 3);
  {
    std::ofstream f(dir + "/lc_bd.csv");
    f << "customer_id,birthday\nb,1990-02-20\n";
  }
  // b's birthday 02-20 falls in (01-31, 02-29]; a's overdue at 02-29 (49 > 2 × 10) and its
  // stage change at 02-29; at most 1 message per 7 days: a's overdue (priority 1) takes 02-29 and
  // suppresses its stage change that day; b's birthday is 10 days after its first purchase.
  REQUIRE(run("triggers -i " + dir + "/lc_in.csv --from 2024-01-01 --to 2024-02-29 --birthdays " + dir +
              "/lc_bd.csv --max-per-window 1 --window-days 7 -o " + dir + "/lc_trig.csv > /dev/null 2>&1") == 0);
  const std::string trig = slurp(dir + "/lc_trig.csv");
  CHECK(trig.find("b,2024-02-20,birthday,\"birthday 02-20\"") != std::string::npos);
  CHECK(trig.find("a,2024-02-29,overdue_repurchase") != std::string::npos);
  CHECK(trig.find("a,2024-02-29,stage_change") == std::string::npos);
}

TEST_CASE("patron lifecycle --model: P(alive) from a `patron fit` model file · in the model's unit",
          "[lifecycle][unit]") {
  const std::string dir = PATRON_TEST_BINARY_DIR;
  {
    std::ofstream f(dir + "/lc_model_in.csv");
    f << "customer,date,amount\na,2024-01-01,10\na,2024-01-11,5\nb,2024-02-10,7\n";
  }
  {
    std::ofstream f(dir + "/lc_pa.csv");
    f << "from,event,to,guard,name\nlow,review,high,p_alive >= 0.15,alive\nhigh,review,low,p_alive < 0.15,faded\n";
  }
  save_model(dir + "/lc_bgnbd.json", bgnbd(bgnbd_params{1, 1, 1, 1}, time_unit::week()));
  REQUIRE(run("lifecycle -i " + dir + "/lc_model_in.csv --from 2024-01-01 --to 2024-02-29 --table " + dir +
              "/lc_pa.csv --model " + dir + "/lc_bgnbd.json -o " + dir + "/lc_model_out.csv > /dev/null 2>&1") == 0);
  // BG/NBD P(alive) = 1 / (1 + a/(b + x − 1) ((α + T)/(α + t_x))^(r + x)) (Fader, Hardie & Lee
  // 2005, eq. 13), r = α = a = b = 1, in weeks. a (x = 1, t_x = 10/7): at 01-31, T = 30/7:
  // ((7 + 30)/(7 + 10))² = 4.737 → 0.174 ≥ 0.15 → high (in days it would be 0.112: the unit
  // matters); at 02-29, T = 59/7: (66/17)² = 15.07 → 0.062 → low. b: no purchase at 01-31 (NaN:
  // no row fires), x = 0 at 02-29 → P(alive) 1 → high.
  CHECK(slurp(dir + "/lc_model_out.csv") ==
        "customer_id,date,stage,previous_stage,rule\n"
        "a,2024-01-31,high,low,alive\n"
        "a,2024-02-29,low,high,faded\n"
        "b,2024-01-31,low,low,\n"
        "b,2024-02-29,high,low,alive\n");
  // The seven-stage table with its P(alive) guards runs with the same file.
  CHECK(run("lifecycle -i " + dir + "/lc_model_in.csv --model " + dir + "/lc_bgnbd.json > /dev/null 2>&1") == 0);
  CHECK(run("lifecycle -i " + dir + "/lc_model_in.csv --model " + dir + "/missing.json > /dev/null 2>&1") == 3);
}
#endif

// ---- properties and edge cases ------------------------------------------------------------------

TEST_CASE("classify over a batch agrees with fire() customer by customer", "[lifecycle][property]") {
  seven_stage_options o;
  o.use_p_alive = true;
  const state_machine m(seven_stage_table(o));
  const std::size_t n = 200;
  std::vector<state_id> from(n), to(n);
  std::vector<std::int32_t> row(n);
  std::vector<double> rec(n), freq(n), ipt(n), pa(n);
  auto seed = GENERATE(take(5, random(0, 1'000'000)));
  INFO("seed " << seed);
  std::minstd_rand rng(static_cast<unsigned>(seed));
  auto u = [&](double a, double b) { return a + (b - a) * static_cast<double>(rng()) / 2147483646.0; };
  for (std::size_t i = 0; i < n; ++i) {
    from[i] = static_cast<state_id>(rng() % m.state_count());
    rec[i] = u(0, 500);
    freq[i] = std::floor(u(0, 6));
    ipt[i] = freq[i] > 0 ? u(1, 100) : std::numeric_limits<double>::quiet_NaN();
    pa[i] = u(0, 1);
  }
  for (const event_id e : {m.event("purchase"), m.event("review")}) {
    feature_columns cols(n);
    cols.set(feature::recency_days, rec);
    cols.set(feature::frequency, freq);
    cols.set(feature::mean_interpurchase_days, ipt);
    cols.set(feature::p_alive, pa);
    m.classify(from, e, cols, to, row);
    for (std::size_t i = 0; i < n; ++i) {
      feature_row f;
      f[feature::recency_days] = rec[i];
      f[feature::frequency] = freq[i];
      f[feature::mean_interpurchase_days] = ipt[i];
      f[feature::p_alive] = pa[i];
      const step_result s = m.fire(from[i], e, f);
      CHECK(s.to == to[i]);
      CHECK(s.row == row[i]);
      // The built-in table handles every (stage, event): nothing is unhandled.
      CHECK(row[i] != step_result::unhandled);
    }
  }
}

TEST_CASE("replay and triggers: empty log · no dates · one customer", "[lifecycle][unit]") {
  const state_machine m(seven_stage_table());
  const transaction_log empty;
  const std::vector<date> dates{from_ymd(2024, 1, 31)};
  const replay_result r = replay(empty, dates, m);
  CHECK(r.customers == 0);
  CHECK(r.transitions.empty());
  CHECK(evaluate_triggers(empty, dates).empty());
  transaction_log one;
  one.add("x", day(2024, 1, 5), 3.0);
  const replay_result none = replay(one, {}, m);
  CHECK(none.stage.empty());
  // One customer, one date: 2024-01-05 purchase → development at 01-31 (recency 26 ≤ 180).
  const replay_result single = replay(one, dates, m);
  CHECK(m.state_name(single.stage_at(0, 0)) == "development");
  CHECK(single.funnel[m.state("development")] == 1);
}

TEST_CASE("replay: a review-only table classifies on features alone", "[lifecycle][unit]") {
  // Two stages by total spend at each date, no purchase event.
  const transition_table t = table_from_csv(
      "from,event,to,guard\n"
      "low,review,high,total_spend >= 100\n"
      "high,review,low,total_spend < 100\n");
  const state_machine m(t);
  transaction_log log;
  log.add("a", day(2024, 1, 5), 60.0);
  log.add("a", day(2024, 2, 5), 60.0);
  const std::vector<date> dates{from_ymd(2024, 1, 31), from_ymd(2024, 2, 29)};
  const replay_result r = replay(log, dates, m);
  // 01-31: spend 60 < 100 → low (no row fires for low: unhandled, counted); 02-29: 120 → high.
  CHECK(m.state_name(r.stage_at(0, 0)) == "low");
  CHECK(m.state_name(r.stage_at(1, 0)) == "high");
  CHECK(r.unhandled == 1);
  transition_table other = t;
  other.events = {"tick"};
  for (auto& row : other.rows) row.event = "tick";
  CHECK_THROWS_AS(replay(log, dates, state_machine(other)), invalid_argument_error);
}
