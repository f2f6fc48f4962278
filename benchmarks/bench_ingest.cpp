// SPDX-License-Identifier: MIT
// Ingest speed of read_transactions(): a generated 10-million-row CDNOW-like log (comma and
// blank-separated) and the real Online Retail log (gzip'd CSV).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "patron/data/read.hpp"

namespace {

constexpr std::uint64_t generated_rows = 10'000'000;

// A generated file in a private temp dir, removed when the program ends.
struct generated_file {
  std::filesystem::path dir, path;
  std::uint64_t bytes = 0;
  ~generated_file() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

// Deterministic CDNOW-like log: customers in id order, each with 1-8 purchases (CDNOW has 2.96
// rows per customer; here 4.5, so 2.2 M customers) or, with `few_customers`, 50-149 purchases
// (100 k customers), on increasing days of 1997-1998, 1-9 items, amounts 0.00-199.99.
// `delim` ',' or ' ' (CDNOW's padded layout, CRLF).
const generated_file& generated(char delim, bool few_customers = false) {
  static generated_file files[3];
  generated_file& g = files[few_customers ? 2 : delim == ',' ? 0 : 1];
  if (!g.path.empty()) return g;
  g.dir = std::filesystem::temp_directory_path() /
          ("patron_bench_ingest_" + std::to_string(::getpid()));
  std::filesystem::create_directories(g.dir);
  g.path = g.dir / (few_customers ? "generated_few.csv" : delim == ',' ? "generated.csv" : "generated.txt");
  std::FILE* f = std::fopen(g.path.string().c_str(), "wb");
  std::uint64_t state = 0x853c49e6748fea9bull;
  auto next = [&state] {  // LCG (Knuth MMIX constants); high bits are the good ones
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  };
  if (delim == ',') std::fputs("customer_id,date,number_of_cds,dollar_value\n", f);
  std::uint64_t row = 0;
  for (std::uint32_t customer = 1; row < generated_rows; ++customer) {
    const std::uint32_t n = few_customers ? 50 + next() % 100 : 1 + next() % 8;
    int day = static_cast<int>(next() % 300);
    for (std::uint32_t k = 0; k < n && row < generated_rows; ++k, ++row) {
      const int y = 1997 + day / 336, m = 1 + day % 336 / 28, d = 1 + day % 28;
      const std::uint32_t cents = next() % 20000;
      if (delim == ',')
        std::fprintf(f, "%07u,%04d%02d%02d,%u,%u.%02u\n", customer, y, m, d, 1 + next() % 9,
                     cents / 100, cents % 100);
      else
        std::fprintf(f, " %07u %04d%02d%02d %2u %7u.%02u\r\n", customer, y, m, d, 1 + next() % 9,
                     cents / 100, cents % 100);
      day += few_customers ? static_cast<int>(next() % 2) : 1 + static_cast<int>(next() % 30);
      if (day >= 672) day = 671;
    }
  }
  std::fclose(f);
  g.bytes = std::filesystem::file_size(g.path);
  return g;
}

void run(benchmark::State& state, const std::string& path, const patron::read_options& o,
         std::uint64_t expected_rows, std::uint64_t bytes) {
  // Check the result once before timing: a fast wrong reader is no benchmark.
  const auto first = patron::read_transactions(path, o);
  if (first.report.rows_read != expected_rows) {
    state.SkipWithError(("expected " + std::to_string(expected_rows) + " rows, read " +
                         std::to_string(first.report.rows_read))
                            .c_str());
    return;
  }
  for (auto _ : state) {
    auto r = patron::read_transactions(path, o);
    benchmark::DoNotOptimize(r.log.amount.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["rows"] = static_cast<double>(expected_rows);
  state.counters["ns_per_row"] = benchmark::Counter(
      static_cast<double>(expected_rows) * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_read_generated_comma(benchmark::State& state) {
  const generated_file& g = generated(',');
  run(state, g.path.string(), {}, generated_rows, g.bytes);  // header binds by name
}

void BM_read_generated_comma_few_customers(benchmark::State& state) {
  const generated_file& g = generated(',', true);
  run(state, g.path.string(), {}, generated_rows, g.bytes);
}

void BM_read_generated_blanks(benchmark::State& state) {
  const generated_file& g = generated(' ');
  patron::read_options o;
  o.customer = patron::column_ref::parse("1");
  o.date = patron::column_ref::parse("2");
  o.amount = patron::column_ref::parse("4");
  run(state, g.path.string(), o, generated_rows, g.bytes);
}

void BM_read_online_retail_gz(benchmark::State& state) {
  patron::read_options o;
  o.quantity = patron::column_ref::parse("Quantity");
  o.price = patron::column_ref::parse("UnitPrice");
  o.cancel_prefix.push_back('C');
  o.numeric_ids = true;
  o.lenient = true;
  // Data README: 541,909 lines, 48,039,726 bytes unpacked.
  run(state, std::string(PATRON_BENCH_DATA_DIR) + "/online_retail.csv.gz", o, 541'909, 48'039'726);
}

}  // namespace

BENCHMARK(BM_read_generated_comma)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_generated_comma_few_customers)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_generated_blanks)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_online_retail_gz)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
