// SPDX-License-Identifier: MIT
// build_report() on the demo's simulated base (50,000 customers, 500 items, calibration + holdout)
// and on the full Online Retail log: the goals are the demo under 10 s and Online Retail (read
// included) under 5 s on 2 cores; per-customer figures are in the counters.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>

#include "patron/data/read.hpp"
#include "patron/data/simulate.hpp"
#include "patron/report.hpp"

using namespace patron;

namespace {

const transaction_log& demo_log() {
  static const transaction_log log = [] {
    simulation_options o;
    o.customers = 50'000;
    o.observation_days = 545;
    o.items = 500;
    return simulate_transactions(o);
  }();
  return log;
}

void BM_report_demo(benchmark::State& state) {
  const transaction_log& log = demo_log();
  report::report_options o;
  o.as_of = from_ymd(1998, 6, 30);
  o.calibration_end = from_ymd(1997, 9, 30);
  ingest_report ing;
  ing.source = "simulated";
  for (auto _ : state) {
    auto r = report::build_report(log, ing, o);
    benchmark::DoNotOptimize(r.rows.data());
  }
  state.counters["ns_per_customer"] = benchmark::Counter(
      50'000.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_report_demo)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_report_html_demo(benchmark::State& state) {
  report::report_options o;
  o.as_of = from_ymd(1998, 6, 30);
  o.calibration_end = from_ymd(1997, 9, 30);
  const auto r = report::build_report(demo_log(), ingest_report{}, o);
  for (auto _ : state) {
    std::ostringstream os;
    report::write_html(r, os);
    report::write_customers_csv(r, os);
    benchmark::DoNotOptimize(os.str().size());
  }
}
BENCHMARK(BM_report_html_demo)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_report_online_retail(benchmark::State& state) {
  read_options ro;
  ro.customer = column_ref::named("CustomerID");
  ro.date = column_ref::named("InvoiceDate");
  ro.quantity = column_ref::named("Quantity");
  ro.price = column_ref::named("UnitPrice");
  ro.item = column_ref::named("StockCode");
  ro.invoice = column_ref::named("InvoiceNo");
  ro.cancel_prefix = std::string(1, 'C');
  ro.numeric_ids = true;
  ro.lenient = true;
  const std::string path = std::string(PATRON_BENCH_DATA_DIR) + "/online_retail.csv.gz";
  for (auto _ : state) {
    const read_result in = read_transactions(path, ro);
    auto r = report::build_report(in.log, in.report, report::report_options{});
    benchmark::DoNotOptimize(r.rows.data());
  }
}
BENCHMARK(BM_report_online_retail)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
