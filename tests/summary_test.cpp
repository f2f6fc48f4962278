// SPDX-License-Identifier: MIT
// summarize(): hand-worked logs whose summaries are computed on paper in each test's comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "patron/data/summary.hpp"
#include "patron/error.hpp"

using namespace patron;

namespace {
timestamp day(int y, int m, int d, int hour = 0) {
  return start_of(from_ymd(y, m, d)) + hour * 3600;
}
}  // namespace

TEST_CASE("summarize: same-day purchases merge and repeat days count once", "[summary][unit]") {
  transaction_log log;
  // Customer a: first purchase 2024-01-01 (10), same day again (5) → first day total 15;
  // repeats on 01-08 (20) and 01-15 (3 + 7 = 10, two rows on one day) → x = 2,
  // t_x = 14 days = 2 weeks, monetary = (20 + 10) / 2 = 15, total = 45, orders = 5 rows.
  log.add("a", day(2024, 1, 1, 9), 10.0);
  log.add("a", day(2024, 1, 1, 17), 5.0);
  log.add("a", day(2024, 1, 8), 20.0);
  log.add("a", day(2024, 1, 15, 8), 3.0);
  log.add("a", day(2024, 1, 15, 20), 7.0);
  // Customer b: one purchase on 2024-01-22 → x = 0, t_x = 0, T = (29 - 22) / 7 = 1 week.
  log.add("b", day(2024, 1, 22), 4.0);
  summary_options o;
  o.unit = time_unit::week();
  o.observation_end = from_ymd(2024, 1, 29);
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 2);
  CHECK(s.id[0] == "a");
  CHECK(s.x[0] == 2.0);
  CHECK(s.t_x[0] == Approx(2.0));
  CHECK(s.T[0] == Approx(4.0));
  CHECK(s.monetary[0] == Approx(15.0));
  CHECK(s.total[0] == Approx(45.0));
  CHECK(s.orders[0] == 5.0);
  CHECK(s.first[0] == from_ymd(2024, 1, 1));
  CHECK(s.last[0] == from_ymd(2024, 1, 15));
  CHECK(s.x[1] == 0.0);
  CHECK(s.t_x[1] == 0.0);
  CHECK(s.T[1] == Approx(1.0));
  CHECK(s.monetary[1] == 0.0);
}

TEST_CASE("summarize: rows after the observation end never leak in", "[summary][unit]") {
  transaction_log log;
  log.add("a", day(2024, 1, 1), 10.0);
  log.add("a", day(2024, 3, 1), 99.0);  // after the end: ignored and counted
  summary_options o;
  o.unit = time_unit::day();
  o.observation_end = from_ymd(2024, 1, 31);
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 1);
  CHECK(s.x[0] == 0.0);
  CHECK(s.total[0] == 10.0);
  CHECK(s.T[0] == 30.0);
  CHECK(s.rows_after_observation_end == 1);
}

TEST_CASE("summarize: calibration end splits calibration and holdout", "[summary][unit]") {
  transaction_log log;
  // a: 01-01 (10), 01-05 (20) in calibration; 01-12 (30), 01-13 (40) in the holdout.
  log.add("a", day(2024, 1, 1), 10.0);
  log.add("a", day(2024, 1, 5), 20.0);
  log.add("a", day(2024, 1, 12), 30.0);
  log.add("a", day(2024, 1, 13), 40.0);
  // c: first purchase after the calibration end → not in the calibration table.
  log.add("c", day(2024, 1, 12), 1.0);
  summary_options o;
  o.unit = time_unit::day();
  o.calibration_end = from_ymd(2024, 1, 10);
  o.observation_end = from_ymd(2024, 1, 20);
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 1);
  REQUIRE(s.has_holdout());
  CHECK(s.x[0] == 1.0);
  CHECK(s.t_x[0] == 4.0);
  CHECK(s.T[0] == 9.0);
  CHECK(s.monetary[0] == 20.0);
  CHECK(s.x_holdout[0] == 2.0);
  CHECK(s.monetary_holdout[0] == 35.0);
  CHECK(s.holdout_length == 10.0);
  CHECK(s.customers_after_calibration == 1);
}

TEST_CASE("summarize: bad options and empty logs are errors", "[summary][error]") {
  transaction_log empty;
  CHECK_THROWS_MATCHES(summarize(empty, {}), data_error,
                       Catch::Matchers::Predicate<data_error>(
                           [](const data_error& e) { return e.code() == errc::empty_input; }));
  transaction_log log;
  log.add("a", day(2024, 1, 1), 1.0);
  summary_options o;
  o.unit.days = -7.0;
  CHECK_THROWS_AS(summarize(log, o), invalid_argument_error);
  o.unit.days = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(summarize(log, o), invalid_argument_error);
  o = {};
  o.calibration_end = from_ymd(2024, 2, 1);
  o.observation_end = from_ymd(2024, 1, 1);
  CHECK_THROWS_WITH(summarize(log, o), Catch::Contains("[patron.invalid_argument] summarize: calibration_end"));
}

TEST_CASE("summarize: one customer with one purchase", "[summary][unit]") {
  // A single row: no repeat (x = 0, t_x = 0, monetary = 0), T from that day to the end (the
  // log's last day by default, i.e. 0), total = the amount, one order.
  transaction_log log;
  log.add("solo", day(2024, 5, 17, 13), 12.5);
  summary_options o;
  o.unit = time_unit::day();
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 1);
  CHECK(s.id[0] == "solo");
  CHECK(s.x[0] == 0.0);
  CHECK(s.t_x[0] == 0.0);
  CHECK(s.T[0] == 0.0);
  CHECK(s.monetary[0] == 0.0);
  CHECK(s.total[0] == 12.5);
  CHECK(s.orders[0] == 1.0);
  CHECK(s.first[0] == from_ymd(2024, 5, 17));
  CHECK(s.last[0] == from_ymd(2024, 5, 17));
  CHECK(s.observation_end == from_ymd(2024, 5, 17));
}

TEST_CASE("summarize: NaN and infinite amounts are data errors naming the row", "[summary][error]") {
  // The reader rejects such fields; a log built in code may still hold them, and summarize()
  // refuses them (1-based row of the log) instead of returning NaN totals.
  const double bad = GENERATE(std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity());
  transaction_log log;
  log.add("a", day(2024, 1, 1), 1.0);
  log.add("a", day(2024, 1, 2), bad);
  const std::string shown = std::isnan(bad) ? "nan" : bad > 0 ? "inf" : "-inf";
  CHECK_THROWS_MATCHES(summarize(log, {}), data_error,
                       Catch::Matchers::Message("[patron.bad_number] summarize:2: amount = \"" + shown +
                                                "\": not a finite number"));
  // Even a row after the observation end is checked: the whole log is validated.
  summary_options o;
  o.observation_end = from_ymd(2024, 1, 1);
  CHECK_THROWS_AS(summarize(log, o), data_error);
}

TEST_CASE("summarize: huge amounts and a 300-year span stay exact", "[summary][unit]") {
  // ±1e15 is the reader's limit; 1e15 multiples up to 2^53 ≈ 9.007e15 are exact doubles, so
  // total = 3e15 and monetary = (1e15 + 1e15) / 2 = 1e15 exactly. 1900-01-01 → 2200-01-01 is
  // 300 · 365 days + 73 leap days (1904..2196 by fours = 74, minus 2100) = 109,573 days.
  transaction_log log;
  log.add("big", start_of(from_ymd(1900, 1, 1)), 1e15);
  log.add("big", start_of(from_ymd(2000, 1, 1)), 1e15);
  log.add("big", start_of(from_ymd(2200, 1, 1)), 1e15);
  summary_options o;
  o.unit = time_unit::day();
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 1);
  CHECK(s.total[0] == 3e15);
  CHECK(s.monetary[0] == 1e15);
  CHECK(s.x[0] == 2.0);
  CHECK(s.T[0] == 109573.0);
  CHECK(s.t_x[0] == 109573.0);
}

TEST_CASE("summarize: merge_by_unit counts model periods from the first purchase", "[summary][unit]") {
  // Weeks from the first purchase (Mon 2024-01-01): 01-03 is week 0 (not a repeat), 01-09 and
  // 01-12 are week 1 (one repeat), 01-22 is week 3. x = 2, t_x = 3 (week index of the last
  // repeat), T = floor(29 days / 7) = 4, monetary = (20 + 4 + 6) / 2 = 15, total = 45.
  transaction_log log;
  log.add("a", day(2024, 1, 1), 10.0);
  log.add("a", day(2024, 1, 3), 5.0);
  log.add("a", day(2024, 1, 9), 20.0);
  log.add("a", day(2024, 1, 12), 4.0);
  log.add("a", day(2024, 1, 22), 6.0);
  summary_options o;
  o.unit = time_unit::week();
  o.merge_by_unit = true;
  o.observation_end = from_ymd(2024, 1, 30);
  const customer_summary s = summarize(log, o);
  REQUIRE(s.size() == 1);
  CHECK(s.x[0] == 2.0);
  CHECK(s.t_x[0] == 3.0);
  CHECK(s.T[0] == 4.0);
  CHECK(s.monetary[0] == 15.0);
  CHECK(s.total[0] == 45.0);
  // Without merging, every distinct later day is a repeat: 01-03, 01-09, 01-12, 01-22 → x = 4,
  // t_x = 21 / 7 = 3 weeks, T = 29 / 7 weeks, monetary = (5 + 20 + 4 + 6) / 4 = 8.75.
  o.merge_by_unit = false;
  const customer_summary d = summarize(log, o);
  CHECK(d.x[0] == 4.0);
  CHECK(d.t_x[0] == 3.0);
  CHECK(d.T[0] == Approx(29.0 / 7.0).epsilon(1e-15));
  CHECK(d.monetary[0] == 8.75);
}

TEST_CASE("summarize: month and custom units scale t_x and T", "[summary][unit]") {
  // First 2024-01-01, repeat 2024-03-01 (60 days: 31 + 29, leap year), end 2024-12-31 (365
  // days). A month is 365.25 / 12 = 30.4375 days; a custom unit of 14 days divides by 14.
  transaction_log log;
  log.add("a", day(2024, 1, 1), 1.0);
  log.add("a", day(2024, 3, 1), 1.0);
  summary_options o;
  o.observation_end = from_ymd(2024, 12, 31);
  SECTION("month") {
    o.unit = time_unit::parse("month");
    CHECK(o.unit == time_unit::month());
    const customer_summary s = summarize(log, o);
    CHECK(s.t_x[0] == Approx(60.0 / 30.4375).epsilon(1e-15));
    CHECK(s.T[0] == Approx(365.0 / 30.4375).epsilon(1e-15));
  }
  SECTION("14 days") {
    o.unit = time_unit::parse("14");
    CHECK(o.unit.days == 14.0);
    const customer_summary s = summarize(log, o);
    CHECK(s.t_x[0] == Approx(60.0 / 14.0).epsilon(1e-15));
    CHECK(s.T[0] == Approx(365.0 / 14.0).epsilon(1e-15));
  }
}

TEST_CASE("summarize: orders count distinct invoices per customer", "[summary][unit]") {
  // a: invoice i1 has two lines, i2 one → 2 orders over 3 rows. b reuses the number i1: invoice
  // numbers count per customer, so b has 1 order.
  transaction_log log;
  log.add("a", day(2024, 2, 1), 3.0, "apple", 1, "i1");
  log.add("a", day(2024, 2, 1), 4.0, "pear", 2, "i1");
  log.add("b", day(2024, 2, 2), 5.0, "apple", 1, "i1");
  log.add("a", day(2024, 2, 8), 6.0, "plum", 1, "i2");
  const customer_summary s = summarize(log, {});
  REQUIRE(s.size() == 2);
  CHECK(s.orders[0] == 2.0);
  CHECK(s.orders[1] == 1.0);
  CHECK(s.total[0] == 13.0);
  CHECK(s.x[0] == 1.0);
}
