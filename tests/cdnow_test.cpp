// SPDX-License-Identifier: MIT
// The reader on the real reference files in ../shared/data: CDNOW (sample and master) rebuilt
// into the papers' summary table, and the UCI Online Retail log (gzip, quoted CSV).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/error.hpp"
#include "test_support.hpp"

using namespace patron;

namespace {

struct reference_row {
  int x = 0;
  double t_x = 0, T = 0, zbar = 0;
};

// cdnow_customers_summary_with_transactions.csv: header ID,x,t_x,T,zbar, CRLF, no final newline.
// Parsed with streams on purpose, independently of the reader under test.
std::map<int, reference_row> load_reference() {
  std::ifstream f(patron_test::data_file("cdnow_customers_summary_with_transactions.csv"));
  std::map<int, reference_row> rows;
  std::string line;
  std::getline(f, line);
  REQUIRE(line.rfind("ID,x,t_x,T,zbar", 0) == 0);
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::istringstream in(line);
    std::string id, x, t_x, T, zbar;
    std::getline(in, id, ',');
    std::getline(in, x, ',');
    std::getline(in, t_x, ',');
    std::getline(in, T, ',');
    std::getline(in, zbar, ',');
    rows[std::stoi(id)] =
        reference_row{std::stoi(x), std::stod(t_x), std::stod(T), std::stod(zbar)};
  }
  return rows;
}

}  // namespace

TEST_CASE("cdnow: sample file rebuilds the papers' summary table", "[reader][reference]") {
  // Source of every expected number: ../shared/data/README.md (CDNOW section) and
  // cdnow_customers_summary_with_transactions.csv, i.e. lifetimes' copy of Fader, Hardie & Lee.
  read_options o;
  o.customer = column_ref::parse("2");  // the 4-digit sample id, the reference table's ID
  o.date = column_ref::parse("3");
  o.amount = column_ref::parse("5");
  const read_result r = read_transactions(patron_test::data_file("CDNOW_sample.txt"), o);
  // README: 6,919 transactions, no header, 2,357 customers.
  CHECK(r.report.rows_read == 6919);
  CHECK(r.report.rows_kept == 6919);
  CHECK(r.report.bindings[0] == "customer <- column 2");
  REQUIRE(r.log.customers.size() == 2357);

  summary_options so;
  so.unit = time_unit::week();
  so.observation_end = from_ymd(1997, 9, 30);  // end of weeks 1-39 (README)
  const customer_summary s = summarize(r.log, so);
  REQUIRE(s.size() == 2357);

  const auto ref = load_reference();
  REQUIRE(ref.size() == 2357);
  double sum_x = 0;
  int repeaters = 0;
  int checked = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int id = std::stoi(s.id[i]);
    const auto it = ref.find(id);
    REQUIRE(it != ref.end());
    const reference_row& e = it->second;
    INFO("ID " << id);
    // README: frequencies match exactly; t_x and T within the 2-decimal rounding (0.0043
    // observed), zbar within half a cent.
    CHECK(s.x[i] == e.x);
    CHECK(std::fabs(s.t_x[i] - e.t_x) <= 0.005);
    CHECK(std::fabs(s.T[i] - e.T) <= 0.005);
    CHECK(std::fabs(s.monetary[i] - e.zbar) <= 0.005 + 1e-9);
    sum_x += s.x[i];
    repeaters += s.x[i] > 0 ? 1 : 0;
    ++checked;
  }
  CHECK(checked == 2357);
  CHECK(sum_x == 2457.0);   // README: the sum of x is 2,457
  CHECK(repeaters == 946);  // README: 946 customers have x > 0
}

TEST_CASE("cdnow: master file with its header line", "[reader][reference]") {
  // README: 69,659 transactions + 1 header line `customer_id  date number_of_cds  dollar_value`,
  // 23,570 customers, dollar_value total 2,500,315.63; bound by common header names.
  const read_result r = read_transactions(patron_test::data_file("CDNOW_master.txt"), {});
  CHECK(r.report.rows_read == 69659);
  CHECK(r.report.rows_kept == 69659);
  CHECK(r.log.customers.size() == 23570);
  CHECK(r.report.bindings[0] == "customer <- column 1 (customer_id)");
  CHECK(r.report.bindings[2] == "amount <- column 4 (dollar_value)");
  double total = 0;
  for (double a : r.log.amount) total += a;
  CHECK(total == Approx(2500315.63).margin(0.005));
  // README: dates run from 1997-01-01 to 1998-06-30.
  timestamp lo = r.log.time[0], hi = r.log.time[0];
  for (timestamp t : r.log.time) {
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  CHECK(day_of(lo) == from_ymd(1997, 1, 1));
  CHECK(day_of(hi) == from_ymd(1998, 6, 30));
}

TEST_CASE("cdnow: Online Retail (gzip · quoted CSV) with the usual RFM cleaning",
          "[reader][reference]") {
  read_options o;
  o.customer = column_ref::parse("CustomerID");
  o.date = column_ref::parse("InvoiceDate");
  o.quantity = column_ref::parse("Quantity");
  o.price = column_ref::parse("UnitPrice");
  o.item = column_ref::parse("StockCode");
  o.invoice = column_ref::parse("InvoiceNo");
  o.cancel_prefix.push_back('C');  // not = "C": GCC 12 -Wrestrict false positive (PR 105651)
  o.returns = returns_policy::drop;
  o.numeric_ids = true;  // this export writes 17850.0
  o.lenient = true;      // 135,080 lines have no CustomerID
  const read_result r = read_transactions(patron_test::data_file("online_retail.csv.gz"), o);
  const ingest_report& rep = r.report;
  INFO(rep.to_text());
  // README (Online Retail section): 541,909 lines; 48,039,726 bytes unpacked; 135,080 lines
  // without CustomerID; 8,905 cancellation lines carry a CustomerID; dropping both leaves 397,924
  // lines, 4,339 customers, 18,536 invoices and 8,911,407.904 in sales.
  CHECK(rep.rows_read == 541909);
  CHECK(rep.bytes_read == 48039726);
  CHECK(rep.count("missing_customer") == 135080);
  CHECK(rep.count("return_dropped") == 8905);
  CHECK(rep.rows_kept == 397924);
  CHECK(rep.rows_read == rep.rows_kept + rep.rows_skipped());
  CHECK(rep.outcomes.size() == 2);  // nothing else was skipped
  CHECK(r.log.customers.size() == 4339);
  CHECK(r.log.invoices.size() == 18536);
  double sales = 0;
  for (double a : r.log.amount) sales += a;
  CHECK(sales == Approx(8911407.904).margin(0.01));
  // README: dates from 2010-12-01 to 2011-12-09.
  CHECK(day_of(r.log.time.front()) == from_ymd(2010, 12, 1));
  CHECK(day_of(r.log.time.back()) == from_ymd(2011, 12, 9));

  // Netting instead of dropping keeps README's 8,905 cancellation lines, as negative amounts.
  o.returns = returns_policy::net;
  const read_result net = read_transactions(patron_test::data_file("online_retail.csv.gz"), o);
  CHECK(net.report.rows_kept == 397924 + 8905);
  CHECK(net.report.returns_netted == 8905);
  CHECK(net.report.count("missing_customer") == 135080);
  CHECK(net.report.rows_read == net.report.rows_kept + net.report.rows_skipped());
  o.returns = returns_policy::drop;

  // Strict mode stops at the first line without a customer, naming it.
  o.lenient = false;
  CHECK_THROWS_MATCHES(read_transactions(patron_test::data_file("online_retail.csv.gz"), o),
                       patron::error,
                       Catch::Predicate<const patron::error&>(
                           [](const patron::error& e) { return e.code() == errc::missing_value; },
                           "code is missing_value"));
}
