// SPDX-License-Identifier: MIT
// Pareto / 80-20 figures, ABC tiers, Lorenz curve and Gini, service-level tables.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "patron/data/read.hpp"
#include "patron/error.hpp"
#include "patron/rfm/metrics.hpp"
#include "patron/value/tiers.hpp"
#include "test_support.hpp"

using namespace patron;
using namespace patron::value;
using Catch::Matchers::Contains;

TEST_CASE("pareto: small example by hand", "[tiers][unit]") {
  // By hand: values 10, 50, 10, 30 → ranked 50, 30, 10, 10 (ties: earlier input first);
  // cumulative 0.5, 0.8, 0.9, 1.0; 2 of 4 customers bring 80%; 1 brings 50%.
  const std::vector<double> v = {10, 50, 10, 30};
  const pareto_analysis p = pareto(v);
  CHECK(p.order == std::vector<std::uint32_t>{1, 3, 0, 2});
  CHECK(p.cumulative_share[0] == 0.5);
  CHECK(p.cumulative_share[1] == Approx(0.8));
  CHECK(p.cumulative_share[3] == 1.0);
  CHECK(p.customers_for(0.8) == 2);
  CHECK(p.customer_share_for(0.5) == 0.25);
  CHECK(p.revenue_share_of_top(0.5) == Approx(0.8));
  // Gini by hand: ascending 10, 10, 30, 50; Σ(2i − 5)x = −3·10 − 1·10 + 1·30 + 3·50 = 140;
  // 140 / (4 · 100) = 0.35.
  CHECK(p.gini() == Approx(0.35));
  // ABC with defaults: A until 80% is reached (50, 30), B until 95% (the first 10: 0.8 → 0.9,
  // then 0.9 < 0.95 so the second 10 is B too), C none.
  std::vector<std::uint8_t> tier(4);
  abc_tiers(p, tier_cuts{}, tier);
  CHECK(tier == std::vector<std::uint8_t>{1, 0, 1, 0});
  // Lorenz: the poorest half holds 20%; the curve ends at (1, 1).
  const auto l = lorenz_curve(p, 3);
  REQUIRE(l.size() == 3);
  CHECK(l[0].value == 0.0);
  CHECK(l[1].population == 0.5);
  CHECK(l[1].value == Approx(0.2));
  CHECK(l[2].value == 1.0);
}

TEST_CASE("pareto: equal values and one customer", "[tiers][property]") {
  // All equal: Gini 0, the top k customers hold k/N; one customer: Gini 0, tier A.
  const pareto_analysis p = pareto(std::vector<double>(5, 2.0));
  CHECK(p.gini() == Approx(0.0).margin(1e-15));
  CHECK(p.customers_for(0.8) == 4);
  const pareto_analysis one = pareto(std::vector<double>{7});
  std::vector<std::uint8_t> t(1);
  abc_tiers(one, tier_cuts{}, t);
  CHECK(t[0] == 0);
  // One customer holding everything: Gini (N − 1)/N = 0.75 for N = 4.
  CHECK(pareto(std::vector<double>{0, 0, 9, 0}).gini() == Approx(0.75));
}

TEST_CASE("pareto: Online Retail 80-20 figures", "[tiers][reference]") {
  // Data README: cleaned as usual (no CustomerID dropped, C invoices dropped) → 4,339 customers
  // and 8,911,407.904 in sales. The rest is hand computation with an independent Python script
  // (csv + gzip, per-customer Σ Quantity·UnitPrice, sorted descending): 1,133 customers (26.11%)
  // bring 80%, 2,602 bring 95%, the top 20% (868) bring 74.617%, Gini 0.715205.
  read_options o;
  o.customer = column_ref::parse("CustomerID");
  o.date = column_ref::parse("InvoiceDate");
  o.quantity = column_ref::parse("Quantity");
  o.price = column_ref::parse("UnitPrice");
  o.invoice = column_ref::parse("InvoiceNo");
  o.cancel_prefix.push_back('C');
  o.numeric_ids = true;
  o.lenient = true;
  const read_result rr = read_transactions(patron_test::data_file("online_retail.csv.gz"), o);
  rfm::metrics_options mo;
  mo.as_of = from_ymd(2011, 12, 10);
  const rfm::rfm_table t = rfm::compute_metrics(rr.log, mo);
  REQUIRE(t.size() == 4339);
  const pareto_analysis p = pareto(t.monetary);
  CHECK(p.total == Approx(8911407.904).margin(0.001));
  CHECK(p.customers_for(0.80) == 1133);
  CHECK(p.customer_share_for(0.80) == Approx(1133.0 / 4339.0));
  CHECK(p.customers_for(0.95) == 2602);
  CHECK(p.revenue_share_of_top(0.20) == Approx(0.7461713718676606).epsilon(1e-9));
  CHECK(p.gini() == Approx(0.7152052690966804).epsilon(1e-9));
  std::vector<std::uint8_t> tier(t.size());
  abc_tiers(p, tier_cuts{}, tier);
  std::map<int, int> count;
  for (auto x : tier) ++count[x];
  CHECK(count == std::map<int, int>{{0, 1133}, {1, 2602 - 1133}, {2, 4339 - 2602}});
}

TEST_CASE("pareto and tiers: bad input", "[tiers][error]") {
  CHECK_THROWS_AS(pareto(std::vector<double>{}), data_error);
  CHECK_THROWS_WITH(pareto(std::vector<double>{3, -1}), Contains("value::pareto:2: value = \"-1\"") && Contains("negative"));
  CHECK_THROWS_WITH(pareto(std::vector<double>{0, 0}), Contains("total"));
  tier_cuts bad;
  bad.shares = {0.9, 0.8};
  const pareto_analysis p = pareto(std::vector<double>{1, 2});
  std::vector<std::uint8_t> t(2);
  CHECK_THROWS_WITH(abc_tiers(p, bad, t), Contains("increasing"));
  bad.shares = {0.8};
  CHECK_THROWS_WITH(abc_tiers(p, bad, t), Contains("names"));
  CHECK_THROWS_AS(p.customers_for(1.5), invalid_argument_error);
}

TEST_CASE("service levels as data", "[tiers][unit]") {
  const service_table s = service_table::from_csv(
      "key,level,note\nA,key account,4h response\nChampions,VIP,\n*,self-service\n", "svc.csv");
  CHECK(s.level_of("A") == "key account");
  CHECK(s.level_of("Champions") == "VIP");
  CHECK(s.level_of("C") == "self-service");
  CHECK(s.levels[0].note == "4h response");
  CHECK_THROWS_WITH(service_table::from_csv("tier,service\n", "svc.csv"), Contains("svc.csv:1"));
}

#ifdef PATRON_TEST_CLI
TEST_CASE("patron tiers: CSV ranked by value and the 80-20 figures", "[tiers][cli]") {
  const std::string out = std::string(PATRON_TEST_BINARY_DIR) + "/tiers_cli_out.csv";
  const std::string fig = std::string(PATRON_TEST_BINARY_DIR) + "/tiers_cli_fig.txt";
  const std::string base = std::string(PATRON_TEST_CLI) + " tiers --input " +
                           patron_test::data_file("rfm_data_orders.csv") +
                           " --customer customer_id --date order_date --amount revenue";
  REQUIRE(std::system((base + " --output " + out + " > " + fig).c_str()) == 0);
  std::ifstream in(out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header == "customer_id,value,cumulative_share,tier");
  CHECK(first.substr(first.size() - 2) == ",A");  // the largest customer is in tier A
  std::size_t rows = 1;
  for (std::string line; std::getline(in, line);) ++rows;
  CHECK(rows == 995);  // data README: 995 customers
  std::ifstream f(fig);
  const std::string figures((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(figures.find("995 customers") != std::string::npos);
  CHECK(figures.find("Gini coefficient") != std::string::npos);
  // A customer table ranked by one value column: rfm_customers.csv has 39,999 customers.
  REQUIRE(std::system((std::string(PATRON_TEST_CLI) + " tiers --input " + patron_test::data_file("rfm_customers.csv") +
                       " --value revenue --output " + out + " > " + fig).c_str()) == 0);
  std::ifstream in2(out);
  std::size_t rows2 = 0;
  for (std::string line; std::getline(in2, line);) ++rows2;
  CHECK(rows2 == 40000);
  // Bad cut shares are a usage error (exit 2).
  const int rc = std::system((base + " --cuts 0.9,0.8 --output " + out + " 2>/dev/null").c_str());
  CHECK(WEXITSTATUS(rc) == 2);
  std::remove(out.c_str());
  std::remove(fig.c_str());
}
#endif

#ifdef PATRON_TEST_CLI
TEST_CASE("patron tiers and rfm: --service adds the service level of each tier or segment", "[tiers][cli]") {
  const std::string dir = PATRON_TEST_BINARY_DIR;
  const std::string out = dir + "/tiers_svc_out.csv", svc = dir + "/tiers_svc.csv";
  std::ofstream(svc) << "key,level,note\nA,key account,4h response\nLoyal Customers,loyalty desk,\n*,self-service\n";
  const std::string tiers = std::string(PATRON_TEST_CLI) + " tiers --input " + patron_test::data_file("rfm_data_orders.csv") +
                            " --customer customer_id --date order_date --amount revenue --service " + svc +
                            " --output " + out + " > /dev/null";
  REQUIRE(std::system(tiers.c_str()) == 0);
  std::ifstream in(out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header == "customer_id,value,cumulative_share,tier,service_level");
  CHECK(first.substr(first.size() - 14) == ",A,key account");  // the largest customer is in tier A
  std::string last;
  for (std::string line; std::getline(in, line);) last = line;
  CHECK(last.substr(last.size() - 15) == ",C,self-service");  // the smallest is in C: the * row
  // patron rfm keys the table by segment: rfm_customers.csv row 1 (22086) is Loyal Customers
  // with r-rfm cuts (rfm_test.cpp, "patron rfm: customer table and order log").
  const std::string rfm = std::string(PATRON_TEST_CLI) + " rfm --input " + patron_test::data_file("rfm_customers.csv") +
                          " --level customer --binning r-rfm --service " + svc + " --output " + out + " 2> /dev/null";
  REQUIRE(std::system(rfm.c_str()) == 0);
  std::ifstream in2(out);
  std::getline(in2, header);
  std::getline(in2, first);
  CHECK(header == "customer_id,recency_days,frequency,monetary,r,f,m,rfm_score,segment,service_level");
  CHECK(first == "22086,232,9,777,2,2,2,222,Loyal Customers,loyalty desk");
  // A missing table is an I/O error before any data is read (exit 3).
  const int rc = std::system((std::string(PATRON_TEST_CLI) + " tiers --input " +
                              patron_test::data_file("rfm_data_orders.csv") + " --service " + dir +
                              "/no_such_service.csv 2>/dev/null").c_str());
  CHECK(WEXITSTATUS(rc) == 3);
  CHECK_THROWS_WITH(service_table::read_csv(dir + "/no_such_service.csv"),
                    Contains("[patron.io_error]") && Contains("no_such_service.csv"));
  std::remove(out.c_str());
  std::remove(svc.c_str());
}
#endif
