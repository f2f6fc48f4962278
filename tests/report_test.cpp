// SPDX-License-Identifier: MIT
// The customer-value report: files, columns, a strict XML check of report.html, numbers that agree
// between the HTML, the CSV and the JSON, HMAC test vectors, the demo, the CRM round trip and a
// real browser (headless Chromium) laying the charts out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "patron/data/read.hpp"
#include "patron/data/simulate.hpp"
#include "patron/error.hpp"
#include "patron/report.hpp"
#include "test_support.hpp"

using Catch::Matchers::Contains;

namespace {

namespace rp = patron::report;

const patron_test::cli_files files{"report_"};
using run_result = patron_test::cli_files::run_result;
std::string temp_path(const std::string& name) { return files.temp_path(name); }
std::string write_file(const std::string& name, const std::string& text) { return files.write_file(name, text); }
run_result run(const std::string& args) { return files.run(args); }
using patron_test::slurp;

// --- a strict XML reader: every tag closed and nested, attributes quoted, entities known ---------
struct element {
  std::string name;
  std::map<std::string, std::string> attr;
  std::vector<std::unique_ptr<element>> children;
  std::string text;  ///< all character data directly inside, entities decoded
};

class xml_parser {
 public:
  explicit xml_parser(const std::string& s) : s_(s) {}
  /// Throws std::runtime_error naming the byte offset of the first violation.
  std::unique_ptr<element> parse() {
    skip_misc();
    if (s_.compare(i_, 9, "<!DOCTYPE") == 0) {
      const auto e = s_.find('>', i_);
      if (e == std::string::npos) fail("unterminated DOCTYPE");
      i_ = e + 1;
    }
    skip_misc();
    auto root = parse_element();
    skip_misc();
    if (i_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("not well-formed at byte " + std::to_string(i_) + ": " + what);
  }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void skip_misc() {
    for (;;) {
      skip_ws();
      if (s_.compare(i_, 4, "<!--") == 0) {
        const auto e = s_.find("-->", i_);
        if (e == std::string::npos) fail("unterminated comment");
        i_ = e + 3;
      } else if (s_.compare(i_, 2, "<?") == 0) {
        const auto e = s_.find("?>", i_);
        if (e == std::string::npos) fail("unterminated processing instruction");
        i_ = e + 2;
      } else {
        return;
      }
    }
  }
  std::string name() {
    const std::size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '_' || s_[i_] == ':' || s_[i_] == '.'))
      ++i_;
    if (b == i_) fail("expected a name");
    return s_.substr(b, i_ - b);
  }
  std::string decode(std::size_t b, std::size_t e) {
    std::string out;
    for (std::size_t k = b; k < e; ++k) {
      if (s_[k] == '<') {
        i_ = k;
        fail("'<' in text or attribute");
      }
      if (s_[k] != '&') {
        out += s_[k];
        continue;
      }
      const auto semi = s_.find(';', k);
      if (semi == std::string::npos || semi > e) {
        i_ = k;
        fail("'&' without ';'");
      }
      const std::string ent = s_.substr(k + 1, semi - k - 1);
      if (ent == "amp") out += '&';
      else if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (ent.size() > 1 && ent[0] == '#' && std::all_of(ent.begin() + 1, ent.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        out += '?';
      else {
        i_ = k;
        fail("unknown entity &" + ent + ";");
      }
      k = semi;
    }
    return out;
  }
  std::unique_ptr<element> parse_element() {
    if (i_ >= s_.size() || s_[i_] != '<') fail("expected '<'");
    ++i_;
    auto el = std::make_unique<element>();
    el->name = name();
    for (;;) {
      skip_ws();
      if (i_ >= s_.size()) fail("unterminated start tag");
      if (s_.compare(i_, 2, "/>") == 0) {
        i_ += 2;
        return el;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      const std::string a = name();
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != '=') fail("attribute " + a + " without a value");
      ++i_;
      skip_ws();
      const char q = s_[i_];
      if (q != '"' && q != '\'') fail("unquoted attribute " + a);
      const auto e = s_.find(q, i_ + 1);
      if (e == std::string::npos) fail("unterminated attribute");
      if (el->attr.count(a)) fail("duplicate attribute " + a);
      el->attr[a] = decode(i_ + 1, e);
      i_ = e + 1;
    }
    for (;;) {
      const auto lt = s_.find('<', i_);
      if (lt == std::string::npos) fail("element " + el->name + " not closed");
      el->text += decode(i_, lt);
      i_ = lt;
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        const std::string n = name();
        if (n != el->name) fail("</" + n + "> closes <" + el->name + ">");
        skip_ws();
        if (i_ >= s_.size() || s_[i_] != '>') fail("bad end tag");
        ++i_;
        return el;
      }
      if (s_.compare(i_, 4, "<!--") == 0) {
        skip_misc();
        continue;
      }
      el->children.push_back(parse_element());
    }
  }
  const std::string& s_;
  std::size_t i_ = 0;
};

const element* find_id(const element& e, const std::string& id) {
  const auto it = e.attr.find("id");
  if (it != e.attr.end() && it->second == id) return &e;
  for (const auto& c : e.children)
    if (const element* f = find_id(*c, id)) return f;
  return nullptr;
}
void collect(const element& e, const std::string& name, std::vector<const element*>& out) {
  if (e.name == name) out.push_back(&e);
  for (const auto& c : e.children) collect(*c, name, out);
}
std::string all_text(const element& e) {
  std::string s = e.text;
  for (const auto& c : e.children) s += all_text(*c);
  return s;
}

// --- customers.csv ------------------------------------------------------------------------------
struct csv_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] std::size_t col(const std::string& n) const {
    const auto it = std::find(header.begin(), header.end(), n);
    if (it == header.end()) throw std::runtime_error("no column " + n);
    return static_cast<std::size_t>(it - header.begin());
  }
};
/// RFC 4180 records (quoted fields, doubled quotes); every record must have the header's width.
csv_table parse_csv(const std::string& text) {
  csv_table t;
  std::vector<std::string> rec;
  std::string cur;
  bool q = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (q) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') q = false;
      else cur += c;
    } else if (c == '"') {
      q = true;
    } else if (c == ',') {
      rec.push_back(cur), cur.clear();
    } else if (c == '\n') {
      rec.push_back(cur), cur.clear();
      if (t.header.empty()) t.header = rec;
      else if (rec.size() != t.header.size()) throw std::runtime_error("ragged record " + std::to_string(t.rows.size() + 2));
      else t.rows.push_back(rec);
      rec.clear();
      any = false;
      continue;
    } else {
      cur += c;
    }
    any = true;
  }
  if (any || q) throw std::runtime_error("last record not terminated");
  return t;
}

rp::customer_report cdnow_report(const std::string& dir) {
  patron::read_options ro;
  const auto in = patron::read_transactions(patron_test::data_file("CDNOW_master.txt"), ro);
  rp::report_options o;
  o.calibration_end = patron::from_ymd(1997, 9, 30);
  auto r = rp::build_report(in.log, in.report, o);
  rp::write_report(r, dir);
  return r;
}

/// The checks every written report must pass; returns the parsed pieces for more.
struct written {
  csv_table csv;
  nlohmann::json json;
  std::unique_ptr<element> html;
};
written check_report_dir(const std::string& dir, const std::vector<std::string>& charts) {
  written w;
  for (const char* f : {"customers.csv", "summary.json", "report.html"}) REQUIRE(std::filesystem::exists(dir + "/" + f));
  w.csv = parse_csv(slurp(dir + "/customers.csv"));
  w.json = nlohmann::json::parse(slurp(dir + "/summary.json"));
  const std::string html = slurp(dir + "/report.html");
  xml_parser p(html);
  REQUIRE_NOTHROW(w.html = p.parse());
  CHECK(w.html->name == "html");
  // Self-contained: no script, no external resource.
  CHECK(html.find("<script") == std::string::npos);
  for (std::size_t at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1))
    CHECK(html.compare(at, 18, "http://www.w3.org/") == 0);  // only the XML namespaces
  CHECK(html.find(" src=") == std::string::npos);
  for (const auto& id : charts) {
    INFO(id);
    const element* fig = find_id(*w.html, id);
    REQUIRE(fig != nullptr);
    const element* svg = find_id(*fig, "svg-" + id);
    REQUIRE(svg != nullptr);
    std::vector<const element*> titles, texts;
    collect(*svg, "title", titles);
    collect(*svg, "text", texts);
    CHECK(titles.size() == 1);
    CHECK(texts.size() >= 3);  // axis labels and values are written, not only drawn
  }
  // Documented columns: every header is a known column (or a joined attribute).
  const auto known = rp::column_names();
  for (const auto& h : w.csv.header) CHECK((std::find(known.begin(), known.end(), h) != known.end() || h.rfind("attr_", 0) == 0));
  REQUIRE(w.json["profile"]["columns"].size() == w.csv.header.size());
  for (std::size_t j = 0; j < w.csv.header.size(); ++j) CHECK(w.json["profile"]["columns"][j]["name"] == w.csv.header[j]);
  return w;
}

std::string fixed(double v, int d) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", d, v);
  return b;
}
std::string grouped_int(std::uint64_t v) {
  std::string s = std::to_string(v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

const std::vector<std::string> core_charts = {"chart-rfm-segments", "chart-rf-heatmap", "chart-lorenz",   "chart-tiers",
                                              "chart-p-alive",      "chart-clv",        "chart-fr-matrix", "chart-lifecycle",
                                              "chart-clusters",     "chart-monthly-customers", "chart-monthly-revenue", "chart-cohorts"};

}  // namespace

TEST_CASE("report hmac: RFC 4231 HMAC-SHA-256 test cases 1 and 2", "[report][reference]") {
  // RFC 4231 section 4.2: key = 20 bytes 0x0b, data = "Hi There".
  CHECK(rp::hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 4231 section 4.3: key = "Jefe", data = "what do ya want for nothing?".
  CHECK(rp::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 section 4.7: a 131-byte key (longer than the block) is hashed first.
  CHECK(rp::hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("report cdnow: three files / documented columns / strict XHTML / numbers agree between HTML CSV and JSON",
          "[report][reference][slow]") {
  const std::string dir = temp_path("cdnow");
  std::filesystem::remove_all(dir);
  const rp::customer_report r = cdnow_report(dir);
  std::vector<std::string> charts = core_charts;
  charts.push_back("chart-tracking");
  const written w = check_report_dir(dir, charts);
  // CDNOW (data README; Fader, Hardie & Lee 2005): 23,570 customers, 69,659 rows, 1997-01-01..1998-06-30.
  CHECK(w.csv.rows.size() == 23570);
  CHECK(w.json["customers"] == 23570);
  CHECK(w.json["data_quality"]["rows_read"] == 69659);
  CHECK(w.json["period"]["as_of"] == "1998-06-30");
  CHECK(w.html->children.size() == 2);
  CHECK(all_text(*find_id(*w.html, "kpi-customers")) == "23,570");

  // Segment counts: CSV rows per rfm_segment = JSON segments = the numbers written on the bars.
  std::map<std::string, std::uint64_t> from_csv;
  const std::size_t seg = w.csv.col("rfm_segment");
  for (const auto& row : w.csv.rows) ++from_csv[row[seg]];
  const element* bars = find_id(*w.html, "chart-rfm-segments");
  std::vector<const element*> rects;
  collect(*bars, "rect", rects);
  std::map<std::string, std::string> bar_value;
  for (const auto* e : rects)
    if (e->attr.count("data-name")) bar_value[e->attr.at("data-name")] = e->attr.at("data-value");
  std::uint64_t total = 0;
  for (const auto& s : w.json["segments"]) {
    const std::string name = s["name"];
    const std::uint64_t n = s["count"];
    CHECK(from_csv[name] == n);
    REQUIRE(bar_value.count(name) == 1);
    CHECK(bar_value[name].rfind(std::to_string(n) + " (", 0) == 0);
    total += n;
  }
  CHECK(total == 23570);

  // R×F heatmap cell counts = CSV rows with that (r_score, f_score).
  const element* heat = find_id(*w.html, "chart-rf-heatmap");
  rects.clear();
  collect(*heat, "rect", rects);
  std::size_t cells = 0;
  const std::size_t rc = w.csv.col("r_score"), fc = w.csv.col("f_score");
  for (const auto* e : rects) {
    if (!e->attr.count("data-row")) continue;
    const std::string rr = e->attr.at("data-row").substr(4), ff = e->attr.at("data-col").substr(4);
    const auto n = std::count_if(w.csv.rows.begin(), w.csv.rows.end(), [&](const auto& row) { return row[rc] == rr && row[fc] == ff; });
    CHECK(e->attr.at("data-value") == std::to_string(n));
    ++cells;
  }
  CHECK(cells == 25);

  // Lifecycle: the last funnel bar of each stage = JSON stage count = CSV rows in that stage.
  std::map<std::string, std::uint64_t> stage_csv;
  const std::size_t st = w.csv.col("lifecycle_stage");
  for (const auto& row : w.csv.rows) ++stage_csv[row[st]];
  const element* life = find_id(*w.html, "chart-lifecycle");
  rects.clear();
  collect(*life, "rect", rects);
  for (const auto& s : w.json["stages"]) {
    const std::string name = s["name"];
    CHECK(stage_csv[name] == s["count"].get<std::uint64_t>());
    for (const auto* e : rects)
      if (e->attr.count("data-date") && e->attr.at("data-date") == "1998-06-30" && e->attr.at("data-name") == name)
        CHECK(e->attr.at("data-value") == std::to_string(s["count"].get<std::uint64_t>()));
  }

  // P(alive) histogram bars = CSV p_alive values binned in tenths.
  const std::size_t pa = w.csv.col("p_alive");
  // The CSV rounds P(alive) to 4 decimals, so a value within 5e-5 of a bin edge may land in the
  // next bin: each bar may differ from the CSV count by the CSV values at its two edges.
  std::vector<std::uint64_t> tenth(10, 0), at_edge(11, 0);
  for (const auto& row : w.csv.rows) {
    const double p = std::stod(row[pa]);
    ++tenth[static_cast<std::size_t>(std::clamp(p * 10.0, 0.0, 9.0))];
    const double e = std::round(p * 10.0);
    if (std::abs(p * 10.0 - e) < 1e-3) ++at_edge[static_cast<std::size_t>(e)];
  }
  rects.clear();
  collect(*find_id(*w.html, "chart-p-alive"), "rect", rects);
  std::vector<std::string> hist;
  for (const auto* e : rects)
    if (e->attr.count("data-value")) hist.push_back(e->attr.at("data-value"));
  REQUIRE(hist.size() == 10);
  for (std::size_t k = 0; k < 10; ++k)
    CHECK(std::abs(std::stod(hist[k]) - static_cast<double>(tenth[k])) <= static_cast<double>(at_edge[k] + (k < 9 ? at_edge[k + 1] : 0)));

  // Headline KPIs and JSON: total CLV = Σ CSV clv (rounded to cents: ≤ 0.005 per customer).
  double clv_sum = 0;
  const std::size_t cc = w.csv.col("clv");
  for (const auto& row : w.csv.rows) clv_sum += std::stod(row[cc]);
  CHECK(std::abs(clv_sum - w.json["value"]["total_clv"].get<double>()) <= 0.005 * 23570);
  // Revenue: the log's sum (JSON) = Σ CSV total_spend up to cents.
  double spend = 0;
  const std::size_t ts = w.csv.col("total_spend");
  for (const auto& row : w.csv.rows) spend += std::stod(row[ts]);
  CHECK(std::abs(spend - w.json["revenue"].get<double>()) <= 0.005 * 23570);

  // Monthly KPIs: the HTML table = JSON; new customers summed over months = all customers, and
  // CDNOW's cohort was acquired in the first quarter of 1997 (FHL 2005).
  const element* kpis = find_id(*w.html, "table-monthly-kpis");
  REQUIRE(kpis != nullptr);
  std::uint64_t news = 0;
  for (std::size_t m = 0; m < w.json["monthly_kpis"].size(); ++m) {
    const auto& k = w.json["monthly_kpis"][m];
    const element& tr = *kpis->children[m + 1];
    CHECK(all_text(*tr.children[0]) == k["month"].get<std::string>());
    CHECK(all_text(*tr.children[1]) == std::to_string(k["active"].get<std::uint64_t>()));
    CHECK(all_text(*tr.children[2]) == std::to_string(k["new"].get<std::uint64_t>()));
    CHECK(all_text(*tr.children[5]) == fixed(k["revenue"].get<double>(), 2));
    news += k["new"].get<std::uint64_t>();
    if (m >= 3) CHECK(k["new"] == 0);
  }
  CHECK(news == 23570);

  // At-risk table = JSON list, in order of value at risk = CLV·(1 − P)/P (recomputed here from
  // the row's own CLV and P(alive)), every one at risk.
  const element* risk = find_id(*w.html, "table-at-risk");
  REQUIRE(risk->children.size() == w.json["valuable_at_risk"].size() + 1);
  double prev = 1e300;
  for (std::size_t k = 0; k < w.json["valuable_at_risk"].size(); ++k) {
    const auto& a = w.json["valuable_at_risk"][k];
    const double p = a["p_alive"].get<double>(), clv = a["clv"].get<double>(), var = a["value_at_risk"].get<double>();
    CHECK(var == Approx(p > 0 ? clv * (1 - p) / p : 0.0).epsilon(1e-12));
    CHECK(all_text(*risk->children[k + 1]->children[0]) == a["customer_id"].get<std::string>());
    CHECK(all_text(*risk->children[k + 1]->children[1]) == fixed(clv, 2));
    CHECK(all_text(*risk->children[k + 1]->children[2]) == fixed(var, 2));
    CHECK(var <= prev);
    prev = var;
  }

  // Model fits carry a status and a log-likelihood.
  CHECK(w.json["models"]["bgnbd"]["status"] == "converged");
  CHECK(w.json["models"]["bgnbd"]["log_likelihood"].get<double>() < 0);
  CHECK(w.json["models"]["gamma_gamma"]["status"] == "converged");
  const auto& h = w.json["holdout"];
  CHECK(h["customers"] == 23570);
  REQUIRE(r.holdout->weekly_actual.size() == 78);
  // Weeks run from 1997-01-01, so week 39 starts on 1997-10-01, the first holdout day: the
  // holdout's actual repeat purchases (from summarize) = the tracking weeks 39-77 (counted from
  // the purchase days separately).
  double holdout_weeks = 0;
  for (std::size_t k = 39; k < 78; ++k) holdout_weeks += r.holdout->weekly_actual[k];
  CHECK(r.holdout->week[39] == "1997-10-01");
  CHECK(h["actual_repeat_purchases"].get<double>() == holdout_weeks);
  // Weekly tracking: actual weekly repeat purchases add up to the calibration + holdout repeats.
  double weekly = 0;
  for (double x : r.holdout->weekly_actual) weekly += x;
  double cal = 0;
  const std::size_t fr = w.csv.col("frequency");
  for (const auto& row : w.csv.rows) cal += std::stod(row[fr]);
  CHECK(weekly == Approx(cal));
  // 80/20: the Lorenz caption and the KPI use the JSON figure.
  CHECK(all_text(*find_id(*w.html, "kpi-top20")) == fixed(100 * w.json["pareto"]["revenue_share_of_top_20_percent"].get<double>(), 1) + " %");
}

TEST_CASE("report cdnow sample: the calibration fit is FHL 2005's BG/NBD estimate", "[report][reference]") {
  patron::read_options ro;
  ro.customer = patron::column_ref::at(2);
  ro.date = patron::column_ref::at(3);
  ro.amount = patron::column_ref::at(5);
  const auto in = patron::read_transactions(patron_test::data_file("CDNOW_sample.txt"), ro);
  rp::report_options o;
  o.calibration_end = patron::from_ymd(1997, 9, 30);
  const rp::customer_report r = rp::build_report(in.log, in.report, o);
  REQUIRE(r.holdout.has_value());
  const auto& f = r.holdout->bgnbd;
  REQUIRE(f.status == "converged");
  // Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4: r = 0.243, alpha = 4.414,
  // a = 0.793, b = 2.426, LL = -9582.4 on the 2,357-customer sample, weeks 1-39 (3 digits given).
  CHECK(f.params[0] == Approx(0.243).margin(5e-4));
  CHECK(f.params[1] == Approx(4.414).margin(5e-4));
  CHECK(f.params[2] == Approx(0.793).margin(5e-4));
  CHECK(f.params[3] == Approx(2.426).margin(5e-4));
  CHECK(f.log_likelihood == Approx(-9582.4).margin(0.05));
  CHECK(r.holdout->customers == 2357);
}

TEST_CASE("report online retail: items give favourites recommendations and rules / cli writes the files", "[report][reference][slow]") {
  const std::string dir = temp_path("retail");
  std::filesystem::remove_all(dir);
  const run_result r = run("report --input '" + patron_test::data_file("online_retail.csv.gz") +
                           "' --customer CustomerID --date InvoiceDate --quantity Quantity --price UnitPrice --item StockCode "
                           "--invoice InvoiceNo --cancel-prefix C --numeric-ids --lenient --out '" + dir + "' --quiet");
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::vector<std::string> charts = core_charts;
  charts.push_back("chart-rules");
  const written w = check_report_dir(dir, charts);
  // cdnow_test (README Online Retail section): 541,909 lines, 4,339 customers after the cleaning.
  CHECK(w.json["data_quality"]["rows_read"] == 541909);
  CHECK(w.csv.rows.size() == 4339);
  CHECK(w.json["data_quality"]["rows_kept"].get<std::uint64_t>() + w.json["data_quality"]["rows_skipped"].get<std::uint64_t>() == 541909);
  for (const char* c : {"favourite_items", "next_product", "recommended_items"}) CHECK(w.csv.col(c) > 0);
  const std::size_t nx = w.csv.col("next_product"), rec = w.csv.col("recommended_items");
  std::size_t with = 0;
  for (const auto& row : w.csv.rows) {
    if (row[nx].empty()) continue;
    ++with;
    CHECK(row[rec].rfind(row[nx], 0) == 0);  // the first recommended item is next_product
  }
  CHECK(with > 4000);
  // Rules on the bars = JSON top rules.
  const auto& rules = w.json["association_rules"]["top"];
  REQUIRE(rules.size() > 0);
  std::vector<const element*> rects;
  collect(*find_id(*w.html, "chart-rules"), "rect", rects);
  std::vector<std::string> vals;
  for (const auto* e : rects)
    if (e->attr.count("data-value")) vals.push_back(e->attr.at("data-value"));
  REQUIRE(vals.size() == rules.size());
  for (std::size_t k = 0; k < rules.size(); ++k) CHECK(vals[k].rfind("lift " + fixed(rules[k]["lift"].get<double>(), 2), 0) == 0);
  // The headline lines are printed after the report's location.
  CHECK_THAT(r.out, Contains("report: " + dir + "/report.html"));
  CHECK_THAT(r.out, Contains("4339 customers"));
  CHECK(all_text(*find_id(*w.html, "kpi-customers")) == grouped_int(4339));
}

TEST_CASE("report privacy: --pseudonymize replaces ids everywhere / --columns keeps only the chosen ones", "[report][unit]") {
  // Two customers by hand: a bought 10 on 2020-01-01 and 30 on 2020-03-01; b bought 5 on 2020-02-01.
  const std::string log = write_file("tiny.csv", "customer,date,amount\nalice@example.com,2020-01-01,10\nalice@example.com,2020-03-01,30\n"
                                                 "bob@example.com,2020-02-01,5\nbob@example.com,2020-02-20,6\n");
  const std::string dir = temp_path("pseudo");
  std::filesystem::remove_all(dir);
  const run_result r = run("report --input '" + log + "' --pseudonymize s3cret --columns total_spend,orders,rfm_segment --out '" + dir + "' -q");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string csv = slurp(dir + "/customers.csv"), json = slurp(dir + "/summary.json"), html = slurp(dir + "/report.html");
  for (const std::string* s : {&csv, &json, &html}) {
    CHECK(s->find("alice") == std::string::npos);
    CHECK(s->find("bob@") == std::string::npos);
  }
  const csv_table t = parse_csv(csv);
  CHECK(t.header == std::vector<std::string>{"customer_id", "total_spend", "orders", "rfm_segment"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][0] == rp::hmac_sha256_hex("s3cret", "alice@example.com"));
  CHECK(t.rows[0][1] == "40.00");
  CHECK(t.rows[0][2] == "2");
  CHECK(t.rows[1][1] == "11.00");
  CHECK(json.find("\"pseudonymized\": true") != std::string::npos);

  const run_result bad = run("report --input '" + log + "' --columns total_spend,shoe_size --out '" + dir + "' -q");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Contains("columns = shoe_size"));
  const run_result no_items = run("report --input '" + log + "' --columns next_product --out '" + dir + "' -q");
  CHECK(no_items.status == 2);
  CHECK_THAT(no_items.err, Contains("not available for this log"));
  const run_result salt = run("report --input '" + log + "' --pseudonymize '' --out '" + dir + "' -q");
  CHECK(salt.status == 0);  // an empty --pseudonymize is "not given"
}

TEST_CASE("report attitude: NPS and CSAT from an attributes file / bad answers name file line and field", "[report][reference]") {
  patron::transaction_log log;
  // Six customers, two purchases each, so every one has a profile.
  for (const char* c : {"1", "2", "3", "4", "5", "6"}) {
    log.add(c, patron::start_of(patron::from_ymd(2021, 1, 4)), 20);
    log.add(c, patron::start_of(patron::from_ymd(2021, 3, 1)), 25);
  }
  patron::ingest_report ing;
  ing.source = "hand";
  rp::report_options o;
  // Answers by hand: nps 10, 9 (promoters), 8 (passive), 6, 0 (detractors), customer 6 no answer:
  // NPS = 100 × (2 − 2) / 5 = 0. CSAT 5, 4, 3, 2, 5 on 1–5: mean 19/5 = 3.8, satisfied (≥ 4) 3/5.
  o.attributes_path = write_file("attr.csv", "customer_id,nps,csat,region\n1,10,5,north\n2,9,4,south\n3,8,3,north\n4,6,2,west\n5,0,5,east\n6,,,east\n");
  const rp::customer_report r = rp::build_report(log, ing, o);
  CHECK(r.attitude.has_nps);
  CHECK(r.attitude.nps_answers == 5);
  CHECK(r.attitude.promoters == 2);
  CHECK(r.attitude.passives == 1);
  CHECK(r.attitude.detractors == 2);
  CHECK(r.attitude.nps == Approx(0.0).margin(1e-12));
  CHECK(r.attitude.csat_mean == Approx(3.8));
  CHECK(r.attitude.csat_satisfied_share == Approx(0.6));
  const auto it = std::find(r.columns.begin(), r.columns.end(), "attr_region");
  REQUIRE(it != r.columns.end());
  const auto g = static_cast<std::size_t>(std::find(r.columns.begin(), r.columns.end(), "nps_group") - r.columns.begin());
  REQUIRE(g < r.columns.size());
  CHECK(r.rows[0][g] == "promoter");
  CHECK(r.rows[3][g] == "detractor");
  CHECK(r.rows[5][g].empty());
  CHECK(r.rows[0][static_cast<std::size_t>(it - r.columns.begin())] == "north");
  std::ostringstream html;
  rp::write_html(r, html);
  CHECK_THAT(html.str(), Contains("NPS 0.0 from 5 answers"));
  CHECK_THAT(html.str(), Contains("60.0 % satisfied (answer ≥ 4)"));

  o.attributes_path = write_file("attr_bad.csv", "customer_id,nps\n1,11\n");
  CHECK_THROWS_WITH(rp::build_report(log, ing, o), Contains("attr_bad.csv:2") && Contains("nps = \"11\"") && Contains("[0, 10]"));
  o.attributes_path = write_file("attr_nan.csv", "customer_id,nps\n1,nan\n");
  CHECK_THROWS_WITH(rp::build_report(log, ing, o), Contains("nps = \"nan\""));
  o.attributes_path = write_file("attr_dup.csv", "customer_id,nps\n1,5\n1,6\n");
  CHECK_THROWS_WITH(rp::build_report(log, ing, o), Contains("customer listed twice"));
  o.attributes_path = temp_path("missing.csv");
  CHECK_THROWS_AS(rp::build_report(log, ing, o), patron::data_error);
}

TEST_CASE("report options: bad values are refused naming the field", "[report][error]") {
  rp::report_options o;
  o.annual_discount_rate = std::nan("");
  CHECK_THROWS_WITH(o.validate(), Contains("annual_discount_rate"));
  o = {};
  o.margin = -0.5;
  CHECK_THROWS_WITH(o.validate(), Contains("margin"));
  o = {};
  o.next_period_days = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(o.validate(), Contains("next_period_days"));
  o = {};
  o.clusters = 0;
  CHECK_THROWS_WITH(o.validate(), Contains("clusters"));
  o = {};
  o.clv_months = 100000;
  CHECK_THROWS_WITH(o.validate(), Contains("clv_months"));
  o = {};
  o.as_of = patron::from_ymd(2020, 1, 1);
  o.calibration_end = patron::from_ymd(2020, 6, 1);
  CHECK_THROWS_WITH(o.validate(), Contains("calibration_end"));
  patron::transaction_log empty;
  CHECK_THROWS_AS(rp::build_report(empty, {}, rp::report_options{}), patron::data_error);
}

TEST_CASE("report demo: simulated items follow the Zipf law / the demo writes the report and five headlines", "[report][reference][slow]") {
  patron::simulation_options so;
  so.customers = 20000;
  so.items = 50;
  so.item_skew = 1.0;
  so.pair_probability = 0.0;
  const patron::transaction_log log = patron::simulate_transactions(so);
  // Simulation truth: P(item j) = j^-1 / H_50, H_50 = Σ 1/j = 4.4992; item1 ≈ 22.2 %, item2 ≈ 11.1 %.
  std::vector<double> count(50, 0);
  for (auto i : log.item) ++count[i];
  const double n = static_cast<double>(log.size());
  CHECK(count[0] / n == Approx(1 / 4.499205338).margin(0.01));
  CHECK(count[1] / n == Approx(0.5 / 4.499205338).margin(0.01));
  // Items do not change the purchases: same rows per customer as without items (no pairs here).
  patron::simulation_options plain = so;
  plain.items = 0;
  const patron::transaction_log base = patron::simulate_transactions(plain);
  REQUIRE(base.size() == log.size());
  CHECK(base.time == log.time);
  CHECK(base.amount == log.amount);
  so.item_skew = -1;
  CHECK_THROWS_WITH(so.validate(), Contains("item_skew"));

  const std::string dir = temp_path("demo");
  std::filesystem::remove_all(dir);
  const run_result r = run("demo --customers 3000 --seed 7 --out '" + dir + "' -q");
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::vector<std::string> charts = core_charts;
  charts.push_back("chart-tracking");
  charts.push_back("chart-rules");
  const written w = check_report_dir(dir, charts);
  CHECK(w.csv.rows.size() == 3000);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> out;
  while (std::getline(lines, line)) out.push_back(line);
  REQUIRE(out.size() == 6);
  CHECK(out[0] == "report: " + dir + "/report.html (with customers.csv and summary.json)");
  CHECK_THAT(out[4], Contains("Holdout after 1997-09-30"));
  // Same seed, same report.
  const std::string dir2 = temp_path("demo2");
  std::filesystem::remove_all(dir2);
  REQUIRE(run("demo --customers 3000 --seed 7 --out '" + dir2 + "' -q").status == 0);
  CHECK(slurp(dir + "/customers.csv") == slurp(dir2 + "/customers.csv"));
}

TEST_CASE("report crm: Zoho export → report → export → re-read gives the same zcrm_ ids and scores", "[report][reference]") {
  // tests/crm_test.cpp's Zoho Invoices fixture: Bentley 1,434.50 in 2 invoices, Acme 2,949.75 in 2
  // (the Cancelled one dropped).
  const std::string inv = write_file("Invoices.csv",
      "Record Id,Invoice Number,Subject,Account Name.id,Account Name,Invoice Date,Status,Grand Total,Invoice Owner.id\n"
      "zcrm_5001,INV-1,a,zcrm_4150868000000224005,Bentley Systems,2023-05-01,Delivered,\"$1,234.50\",zcrm_1\n"
      "zcrm_5002,INV-2,b,zcrm_4150868000000224005,Bentley Systems,2023-06-10,Approved,$200.00,zcrm_1\n"
      "zcrm_5003,INV-3,c,zcrm_4150868000000224099,\"Acme, Inc.\",2023-06-15 10:20:00,Cancelled,$999.00,zcrm_1\n"
      "zcrm_5004,INV-4,d,zcrm_4150868000000224099,\"Acme, Inc.\",2023-06-20,Created,($50.25),zcrm_1\n"
      "zcrm_5005,INV-5,e,zcrm_4150868000000224099,\"Acme, Inc.\",2023-07-01T23:30:00-07:00,Created,\"USD 3,000\",zcrm_1\n");
  const std::string dir = temp_path("crm_report");
  std::filesystem::remove_all(dir);
  const run_result rep = run("report --input '" + inv + "' --preset zoho-invoices --out '" + dir + "' -q");
  INFO(rep.err);
  REQUIRE(rep.status == 0);
  const csv_table prof = parse_csv(slurp(dir + "/customers.csv"));
  REQUIRE(prof.rows.size() == 2);
  const std::string map = write_file("map.json", R"({"fields": {"total_spend": {"label": "Patron Total Spend", "type": "currency"},
                                                                 "orders": {"label": "Patron Orders", "type": "integer"},
                                                                 "rfm_code": "Patron RFM Code", "segment": "Patron Segment",
                                                                 "lifecycle_stage": "Patron Lifecycle Stage"}})");
  const std::string out = temp_path("crm_out");
  std::filesystem::remove_all(out);
  const run_result e = run("export --from '" + dir + "/customers.csv' --format zoho-import --fields '" + map + "' --ids-from '" + inv +
                           "' --preset zoho-invoices --out '" + out + "'");
  INFO(e.err);
  REQUIRE(e.status == 0);
  CHECK_THAT(e.err, Contains("profile rows without a match: 0"));
  const csv_table back = parse_csv([&] {
    std::string s = slurp(out + "/zoho-import-001.csv");
    s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
    return s;
  }());
  REQUIRE(back.rows.size() == 2);
  const std::size_t id = back.col("Record Id"), total = back.col("Patron Total Spend"), orders = back.col("Patron Orders"),
                    rfm = back.col("Patron RFM Code"), seg = back.col("Patron Segment"), stage = back.col("Patron Lifecycle Stage");
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& p = prof.rows[k];
    const auto& b = back.rows[k];
    // Ids verbatim from the CRM export, scores as the report wrote them.
    const bool bentley = p[prof.col("customer_id")] == "4150868000000224005";
    CHECK(b[id] == (bentley ? "zcrm_4150868000000224005" : "zcrm_4150868000000224099"));
    CHECK(b[total] == (bentley ? "1434.50" : "2949.75"));
    CHECK(b[orders] == "2");
    CHECK(b[total] == p[prof.col("total_spend")]);
    CHECK(b[rfm] == p[prof.col("rfm_code")]);
    CHECK(b[seg] == p[prof.col("rfm_segment")]);
    CHECK(b[stage] == p[prof.col("lifecycle_stage")]);
  }
}

TEST_CASE("report browser: headless Chromium renders the demo report with every chart laid out", "[report][browser][slow]") {
  const char* chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    // .ci/run sets PATRON_REQUIRE_BROWSER=1 (and scripts/run.sh test installs chromium).
    const char* required = std::getenv("PATRON_REQUIRE_BROWSER");
    REQUIRE_FALSE((required != nullptr && std::string(required) == "1"));
    WARN("SKIPPED: " << chromium << " not found; .ci/run installs Debian's chromium package (apt-get install chromium)");
    return;
  }
  const std::string dir = temp_path("browser");
  std::filesystem::remove_all(dir);
  REQUIRE(run("demo --customers 2000 --seed 3 --out '" + dir + "' -q").status == 0);
  std::string html = slurp(dir + "/report.html");
  // A probe page: the report plus a script writing each chart's laid-out size into the DOM.
  const std::string probe =
      "<script>window.addEventListener('load',function(){var o=[];document.querySelectorAll('svg').forEach(function(s){"
      "var r=s.getBoundingClientRect();o.push(s.id+'='+Math.round(r.width)+'x'+Math.round(r.height));});"
      "var p=document.createElement('pre');p.id='probe';p.textContent='SIZES '+o.join(' ')+' END';document.body.appendChild(p);});</script>";
  html.insert(html.rfind("</body>"), probe);
  const std::string probe_path = dir + "/probe.html";
  std::ofstream(probe_path) << html;
  const std::string flags = " --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 ";
  const run_result dom = [&] {
    const std::string out = dir + "/dom.txt", err = dir + "/dom_err.txt";
    const std::string cmd = std::string(chromium) + flags + "--dump-dom 'file://" + probe_path + "' >'" + out + "' 2>'" + err + "'";
    const int raw = std::system(cmd.c_str());
    return run_result{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }();
  INFO(dom.err);
  REQUIRE(dom.status == 0);
  const auto b = dom.out.find("SIZES svg-"), e = dom.out.find(" END", b);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  std::istringstream sizes(dom.out.substr(b + 6, e - b - 6));
  std::string tok;
  std::map<std::string, std::pair<int, int>> laid;
  while (sizes >> tok) {
    const auto eq = tok.find('='), x = tok.find('x', eq);
    laid[tok.substr(0, eq)] = {std::stoi(tok.substr(eq + 1, x - eq - 1)), std::stoi(tok.substr(x + 1))};
  }
  std::vector<std::string> charts = core_charts;
  charts.push_back("chart-tracking");
  charts.push_back("chart-rules");
  for (const auto& c : charts) {
    INFO(c);
    REQUIRE(laid.count("svg-" + c) == 1);
    CHECK(laid["svg-" + c].first > 100);
    CHECK(laid["svg-" + c].second > 50);
  }
  // The screenshot: a PNG, and not blank (a blank page compresses to a few kilobytes at this size).
  const std::string png = dir + "/screenshot.png";
  const std::string cmd = std::string(chromium) + flags + "--window-size=1100,4000 --screenshot='" + png + "' 'file://" + dir +
                          "/report.html' >/dev/null 2>&1";
  REQUIRE(WEXITSTATUS(std::system(cmd.c_str())) == 0);
  const std::string img = slurp(png);
  REQUIRE(img.size() > 8);
  CHECK(img.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(img.size() > 60000);
}
