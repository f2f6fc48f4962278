// SPDX-License-Identifier: MIT
// summary_accumulator: hand-worked profiles, errors, and equality with summarize() over random
// logs fed in random batches, one row at a time and out of time order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <string>

#include "patron/data/accumulator.hpp"
#include "patron/data/summary.hpp"
#include "patron/detail/random.hpp"
#include "patron/error.hpp"

using namespace patron;

namespace {

timestamp day(int y, int m, int d, int hour = 0) { return start_of(from_ymd(y, m, d)) + hour * 3600; }

// snprintf, not "k" + std::to_string(n): GCC 12's false -Wrestrict (gcc.gnu.org/PR105329).
std::string name(const char* prefix, std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu", prefix, static_cast<unsigned long long>(n));
  return buf;
}

bool close(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

/// Field-by-field equality; money within 1e-12 relative (the accumulator adds per day first,
/// summarize() row by row, so the last bits may differ).
void require_same(const customer_summary& got, const customer_summary& want) {
  REQUIRE(got.size() == want.size());
  CHECK(got.id == want.id);
  CHECK(got.x == want.x);
  CHECK(got.t_x == want.t_x);
  CHECK(got.T == want.T);
  CHECK(got.orders == want.orders);
  CHECK(got.first == want.first);
  CHECK(got.last == want.last);
  CHECK(got.x_holdout == want.x_holdout);
  CHECK(got.unit == want.unit);
  CHECK(got.observation_end == want.observation_end);
  CHECK(got.calibration_end == want.calibration_end);
  CHECK(got.holdout_length == want.holdout_length);
  CHECK(got.rows_after_observation_end == want.rows_after_observation_end);
  CHECK(got.customers_after_calibration == want.customers_after_calibration);
  REQUIRE(got.monetary_holdout.size() == want.monetary_holdout.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("customer " << got.id[i]);
    CHECK(close(got.monetary[i], want.monetary[i]));
    CHECK(close(got.total[i], want.total[i]));
    if (!want.monetary_holdout.empty()) CHECK(close(got.monetary_holdout[i], want.monetary_holdout[i]));
  }
}

}  // namespace

TEST_CASE("accumulator: late rows · same-day merging and advance_to · worked by hand", "[accumulator][unit]") {
  summary_accumulator acc(time_unit::week());
  // Customer a's 2024-01-08 purchase arrives before its 2024-01-01 ones (out of order).
  acc.add("a", day(2024, 1, 8), 20.0);
  acc.add("a", day(2024, 1, 1, 9), 10.0);
  acc.add("a", day(2024, 1, 1, 17), 5.0);
  acc.add("a", day(2024, 1, 15, 8), 3.0);
  acc.add("a", day(2024, 1, 15, 20), 7.0);
  acc.add("b", day(2024, 1, 22), 4.0);
  // Days of a: 01-01 (10 + 5), 01-08 (20), 01-15 (3 + 7) → x = 2, t_x = 14 d = 2 weeks,
  // monetary = (20 + 10) / 2 = 15, total = 45, orders = 5 rows. The observation end is the
  // last day added, 01-22: T(a) = 21 d = 3 weeks, T(b) = 0.
  const customer_summary& p = acc.profiles();
  REQUIRE(p.size() == 2);
  CHECK(acc.observation_end() == from_ymd(2024, 1, 22));
  CHECK(p.id[0] == "a");
  CHECK(p.x[0] == 2.0);
  CHECK(p.t_x[0] == 2.0);
  CHECK(p.T[0] == 3.0);
  CHECK(p.monetary[0] == 15.0);
  CHECK(p.total[0] == 45.0);
  CHECK(p.orders[0] == 5.0);
  CHECK(p.first[0] == from_ymd(2024, 1, 1));
  CHECK(p.last[0] == from_ymd(2024, 1, 15));
  CHECK(p.x[1] == 0.0);
  CHECK(p.T[1] == 0.0);
  // One more week: T(a) = 28 d = 4, T(b) = 7 d = 1; nothing else moves.
  acc.advance_to(from_ymd(2024, 1, 29));
  CHECK(p.T[0] == 4.0);
  CHECK(p.T[1] == 1.0);
  CHECK(p.x[0] == 2.0);
  CHECK(p.observation_end == from_ymd(2024, 1, 29));
  // An older row for b moves its first day back to 01-15: x = 1, t_x = 1 week, T = 2 weeks,
  // monetary = 4 (the 01-22 day is now the repeat).
  acc.add("b", day(2024, 1, 15), 6.0);
  CHECK(p.x[1] == 1.0);
  CHECK(p.t_x[1] == 1.0);
  CHECK(p.T[1] == 2.0);
  CHECK(p.monetary[1] == 4.0);
  CHECK(p.total[1] == 10.0);
  CHECK(acc.rows() == 7);
  // summary() with the profiles' own options is the same table.
  summary_options o;
  o.unit = time_unit::week();
  const customer_summary s = acc.summary(o);
  CHECK(s.T == p.T);
  CHECK(s.x == p.x);
  CHECK(s.observation_end == from_ymd(2024, 1, 29));
}

TEST_CASE("accumulator: invoices count orders · calibration end splits them", "[accumulator][unit]") {
  summary_accumulator acc(time_unit::day());
  transaction_log batch;
  // a: invoice i1 has two rows on 03-01, i2 one row on 03-05 and one on 03-12 (a late line of
  // the same invoice), i3 on 03-12. Orders: 3 distinct invoices over the whole period; with
  // calibration end 03-06 the calibration period holds i1 and i2 → 2 orders, and
  // x = 1 (03-05), x_holdout = 1 (03-12, 2 + 8 = 10).
  batch.add("a", day(2024, 3, 1), 1.0, "p", 1, "i1");
  batch.add("a", day(2024, 3, 1), 2.0, "q", 1, "i1");
  batch.add("a", day(2024, 3, 5), 4.0, "p", 1, "i2");
  acc.add(batch);
  acc.add("a", day(2024, 3, 12), 2.0, "i2");
  acc.add("a", day(2024, 3, 12), 8.0, "i3");
  CHECK(acc.profiles().orders[0] == 3.0);
  summary_options o;
  o.unit = time_unit::day();
  o.calibration_end = from_ymd(2024, 3, 6);
  const customer_summary s = acc.summary(o);
  REQUIRE(s.size() == 1);
  CHECK(s.orders[0] == 2.0);
  CHECK(s.x[0] == 1.0);
  CHECK(s.t_x[0] == 4.0);
  CHECK(s.T[0] == 5.0);
  CHECK(s.total[0] == 7.0);
  CHECK(s.x_holdout[0] == 1.0);
  CHECK(s.monetary_holdout[0] == 10.0);
  CHECK(s.holdout_length == 6.0);
}

TEST_CASE("accumulator: an observation end before the last purchase excludes and counts rows",
          "[accumulator][unit]") {
  // Reversed dates: summary() with observation_end before some purchases behaves as summarize():
  // later rows are left out and counted, and a customer with only later rows disappears.
  summary_accumulator acc(time_unit::day());
  acc.add("a", day(2024, 1, 1), 10.0);
  acc.add("a", day(2024, 1, 20), 5.0);
  acc.add("b", day(2024, 1, 25), 5.0);
  summary_options o;
  o.unit = time_unit::day();
  o.observation_end = from_ymd(2024, 1, 10);
  const customer_summary s = acc.summary(o);
  REQUIRE(s.size() == 1);
  CHECK(s.x[0] == 0.0);
  CHECK(s.T[0] == 9.0);
  CHECK(s.total[0] == 10.0);
  CHECK(s.rows_after_observation_end == 2);
  CHECK(s.customers_after_calibration == 0);
}

TEST_CASE("accumulator: bad amounts · backwards observation ends and empty state are errors",
          "[accumulator][error]") {
  summary_accumulator acc(time_unit::week());
  CHECK_THROWS_MATCHES(acc.summary({}), data_error,
                       Catch::Matchers::Predicate<data_error>(
                           [](const data_error& e) { return e.code() == errc::empty_input; }));
  CHECK_THROWS_MATCHES(acc.add("a", day(2024, 1, 1), std::numeric_limits<double>::quiet_NaN()), data_error,
                       Catch::Matchers::Message(
                           "[patron.bad_number] summary_accumulator::add: amount = \"nan\": not a finite number"));
  CHECK(acc.size() == 0);  // nothing was added
  CHECK(acc.rows() == 0);

  acc.add("a", day(2024, 1, 10), 1.0);
  transaction_log batch;
  batch.add("b", day(2024, 1, 11), 1.0);
  batch.add("c", day(2024, 1, 12), -std::numeric_limits<double>::infinity());
  CHECK_THROWS_MATCHES(acc.add(batch), data_error,
                       Catch::Matchers::Message(
                           "[patron.bad_number] summary_accumulator::add:2: amount = \"-inf\": not a finite number"));
  CHECK(acc.size() == 1);  // the whole batch was refused
  CHECK(acc.rows() == 1);
  CHECK(acc.observation_end() == from_ymd(2024, 1, 10));

  // The observation end never moves back, and never before the last purchase day.
  CHECK_THROWS_MATCHES(acc.advance_to(from_ymd(2024, 1, 9)), invalid_argument_error,
                       Catch::Matchers::Message(
                           "[patron.invalid_argument] summary_accumulator::advance_to: observation_end = "
                           "2024-01-09: before the current observation end 2024-01-10 (it only moves "
                           "forward and is never before the last purchase)"));
  CHECK(acc.observation_end() == from_ymd(2024, 1, 10));
  acc.advance_to(from_ymd(2024, 1, 10));  // equal is fine
  CHECK(acc.profiles().T[0] == 0.0);

  CHECK_THROWS_WITH(acc.add("a", day(2024, 1, 11), 1.0, "i9"),
                    Catch::Contains("earlier rows had no invoice; use one form for every row"));
  summary_options o;
  o.calibration_end = from_ymd(2024, 2, 1);
  CHECK_THROWS_WITH(acc.summary(o), Catch::Contains("summary_accumulator::summary: calibration_end = 2024-02-01"));
  o = {};
  o.unit.days = 0;
  CHECK_THROWS_AS(acc.summary(o), invalid_argument_error);
  CHECK_THROWS_WITH(summary_accumulator(time_unit{-1.0}), Catch::Contains("unit_days = -1"));
}

TEST_CASE("accumulator: batches · single rows and late rows give summarize()'s table",
          "[accumulator][property]") {
  const auto seed = GENERATE(take(60, random(1u, 1'000'000u)));
  INFO("seed " << seed);
  detail::xoshiro256ss g(seed);
  const auto pick = [&](std::uint64_t n) { return detail::uniform_index(g, n); };
  const bool invoices = pick(2) == 1;
  // A random log: up to 40 customers, up to 400 rows on 120 days in random time order.
  const std::size_t customers = 1 + pick(40), rows = 1 + pick(400);
  const date d0 = from_ymd(2023, 11, 1);
  transaction_log log;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string id = name("k", pick(customers));
    const timestamp t = start_of(d0 + static_cast<std::int32_t>(pick(120))) +
                        static_cast<timestamp>(pick(86400));
    const double amount = pick(4) == 0 ? static_cast<double>(pick(50)) : 1000.0 * detail::uniform01(g);
    if (invoices)
      log.add(id, t, amount, "item", 1.0, name("inv", pick(rows / 2 + 1)));
    else
      log.add(id, t, amount);
  }
  INFO("customers " << customers << " rows " << rows << " invoices " << invoices);

  // Random options; a calibration end needs an observation end at or after it.
  summary_options o;
  const time_unit units[] = {time_unit::day(), time_unit::week(), time_unit::month(), time_unit{3.5}};
  o.unit = units[pick(4)];
  o.merge_by_unit = pick(3) == 0;
  const date last = day_of(*std::max_element(log.time.begin(), log.time.end()));
  if (pick(2) == 1) o.observation_end = d0 + static_cast<std::int32_t>(pick(130));
  const date obs = o.observation_end.value_or(last);
  if (pick(2) == 1) o.calibration_end = obs + -static_cast<std::int32_t>(pick(60));
  INFO("unit " << o.unit.days << " merge " << o.merge_by_unit << " obs " << to_string(obs)
               << " cal " << (o.calibration_end ? to_string(*o.calibration_end) : "-"));
  const customer_summary want = summarize(log, o);

  // Feed: random batches with single rows in between, row order kept.
  summary_accumulator acc(o.unit);
  for (std::size_t i = 0; i < rows;) {
    if (pick(3) == 0) {  // one row
      const auto& name = log.customers.name(log.customer[i]);
      if (invoices)
        acc.add(name, log.time[i], log.amount[i], log.invoices.name(log.invoice[i]));
      else
        acc.add(name, log.time[i], log.amount[i]);
      ++i;
      continue;
    }
    const std::size_t len = std::min(rows - i, 1 + pick(60));
    transaction_log batch;
    for (std::size_t j = i; j < i + len; ++j) {
      const auto& name = log.customers.name(log.customer[j]);
      if (invoices)
        batch.add(name, log.time[j], log.amount[j], "item", 1.0, log.invoices.name(log.invoice[j]));
      else
        batch.add(name, log.time[j], log.amount[j]);
    }
    acc.add(batch);
    i += len;
  }
  REQUIRE(acc.rows() == rows);
  CHECK(acc.observation_end() == last);
  require_same(acc.summary(o), want);

  // The live profiles are summarize() with the accumulator's unit and default options.
  summary_options live;
  live.unit = o.unit;
  require_same(acc.profiles(), summarize(log, live));

  // Advancing the observation end rewrites T only; summarize() with that end agrees.
  const date later = last + static_cast<std::int32_t>(1 + pick(30));
  acc.advance_to(later);
  live.observation_end = later;
  require_same(acc.profiles(), summarize(log, live));
}

TEST_CASE("accumulator: returns (negative amounts) and huge values are kept as summarize() keeps them",
          "[accumulator][unit]") {
  // a: +50 on 2024-01-01, a return of −20 on 01-05 (a purchase day like any other, as in
  // summarize()), +1e15 on 01-09: x = 2, monetary = (−20 + 1e15) / 2 = 499999999999990 (exact in
  // binary: below 2^53), total = 1e15 + 30. b: one purchase of −5 (a pure return).
  summary_accumulator acc(time_unit::day());
  transaction_log log;
  log.add("a", day(2024, 1, 1), 50.0);
  log.add("b", day(2024, 1, 3), -5.0);
  log.add("a", day(2024, 1, 9), 1e15);
  log.add("a", day(2024, 1, 5), -20.0);
  acc.add(log);
  const customer_summary& p = acc.profiles();
  CHECK(p.x[0] == 2.0);
  CHECK(p.monetary[0] == 499999999999990.0);
  CHECK(p.total[0] == 1e15 + 30.0);
  CHECK(p.t_x[0] == 8.0);
  CHECK(p.total[1] == -5.0);
  CHECK(p.x[1] == 0.0);
  summary_options o;
  o.unit = time_unit::day();
  require_same(acc.summary(o), summarize(log, o));
}
