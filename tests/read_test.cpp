// SPDX-License-Identifier: MIT
// read_transactions(): formats, detection, bindings, every error code with its message shape,
// lenient counting and the returns/duplicates policies, on small hand-written inputs.
#include "patron/data/read.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "../src/lib/read_parse.hpp"  // internal pieces, probed directly below
#include "patron/error.hpp"

using namespace patron;

namespace {

read_result read(std::string_view text, const read_options& o = {},
                 const std::string& name = "sales.csv") {
  return read_transactions_from_string(text, o, name);
}

// A predicate on code(), used with CHECK_THROWS_MATCHES.
struct code_is : Catch::MatcherBase<patron::error> {
  explicit code_is(errc c) : code(c) {}
  bool match(const patron::error& e) const override { return e.code() == code; }
  std::string describe() const override { return std::string("has code ") + errc_name(code); }
  errc code;
};

// Catch::Contains on what(), lifted to the exception so it composes with code_is via &&.
struct message_has : Catch::MatcherBase<patron::error> {
  explicit message_has(std::string s) : text(std::move(s)) {}
  bool match(const patron::error& e) const override {
    return Catch::Contains(text).match(e.what());
  }
  std::string describe() const override { return "message contains \"" + text + "\""; }
  std::string text;
};

timestamp ts(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return start_of(from_ymd(y, m, d)) + hh * 3600 + mm * 60 + ss;
}

// A temporary file that removes itself.
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(const std::string& name) {
    path = std::filesystem::temp_directory_path() /
           ("patron_read_test_" + std::to_string(std::random_device{}()) + "_" + name);
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  void write(std::string_view bytes) const {
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  void write_gzip(std::string_view bytes) const {
    gzFile g = gzopen(path.string().c_str(), "wb");
    REQUIRE(g != nullptr);
    REQUIRE(gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size())) ==
            static_cast<int>(bytes.size()));
    gzclose(g);
  }
};

read_options cols(std::string c, std::string d, std::string a) {
  read_options o;
  o.customer = column_ref::parse(c);
  o.date = column_ref::parse(d);
  o.amount = column_ref::parse(a);
  return o;
}

}  // namespace

// --- formats and detection --------------------------------------------------------------------

TEST_CASE("read: comma file with header binds by common names", "[reader][unit]") {
  const auto r =
      read("Customer_ID,Date,Amount\r\na,2024-01-02,10.5\r\nb,2024-01-03,2\r\na,2024-01-05,-0\r\n");
  REQUIRE(r.log.size() == 3);
  CHECK(r.log.customers.size() == 2);
  CHECK(r.log.customers.name(r.log.customer[2]) == "a");
  CHECK(r.log.time[0] == ts(2024, 1, 2));
  CHECK(r.log.amount[0] == 10.5);
  CHECK(r.report.rows_read == 3);
  CHECK(r.report.rows_kept == 3);
  CHECK(r.report.bindings[0] == "customer <- column 1 (Customer_ID)");
  CHECK(r.report.bindings[1] == "date <- column 2 (Date)");
  CHECK(r.report.bindings[2] == "amount <- column 3 (Amount)");
}

TEST_CASE("read: delimiters semicolon tab pipe and runs of blanks are detected", "[reader][unit]") {
  for (const char* text :
       {"customer;date;amount\nx;20240101;1.5\ny;20240102;2\n",
        "customer\tdate\tamount\nx\t20240101\t1.5\ny\t20240102\t2\n",
        "customer|date|amount\nx|20240101|1.5\ny|20240102|2\n",
        "  customer   date  amount\r\n  x  20240101   1.5\r\n y 20240102 2\r\n"}) {
    INFO(text);
    const auto r = read(text);
    REQUIRE(r.log.size() == 2);
    CHECK(r.log.customers.name(r.log.customer[1]) == "y");
    CHECK(r.log.time[1] == ts(2024, 1, 2));
    CHECK(r.log.amount[0] == 1.5);
  }
}

TEST_CASE("read: decimal commas do not fool delimiter detection", "[reader][unit]") {
  // One ',' per line (decimal commas) but two ';': ';' is the delimiter, and "12,50" is then
  // reported as not a number.
  CHECK_THROWS_MATCHES(
      read("a;20240101;12,50\nb;20240102;3,10\n", cols("1", "2", "3")), patron::error,
      code_is(errc::bad_number) && message_has("sales.csv:1:3: amount = \"12,50\""));
}

TEST_CASE("read: explicit delimiter wins over detection", "[reader][unit]") {
  read_options o = cols("1", "2", "3");
  o.delimiter = ';';
  // Commas inside fields would make ',' look like the delimiter; ';' is given.
  const auto r = read("a,b;2024-01-01;3\n", o);
  REQUIRE(r.log.size() == 1);
  CHECK(r.log.customers.name(0) == "a,b");
}

TEST_CASE("read: RFC 4180 quoting · doubled quotes · quoted newlines · line numbers",
          "[reader][unit]") {
  const std::string text =
      "customer,note,date,amount\n"
      "\"Smith, J\",\"say \"\"hi\"\"\",2024-01-01,1\n"
      "\"multi\nline\",\"x\r\ny\",2024-01-02,2\n"
      "c,plain,2024-01-03,oops\n";
  CHECK_THROWS_MATCHES(
      read(text), patron::error,
      code_is(errc::bad_number) && message_has("sales.csv:6:4: amount = \"oops\""));
  read_options o;
  o.lenient = true;
  const auto r = read(text, o);
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.customers.name(0) == "Smith, J");
  CHECK(r.log.customers.name(1) == "multi\nline");
  CHECK(r.report.count("bad_number") == 1);
  REQUIRE(r.report.outcomes.size() == 1);
  CHECK(r.report.outcomes[0].examples == std::vector<std::string>{"sales.csv:6"});
}

TEST_CASE("read: no header · LF · no final newline · positions given", "[reader][unit]") {
  const auto r = read("7,19970101,3.25\n8,19970102,4", cols("1", "2", "3"));
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.amount[1] == 4.0);
  CHECK(r.report.bindings[0] == "customer <- column 1");
}

TEST_CASE("read: header detection rule", "[reader][unit]") {
  // Forced header on numbers: the first row is dropped.
  read_options o = cols("1", "2", "3");
  o.header = header_mode::yes;
  CHECK(read("1,20240101,1\n2,20240102,2\n", o).log.size() == 1);
  o.header = header_mode::no;
  CHECK(read("1,20240101,1\n2,20240102,2\n", o).log.size() == 2);
  o.header = header_mode::detect;
  CHECK(read("1,20240101,1\n2,20240102,2\n", o).log.size() == 2);
  // Text over numbers in the date/amount columns: a header.
  CHECK(read("who,when,howmuch\n2,20240102,2\n", o).log.size() == 1);
  // Text ids in every row but numbers elsewhere: not a header.
  CHECK(read("ann,20240101,1\nbob,20240102,2\n", o).log.size() == 2);
}

TEST_CASE("read: date layouts", "[reader][unit]") {
  read_options o = cols("1", "2", "3");
  o.delimiter = ',';
  CHECK(read("a,2011-12-09 12:50:00,1\n", o).log.time[0] == ts(2011, 12, 9, 12, 50));
  CHECK(read("a,2011-12-09T12:50:07Z,1\n", o).log.time[0] == ts(2011, 12, 9, 12, 50, 7));
  CHECK(read("a,2011-12-09T12:50:07.123Z,1\n", o).log.time[0] == ts(2011, 12, 9, 12, 50, 7));
  CHECK(read("a,2011-12-09 08:26,1\n", o).log.time[0] == ts(2011, 12, 9, 8, 26));
  CHECK(read("a,12/1/2010 8:26,1\n", o).log.time[0] == ts(2010, 12, 1, 8, 26));
  CHECK(read("a,2/29/2012,1\n", o).log.time[0] == ts(2012, 2, 29));
  CHECK(read("a,20000229,1\n", o).log.time[0] == ts(2000, 2, 29));
  // Detected from the first row, then enforced: an ISO date in a YYYYMMDD file is bad.
  CHECK_THROWS_MATCHES(
      read("a,20240101,1\nb,2024-01-02,1\n", o), patron::error,
      code_is(errc::bad_date) &&
          message_has("sales.csv:2:2: date = \"2024-01-02\": not a date as YYYYMMDD"));
  o.dates = date_format::mdy;
  CHECK_THROWS_MATCHES(read("a,2024-01-02,1\n", o), patron::error, code_is(errc::bad_date));
}

TEST_CASE("read: bad dates are errc::bad_date", "[reader][error]") {
  read_options o = cols("1", "2", "3");
  o.delimiter = ',';
  o.dates = date_format::iso;
  CHECK_THROWS_MATCHES(
      read("a,2023-02-30,1\n", o), patron::error,
      code_is(errc::bad_date) &&
          message_has("[patron.bad_date] sales.csv:1:2: date = \"2023-02-30\": no such day"));
  CHECK_THROWS_MATCHES(
      read("a,1899-12-31,1\n", o), patron::error,
      code_is(errc::bad_date) && message_has("date = \"1899-12-31\": year outside 1900..2200"));
  CHECK_THROWS_MATCHES(
      read("a,2201-01-01,1\n", o), patron::error,
      code_is(errc::bad_date) && message_has("date = \"2201-01-01\": year outside"));
  CHECK_THROWS_MATCHES(read("a,30-02-2023,1\n", o), patron::error,
                       code_is(errc::bad_date) && message_has("date = \"30-02-2023\": not a date"));
  CHECK_THROWS_MATCHES(read("a,2023-01-01 25:00,1\n", o), patron::error,
                       code_is(errc::bad_date) && message_has("not a time of day"));
  CHECK_THROWS_MATCHES(read("a,garbage,1\n", o), patron::error,
                       code_is(errc::bad_date) && message_has("date = \"garbage\""));
  o.dates = date_format::ymd_compact;
  CHECK_THROWS_MATCHES(read("a,20231301,1\n", o), patron::error,
                       code_is(errc::bad_date) && message_has("date = \"20231301\": no such day"));
  // Detection: nothing reads as a date, so the first row reports it.
  o.dates = date_format::detect;
  CHECK_THROWS_MATCHES(
      read("a,yesterday,1\n", o), patron::error,
      code_is(errc::bad_date) && message_has("sales.csv:1:2: date = \"yesterday\""));
}

// --- errors -------------------------------------------------------------------------------------

TEST_CASE("read: empty input and header-only file are errc::empty_input", "[reader][error]") {
  CHECK_THROWS_MATCHES(
      read(""), patron::error,
      code_is(errc::empty_input) && message_has("[patron.empty_input] sales.csv: no data rows"));
  CHECK_THROWS_MATCHES(
      read("customer,date,amount\n"), patron::error,
      code_is(errc::empty_input) && message_has("[patron.empty_input] sales.csv: no data rows"));
  CHECK_THROWS_MATCHES(read("customer,date,amount\n\n\n"), patron::error,
                       code_is(errc::empty_input));
}

TEST_CASE("read: missing column by name lists the headers seen", "[reader][error]") {
  read_options o;
  o.date = column_ref::parse("Datum");
  CHECK_THROWS_MATCHES(
      read("customer,date,amount\na,2024-01-01,1\n", o), patron::error,
      code_is(errc::missing_column) &&
          message_has("[patron.missing_column] sales.csv:1: date = \"Datum\": no such column; "
                      "headers: customer, date, amount"));
  // Not given and no common name matches.
  CHECK_THROWS_MATCHES(
      read("client,when,amount\na,2024-01-01,1\n"), patron::error,
      code_is(errc::missing_column) && message_has("headers: client, when, amount"));
  // A position beyond the header.
  o = read_options{};
  o.amount = column_ref::parse("9");
  CHECK_THROWS_MATCHES(read("customer,date,amount\na,2024-01-01,1\n"
                            "b,2024-01-02,2\n",
                            o),
                       patron::error,
                       code_is(errc::missing_column) && message_has("amount = \"9\""));
}

TEST_CASE("read: no header and no columns is invalid_argument naming what is missing",
          "[reader][error]") {
  CHECK_THROWS_MATCHES(read("a,20240101,1\nb,20240102,2\n"), patron::invalid_argument_error,
                       code_is(errc::invalid_argument) &&
                           message_has("columns = customer, date, amount: not given"));
  read_options o;
  o.customer = column_ref::parse("1");
  CHECK_THROWS_MATCHES(read("a,20240101,1\nb,20240102,2\n", o), patron::invalid_argument_error,
                       message_has("columns = date, amount: not given"));
}

TEST_CASE("read: ragged row", "[reader][error]") {
  CHECK_THROWS_MATCHES(
      read("customer,date,amount\na,2024-01-01,1\nb,2024-01-02\n"), patron::error,
      code_is(errc::ragged_row) &&
          message_has("[patron.ragged_row] sales.csv:3: fields = 2: expected at least 3"));
  read_options o;
  o.lenient = true;
  const auto r =
      read("customer,date,amount\na,2024-01-01,1\nb,2024-01-02\nc,2024-01-03,1,extra\n", o);
  CHECK(r.report.count("ragged_row") == 1);
  CHECK(r.report.rows_read == 3);
  CHECK(r.report.rows_kept == 2);
}

TEST_CASE("read: NaN · inf · 1e300 and commas in amounts", "[reader][error]") {
  const std::string head = "customer,date,amount\n";
  CHECK_THROWS_MATCHES(
      read(head + "a,2024-01-01,nan\n"), patron::error,
      code_is(errc::bad_number) &&
          message_has("[patron.bad_number] sales.csv:2:3: amount = \"nan\": not a finite number"));
  CHECK_THROWS_MATCHES(read(head + "a,2024-01-01,-inf\n"), patron::error,
                       code_is(errc::bad_number));
  CHECK_THROWS_MATCHES(read(head + "a,2024-01-01,1e400\n"), patron::error,
                       code_is(errc::bad_number));
  CHECK_THROWS_MATCHES(
      read(head + "a,2024-01-01,1e300\n"), patron::error,
      code_is(errc::out_of_range) &&
          message_has("[patron.out_of_range] sales.csv:2:3: amount = \"1e300\": beyond ±1e+15"));
  CHECK_THROWS_MATCHES(
      read("customer;date;amount\na;2024-01-01;12,50\n"), patron::error,
      code_is(errc::bad_number) &&
          message_has("[patron.bad_number] sales.csv:2:3: amount = \"12,50\": not a number"));
  read_options o;
  o.max_abs_amount = 100;
  CHECK_THROWS_MATCHES(read(head + "a,2024-01-01,100.5\n", o), patron::error,
                       code_is(errc::out_of_range));
  CHECK(read(head + "a,2024-01-01,+100\n", o).log.amount[0] == 100.0);
}

TEST_CASE("read: non-UTF-8 ids are errc::bad_encoding", "[reader][error]") {
  CHECK_THROWS_MATCHES(
      read("customer,date,amount\nab\xff,2024-01-01,1\n"), patron::error,
      code_is(errc::bad_encoding) &&
          message_has("[patron.bad_encoding] sales.csv:2:1: customer = \"ab\\xff\": "
                      "invalid UTF-8 at byte 2"));
  // Overlong encoding and a lone continuation byte.
  CHECK_THROWS_MATCHES(read("customer,date,amount\n\xc0\xaf,2024-01-01,1\n"), patron::error,
                       code_is(errc::bad_encoding));
  CHECK_THROWS_MATCHES(read("customer,item,date,amount\na,\x80x,2024-01-01,1\n"), patron::error,
                       code_is(errc::bad_encoding) && message_has("item = \"\\x80x\""));
  // Valid multi-byte UTF-8 is fine.
  const auto r = read("customer,date,amount\nZoë £,2024-01-01,1\n");
  CHECK(r.log.customers.name(0) == "Zoë £");
}

TEST_CASE("read: a 10 MB line is errc::line_too_long", "[reader][error]") {
  std::string text = "customer,date,amount\na,2024-01-01,1\nb,2024-01-01,";
  text.append(std::size_t{10} << 20, '9');
  text += "\nc,2024-01-02,3\n";
  CHECK_THROWS_MATCHES(
      read(text), patron::error,
      code_is(errc::line_too_long) &&
          message_has("[patron.line_too_long] sales.csv:3: length = 10485773: over "
                      "the 1048576-byte limit"));
  read_options o;
  o.lenient = true;
  const auto r = read(text, o);
  CHECK(r.report.count("line_too_long") == 1);
  CHECK(r.report.rows_read == 3);
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.customers.name(r.log.customer[1]) == "c");  // reading resumes after the long line
  o.lenient = false;
  o.max_line_bytes = 24;  // the header (20 bytes) fits, the row (25) does not
  CHECK_THROWS_MATCHES(read("customer,date,amount\nabcdefghijkl,2024-01-01,1\n", o), patron::error,
                       code_is(errc::line_too_long) &&
                           message_has("sales.csv:2: length = 25: over the 24-byte limit"));
}

TEST_CASE("read: empty customer is missing_value · counted as missing_customer", "[reader][error]") {
  const std::string text = "customer,date,amount\n  ,2024-01-01,1\nb,2024-01-02,2\n,2024-01-03,3\n";
  CHECK_THROWS_MATCHES(
      read(text), patron::error,
      code_is(errc::missing_value) &&
          message_has("[patron.missing_value] sales.csv:2:1: customer = \"\": empty"));
  read_options o;
  o.lenient = true;
  const auto r = read(text, o);
  CHECK(r.report.count("missing_customer") == 2);
  CHECK(r.report.outcomes[0].examples == std::vector<std::string>{"sales.csv:2", "sales.csv:4"});
  CHECK(r.report.rows_kept == 1);
}

TEST_CASE("read: returns policies", "[reader][unit]") {
  const std::string text =
      "invoice,customer,date,amount\n"
      "1,a,2024-01-01,10\n"
      "C2,a,2024-01-02,4\n"
      "3,a,2024-01-03,-2\n"
      "4,b,2024-01-04,5\n";
  read_options o;
  o.cancel_prefix = "C";
  o.returns = returns_policy::drop;
  auto r = read(text, o);
  CHECK(r.log.size() == 2);
  CHECK(r.report.count("return_dropped") == 2);
  CHECK(r.report.rows_read == r.report.rows_kept + r.report.rows_skipped());
  o.returns = returns_policy::net;
  r = read(text, o);
  REQUIRE(r.log.size() == 4);
  CHECK(r.log.amount[1] == -4.0);  // a cancellation invoice nets off
  CHECK(r.log.amount[2] == -2.0);
  CHECK(r.report.returns_netted == 2);
  CHECK(r.report.rows_skipped() == 0);
  o.returns = returns_policy::error;
  CHECK_THROWS_MATCHES(
      read(text, o), patron::error,
      code_is(errc::return_row) &&
          message_has("[patron.return_row] sales.csv:3:1: invoice = \"C2\": a return"));
  o.cancel_prefix.clear();
  CHECK_THROWS_MATCHES(read(text, o), patron::error,
                       code_is(errc::return_row) && message_has("sales.csv:4:4: amount = \"-2\""));
}

TEST_CASE("read: quantity × price · items · invoices · numeric ids", "[reader][unit]") {
  const std::string text =
      "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
      "536365,85123A,6,12/1/2010 8:26,2.55,17850.0\n"
      "536366,71053,2,12/1/2010 8:28,0.5,17850\n"
      "536367,85123A,3,12/1/2010 9:01,1.25,013047.00\n";
  read_options o;
  o.numeric_ids = true;
  const auto r = read(text, o);
  REQUIRE(r.log.size() == 3);
  CHECK(r.log.customers.size() == 2);
  CHECK(r.log.customers.name(0) == "17850");
  CHECK(r.log.customers.name(1) == "13047");
  CHECK(r.log.amount[0] == Approx(15.3));
  CHECK(r.log.amount[2] == Approx(3.75));
  REQUIRE(r.log.has_items());
  CHECK(r.log.items.size() == 2);
  CHECK(r.log.item[2] == r.log.item[0]);
  REQUIRE(r.log.has_invoices());
  CHECK(r.log.invoices.name(r.log.invoice[1]) == "536366");
  REQUIRE(r.log.has_quantity());
  CHECK(r.log.quantity[2] == 3.0);
  CHECK(r.log.time[1] == ts(2010, 12, 1, 8, 28));
  CHECK(std::find(r.report.bindings.begin(), r.report.bindings.end(),
                  "amount <- quantity * price (columns 3 * 5)") != r.report.bindings.end());
  // Without numeric_ids the spellings stay distinct.
  CHECK(read(text).log.customers.size() == 3);
}

TEST_CASE("read: ids are trimmed", "[reader][unit]") {
  const auto r = read("customer,date,amount\n  a ,2024-01-01, 1 \na,2024-01-02,2\n");
  CHECK(r.log.customers.size() == 1);
  CHECK(r.log.customers.name(0) == "a");
  CHECK(r.log.amount[0] == 1.0);
}

TEST_CASE("read: exact duplicates dropped on request", "[reader][unit]") {
  const std::string text =
      "customer,date,amount\n"
      "a,2024-01-01,1\n"
      "a,2024-01-01,1\n"
      "a,2024-01-01,2\n"
      "b,2024-01-01,1\n"
      "a,2024-01-01,1\n";
  CHECK(read(text).log.size() == 5);
  read_options o;
  o.duplicates = duplicates_policy::drop;
  const auto r = read(text, o);
  CHECK(r.log.size() == 3);
  CHECK(r.report.count("duplicate_dropped") == 2);
  CHECK(r.report.outcomes[0].examples == std::vector<std::string>{"sales.csv:3", "sales.csv:6"});
}

TEST_CASE("read: lenient mode accounts for every row", "[reader][property]") {
  // Random mixes of good and bad rows: rows_read == rows_kept + Σ skipped, and the kept count
  // equals the number of good rows generated.
  std::mt19937 rng(12345);
  const char* bad_rows[] = {",2024-01-01,1", "x,2024-02-30,1",   "x,2024-01-01,abc",
                            "x,2024-01-01",  "x,2024-01-01,inf", "x,2024-01-01,-3"};
  for (int trial = 0; trial < 50; ++trial) {
    std::string text = "customer,date,amount\n";
    std::uint64_t good = 0, total = 0;
    const int n = 1 + static_cast<int>(rng() % 200);
    for (int i = 0; i < n; ++i) {
      if (rng() % 3 == 0) {
        text += bad_rows[rng() % 6];
      } else {
        // Appended piecewise: GCC 12's -Wrestrict misfires on "lit" + std::string (PR 105651).
        text += 'c';
        text += std::to_string(rng() % 17);
        text += ",2024-03-0";
        text += std::to_string(1 + rng() % 9);
        text += ',';
        text += std::to_string(rng() % 100);
        ++good;
      }
      text += (rng() % 2) ? "\r\n" : "\n";
      ++total;
    }
    read_options o;
    o.lenient = true;
    if (good == 0) {
      CHECK_THROWS_MATCHES(read(text, o), patron::error, code_is(errc::empty_input));
      continue;
    }
    const auto r = read(text, o);
    CHECK(r.report.rows_read == total);
    CHECK(r.report.rows_kept == good);
    CHECK(r.report.rows_read == r.report.rows_kept + r.report.rows_skipped());
    for (const auto& out : r.report.outcomes)
      CHECK(out.examples.size() == std::min<std::uint64_t>(5, out.count));
  }
}

TEST_CASE("read: chunk boundaries do not change the result", "[reader][property]") {
  // 300k rows (> the 1 MiB read chunk) with quoted fields sprinkled in: every row comes back.
  std::string text = "customer,note,date,amount\n";
  double total = 0;
  for (int i = 0; i < 300000; ++i) {
    text += 'c';
    text += std::to_string(i % 1000);
    text += (i % 7 == 0) ? ",\"q,\"\"x\"\"\"," : ",n,";
    text += "2024-01-";
    text += std::to_string(10 + i % 20);
    text += ',';
    text += std::to_string(i % 50);
    text += '\n';
    total += i % 50;
  }
  const auto r = read(text);
  REQUIRE(r.log.size() == 300000);
  double sum = 0;
  for (double a : r.log.amount) sum += a;
  CHECK(sum == total);
  CHECK(r.log.customers.size() == 1000);
  CHECK(r.log.customers.name(r.log.customer[299999]) == "c999");
}

// --- files, gzip, options
// -------------------------------------------------------------------------

TEST_CASE("read: files · gzip by magic bytes · missing file", "[reader][unit]") {
  const std::string text = "customer,date,amount\na,2024-01-01,1.5\nb,2024-01-02,2.5\n";
  temp_file plain("plain.csv");
  plain.write(text);
  auto r = read_transactions(plain.path.string(), {});
  CHECK(r.log.size() == 2);
  CHECK(r.report.bytes_read == text.size());
  // gzip with a name that does not say so.
  temp_file gz("compressed.csv");
  gz.write_gzip(text);
  r = read_transactions(gz.path.string(), {});
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.amount[1] == 2.5);
  CHECK(r.report.bytes_read == text.size());
  // A truncated gzip file is an io_error, not a short read.
  std::ifstream f(gz.path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  temp_file cut("cut.csv.gz");
  cut.write(std::string_view(bytes).substr(0, bytes.size() - 12));
  CHECK_THROWS_MATCHES(read_transactions(cut.path.string(), {}), patron::error,
                       code_is(errc::io_error));
  CHECK_THROWS_MATCHES(
      read_transactions("/nonexistent/sales.csv", {}), patron::error,
      code_is(errc::io_error) &&
          message_has(
              "[patron.io_error] /nonexistent/sales.csv: cannot open: No such file or directory"));
  temp_file empty("empty.csv");
  empty.write("");
  CHECK_THROWS_MATCHES(read_transactions(empty.path.string(), {}), patron::error,
                       code_is(errc::empty_input));
}

TEST_CASE("read: read_options::validate rejects bad options", "[reader][error]") {
  read_options o;
  CHECK_NOTHROW(o.validate());
  o.delimiter = 'x';
  CHECK_THROWS_MATCHES(
      o.validate(), patron::invalid_argument_error,
      code_is(errc::invalid_argument) && message_has("read_options: delimiter = 0x78"));
  o = read_options{};
  o.price = column_ref::parse("UnitPrice");
  CHECK_THROWS_MATCHES(
      o.validate(), patron::invalid_argument_error,
      message_has("read_options: price = UnitPrice: amount = quantity × price needs"));
  o.quantity = column_ref::parse("4");
  CHECK_NOTHROW(o.validate());
  o.amount = column_ref::parse("3");
  CHECK_THROWS_MATCHES(o.validate(), patron::invalid_argument_error, message_has("amount = 3"));
  o = read_options{};
  o.max_line_bytes = 0;
  CHECK_THROWS_MATCHES(o.validate(), patron::invalid_argument_error,
                       message_has("max_line_bytes = 0"));
  o = read_options{};
  o.max_abs_amount = 0;
  CHECK_THROWS_MATCHES(o.validate(), patron::invalid_argument_error,
                       message_has("max_abs_amount = 0"));
  o.max_abs_amount = -5;
  CHECK_THROWS_MATCHES(o.validate(), patron::invalid_argument_error,
                       code_is(errc::invalid_argument));
  o.max_abs_amount = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_MATCHES(o.validate(), patron::invalid_argument_error,
                       code_is(errc::invalid_argument));
  // The readers validate before touching the input.
  CHECK_THROWS_MATCHES(read("customer,date,amount\na,2024-01-01,1\n", o),
                       patron::invalid_argument_error, code_is(errc::invalid_argument));
}

TEST_CASE("read: column_ref::parse", "[reader][unit]") {
  CHECK(column_ref::parse("3").position == 3);
  CHECK(column_ref::parse("3").name.empty());
  CHECK(column_ref::parse(" Dollar_Value ").name == "Dollar_Value");
  CHECK(column_ref::parse("0").position == 0);
  CHECK_FALSE(column_ref::parse("").given());
}

TEST_CASE("read: header names are case-insensitive and trimmed", "[reader][unit]") {
  read_options o;
  o.customer = column_ref::parse("CLIENT NO");
  o.amount = column_ref::parse("spend");
  const auto r = read(" client no ; Order_Date ; Spend \nk;2024-01-01;7\n", o);
  REQUIRE(r.log.size() == 1);
  CHECK(r.log.customers.name(0) == "k");
  CHECK(r.report.bindings[0] == "customer <- column 1 (client no)");
}

TEST_CASE("read: to_text lists counts · examples and bindings", "[reader][unit]") {
  read_options o;
  o.lenient = true;
  const auto r = read("customer,date,amount\na,2024-01-01,1\n,2024-01-02,1\n", o, "t.csv");
  const std::string t = r.report.to_text();
  CHECK_THAT(t, Catch::Contains("rows read: 2"));
  CHECK_THAT(t, Catch::Contains("rows kept: 1"));
  CHECK_THAT(t, Catch::Contains("missing_customer: 1 (e.g. t.csv:3)"));
  CHECK_THAT(t, Catch::Contains("customer <- column 1 (customer)"));
  CHECK(r.report.count("missing_customer") == 1);
  CHECK(r.report.count("bad_date") == 0);
}

TEST_CASE("read: the plain-decimal fast path agrees with fast_float bit for bit",
          "[reader][property]") {
  // The reader's shortcut (integer / 10^k) must give the correctly rounded double, which is
  // what fast_float (the reference) returns for the same text.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t m = rng() % 1'000'000'000'000'000ull;  // up to 15 digits
    std::string text = std::to_string(m);
    const std::size_t k = rng() % std::min<std::size_t>(text.size() + 1, 8);
    // Single-char inserts: GCC 12's -Wrestrict misfires on insert(pos, "literal") (PR 105651).
    if (k > 0) text.insert(text.end() - static_cast<std::ptrdiff_t>(k), '.');
    if (rng() % 3 == 0) text.insert(text.begin(), '-');
    double fast = 0, reference = 0;
    REQUIRE(patron::detail::parse_simple_decimal(text, fast));
    const auto res = fast_float::from_chars(text.data(), text.data() + text.size(), reference);
    REQUIRE(res.ec == std::errc());
    INFO(text);
    REQUIRE(fast == reference);
  }
  double v = 0;
  CHECK_FALSE(patron::detail::parse_simple_decimal("1e5", v));
  CHECK_FALSE(patron::detail::parse_simple_decimal("1234567890123456", v));  // 16 digits
  CHECK_FALSE(patron::detail::parse_simple_decimal("1.2.3", v));
  CHECK_FALSE(patron::detail::parse_simple_decimal("-", v));
}

TEST_CASE("read: standard input · plain and gzip'd", "[reader][unit]") {
  const std::string text = "customer,date,amount\na,2024-01-01,1.5\nb,2024-01-02,2.5\n";
  temp_file gz("stdin.gz");
  gz.write_gzip(text);
  // Point the process's stdin at the file, as a shell redirect would.
  REQUIRE(std::freopen(gz.path.string().c_str(), "rb", stdin) != nullptr);
  const auto r = read_transactions("-", {});
  REQUIRE(r.log.size() == 2);
  CHECK(r.report.source == "<stdin>");
  CHECK(r.log.amount[1] == 2.5);
  temp_file bad("stdin.csv");
  bad.write("customer,date,amount\na,2024-01-01,x\n");
  REQUIRE(std::freopen(bad.path.string().c_str(), "rb", stdin) != nullptr);
  CHECK_THROWS_MATCHES(read_transactions("-", {}), patron::error,
                       code_is(errc::bad_number) && message_has("<stdin>:2:3: amount = \"x\""));
  REQUIRE(std::freopen("/dev/null", "rb", stdin) != nullptr);
}

TEST_CASE("read: amount optional when require_amount is false", "[reader][unit]") {
  read_options o;
  o.require_amount = false;
  const auto r = read("customer,date\na,2024-01-01\nb,2024-01-02\n", o);
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.amount[0] == 0.0);
  CHECK_THROWS_MATCHES(read("customer,date\na,2024-01-01\n"), patron::error,
                       code_is(errc::missing_column) && message_has("looked for amount"));
}

TEST_CASE("read: a column named without a header · and a byte-order mark", "[reader][error]") {
  read_options o;
  o.header = header_mode::no;
  o.customer = column_ref::parse("customer");
  o.date = column_ref::parse("2");
  o.amount = column_ref::parse("3");
  CHECK_THROWS_MATCHES(
      read("a,20240101,1\n", o), patron::invalid_argument_error,
      code_is(errc::invalid_argument) &&
          message_has("customer = customer: a column named by header, but the file has no header"));
  // A UTF-8 BOM before the header does not become part of the first header name.
  const auto r = read(
      "\xEF\xBB\xBF"
      "customer,date,amount\na,2024-01-01,1\n");
  CHECK(r.report.bindings[0] == "customer <- column 1 (customer)");
}

TEST_CASE("read: a quote that never closes is reported · and reading resumes", "[reader][error]") {
  read_options o;
  o.max_line_bytes = 64;
  o.header = header_mode::yes;  // the open quote also swallows the detection sample
  std::string text = "customer,note,date,amount\na,\"open,2024-01-01,1\n";
  for (int i = 0; i < 10; ++i) text += "b,ok,2024-01-02,2\n";
  CHECK_THROWS_MATCHES(read(text, o), patron::error,
                       code_is(errc::line_too_long) &&
                           message_has("sales.csv:2: a quoted field opened on this line does not "
                                       "close within the 64-byte limit"));
  o.lenient = true;
  const auto r = read(text, o);
  CHECK(r.report.count("line_too_long") == 1);
  CHECK(r.report.rows_read == 11);
  CHECK(r.report.rows_kept == 10);  // only the line with the open quote is lost
}
