// SPDX-License-Identifier: MIT
// Summary CSV round trip and the reader's errors on hand-written tables.
#include <catch2/catch.hpp>

#include <sstream>

#include "patron/data/summary_io.hpp"
#include "patron/error.hpp"
#include "test_support.hpp"

using namespace patron;

namespace {
bool has_code(const error& e, errc c) { return e.code() == c; }
}  // namespace

TEST_CASE("summary csv: write then read gives the same columns", "[summary_io][unit]") {
  customer_summary s;
  s.id = {"a", "b,c"};
  s.x = {2, 0};
  s.t_x = {2.0, 0};
  s.T = {4.0, 1.0};
  s.monetary = {15.0 + 1e-13, 0};
  s.total = {45, 4};
  s.orders = {5, 1};
  s.first = {from_ymd(2024, 1, 1), from_ymd(2024, 1, 22)};
  s.last = {from_ymd(2024, 1, 15), from_ymd(2024, 1, 22)};
  std::ostringstream out;
  write_summary_csv(out, s);
  CHECK(out.str().rfind("customer_id,x,t_x,T,monetary,total,orders,first,last\na,2,2,4,", 0) == 0);
  CHECK(out.str().find("\"b,c\",0,0,1,0,4,1,2024-01-22,2024-01-22\n") != std::string::npos);
  const summary_table t = read_summary_csv_from_string(out.str(), "s.csv");
  REQUIRE(t.summary.size() == 2);
  CHECK(t.summary.id[1] == "b,c");
  CHECK(t.summary.monetary[0] == s.monetary[0]);  // shortest round-trip text is exact
  CHECK(t.has_monetary);
  CHECK(t.weight.empty());
}

TEST_CASE("summary csv: published CDNOW table reads with its own header names", "[summary_io][reference]") {
  // cdnow_customers_summary_with_transactions.csv: header ID,x,t_x,T,zbar; 2,357 rows,
  // Σx = 2,457 (../shared/data/README.md).
  const summary_table t = read_summary_csv(patron_test::data_file("cdnow_customers_summary_with_transactions.csv"));
  REQUIRE(t.summary.size() == 2357);
  double sx = 0;
  for (double v : t.summary.x) sx += v;
  CHECK(sx == 2457.0);
}

TEST_CASE("summary csv: bad tables name file · line · field and value", "[summary_io][error]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_MATCHES(read_summary_csv_from_string("", "e.csv"), data_error,
                       Catch::Matchers::Predicate<data_error>([](auto& e) { return has_code(e, errc::empty_input); }));
  CHECK_THROWS_MATCHES(read_summary_csv_from_string("id,x,t_x,T\n", "h.csv"), data_error,
                       Catch::Matchers::Predicate<data_error>([](auto& e) { return has_code(e, errc::empty_input); }));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,T\n1,0,3\n", "m.csv"),
                    Contains("[patron.missing_column] m.csv:1: t_x") && Contains("headers: id, x, T"));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,t_x,T\n1,0,0,3\n2,1,nan,3\n", "n.csv"),
                    Contains("[patron.bad_number] n.csv:3:3: t_x = \"nan\": not finite"));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,t_x,T\n1,0,0,3\n2,1,2\n", "r.csv"),
                    Contains("[patron.ragged_row] r.csv:3"));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,t_x,T\n1,0,0,3\n2,1.5,2,3\n", "x.csv"),
                    Contains("[patron.out_of_range] x.csv:3: x = \"1.5\": must be a whole number >= 0"));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,t_x,T\n1,2,5,3\n", "t.csv"),
                    Contains("[patron.out_of_range] t.csv:2: t_x = \"5\": greater than T"));
  CHECK_THROWS_WITH(read_summary_csv_from_string("id,x,t_x,T\n1,-1,0,3\n", "neg.csv"),
                    Contains("x = \"-1\""));
  CHECK_THROWS_WITH(read_summary_csv("/nonexistent/s.csv"), Contains("[patron.io_error] /nonexistent/s.csv: cannot open"));
}
