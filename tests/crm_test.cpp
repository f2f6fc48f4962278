// SPDX-License-Identifier: MIT
// CRM presets and write-back: Zoho CRM and 纷享销客 (FXiaoKe) exports in, scores back out (issue 12).
// Every fixture is written here, to the layouts in ../shared/CRM-FORMATS.md; expected numbers are
// worked out by hand in the comment above each check.
#include <catch2/catch.hpp>

#include <iconv.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "patron/crm/export.hpp"
#include "patron/crm/presets.hpp"
#include "patron/error.hpp"
#include "test_support.hpp"

namespace crm = patron::crm;
using Catch::Matchers::Contains;
using Catch::Matchers::Message;

namespace {

// ctest runs test cases as parallel processes: the process id keeps their files apart.
std::string temp_path(const std::string& name) {
  return (std::filesystem::path(PATRON_TEST_BINARY_DIR) /
          ("crm_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string p = temp_path(name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// UTF-8 → `to` with glibc iconv: how the tests make GB18030 and UTF-16 files.
std::string encode(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size(), out_left = out.size();
  char* dst = out.data();
  REQUIRE(iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

struct run_result {
  int status = -1;
  std::string err;
};

run_result run(const std::string& args) {
  const std::string err = temp_path("stderr.txt");
  const std::string cmd = std::string("'") + PATRON_TEST_CLI + "' " + args + " >/dev/null 2>'" + err + "'";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(err)};
}

double total(const patron::transaction_log& log) { return std::accumulate(log.amount.begin(), log.amount.end(), 0.0); }

double customer_total(const patron::transaction_log& log, std::string_view id) {
  double s = 0;
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log.customers.name(log.customer[i]) == id) s += log.amount[i];
  return s;
}

std::uint32_t customer_index(const patron::transaction_log& log, std::string_view id) {
  for (std::uint32_t i = 0; i < log.customers.size(); ++i)
    if (log.customers.name(i) == id) return i;
  FAIL("no customer " << id);
  return 0;
}

bool has_binding(const patron::ingest_report& r, const std::string& b) {
  return std::find(r.bindings.begin(), r.bindings.end(), b) != r.bindings.end();
}

patron::timestamp day(int y, int m, int d) { return patron::start_of(patron::from_ymd(y, m, d)); }

// Zoho CRM Invoices module export: Record Id first with zcrm_ ids, the Account lookup split into
// `Account Name.id` + `Account Name`, display-label headers, amounts with $ and thousands.
const std::string zoho_invoices =
    "Record Id,Invoice Number,Subject,Account Name.id,Account Name,Invoice Date,Status,Grand Total,Invoice Owner.id\n"
    "zcrm_5001,INV-1,a,zcrm_4150868000000224005,Bentley Systems,2023-05-01,Delivered,\"$1,234.50\",zcrm_1\n"
    "zcrm_5002,INV-2,b,zcrm_4150868000000224005,Bentley Systems,2023-06-10,Approved,$200.00,zcrm_1\n"
    "zcrm_5003,INV-3,c,zcrm_4150868000000224099,\"Acme, Inc.\",2023-06-15 10:20:00,Cancelled,$999.00,zcrm_1\n"
    "zcrm_5004,INV-4,d,zcrm_4150868000000224099,\"Acme, Inc.\",2023-06-20,Created,($50.25),zcrm_1\n"
    "zcrm_5005,INV-5,e,zcrm_4150868000000224099,\"Acme, Inc.\",2023-07-01T23:30:00-07:00,Created,\"USD 3,000\",zcrm_1\n";

// 纷享销客 销售订单 UI export (Chinese labels, name only, no id column), saved by Chinese Excel as GB18030.
const std::string fxiaoke_orders_utf8 =
    "销售订单编号,客户名称,下单日期,销售订单金额（元）,生命状态\n"
    "SO-001,上海示例科技有限公司,2023/5/1,\"¥1,234.00\",正常\n"
    "SO-002,上海示例科技有限公司,1685548800000,￥88.50,正常\n"
    "SO-003,北京样例有限公司,2023年6月1日,\"1,000元\",作废\n"
    "SO-004,北京样例有限公司,1686787200,¥300,审核中\n"
    "SO-005,北京样例有限公司,2023-06-20 09:00,RMB 66.6,正常\n";

}  // namespace

TEST_CASE("crm zoho-invoices: binds every column / keeps ids verbatim / drops Cancelled", "[crm][reference]") {
  crm::read_options o;
  o.preset = crm::preset::zoho_invoices;
  const crm::read_result r = crm::read_export_from_string(zoho_invoices, o, "Invoices_2023_07_31.csv");
  const auto& rep = r.report;
  CHECK(has_binding(rep, "customer \xE2\x86\x90 Account Name.id"));
  CHECK(has_binding(rep, "customer_name \xE2\x86\x90 Account Name"));
  CHECK(has_binding(rep, "order_id \xE2\x86\x90 Record Id"));
  CHECK(has_binding(rep, "date \xE2\x86\x90 Invoice Date"));
  CHECK(has_binding(rep, "amount \xE2\x86\x90 Grand Total"));
  CHECK(has_binding(rep, "status \xE2\x86\x90 Status"));
  // Fixture: 5 rows, INV-3 Cancelled.
  CHECK(rep.rows_read == 5);
  CHECK(rep.rows_kept == 4);
  CHECK(rep.count("status_cancelled") == 1);
  CHECK(rep.outcomes.size() == 1);
  REQUIRE(r.log.customers.size() == 2);
  const auto bentley = customer_index(r.log, "4150868000000224005");
  const auto acme = customer_index(r.log, "4150868000000224099");
  CHECK(r.record_id[bentley] == "zcrm_4150868000000224005");
  CHECK(r.record_id[acme] == "zcrm_4150868000000224099");
  CHECK(r.name[bentley] == "Bentley Systems");
  CHECK(r.name[acme] == "Acme, Inc.");
  // 1234.50 + 200.00 − 50.25 + 3000 = 4384.25; Bentley 1434.50, Acme 2949.75.
  CHECK(total(r.log) == Approx(4384.25).epsilon(1e-12));
  CHECK(customer_total(r.log, "4150868000000224005") == Approx(1434.50).epsilon(1e-12));
  CHECK(customer_total(r.log, "4150868000000224099") == Approx(2949.75).epsilon(1e-12));
  CHECK(r.currency == "USD");
  // 2023-07-01T23:30:00-07:00 is 2023-07-02 06:30 UTC (Zoho presets default to UTC).
  CHECK(r.log.time[3] == day(2023, 7, 2) + 6 * 3600 + 30 * 60);
  CHECK(r.log.time[0] == day(2023, 5, 1));
  CHECK(crm::normalise_id(" zcrm_42 ") == "42");
}

TEST_CASE("crm zoho-invoices: --col overrides a binding / a missing column lists the headers", "[crm][error]") {
  crm::read_options o;
  o.preset = crm::preset::zoho_invoices;
  o.columns = {{"amount", "invoice number"}};
  // Invoice Number "INV-1" is no amount: the override took effect (column 2).
  CHECK_THROWS_MATCHES(crm::read_export_from_string(zoho_invoices, o, "inv.csv"), patron::data_error,
                       Message("[patron.bad_number] inv.csv:2:2: amount = \"INV-1\": not an amount (decimal separator is '.')"));
  crm::read_options m;
  m.preset = crm::preset::zoho_invoices;
  const std::string no_total = "Record Id,Account Name.id,Account Name,Invoice Date,Sub Total\nzcrm_1,zcrm_2,A,2023-01-01,5\n";
  CHECK_THROWS_MATCHES(crm::read_export_from_string(no_total, m, "inv.csv"), patron::data_error,
                       Message("[patron.missing_column] inv.csv:1: amount = \"Grand Total | Grand_Total\": no such column for "
                               "--preset zoho-invoices; headers: Record Id, Account Name.id, Account Name, Invoice Date, Sub Total"));
  m.columns = {{"amount", "Sub Total"}};
  const crm::read_result r = crm::read_export_from_string(no_total, m, "inv.csv");
  CHECK(has_binding(r.report, "amount \xE2\x86\x90 Sub Total (--col)"));
  CHECK(total(r.log) == 5.0);
  m.columns = {{"amount", "Nope"}};
  CHECK_THROWS_AS(crm::read_export_from_string(no_total, m, "inv.csv"), patron::data_error);
  m.columns = {{"amonut", "Sub Total"}};
  CHECK_THROWS_MATCHES(crm::read_export_from_string(no_total, m, "inv.csv"), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --col: column = amonut: expected customer, customer_name, "
                               "order_id, date, amount, currency, status, item or quantity"));
}

TEST_CASE("crm zoho-deals: only Closed Won / headers match case- and whitespace-insensitively", "[crm][reference]") {
  const std::string deals =
      "Record Id,Deal Owner.id,Deal Owner,Deal Name,ACCOUNT NAME.ID,Account Name,closing  date, Amount ,Stage\n"
      "zcrm_7001,zcrm_1,Ann,Big deal,zcrm_900,Foo Ltd,2023-03-01,\"85,000.00\",Closed Won\n"
      "zcrm_7002,zcrm_1,Ann,Lost deal,zcrm_900,Foo Ltd,2023-03-05,1000,Closed Lost\n"
      "zcrm_7003,zcrm_2,Bob,Pending,zcrm_901,Bar Inc,2023-04-01,500,Negotiation/Review\n"
      "zcrm_7004,zcrm_2,Bob,Won 2,zcrm_901,Bar Inc,2023-04-11,2500.5,closed won\n";
  crm::read_options o;
  o.preset = crm::preset::zoho_deals;
  const crm::read_result r = crm::read_export_from_string(deals, o, "Deals_2023_05_28.csv");
  CHECK(has_binding(r.report, "customer \xE2\x86\x90 ACCOUNT NAME.ID"));
  CHECK(has_binding(r.report, "customer_name \xE2\x86\x90 Account Name"));
  CHECK(has_binding(r.report, "order_id \xE2\x86\x90 Record Id"));
  CHECK(has_binding(r.report, "date \xE2\x86\x90 closing  date"));
  CHECK(has_binding(r.report, "amount \xE2\x86\x90 Amount"));
  CHECK(has_binding(r.report, "status \xE2\x86\x90 Stage"));
  // 4 deals: 7002 Closed Lost and 7003 Negotiation dropped; 85000 + 2500.5 = 87500.5.
  CHECK(r.report.rows_read == 4);
  CHECK(r.report.rows_kept == 2);
  CHECK(r.report.count("stage_not_won") == 2);
  CHECK(total(r.log) == 87500.5);
  CHECK(r.record_id[customer_index(r.log, "900")] == "zcrm_900");
  CHECK(r.record_id[customer_index(r.log, "901")] == "zcrm_901");
  CHECK(r.log.time[1] == day(2023, 4, 11));
}

TEST_CASE("crm fxiaoke-salesorder: GB18030 export with Chinese headers / ¥ amounts / epochs / 作废", "[crm][reference]") {
  const std::string gb = encode(fxiaoke_orders_utf8, "GB18030");
  REQUIRE(gb != fxiaoke_orders_utf8);
  const std::string path = write_file("fxiaoke_orders_gb18030.csv", gb);
  crm::read_options o;
  o.preset = crm::preset::fxiaoke_salesorder;
  const crm::read_result r = crm::read_export(path, o);
  CHECK(r.encoding == crm::text_encoding::gb18030);
  CHECK(has_binding(r.report, "customer \xE2\x86\x90 客户名称 (customer name: no id column)"));
  CHECK(has_binding(r.report, "customer_name \xE2\x86\x90 客户名称"));
  CHECK(has_binding(r.report, "order_id \xE2\x86\x90 销售订单编号"));
  CHECK(has_binding(r.report, "date \xE2\x86\x90 下单日期"));
  CHECK(has_binding(r.report, "amount \xE2\x86\x90 销售订单金额（元）"));
  CHECK(has_binding(r.report, "status \xE2\x86\x90 生命状态"));
  CHECK(r.keyed_by_name);
  CHECK(r.warnings.size() == 1);
  // 5 orders: SO-003 作废 (invalid), SO-004 审核中 (pending) dropped; 1234.00 + 88.50 + 66.6 = 1389.10.
  CHECK(r.report.rows_read == 5);
  CHECK(r.report.rows_kept == 3);
  CHECK(r.report.count("status_invalid") == 1);
  CHECK(r.report.count("status_pending") == 1);
  CHECK(total(r.log) == Approx(1389.10).epsilon(1e-12));
  CHECK(customer_total(r.log, "上海示例科技有限公司") == Approx(1322.50).epsilon(1e-12));
  CHECK(r.currency == "CNY");
  // 2023/5/1 as written; 1685548800000 ms = 2023-05-31 16:00 UTC = 2023-06-01 00:00 in Asia/Shanghai.
  CHECK(r.log.time[0] == day(2023, 5, 1));
  CHECK(r.log.time[1] == day(2023, 6, 1));
  CHECK(r.log.time[2] == day(2023, 6, 20) + 9 * 3600);

  SECTION("--include-pending keeps 审核中; the 10-digit epoch 1686787200 is 2023-06-15 08:00 in Shanghai") {
    o.include_pending = true;
    const crm::read_result p = crm::read_export(path, o);
    CHECK(p.report.rows_kept == 4);
    CHECK(p.report.count("status_pending") == 0);
    CHECK(total(p.log) == Approx(1689.10).epsilon(1e-12));
    CHECK(p.log.time[2] == day(2023, 6, 15) + 8 * 3600);
  }
  SECTION("--tz UTC moves the millisecond epoch back to 2023-05-31") {
    o.tz = "UTC";
    const crm::read_result u = crm::read_export(path, o);
    CHECK(u.log.time[1] == day(2023, 5, 31) + 16 * 3600);
  }
  SECTION("the same file as UTF-8 with BOM and as UTF-16 with BOM reads the same") {
    for (const std::string& bytes : {std::string("\xEF\xBB\xBF") + fxiaoke_orders_utf8, std::string("\xFF\xFE") + encode(fxiaoke_orders_utf8, "UTF-16LE"),
                                     std::string("\xFE\xFF") + encode(fxiaoke_orders_utf8, "UTF-16BE")}) {
      const crm::read_result u = crm::read_export_from_string(bytes, o, "orders.csv");
      CHECK(u.report.rows_kept == 3);
      CHECK(total(u.log) == Approx(1389.10).epsilon(1e-12));
      CHECK(has_binding(u.report, "date \xE2\x86\x90 下单日期"));
    }
  }
}

TEST_CASE("crm fxiaoke-salesorder: API dump binds ids / warns on names shared by two customers", "[crm][reference]") {
  const std::string dump =
      "_id,account_id,account_id__r,order_time,order_amount,life_status\n"
      "a1,acc1,同名公司,1682870400000,100,normal\n"
      "a2,acc2,同名公司,1682870400000,200,normal\n"
      "a3,acc3,别的公司,1682870400000,300,invalid\n"
      "a4,acc3,别的公司,1682870400000,400,ineffective\n";
  crm::read_options o;
  o.preset = crm::preset::fxiaoke_salesorder;
  const crm::read_result r = crm::read_export_from_string(dump, o, "SalesOrderObj.csv");
  CHECK(has_binding(r.report, "customer \xE2\x86\x90 account_id"));
  CHECK(has_binding(r.report, "customer_name \xE2\x86\x90 account_id__r"));
  CHECK(has_binding(r.report, "order_id \xE2\x86\x90 _id"));
  CHECK(has_binding(r.report, "date \xE2\x86\x90 order_time"));
  CHECK(has_binding(r.report, "amount \xE2\x86\x90 order_amount"));
  CHECK(has_binding(r.report, "status \xE2\x86\x90 life_status"));
  CHECK_FALSE(r.keyed_by_name);
  // acc1 and acc2 share 同名公司: one shared name.
  CHECK(r.shared_names == 1);
  CHECK(has_binding(r.report, "warning: 1 customer name(s) shared by more than one customer id"));
  CHECK(r.report.count("status_invalid") == 1);
  CHECK(r.report.count("status_pending") == 1);
  // 1682870400 = 2023-04-30 16:00 UTC = 2023-05-01 00:00 Shanghai.
  CHECK(r.log.time[0] == day(2023, 5, 1));
  CHECK(total(r.log) == 300.0);
}

TEST_CASE("crm money: symbols / codes / separators / parentheses / decimal comma", "[crm][unit]") {
  crm::money m;
  const auto ok = [&](std::string_view t, bool dc, double v, const char* code) {
    INFO(t);
    REQUIRE(crm::parse_money(t, dc, false, m) == crm::money_status::ok);
    CHECK(m.value == v);
    CHECK(m.currency == code);
  };
  ok("$1,234.50", false, 1234.5, "USD");
  ok("($123.45)", false, -123.45, "USD");
  ok("-¥12", false, -12, "CNY");
  ok("￥1,234,567.00", false, 1234567, "CNY");
  ok("88元", false, 88, "CNY");
  ok("RMB 66.6", false, 66.6, "CNY");
  ok("CNY1 000", false, 1000, "CNY");
  ok("1\xC2\xA0" "234.00", false, 1234, "");  // NBSP groups
  ok("£5", false, 5, "GBP");
  ok("1.234,50 €", true, 1234.5, "EUR");
  ok("1 234,5", true, 1234.5, "");
  ok("EUR 12,5", true, 12.5, "EUR");
  ok("12", false, 12, "");
  CHECK(crm::parse_money("", false, false, m) == crm::money_status::empty);
  CHECK(crm::parse_money("  ", false, false, m) == crm::money_status::empty);
  CHECK(crm::parse_money("12,50", false, false, m) == crm::money_status::bad);
  CHECK(crm::parse_money("1,23,456", false, false, m) == crm::money_status::bad);
  CHECK(crm::parse_money("$€5", false, false, m) == crm::money_status::bad);
  CHECK(crm::parse_money("12abc", false, false, m) == crm::money_status::bad);
  CHECK(crm::parse_money("1.2.3", false, false, m) == crm::money_status::bad);
  CHECK(crm::parse_money("$", false, false, m) == crm::money_status::bad);
  // "1,234" alone is 1234; beside decimal commas it is ambiguous, never guessed.
  CHECK(crm::parse_money("1,234", false, false, m) == crm::money_status::ok);
  CHECK(crm::parse_money("1,234", false, true, m) == crm::money_status::ambiguous);
  CHECK(crm::parse_money("1.234", true, true, m) == crm::money_status::ambiguous);
  CHECK(crm::parse_money("1,234.00", false, true, m) == crm::money_status::ok);
  CHECK(crm::shows_other_decimal("12,50", false));
  CHECK(crm::shows_other_decimal("1.234,5", false));
  CHECK_FALSE(crm::shows_other_decimal("1,234", false));
  CHECK_FALSE(crm::shows_other_decimal("1,234,567.5", false));
  CHECK(crm::shows_other_decimal("12.50", true));
}

TEST_CASE("crm dates: the forms CRMs write / epochs in the given zone", "[crm][unit]") {
  const std::int32_t sh = 8 * 3600;
  CHECK(crm::parse_crm_datetime("2023-05-01", 0) == day(2023, 5, 1));
  CHECK(crm::parse_crm_datetime("2019-03-12 14:48:20", sh) == day(2019, 3, 12) + 14 * 3600 + 48 * 60 + 20);
  // 01:10:47 at −07:00 = 08:10:47 UTC = 16:10:47 at +08:00.
  CHECK(crm::parse_crm_datetime("2023-05-10T01:10:47-07:00", 0) == day(2023, 5, 10) + 8 * 3600 + 10 * 60 + 47);
  CHECK(crm::parse_crm_datetime("2023-05-10T01:10:47-07:00", sh) == day(2023, 5, 10) + 16 * 3600 + 10 * 60 + 47);
  CHECK(crm::parse_crm_datetime("2023-05-10T01:10:47.123Z", 0) == day(2023, 5, 10) + 3600 + 10 * 60 + 47);
  CHECK(crm::parse_crm_datetime("2023/5/1", sh) == day(2023, 5, 1));
  CHECK(crm::parse_crm_datetime("2023年5月1日", sh) == day(2023, 5, 1));
  CHECK(crm::parse_crm_datetime("2023年12月31日 23:59", sh) == day(2023, 12, 31) + 23 * 3600 + 59 * 60);
  CHECK(crm::parse_crm_datetime("1685548800000", sh) == day(2023, 6, 1));
  CHECK(crm::parse_crm_datetime("1685548800", 0) == day(2023, 5, 31) + 16 * 3600);
  CHECK_FALSE(crm::parse_crm_datetime("2023-02-30", 0));
  CHECK_FALSE(crm::parse_crm_datetime("05/01/2023", 0));
  CHECK_FALSE(crm::parse_crm_datetime("2023-05/01", 0));
  CHECK_FALSE(crm::parse_crm_datetime("2023-05-01 25:00", 0));
  CHECK_FALSE(crm::parse_crm_datetime("168554880000", 0));  // 12 digits: neither seconds nor ms
  CHECK(crm::parse_utc_offset("Asia/Shanghai") == sh);
  CHECK(crm::parse_utc_offset("UTC+8") == sh);
  CHECK(crm::parse_utc_offset("-05:30") == -(5 * 3600 + 30 * 60));
  CHECK_THROWS_AS(crm::parse_utc_offset("America/New_York"), patron::invalid_argument_error);
}

TEST_CASE("crm bad input: mixed currencies refused unless one is named", "[crm][error]") {
  const std::string mixed =
      "Record Id,Account Name.id,Account Name,Invoice Date,Currency,Grand Total\n"
      "zcrm_1,zcrm_10,A,2023-01-01,USD,100\n"
      "zcrm_2,zcrm_10,A,2023-01-02,EUR,50\n"
      "zcrm_3,zcrm_11,B,2023-01-03,USD,25\n";
  crm::read_options o;
  o.preset = crm::preset::zoho_invoices;
  CHECK_THROWS_MATCHES(crm::read_export_from_string(mixed, o, "inv.csv"), patron::data_error,
                       Message("[patron.invalid_argument] inv.csv: currency = \"EUR,USD\": mixed currencies (EUR 1 rows "
                               "from line 3, USD 2 rows from line 2); name the one to keep with --currency"));
  // Symbols count too: $ and ¥ in one file.
  const std::string symbols = "Record Id,Account Name.id,Invoice Date,Grand Total\nzcrm_1,zcrm_10,2023-01-01,$5\nzcrm_2,zcrm_10,2023-01-01,¥5\n";
  CHECK_THROWS_AS(crm::read_export_from_string(symbols, o, "inv.csv"), patron::data_error);
  o.currency = "usd";
  const crm::read_result r = crm::read_export_from_string(mixed, o, "inv.csv");
  // USD rows 100 + 25; the EUR row counted.
  CHECK(r.report.count("other_currency") == 1);
  CHECK(total(r.log) == 125.0);
  CHECK(r.currency == "USD");
}

TEST_CASE("crm bad input: an ambiguous amount is a counted error", "[crm][error]") {
  const std::string text =
      "Record Id,Account Name.id,Invoice Date,Grand Total\n"
      "zcrm_1,zcrm_10,2023-01-01,\"12,50\"\n"
      "zcrm_2,zcrm_10,2023-01-02,\"1,234\"\n"
      "zcrm_3,zcrm_10,2023-01-03,7.5\n";
  crm::read_options o;
  o.preset = crm::preset::zoho_invoices;
  CHECK_THROWS_MATCHES(crm::read_export_from_string(text, o, "inv.csv"), patron::data_error,
                       Message("[patron.bad_number] inv.csv:2:4: amount = \"12,50\": not an amount (decimal separator is '.')"));
  o.lenient = true;
  const crm::read_result r = crm::read_export_from_string(text, o, "inv.csv");
  CHECK(r.report.count("bad_number") == 1);
  CHECK(r.report.count("ambiguous_amount") == 1);
  CHECK(r.report.rows_kept == 1);
  CHECK(total(r.log) == 7.5);
  // With --decimal-comma "12,50" and "1,234" are 12.5 and 1.234, but "7.5" now shows a decimal point: strict stops there.
  o.lenient = false;
  o.decimal_comma = true;
  CHECK_THROWS_WITH(crm::read_export_from_string(text, o, "inv.csv"), Contains("inv.csv:4:4: amount = \"7.5\""));
  const std::string amb = "Record Id,Account Name.id,Invoice Date,Grand Total\nzcrm_1,zcrm_10,2023-01-01,\"12,50\"\nzcrm_2,zcrm_10,2023-01-02,\"1,234\"\n";
  o.decimal_comma = false;
  o.lenient = false;
  o.columns = {};
  const std::string amb2 = "Record Id,Account Name.id,Invoice Date,Grand Total\nzcrm_2,zcrm_10,2023-01-02,\"1,234\"\nzcrm_1,zcrm_10,2023-01-01,\"12,50\"\n";
  CHECK_THROWS_MATCHES(crm::read_export_from_string(amb2, o, "inv.csv"), patron::data_error,
                       Message("[patron.bad_number] inv.csv:2:4: amount = \"1,234\": ambiguous: the file also writes decimal "
                               "commas (line 3); give --decimal-comma or fix the value"));
  (void)amb;
}

TEST_CASE("crm bad input: invalid GB18030 bytes name the line and byte offset", "[crm][error]") {
  // Line 3 holds 0x81 0x20: a GB18030 lead byte followed by a space is no character.
  const std::string good = encode("客户名称,下单日期,销售订单金额\n甲,2023/5/1,1\n", "GB18030");
  const std::string bytes = good + "\x81\x20,2023/5/2,2\n";
  crm::read_options o;
  o.preset = crm::preset::fxiaoke_salesorder;
  o.encoding = crm::text_encoding::gb18030;
  const std::string offset = std::to_string(good.size());
  CHECK_THROWS_MATCHES(crm::read_export_from_string(bytes, o, "orders.csv"), patron::data_error,
                       Message("[patron.bad_encoding] orders.csv:3: bytes = \"\\x81 ,2\": invalid GB18030 at byte offset " + offset));
  o.encoding = crm::text_encoding::detect;  // not UTF-8 either, so read as GB18030 and refused the same way
  CHECK_THROWS_WITH(crm::read_export_from_string(bytes, o, "orders.csv"), Contains("invalid GB18030 at byte offset " + offset));
  o.encoding = crm::text_encoding::utf8;
  CHECK_THROWS_WITH(crm::read_export_from_string(bytes, o, "orders.csv"), Contains("[patron.bad_encoding] orders.csv:1:"));
  CHECK_THROWS_AS(crm::parse_encoding("latin-9"), patron::invalid_argument_error);
}

namespace {

// A per-customer profile as `patron report` is meant to write it (docs/crm.md lists the columns).
const std::string profile_csv =
    "customer_id,record_id,name,rfm_code,segment,clv,p_alive,lifecycle_stage,next_product,scored_on\n"
    "4150868000000224005,zcrm_4150868000000224005,Bentley Systems,545,important value,18250.4,0.93,Maturity,CRM Enterprise Suite,2026-11-22\n"
    "4150868000000224099,zcrm_4150868000000224099,\"Acme, Inc.\",111,lost,12,0.1,Churned,,2026-11-22\n"
    "4150868000000224100,zcrm_4150868000000224100,Cyan,212,potential,300.456,0.5,Growth,Widget,2026-11-22\n"
    "4150868000000224101,zcrm_4150868000000224101,Delta,222,new,0,0.75,New,Widget,2026-11-22\n"
    "4150868000000224102,zcrm_4150868000000224102,Echo,121,general maintenance,42.5,0.25,Maturity,Gadget,2026-11-22\n";

/// A written file parsed back as plain CSV (BOM removed): header in `columns`, then the rows.
struct table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};
table read_back(const std::string& bytes) {
  crm::csv_table t = crm::parse_csv(crm::to_utf8(bytes, crm::text_encoding::utf8, "back.csv"), ',', "back.csv");
  REQUIRE_FALSE(t.rows.empty());
  table out{t.rows[0], {}};
  out.rows.assign(t.rows.begin() + 1, t.rows.end());
  return out;
}

}  // namespace

TEST_CASE("crm export zoho-import: Record Id verbatim / labels / split at --max-rows / re-read gives the scores", "[crm][reference]") {
  const crm::profile p = crm::read_profile_from_string(profile_csv, "customers.csv");
  crm::export_options o;
  o.format = crm::export_format::zoho_import;
  o.max_rows = 2;
  const crm::export_result r = crm::build_export(p, o);
  // 5 customers at 2 per file: 2 + 2 + 1.
  REQUIRE(r.files.size() == 3);
  CHECK(r.files[0].name == "zoho-import-001.csv");
  CHECK(r.files[2].name == "zoho-import-003.csv");
  CHECK(r.files[0].rows == 2);
  CHECK(r.files[2].rows == 1);
  const std::string header =
      "Record Id,Account Name,Patron RFM Code,Patron Segment,Patron CLV,Patron P Alive,Patron Lifecycle Stage,Patron Next Product,Patron Scored On\r\n";
  CHECK(r.files[0].content ==
        header + "zcrm_4150868000000224005,Bentley Systems,545,important value,18250.40,0.93,Maturity,CRM Enterprise Suite,2026-11-22\r\n"
                 "zcrm_4150868000000224099,\"Acme, Inc.\",111,lost,12.00,0.1,Churned,,2026-11-22\r\n");
  // Re-read every file: same ids (verbatim) and scores, in order.
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : r.files) {
    const table back = read_back(f.content);
    CHECK(back.columns.front() == "Record Id");
    for (const auto& row : back.rows) rows.push_back(row);
  }
  REQUIRE(rows.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(rows[i][0] == p.rows[i][1]);  // record_id
    CHECK(rows[i][1] == p.rows[i][2]);  // name
    CHECK(rows[i][2] == p.rows[i][3]);  // rfm_code
    CHECK(rows[i][3] == p.rows[i][4]);  // segment
    CHECK(std::stod(rows[i][4]) == Approx(std::stod(p.rows[i][5])).margin(0.005));  // clv to the cent
  }
  CHECK(rows[2][4] == "300.46");
  // Pick-list values printed for the admin, sorted.
  REQUIRE(r.picklists.size() == 2);
  CHECK(r.picklists[0] == "Patron Segment: general maintenance, important value, lost, new, potential");
  CHECK(r.picklists[1] == "Patron Lifecycle Stage: Churned, Growth, Maturity, New");
}

TEST_CASE("crm export zoho-bulkwrite: API names / id without zcrm_ / 25000 rows / bytes / 200 columns", "[crm][reference]") {
  const crm::profile p = crm::read_profile_from_string(profile_csv, "customers.csv");
  crm::export_options o;
  o.format = crm::export_format::zoho_bulkwrite;
  crm::export_result r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 1);
  const std::string header =
      "id,Patron_RFM_Code,Patron_Segment,Patron_CLV,Patron_P_Alive,Patron_Lifecycle_Stage,Patron_Next_Product,Patron_Scored_On\r\n";
  const std::string row1 = "4150868000000224005,545,important value,18250.40,0.93,Maturity,CRM Enterprise Suite,2026-11-22\r\n";
  CHECK(r.files[0].content.rfind(header + row1, 0) == 0);
  // Byte limit. Counted by hand: header 121 bytes, rows 96 / 60 / 71 / 61 / 83 (CRLF included).
  CHECK(header.size() == 121);
  CHECK(row1.size() == 96);
  o.max_bytes = 277;
  r = crm::build_export(p, o);
  // 121+96+60 = 277 ≤ 277 (the limit is inclusive); +71 > 277 → file 2: 121+71+61 = 253, +83 > 277 → file 3: 204.
  REQUIRE(r.files.size() == 3);
  CHECK(r.files[0].rows == 2);
  CHECK(r.files[1].rows == 2);
  CHECK(r.files[2].rows == 1);
  CHECK(r.files[0].content.size() == 277);
  CHECK(r.files[1].content.size() == 253);
  CHECK(r.files[2].content.size() == 204);
  o.max_bytes = 0;
  o.max_rows = 25'001;
  CHECK_THROWS_MATCHES(crm::build_export(p, o), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --max-rows: max_rows = 25001: Bulk Write takes at most 25000 rows per file"));
  // 200 columns = id + 199 fields is the limit.
  o.max_rows = 0;
  std::string wide_header = "customer_id", wide_row = "zcrm_1", map = "{\"fields\": {";
  for (int i = 1; i <= 200; ++i) {
    // Appended piecewise: `"literal" + std::string` trips GCC 12's -Wrestrict false positive (bug 105329).
    const std::string n = std::to_string(i);
    wide_header.append(",s").append(n);
    wide_row.append(",").append(n);
    map.append(i > 1 ? ", \"s" : "\"s").append(n).append("\": \"S").append(n).append("\"");
  }
  const crm::profile wide = crm::read_profile_from_string(wide_header + "\n" + wide_row + "\n", "wide.csv");
  o.fields = crm::parse_field_map(map + "}}", "map.json");
  CHECK_THROWS_MATCHES(crm::build_export(wide, o), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --fields: columns = 201: Bulk Write takes at most 200 columns"));
  o.fields->fields.pop_back();
  r = crm::build_export(wide, o);
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].content.rfind("id,S1,S2,", 0) == 0);
  CHECK(r.files[0].content.find("\r\n1,1,2,3,") != std::string::npos);
}

TEST_CASE("crm export fxiaoke-api: one body per customer / strings / ms epochs at Shanghai midnight", "[crm][reference]") {
  const crm::profile p = crm::read_profile_from_string(profile_csv, "customers.csv");
  const std::string map = R"({"object": "AccountObj", "fields": {
      "rfm_code": "field_R1a2b__c",
      "segment": {"api_name": "field_S7g8h__c", "options": {"important value": "1", "lost": "8", "potential": "5", "new": "6", "general maintenance": "7"}},
      "clv": "field_CLV9i__c", "p_alive": "field_PA0j1__c",
      "lifecycle_stage": null, "next_product": null,
      "scored_on": "field_DT2k3__c"}})";
  crm::export_options o;
  o.format = crm::export_format::fxiaoke_api;
  o.fields = crm::parse_field_map(map, "map.json");
  const crm::export_result r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].name == "fxiaoke-api.jsonl");
  CHECK(r.files[0].rows == 5);
  // 2026-11-22 is day 20,779 since 1970; 20779 × 86400 − 8 × 3600 = 1,795,276,800 s at Shanghai midnight.
  const std::string first = r.files[0].content.substr(0, r.files[0].content.find('\n'));
  CHECK(first ==
        R"({"triggerWorkFlow":false,"triggerApprovalFlow":false,"data":{"object_data":{"dataObjectApiName":"AccountObj",)"
        R"("_id":"zcrm_4150868000000224005","field_R1a2b__c":"545","field_S7g8h__c":"1","field_CLV9i__c":"18250.40",)"
        R"("field_PA0j1__c":"0.93","field_DT2k3__c":1795276800000}}})");
  CHECK(std::count(r.files[0].content.begin(), r.files[0].content.end(), '\n') == 5);
  CHECK(r.picklists == std::vector<std::string>{"field_S7g8h__c: 1, 5, 6, 7, 8"});
}

TEST_CASE("crm export bad input: unmapped FXiaoKe field / pick-list value not in the map", "[crm][error]") {
  const crm::profile p = crm::read_profile_from_string(profile_csv, "customers.csv");
  crm::export_options o;
  o.format = crm::export_format::fxiaoke_api;
  CHECK_THROWS_MATCHES(crm::build_export(p, o), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --fields: fields = : fxiaoke-api needs a map of scores to the "
                               "tenant's field_xxxxx__c API names"));
  // segment (and the others) left unmapped.
  o.fields = crm::parse_field_map(R"({"fields": {"clv": "field_CLV9i__c"}})", "map.json");
  CHECK_THROWS_MATCHES(crm::build_export(p, o), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --fields: rfm_code = : unmapped FXiaoKe field: map this score to a "
                               "field_xxxxx__c API name, or set it to null to leave it out"));
  const std::string rest = R"(, "rfm_code": null, "p_alive": null, "lifecycle_stage": null, "next_product": null, "scored_on": null)";
  o.fields = crm::parse_field_map(R"({"fields": {"segment": {"api_name": "field_S7g8h__c", "options": {"important value": "1", "lost": "8"}}, "clv": null)" +
                                      rest + "}}",
                                  "map.json");
  // Row 3 (line 4) has "potential", not in the map.
  CHECK_THROWS_MATCHES(crm::build_export(p, o), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --fields: segment = potential: pick-list value not in the map "
                               "(customers.csv:4); mapped: important value, lost"));
  o.fields = crm::parse_field_map(R"({"fields": {"segment": "field_S7g8h__c", "clv": null)" + rest + "}}", "map.json");
  CHECK_THROWS_WITH(crm::build_export(p, o), Contains("a single-select field needs \"options\""));
  o.fields = crm::parse_field_map(R"({"fields": {"clv": "field-bad name")" + rest + R"(, "segment": null}})", "map.json");
  CHECK_THROWS_WITH(crm::build_export(p, o), Contains("clv = field-bad name: not an FXiaoKe field API name"));
  CHECK_THROWS_WITH(crm::parse_field_map(R"({"fields": {"clv": 5}})", "map.json"), Contains("clv = 5: expected a string, an object or null"));
  CHECK_THROWS_AS(crm::parse_field_map("{not json", "map.json"), patron::invalid_argument_error);
  // zoho-import matches on Record Id exactly as exported: a profile without it is refused.
  const crm::profile no_ids = crm::read_profile_from_string("customer_id,segment\n4150868000000224005,lost\n", "p.csv");
  crm::export_options zi;
  zi.format = crm::export_format::zoho_import;
  CHECK_THROWS_MATCHES(crm::build_export(no_ids, zi), patron::data_error,
                       Message("[patron.missing_value] p.csv:2:1: record_id = \"\": empty: the Zoho import matches on Record Id "
                               "exactly as exported (zcrm_...); add record_id or use --ids-from"));
  // zoho-import: a map with options for segment refuses values it does not list.
  o.format = crm::export_format::zoho_import;
  o.fields = crm::parse_field_map(R"({"fields": {"segment": {"label": "Patron Segment", "options": {"lost": "Lost"}}}})", "map.json");
  CHECK_THROWS_WITH(crm::build_export(p, o), Contains("segment = important value: pick-list value not in the map (customers.csv:2)"));
}

TEST_CASE("crm export fxiaoke-import: UTF-8 BOM / Chinese headers / 8-class segment names in Chinese", "[crm][reference]") {
  const crm::profile p = crm::read_profile_from_string(profile_csv, "customers.csv");
  crm::export_options o;
  o.format = crm::export_format::fxiaoke_import;
  const crm::export_result r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 1);
  const std::string& c = r.files[0].content;
  CHECK(c.rfind("\xEF\xBB\xBF数据ID,客户名称,RFM编码,价值分群,客户终身价值(元),存活概率,生命周期阶段,推荐产品,评分日期\r\n", 0) == 0);
  CHECK(c.find("\r\nzcrm_4150868000000224005,Bentley Systems,545,重要价值,18250.40,") != std::string::npos);
  const table back = read_back(c);
  REQUIRE(back.rows.size() == 5);
  const std::vector<std::string> zh = {"重要价值", "流失", "潜力", "新客户", "一般维持"};
  for (std::size_t i = 0; i < 5; ++i) CHECK(back.rows[i][3] == zh[i]);
  CHECK(r.picklists[0] == "价值分群: 一般维持, 新客户, 流失, 潜力, 重要价值");
  // A segment outside the 8-class table needs the map.
  const crm::profile other = crm::read_profile_from_string("customer_id,segment\n1,Champions\n", "p.csv");
  CHECK_THROWS_WITH(crm::build_export(other, o), Contains("segment = Champions: pick-list value not in the 8-class Chinese table (p.csv:2)"));
}

TEST_CASE("crm cli: zoho export → summarize --preset → export --ids-from → files re-read give the same ids", "[crm][reference]") {
  const std::string inv = write_file("Invoices.csv", zoho_invoices);
  const std::string summary = temp_path("summary.csv");
  const run_result s = run("summarize --input '" + inv + "' --preset zoho-invoices --unit day --output '" + summary + "'");
  REQUIRE(s.status == 0);
  CHECK_THAT(s.err, Contains("amount \xE2\x86\x90 Grand Total"));
  CHECK_THAT(s.err, Contains("status_cancelled: 1"));
  const std::string map = write_file("map.json", R"({"fields": {"total": {"label": "Patron Total Spend", "type": "currency"},
                                                                 "orders": {"label": "Patron Orders", "type": "integer"}}})");
  const std::string out = temp_path("zoho_out");
  std::filesystem::remove_all(out);
  const run_result e = run("export --from '" + summary + "' --format zoho-import --fields '" + map + "' --ids-from '" + inv +
                           "' --preset zoho-invoices --out '" + out + "'");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.err, Contains("profile rows without a match: 0"));
  const table back = read_back(slurp(out + "/zoho-import-001.csv"));
  REQUIRE(back.rows.size() == 2);
  CHECK(back.columns == std::vector<std::string>{"Record Id", "Account Name", "Patron Total Spend", "Patron Orders"});
  // Summaries sorted by id: Bentley 1434.50 in 2 orders, Acme 2949.75 in 2 orders (Cancelled excluded).
  CHECK(back.rows[0] == std::vector<std::string>{"zcrm_4150868000000224005", "Bentley Systems", "1434.50", "2"});
  CHECK(back.rows[1] == std::vector<std::string>{"zcrm_4150868000000224099", "Acme, Inc.", "2949.75", "2"});
}

TEST_CASE("crm cli: profile → every format on disk / errors exit 2 and write nothing", "[crm][error]") {
  const std::string prof = write_file("customers.csv", profile_csv);
  const std::string out = temp_path("out_all");
  std::filesystem::remove_all(out);
  const run_result z = run("export --from '" + prof + "' --format zoho-import --max-rows 4 --out '" + out + "'");
  REQUIRE(z.status == 0);
  CHECK_THAT(z.err, Contains("pick-list values to create first: Patron Segment: general maintenance, important value, lost, new, potential"));
  CHECK(read_back(slurp(out + "/zoho-import-001.csv")).rows.size() == 4);
  CHECK(read_back(slurp(out + "/zoho-import-002.csv")).rows.size() == 1);
  const std::string bad_out = temp_path("out_bad");
  std::filesystem::remove_all(bad_out);
  const run_result f = run("export --from '" + prof + "' --format fxiaoke-api --out '" + bad_out + "'");
  CHECK(f.status == 2);
  CHECK_THAT(f.err, Contains("[patron.invalid_argument] --fields"));
  CHECK_FALSE(std::filesystem::exists(bad_out));
  const std::string map = write_file("bad_map.json", R"({"fields": {"segment": {"label": "价值分群", "options": {"lost": "流失"}}}})");
  const run_result g = run("export --from '" + prof + "' --format fxiaoke-import --fields '" + map + "' --out '" + bad_out + "'");
  CHECK(g.status == 2);
  CHECK_THAT(g.err, Contains("pick-list value not in the map"));
  CHECK_FALSE(std::filesystem::exists(bad_out));
  const run_result h = run("summarize --input '" + prof + "' --preset zoho-invoices");
  CHECK(h.status == 3);
  CHECK_THAT(h.err, Contains("[patron.missing_column]"));
  CHECK_THAT(h.err, Contains("headers: customer_id, record_id, name,"));
  CHECK(run("summarize --input '" + prof + "' --encoding gbk").status == 2);  // needs --preset
}

TEST_CASE("crm zoho-salesorders: line-item columns where present / Created Time as the order date", "[crm][reference]") {
  // One order per line item (Ordered_Items exported flat): SO 1 has two lines, SO 2 one.
  const std::string lines =
      "Record Id,SO Number,Account Name.id,Account Name,Created Time,Grand Total,Product Name,Quantity,Status\n"
      "zcrm_1,SO-1,zcrm_10,A,2019-03-12 14:48:20,10.00,Widget,2,Created\n"
      "zcrm_1,SO-1,zcrm_10,A,2019-03-12 14:48:20,5.50,Gadget,1,Created\n"
      "zcrm_2,SO-2,zcrm_11,B,2019-03-13 09:00:00,7.25,Widget,3,Delivered\n";
  crm::read_options o;
  o.preset = crm::preset::zoho_salesorders;
  const crm::read_result r = crm::read_export_from_string(lines, o, "Sales_Orders.csv");
  CHECK(has_binding(r.report, "date \xE2\x86\x90 Created Time"));
  CHECK(has_binding(r.report, "item \xE2\x86\x90 Product Name"));
  CHECK(has_binding(r.report, "quantity \xE2\x86\x90 Quantity"));
  REQUIRE(r.log.has_items());
  CHECK(r.report.rows_kept == 3);  // repeated Record Id is not a duplicate when lines are bound
  CHECK(r.log.items.size() == 2);
  CHECK(r.log.quantity == std::vector<double>{2, 1, 3});
  CHECK(total(r.log) == 22.75);  // 10 + 5.50 + 7.25
  CHECK(r.log.time[0] == day(2019, 3, 12) + 14 * 3600 + 48 * 60 + 20);
  // Without line items the same Record Id twice is a duplicate order.
  const std::string dup =
      "Record Id,Account Name.id,Created Time,Grand Total\nzcrm_1,zcrm_10,2019-03-12 14:48:20,10\nzcrm_1,zcrm_10,2019-03-12 14:48:20,10\n";
  const crm::read_result d = crm::read_export_from_string(dup, o, "Sales_Orders.csv");
  CHECK(d.report.count("duplicate_order") == 1);
  CHECK(total(d.log) == 10.0);
}

TEST_CASE("crm cli: --col / --encoding and --tz reach the preset layer", "[crm][unit]") {
  // Deals keyed on the contact instead of the account; a GB18030 file read with an explicit encoding.
  const std::string deals = write_file("Deals.csv",
                                       "Record Id,Contact Name.id,Contact Name,Closing Date,Amount,Stage\n"
                                       "zcrm_1,zcrm_55,Ann,2023-01-05,100,Closed Won\n");
  const std::string out = temp_path("deals_summary.csv");
  const run_result r = run("summarize --input '" + deals + "' --preset zoho-deals --col 'customer=Contact Name.id' --unit day -o '" + out + "'");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("customer \xE2\x86\x90 Contact Name.id (--col)"));
  CHECK(slurp(out) == "customer_id,x,t_x,T,monetary,total,orders,first,last\n55,0,0,0,0,100,1,2023-01-05,2023-01-05\n");
  const std::string gb = write_file("orders_gb.csv", encode(fxiaoke_orders_utf8, "GB18030"));
  const run_result g = run("summarize --input '" + gb + "' --preset fxiaoke-salesorder --encoding gbk --tz UTC -o '" + out + "'");
  REQUIRE(g.status == 0);
  CHECK_THAT(g.err, Contains("encoding GB18030"));
  CHECK_THAT(g.err, Contains("UTC+00:00"));
  CHECK_THAT(g.err, Contains("status_invalid: 1"));
  CHECK(run("summarize --input '" + gb + "' --preset fxiaoke-salesorder --tz America/New_York").status == 2);
  CHECK(run("summarize --input '" + gb + "' --preset fxiaoke-salesorder --col nonsense").status == 2);
}

namespace {

/// A CSV written by patron (summaries, scores) as id → row, header in `columns`.
struct keyed_csv {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> rows;
  [[nodiscard]] std::size_t col(const std::string& name) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    REQUIRE(it != columns.end());
    return static_cast<std::size_t>(it - columns.begin());
  }
};
keyed_csv read_keyed(const std::string& path) {
  crm::csv_table t = crm::parse_csv(crm::to_utf8(slurp(path), crm::text_encoding::utf8, path), ',', path);
  REQUIRE(t.rows.size() > 1);
  keyed_csv k{t.rows[0], {}};
  for (std::size_t i = 1; i < t.rows.size(); ++i) k.rows[t.rows[i][0]] = t.rows[i];
  return k;
}

/// "1234.5" → "$1,234.50", as Zoho writes Grand Total.
std::string zoho_dollars(double v) {
  const long long cents = std::llround(v * 100);
  char buf[64];
  if (cents >= 100'000)
    std::snprintf(buf, sizeof buf, "\"$%lld,%03lld.%02lld\"", cents / 100'000, (cents / 100) % 1000, cents % 100);
  else
    std::snprintf(buf, sizeof buf, "$%lld.%02lld", cents / 100, cents % 100);
  return buf;
}

}  // namespace

TEST_CASE("crm end to end: CDNOW as a Zoho Invoices export → summarize → fit → score → export / ids and scores kept",
          "[crm][reference][cli]") {
  // The CDNOW sample (../shared/data) rewritten to the Zoho Invoices layout: zcrm_ record ids, the
  // Account lookup split into .id + name, yyyy-MM-dd dates, "$1,234.50" amounts, plus one Cancelled
  // invoice that must change nothing.
  std::ifstream cdnow(patron_test::data_file("CDNOW_sample.txt"));
  std::string zoho = "Record Id,Invoice Number,Account Name.id,Account Name,Invoice Date,Status,Grand Total\n";
  std::string line;
  int n = 0;
  while (std::getline(cdnow, line)) {
    std::istringstream f(line);
    std::string master, id, ymd, qty;
    double amount = 0;
    f >> master >> id >> ymd >> qty >> amount;
    char acc[64];
    std::snprintf(acc, sizeof acc, "zcrm_4150868000%09d", std::stoi(id));
    ++n;
    zoho += "zcrm_" + std::to_string(5'000'000 + n) + ",INV-" + std::to_string(n) + "," + acc + ",CDNOW " + std::to_string(std::stoi(id)) +
            "," + ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2) + ",Approved," + zoho_dollars(amount) + "\n";
  }
  REQUIRE(n == 6919);  // rows of CDNOW_sample.txt (../shared/data/README.md)
  zoho += "zcrm_9999999,INV-X,zcrm_4150868000000000004,CDNOW 4,1997-03-01,Cancelled,\"$1,999.00\"\n";
  const std::string inv = write_file("cdnow_zoho_invoices.csv", zoho);

  // Summary through the preset = summary of the raw file through the plain reader (the one
  // cli_test checks against the published CDNOW summary), id for id, column for column.
  const std::string via_zoho = temp_path("cdnow_zoho_summary.csv"), plain = temp_path("cdnow_plain_summary.csv");
  const run_result s = run("summarize --input '" + inv + "' --preset zoho-invoices --unit week --observation-end 1997-09-30 --output '" +
                           via_zoho + "'");
  REQUIRE(s.status == 0);
  CHECK_THAT(s.err, Contains("status_cancelled: 1"));
  REQUIRE(run("summarize --input '" + patron_test::data_file("CDNOW_sample.txt") +
              "' --delimiter space --header no --customer 2 --date 3 --amount 5 --unit week --observation-end 1997-09-30 --output '" + plain +
              "'")
              .status == 0);
  const keyed_csv a = read_keyed(via_zoho), b = read_keyed(plain);
  REQUIRE(a.rows.size() == 2357);
  REQUIRE(b.rows.size() == 2357);
  for (const auto& [id, row] : b.rows) {
    const std::string zid = "4150868000" + std::string(9 - id.size(), '0') + id;  // normalised: zcrm_ stripped
    REQUIRE(a.rows.count(zid) == 1);
    for (std::size_t c = 1; c < row.size(); ++c) CHECK(a.rows.at(zid)[c] == row[c]);
  }

  // BG/NBD and Gamma-Gamma on it: Fader, Hardie & Lee (2005) r = 0.243, α = 4.414, a = 0.793, b = 2.426;
  // Fader & Hardie's Gamma-Gamma note p = 6.25, q = 3.74, γ = 15.44.
  const std::string bg = temp_path("cdnow_bg.json"), gg = temp_path("cdnow_gg.json"), scores = temp_path("cdnow_scores.csv");
  REQUIRE(run("fit --model bgnbd --input '" + via_zoho + "' --output '" + bg + "'").status == 0);
  REQUIRE(run("fit --model gg --input '" + via_zoho + "' --output '" + gg + "'").status == 0);
  CHECK_THAT(slurp(bg), Contains("\"r\": 0.2425"));
  CHECK_THAT(slurp(gg), Contains("\"p\": 6.24"));
  REQUIRE(run("score --model '" + bg + "' --spend '" + gg + "' --discount-rate 0.1 --input '" + via_zoho + "' --output '" + scores + "'")
              .status == 0);
  const keyed_csv sc = read_keyed(scores);
  REQUIRE(sc.rows.size() == 2357);

  // patron export with the record ids restored from the Zoho file, 1,000 rows per file: 1000 + 1000 + 357.
  const std::string out = temp_path("cdnow_zoho_import");
  std::filesystem::remove_all(out);
  const run_result e = run("export --from '" + scores + "' --format zoho-import --ids-from '" + inv + "' --preset zoho-invoices --max-rows 1000 --out '" +
                           out + "'");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.err, Contains("profile rows without a match: 0"));
  std::vector<std::vector<std::string>> rows;
  for (const char* file : {"/zoho-import-001.csv", "/zoho-import-002.csv", "/zoho-import-003.csv"}) {
    const table back = read_back(slurp(out + file));
    CHECK(back.columns == std::vector<std::string>{"Record Id", "Account Name", "Patron CLV", "Patron P Alive"});
    CHECK(back.rows.size() == (rows.size() < 2000 ? 1000u : 357u));
    rows.insert(rows.end(), back.rows.begin(), back.rows.end());
  }
  CHECK_FALSE(std::filesystem::exists(out + "/zoho-import-004.csv"));
  REQUIRE(rows.size() == 2357);
  const std::size_t p_alive = sc.col("p_alive"), clv = sc.col("clv");
  for (const auto& r : rows) {
    // Record Id as Zoho wrote it; the scores of that customer as `patron score` wrote them (CLV to the cent).
    REQUIRE(r[0].rfind("zcrm_4150868000", 0) == 0);
    const std::string id = r[0].substr(5);
    REQUIRE(sc.rows.count(id) == 1);
    CHECK(r[1] == "CDNOW " + std::to_string(std::stoll(id.substr(10))));
    CHECK(r[3] == sc.rows.at(id)[p_alive]);
    CHECK(std::stod(r[2]) == Approx(std::stod(sc.rows.at(id)[clv])).margin(0.005));
  }

  // The RFM scores of the same export joined in (export --from twice): one row per customer with
  // both files' scores, as each file wrote them.
  const std::string rfm = temp_path("cdnow_zoho_rfm.csv"), joined = temp_path("cdnow_zoho_joined");
  REQUIRE(run("rfm --input '" + inv + "' --preset zoho-invoices --output '" + rfm + "'").status == 0);
  const keyed_csv rk = read_keyed(rfm);
  REQUIRE(rk.rows.size() == 2357);
  std::filesystem::remove_all(joined);
  REQUIRE(run("export --from '" + scores + "' --from '" + rfm + "' --format zoho-import --ids-from '" + inv +
              "' --preset zoho-invoices --out '" + joined + "'")
              .status == 0);
  const table jt = read_back(slurp(joined + "/zoho-import-001.csv"));
  CHECK(jt.columns == std::vector<std::string>{"Record Id", "Account Name", "Patron RFM Code", "Patron Segment", "Patron CLV", "Patron P Alive"});
  REQUIRE(jt.rows.size() == 2357);
  for (const auto& r : jt.rows) {
    const std::string id = r[0].substr(5);
    CHECK(r[2] == rk.rows.at(id)[rk.col("rfm_score")]);
    CHECK(r[3] == rk.rows.at(id)[rk.col("segment")]);
    CHECK(r[5] == sc.rows.at(id)[p_alive]);
  }

  // Bulk Write from the same scores: id without zcrm_, 25,000-row files by default → one file.
  const std::string bulk = temp_path("cdnow_zoho_bulk");
  std::filesystem::remove_all(bulk);
  REQUIRE(run("export --from '" + scores + "' --format zoho-bulkwrite --ids-from '" + inv + "' --preset zoho-invoices --out '" + bulk + "'").status == 0);
  const table bw = read_back(slurp(bulk + "/zoho-bulkwrite-001.csv"));
  CHECK(bw.columns == std::vector<std::string>{"id", "Patron_CLV", "Patron_P_Alive"});
  REQUIRE(bw.rows.size() == 2357);
  for (const auto& r : bw.rows) CHECK(r[2] == sc.rows.at(r[0])[p_alive]);
}

TEST_CASE("crm end to end: GB18030 FXiaoKe orders → rfm --preset (cn8) → export fxiaoke-import / fxiaoke-api", "[crm][reference][cli]") {
  // 纷享销客 SalesOrderObj API dump saved by Chinese Excel (GB18030): ms epochs at Shanghai midnight
  // (1677600000000 = 2023-03-01 00:00 +08:00), one 作废 (invalid) order that must change nothing.
  const std::string dump =
      "_id,account_id,account_id__r,order_time,order_amount,life_status\n"
      "o1,5f1a00000000000000000001,甲公司,1677600000000,1000,normal\n"
      "o2,5f1a00000000000000000001,甲公司,2023-05-01,1000,normal\n"
      "o3,5f1a00000000000000000001,甲公司,1688054400000,1000,normal\n"
      "o4,5f1a00000000000000000002,乙公司,1673280000000,100,normal\n"
      "o5,5f1a00000000000000000002,乙公司,1687190400000,99999,invalid\n"
      "o6,5f1a00000000000000000003,丙公司,1687190400000,2000,normal\n"
      "o7,5f1a00000000000000000004,丁公司,2023/1/20,100,normal\n"
      "o8,5f1a00000000000000000004,丁公司,2023年2月1日,100,normal\n";
  const std::string orders = write_file("fxiaoke_rfm_gb18030.csv", encode(dump, "GB18030"));
  const std::string rfm = temp_path("fxiaoke_rfm.csv");
  const run_result r = run("rfm --input '" + orders + "' --preset fxiaoke-salesorder --binning mean-split --labels en --output '" + rfm + "'");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("customer \xE2\x86\x90 account_id"));
  CHECK_THAT(r.err, Contains("status_invalid: 1"));
  // As of 2023-07-01 (the day after the last order, 2023-06-30): recency 1, 172, 11, 150 days (mean 83.5);
  // frequency 3, 1, 1, 2 (mean 1.75); monetary 3000, 100, 2000, 200 (mean 1325). Above/below the mean:
  // 甲 222 important value, 乙 111 lost, 丙 212 important development, 丁 121 general maintenance (cn8 table).
  const keyed_csv k = read_keyed(rfm);
  REQUIRE(k.rows.size() == 4);
  const std::vector<std::pair<std::string, std::vector<std::string>>> want = {
      {"5f1a00000000000000000001", {"1", "3", "3000", "222", "important value"}},
      {"5f1a00000000000000000002", {"172", "1", "100", "111", "lost"}},
      {"5f1a00000000000000000003", {"11", "1", "2000", "212", "important development"}},
      {"5f1a00000000000000000004", {"150", "2", "200", "121", "general maintenance"}}};
  for (const auto& [id, v] : want) {
    INFO(id);
    REQUIRE(k.rows.count(id) == 1);
    const auto& row = k.rows.at(id);
    CHECK(std::vector<std::string>{row[k.col("recency_days")], row[k.col("frequency")], row[k.col("monetary")], row[k.col("rfm_score")],
                                   row[k.col("segment")]} == v);
  }

  // fxiaoke-import: BOM, Chinese headers, names restored from the export, segments in Chinese.
  const std::string out = temp_path("fxiaoke_rfm_import");
  std::filesystem::remove_all(out);
  const run_result e = run("export --from '" + rfm + "' --format fxiaoke-import --ids-from '" + orders + "' --preset fxiaoke-salesorder --out '" + out + "'");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.err, Contains("价值分群: 一般维持, 流失, 重要价值, 重要深耕"));
  const std::string bytes = slurp(out + "/fxiaoke-import-001.csv");
  CHECK(bytes.rfind("\xEF\xBB\xBF", 0) == 0);
  const table back = read_back(bytes);
  CHECK(back.columns == std::vector<std::string>{"数据ID", "客户名称", "RFM编码", "价值分群"});
  REQUIRE(back.rows.size() == 4);
  CHECK(back.rows[0] == std::vector<std::string>{"5f1a00000000000000000001", "甲公司", "222", "重要价值"});
  CHECK(back.rows[1] == std::vector<std::string>{"5f1a00000000000000000002", "乙公司", "111", "流失"});
  CHECK(back.rows[2] == std::vector<std::string>{"5f1a00000000000000000003", "丙公司", "212", "重要深耕"});
  CHECK(back.rows[3] == std::vector<std::string>{"5f1a00000000000000000004", "丁公司", "121", "一般维持"});

  // fxiaoke-api: the map's option values; a segment the map lacks is refused and nothing is written.
  const std::string map = write_file("fxiaoke_rfm_map.json", R"({"fields": {"rfm_code": "field_R1a2b__c",
      "segment": {"api_name": "field_S7g8h__c", "options": {"important value": "1", "important development": "3", "general maintenance": "7", "lost": "8"}}}})");
  const std::string api = temp_path("fxiaoke_rfm_api");
  std::filesystem::remove_all(api);
  REQUIRE(run("export --from '" + rfm + "' --format fxiaoke-api --fields '" + map + "' --out '" + api + "'").status == 0);
  const std::string jsonl = slurp(api + "/fxiaoke-api.jsonl");
  CHECK(std::count(jsonl.begin(), jsonl.end(), '\n') == 4);
  CHECK_THAT(jsonl, Contains(R"("_id":"5f1a00000000000000000003","field_R1a2b__c":"212","field_S7g8h__c":"3")"));
  const std::string short_map = write_file("fxiaoke_rfm_map_short.json", R"({"fields": {"rfm_code": "field_R1a2b__c",
      "segment": {"api_name": "field_S7g8h__c", "options": {"important value": "1", "lost": "8"}}}})");
  const std::string api2 = temp_path("fxiaoke_rfm_api2");
  std::filesystem::remove_all(api2);
  const run_result bad = run("export --from '" + rfm + "' --format fxiaoke-api --fields '" + short_map + "' --out '" + api2 + "'");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Contains("segment = important development: pick-list value not in the map"));
  CHECK_FALSE(std::filesystem::exists(api2));
  // --col and the other preset options need --preset.
  CHECK(run("rfm --input '" + orders + "' --encoding gbk").status == 2);
  // Invalid GB18030 bytes (0x81 0x20, as in the reader test) and mixed currencies stop the read
  // before any output file exists.
  const std::string broken = write_file("fxiaoke_rfm_broken.csv", encode(dump, "GB18030") + "o9,x,\x81\x20,1688054400000,1,normal\n");
  const std::string none = temp_path("fxiaoke_rfm_none.csv");
  std::filesystem::remove(none);
  const run_result g = run("rfm --input '" + broken + "' --preset fxiaoke-salesorder --output '" + none + "'");
  CHECK(g.status == 3);
  CHECK_THAT(g.err, Contains("[patron.bad_encoding]"));
  CHECK_THAT(g.err, Contains("invalid GB18030 at byte offset"));
  CHECK_FALSE(std::filesystem::exists(none));
  const std::string mixed = write_file("mixed_currency.csv",
                                       "Record Id,Account Name.id,Invoice Date,Currency,Grand Total\nzcrm_1,zcrm_2,2023-01-01,USD,5\n"
                                       "zcrm_3,zcrm_2,2023-01-02,EUR,5\n");
  const run_result m = run("summarize --input '" + mixed + "' --preset zoho-invoices --output '" + none + "'");
  CHECK(m.status == 3);
  CHECK_THAT(m.err, Contains("mixed currencies"));
  CHECK_FALSE(std::filesystem::exists(none));
}

TEST_CASE("crm end to end: Zoho Deals → lifecycle --preset → export zoho-import with the stage pick-list", "[crm][reference][cli]") {
  // Stages by the seven-stage table's documented defaults (include/patron/lifecycle/builtin.hpp:
  // maturity at frequency 3, decline when recency > 2 × own mean gap or > 180 days for one-time
  // buyers, termination when recency > 365 days), evaluated at 2023-06-30.
  const std::string deals = write_file("Deals_lifecycle.csv",
                                       "Record Id,Deal Name,Account Name.id,Account Name,Closing Date,Amount,Stage\n"
                                       "zcrm_1,a,zcrm_900,Foo Ltd,2023-06-01,100,Closed Won\n"      // one buy 29 days ago: development
                                       "zcrm_2,b,zcrm_901,Bar Inc,2023-05-01,100,Closed Won\n"      // two buys, 29 days ago, gap 31: growth
                                       "zcrm_3,c,zcrm_901,Bar Inc,2023-06-01,100,Closed Won\n"
                                       "zcrm_4,d,zcrm_902,Baz GmbH,2023-03-10,100,Closed Won\n"     // four buys a month apart,
                                       "zcrm_5,e,zcrm_902,Baz GmbH,2023-04-10,100,Closed Won\n"     // the last 20 days ago: maturity
                                       "zcrm_6,f,zcrm_902,Baz GmbH,2023-05-10,100,Closed Won\n"
                                       "zcrm_7,g,zcrm_902,Baz GmbH,2023-06-10,100,Closed Won\n"
                                       "zcrm_8,h,zcrm_903,Qux Co,2022-01-05,100,Closed Won\n"       // 541 days ago: termination
                                       "zcrm_9,i,zcrm_903,Qux Co,2023-06-01,100,Closed Lost\n");    // dropped, else a win-back
  const std::string stages = temp_path("deals_lifecycle.csv");
  const run_result l = run("lifecycle --input '" + deals + "' --preset zoho-deals --at 2023-06-30 --output '" + stages + "'");
  REQUIRE(l.status == 0);
  CHECK_THAT(l.err, Contains("stage_not_won: 1"));
  const std::string out = temp_path("deals_lifecycle_out");
  std::filesystem::remove_all(out);
  const run_result e = run("export --from '" + stages + "' --format zoho-import --ids-from '" + deals + "' --preset zoho-deals --out '" + out + "'");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.err, Contains("Patron Lifecycle Stage: development, growth, maturity, termination"));
  const table back = read_back(slurp(out + "/zoho-import-001.csv"));
  CHECK(back.columns == std::vector<std::string>{"Record Id", "Account Name", "Patron Lifecycle Stage"});
  std::map<std::string, std::vector<std::string>> by_id;
  for (const auto& r : back.rows) by_id[r[0]] = r;
  REQUIRE(by_id.size() == 4);
  CHECK(by_id["zcrm_900"] == std::vector<std::string>{"zcrm_900", "Foo Ltd", "development"});
  CHECK(by_id["zcrm_901"] == std::vector<std::string>{"zcrm_901", "Bar Inc", "growth"});
  CHECK(by_id["zcrm_902"] == std::vector<std::string>{"zcrm_902", "Baz GmbH", "maturity"});
  CHECK(by_id["zcrm_903"] == std::vector<std::string>{"zcrm_903", "Qux Co", "termination"});
  CHECK(run("lifecycle --input '" + deals + "' --at 2023-06-30 --tz UTC").status == 2);  // --tz needs --preset
}

TEST_CASE("crm export default limits: 10000 rows per zoho-import file / 25000 per Bulk Write file / --trigger-workflow", "[crm][unit]") {
  // 25,001 customers: zoho-import 10,000 + 10,000 + 5,001 (issue 12's default), Bulk Write 25,000 + 1 (its documented maximum).
  std::string csv = "customer_id,record_id,clv\n";
  for (int i = 1; i <= 25'001; ++i) csv.append(std::to_string(i)).append(",zcrm_").append(std::to_string(i)).append(",1.5\n");
  const crm::profile p = crm::read_profile_from_string(csv, "big.csv");
  crm::export_options o;
  o.format = crm::export_format::zoho_import;
  crm::export_result r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 3);
  CHECK(r.files[0].rows == 10'000);
  CHECK(r.files[1].rows == 10'000);
  CHECK(r.files[2].rows == 5'001);
  CHECK(r.files[2].content.find("\r\nzcrm_25001,,1.50\r\n") != std::string::npos);
  o.format = crm::export_format::zoho_bulkwrite;
  r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 2);
  CHECK(r.files[0].rows == 25'000);
  CHECK(r.files[1].content == "id,Patron_CLV\r\n25001,1.50\r\n");
  // fxiaoke-api: workflow and approval triggers only on request.
  o.format = crm::export_format::fxiaoke_api;
  o.fields = crm::parse_field_map(R"({"fields": {"clv": "field_CLV9i__c"}})", "map.json");
  o.trigger_workflow = true;
  r = crm::build_export(p, o);
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].content.rfind(R"({"triggerWorkFlow":true,"triggerApprovalFlow":true,"data":{"object_data":{"dataObjectApiName":"AccountObj",)"
                                 R"("_id":"zcrm_1","field_CLV9i__c":"1.50"}}})" "\n", 0) == 0);
}

TEST_CASE("crm join_profiles: score files joined on the customer id / one row per customer", "[crm][unit]") {
  // Hand-made: scores for 1 and 2 (zcrm_ ids, as --ids-from writes them), RFM for 2 and 3.
  const crm::profile scores = crm::read_profile_from_string("customer_id,record_id,p_alive,clv\n1,zcrm_1,0.5,10\n2,zcrm_2,0.25,20\n", "scores.csv");
  const crm::profile rfm = crm::read_profile_from_string("customer_id,rfm_score,segment,monetary\n2,111,lost,5\n3,555,champions,9\n", "rfm.csv");
  const crm::profile j = crm::join_profiles({scores, rfm});
  CHECK(j.source == "scores.csv + rfm.csv");
  CHECK(j.columns == std::vector<std::string>{"customer_id", "record_id", "name", "p_alive", "clv", "rfm_score", "segment", "monetary"});
  REQUIRE(j.rows.size() == 3);
  CHECK(j.rows[0] == std::vector<std::string>{"1", "zcrm_1", "", "0.5", "10", "", "", ""});
  CHECK(j.rows[1] == std::vector<std::string>{"2", "zcrm_2", "", "0.25", "20", "111", "lost", "5"});
  CHECK(j.rows[2] == std::vector<std::string>{"3", "", "", "", "", "555", "champions", "9"});
  // A score in two files is refused; another repeated column keeps the first file's values.
  const crm::profile seg2 = crm::read_profile_from_string("customer_id,rfm_segment\n2,x\n", "seg.csv");
  CHECK_THROWS_MATCHES(crm::join_profiles({rfm, seg2}), patron::invalid_argument_error,
                       Message("[patron.invalid_argument] --from: rfm_segment = seg.csv: this score is also in an earlier profile: give it once"));
  const crm::profile mon = crm::read_profile_from_string("customer_id,monetary\n2,777\n", "mon.csv");
  CHECK(crm::join_profiles({rfm, mon}).rows[0][5] == "5");
  // lifecycle --every writes one row per customer and date: export refuses a customer twice, joined or not.
  const crm::profile twice = crm::read_profile_from_string("customer_id,stage\n7,growth\n7,maturity\n", "stages.csv");
  CHECK_THROWS_MATCHES(crm::join_profiles({scores, twice}), patron::data_error,
                       Message("[patron.invalid_argument] stages.csv:3:1: customer_id = \"7\": also on line 2: export needs one row per "
                               "customer (lifecycle: use --at)"));
  crm::export_options o;
  o.format = crm::export_format::zoho_bulkwrite;
  CHECK_THROWS_WITH(crm::build_export(twice, o), Contains("stages.csv:3:1: record_id = \"7\": also on line 2"));
}

TEST_CASE("crm end to end: Zoho Sales Orders with line items → recommend --preset → export Patron Next Product", "[crm][reference][cli]") {
  // Widget bought by accounts 10, 11, 12; Gadget by 10, 11; Gizmo by 10. Popularity (invoice lines):
  // Widget 3 > Gadget 2 > Gizmo 1, so the best unseen item is Gizmo for 11 and Gadget for 12; 10 has
  // bought everything and gets no row.
  const std::string so = write_file("Sales_Orders_items.csv",
                                    "Record Id,Account Name.id,Account Name,Created Time,Grand Total,Product Name,Quantity,Status\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$30.00,Widget,1,Delivered\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$20.00,Gadget,1,Delivered\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$10.00,Gizmo,1,Delivered\n"
                                    "zcrm_2,zcrm_11,B,2023-01-03 10:00:00,$30.00,Widget,1,Delivered\n"
                                    "zcrm_3,zcrm_11,B,2023-02-03 10:00:00,$20.00,Gadget,1,Delivered\n"
                                    "zcrm_4,zcrm_12,C,2023-01-04 10:00:00,$30.00,Widget,1,Delivered\n"
                                    "zcrm_5,zcrm_12,C,2023-01-05 10:00:00,$99.00,Gizmo,1,Cancelled\n");
  const std::string rec = temp_path("so_recommend.csv");
  const run_result r = run("recommend --input '" + so + "' --preset zoho-salesorders --method popular --k 2 --output '" + rec + "'");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("item \xE2\x86\x90 Product Name"));
  CHECK_THAT(r.err, Contains("status_cancelled: 1"));
  const std::string out = temp_path("so_recommend_out");
  std::filesystem::remove_all(out);
  REQUIRE(run("export --from '" + rec + "' --format zoho-import --ids-from '" + so + "' --preset zoho-salesorders --out '" + out + "'").status == 0);
  const table back = read_back(slurp(out + "/zoho-import-001.csv"));
  CHECK(back.columns == std::vector<std::string>{"Record Id", "Account Name", "Patron Next Product"});
  CHECK(back.rows == std::vector<std::vector<std::string>>{{"zcrm_11", "B", "Gizmo"}, {"zcrm_12", "C", "Gadget"}});
  // The library reads recommend output the same way: rank-1 rows only.
  const crm::profile p = crm::read_profile_from_string("customer_id,rank,item,score\n11,1,Gizmo,1\n11,2,X,0.5\n12,1,Gadget,2\n", "rec.csv");
  CHECK(p.rows.size() == 2);
  CHECK(p.column("next_product") == 2);
  CHECK(p.lines == std::vector<std::uint64_t>{2, 4});
}

TEST_CASE("crm: rules --preset reads a Zoho Sales Orders export as invoice baskets", "[crm][cli]") {
  // Baskets by Record Id: zcrm_1 {Widget, Gadget, Gizmo}, zcrm_2 {Widget}, zcrm_3 {Gadget}; the
  // cancelled zcrm_4 is dropped. Gizmo → Widget: support 1/3, confidence 1, lift 1/(2/3) = 1.5.
  const std::string so = write_file("Sales_Orders_rules.csv",
                                    "Record Id,Account Name.id,Account Name,Created Time,Grand Total,Product Name,Quantity,Status\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$30.00,Widget,1,Delivered\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$20.00,Gadget,1,Delivered\n"
                                    "zcrm_1,zcrm_10,A,2023-01-02 10:00:00,$10.00,Gizmo,1,Delivered\n"
                                    "zcrm_2,zcrm_11,B,2023-01-03 10:00:00,$30.00,Widget,1,Delivered\n"
                                    "zcrm_3,zcrm_11,B,2023-02-03 10:00:00,$20.00,Gadget,1,Delivered\n"
                                    "zcrm_4,zcrm_12,C,2023-01-05 10:00:00,$99.00,Gizmo,1,Cancelled\n");
  const std::string rules = temp_path("so_rules.csv");
  const run_result r = run("rules --input '" + so + "' --preset zoho-salesorders --min-support 0.3 --min-confidence 1 --output '" + rules + "'");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("status_cancelled: 1"));
  CHECK_THAT(r.err, Contains("patron rules: 3 baskets, 3 items"));
  CHECK_THAT(slurp(rules), Contains("\nGizmo,Widget,0.3333333333333333,1,1.5,"));
  // A preset's required column missing is an error that lists the headers.
  const std::string bad = write_file("Sales_Orders_noitem.csv", "Record Id,Created Time\nzcrm_1,2023-01-02 10:00:00\n");
  const run_result e = run("rules --input '" + bad + "' --preset zoho-salesorders");
  CHECK(e.status == 3);
  CHECK_THAT(e.err, Contains("Record Id"));
}
