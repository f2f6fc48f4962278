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
