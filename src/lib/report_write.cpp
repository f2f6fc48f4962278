// SPDX-License-Identifier: MIT
// The report's text outputs: customers.csv, summary.json, the directory writer and HMAC-SHA-256.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "patron/error.hpp"
#include "patron/report.hpp"

namespace patron::inline v1::report {
namespace {

void csv_cell(std::ostream& os, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    os << s;
    return;
  }
  os << '"';
  for (char c : s) os << (c == '"' ? "\"\"" : std::string(1, c));
  os << '"';
}

/// JSON has no NaN: a missing number is null.
nlohmann::ordered_json num(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(); }

nlohmann::ordered_json fit_json(const model_fit& f) {
  nlohmann::ordered_json j;
  j["model"] = f.model;
  j["status"] = f.status;
  if (f.status != "not fitted") {
    j["log_likelihood"] = num(f.log_likelihood);
    j["iterations"] = f.iterations;
    for (std::size_t k = 0; k < f.names.size(); ++k) {
      j["parameters"][f.names[k]] = num(f.params[k]);
      j["std_errors"][f.names[k]] = k < f.std_errors.size() ? num(f.std_errors[k]) : nlohmann::ordered_json();
    }
  }
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

nlohmann::ordered_json counts_json(const std::vector<named_count>& v) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& c : v) j.push_back({{"name", c.name}, {"count", c.count}, {"mean_total_spend", num(c.mean_value)}});
  return j;
}

// clang-format off
const char* column_doc(const std::string& c) {
  static const std::pair<const char*, const char*> docs[] = {
    {"customer_id", "customer id as read (HMAC-SHA-256 hex when pseudonymized)"},
    {"first_purchase", "day of the first purchase (YYYY-MM-DD)"},
    {"last_purchase", "day of the last purchase up to the as-of date"},
    {"tenure_days", "days from the first purchase to the as-of date"},
    {"orders", "distinct invoices (rows when the log has no invoice column)"},
    {"frequency", "repeat purchase days (purchase days after the first: the models' x)"},
    {"recency_days", "days from the last purchase to the as-of date"},
    {"mean_interpurchase_days", "(last - first purchase day) / frequency; empty without a repeat purchase"},
    {"mean_basket", "total_spend / orders"},
    {"favourite_items", "up to 3 most bought items (invoice lines), '|'-separated"},
    {"total_spend", "sum of amounts up to the as-of date (returns netted when read with --returns net)"},
    {"r_score", "RFM recency score 1-5 (quintiles; 5 = most recent)"},
    {"f_score", "RFM frequency score 1-5 (orders)"},
    {"m_score", "RFM monetary score 1-5 (total_spend)"},
    {"rfm_code", "100 r + 10 f + m"},
    {"rfm_segment", "segment of the 10-segment table of R rfm (Champions ... Lost, Others)"},
    {"value_tier", "ABC tier of total_spend: A = top customers bringing 80 % of it, B = next 15 %, C = rest"},
    {"p_alive", "BG/NBD probability that the customer is still active at the as-of date"},
    {"expected_purchases", "BG/NBD expected purchase days in the next period (see clv settings)"},
    {"clv", "BG/NBD expected purchases x Gamma-Gamma expected spend x margin, discounted monthly over clv_settings.horizon_months"},
    {"lifecycle_stage", "seven-stage lifecycle at the as-of date (development, growth, maturity, decline, termination, recovery)"},
    {"cluster", "k-means cluster on log1p(recency, orders, total_spend), named by what stands out"},
    {"next_product", "top recommended item not yet bought (item-item cosine)"},
    {"recommended_items", "top recommended items not yet bought, '|'-separated"},
    {"scored_on", "the as-of date"},
    {"nps", "0-10 likelihood-to-recommend answer from the attributes file"},
    {"nps_group", "promoter (9-10), passive (7-8), detractor (0-6)"},
    {"csat", "1-5 satisfaction answer from the attributes file"},
  };
  for (const auto& [k, d] : docs)
    if (c == k) return d;
  return "joined from the attributes file";
}
// clang-format on

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), out, &len) == nullptr)
    throw error(errc::internal, "[patron.internal] hmac_sha256_hex: OpenSSL HMAC failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string s(2 * len, '0');
  for (unsigned int i = 0; i < len; ++i) {
    s[2 * i] = hex[out[i] >> 4];
    s[2 * i + 1] = hex[out[i] & 15];
  }
  return s;
}

std::vector<std::string> headlines(const customer_report& r) {
  const auto f = [](double v, int d) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", d, v);
    return std::string(b);
  };
  std::vector<std::string> out;
  out.push_back(std::to_string(r.customers) + " customers, revenue " + f(r.revenue, 2) + "; the top 20 % bring " +
                f(100 * r.revenue_share_of_top_20, 1) + " % of it and " + f(100 * r.customer_share_for_80, 1) +
                " % of customers bring 80 % (Gini " + f(r.gini, 3) + ").");
  std::uint64_t lapsed = 0;
  for (std::size_t k = 0; k < 5; ++k) lapsed += r.p_alive_hist.size() > k ? r.p_alive_hist[k] : 0;
  out.push_back("BG/NBD " + r.bgnbd.status + (r.bgnbd.status == "not fitted" ? "" : " (LL " + f(r.bgnbd.log_likelihood, 1) + ")") +
                ", Gamma-Gamma " + r.gamma_gamma.status + "; mean P(alive) " + f(r.mean_p_alive, 3) + ", " +
                std::to_string(lapsed) + " customers below 0.5.");
  std::string top = r.segments.empty() ? std::string("-") : r.segments.front().name;
  std::uint64_t top_n = 0;
  for (const auto& s : r.segments)
    if (s.count > top_n) top_n = s.count, top = s.name;
  out.push_back("CLV over " + std::to_string(r.options.clv_months) + " months " + f(r.total_clv, 0) + " (" +
                f(100 * r.options.annual_discount_rate, 0) + " % a year); " +
                std::to_string(r.at_risk.size()) + " valuable customers at risk listed" +
                (r.at_risk.empty() ? "" : ", the first with " + f(r.at_risk.front().value_at_risk, 2) + " at risk (CLV " + f(r.at_risk.front().clv, 2) + ")") + "; largest RFM segment: " + top +
                " (" + std::to_string(top_n) + ").");
  if (r.holdout && r.holdout->bgnbd.status != "not fitted") {
    const auto& h = *r.holdout;
    out.push_back("Holdout after " + h.calibration_end + ": " + f(h.actual, 0) + " repeat purchases, BG/NBD expected " +
                  f(h.expected, 1) + " (" + f(h.actual > 0 ? 100 * (h.expected - h.actual) / h.actual : 0, 1) +
                  " %), per-customer correlation " + f(h.correlation, 3) + ".");
  } else {
    std::string st;
    for (const auto& s : r.stages)
      if (s.count > 0 && s.name != "prospect") st += (st.empty() ? "" : ", ") + s.name + " " + std::to_string(s.count);
    out.push_back("Lifecycle on " + r.as_of + ": " + st + ".");
  }
  double fc = 0;
  for (double v : r.forecast_revenue) fc += v;
  std::string last = "Forecast revenue of today's customers over the next " + std::to_string(r.forecast_revenue.size()) +
                     " months: " + f(fc, 0);
  if (!r.rules.empty())
    last += "; top rule " + r.rules.front().antecedent + " -> " + r.rules.front().consequent + " (lift " + f(r.rules.front().lift, 2) + ")";
  out.push_back(last + ".");
  return out;
}

void write_customers_csv(const customer_report& r, std::ostream& os) {
  for (std::size_t j = 0; j < r.columns.size(); ++j) {
    if (j) os << ',';
    csv_cell(os, r.columns[j]);
  }
  os << '\n';
  for (const auto& row : r.rows) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (j) os << ',';
      csv_cell(os, row[j]);
    }
    os << '\n';
  }
}

void write_summary_json(const customer_report& r, std::ostream& os) {
  nlohmann::ordered_json j;
  j["source"] = r.source;
  j["period"] = {{"first_day", r.first_day}, {"as_of", r.as_of}, {"unit", r.unit}};
  nlohmann::ordered_json dq;
  dq["rows_read"] = r.ingest.rows_read;
  dq["rows_kept"] = r.ingest.rows_kept;
  dq["rows_skipped"] = r.ingest.rows_skipped();
  dq["returns_netted"] = r.ingest.returns_netted;
  dq["skipped"] = nlohmann::ordered_json::array();
  for (const auto& o : r.ingest.outcomes) dq["skipped"].push_back({{"reason", o.reason}, {"count", o.count}, {"examples", o.examples}});
  dq["bindings"] = r.ingest.bindings;
  j["data_quality"] = dq;
  j["customers"] = r.customers;
  j["transactions"] = r.transactions;
  j["revenue"] = r.revenue;
  j["pseudonymized"] = r.pseudonymized;
  const auto& o = r.options;
  nlohmann::ordered_json prof;
  prof["file"] = "customers.csv";
  for (const auto& c : r.columns) prof["columns"].push_back({{"name", c}, {"meaning", column_doc(c)}});
  prof["clv_settings"] = {{"annual_discount_rate", o.annual_discount_rate},
                          {"discounting", "discrete per month: (1 + d)^12 = 1 + annual rate, months of 365.25/12 days"},
                          {"horizon_months", o.clv_months},
                          {"formula", "sum over months k of (E[X(k)] - E[X(k-1)]) x E[spend] x margin / (1 + d)^k (BG/NBD x Gamma-Gamma)"},
                          {"margin", o.margin},
                          {"next_period_days", o.next_period_days}};
  j["profile"] = prof;
  j["models"] = {{"bgnbd", fit_json(r.bgnbd)}, {"gamma_gamma", fit_json(r.gamma_gamma)}};
  j["value"] = {{"total_clv", num(r.total_clv)},
                {"mean_p_alive", num(r.mean_p_alive)},
                {"expected_purchases_next_period", num(r.expected_purchases_next_period)}};
  j["pareto"] = {{"customer_share_for_80_percent_revenue", r.customer_share_for_80},
                 {"revenue_share_of_top_20_percent", r.revenue_share_of_top_20},
                 {"gini", r.gini}};
  j["segments"] = counts_json(r.segments);
  j["tiers"] = counts_json(r.tiers);
  j["stages"] = counts_json(r.stages);
  nlohmann::ordered_json cl = nlohmann::ordered_json::array();
  for (const auto& c : r.clusters)
    cl.push_back({{"name", c.name}, {"count", c.size}, {"mean_recency_days", c.recency_days}, {"mean_orders", c.frequency},
                  {"mean_total_spend", c.monetary}});
  j["clusters"] = cl;
  nlohmann::ordered_json months = nlohmann::ordered_json::array();
  for (const auto& m : r.months)
    months.push_back({{"month", m.month}, {"active", m.active}, {"new", m.new_customers}, {"growth_rate", num(m.growth_rate)},
                      {"repurchase_rate", num(m.repurchase_rate)}, {"revenue", m.revenue}});
  j["monthly_kpis"] = months;
  nlohmann::ordered_json fc = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < r.forecast_month.size(); ++k) fc.push_back({{"month", r.forecast_month[k]}, {"revenue", r.forecast_revenue[k]}});
  j["revenue_forecast"] = fc;
  nlohmann::ordered_json co = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < r.cohort.size(); ++k) co.push_back({{"cohort", r.cohort[k]}, {"customers", r.cohort_size[k]}, {"retention", r.retention[k]}});
  j["cohorts"] = co;
  if (r.has_items) {
    nlohmann::ordered_json ru = nlohmann::ordered_json::array();
    for (const auto& x : r.rules)
      ru.push_back({{"antecedent", x.antecedent}, {"consequent", x.consequent}, {"support", x.support}, {"confidence", x.confidence}, {"lift", x.lift}});
    j["association_rules"] = {{"baskets", r.baskets}, {"min_support", o.rule_min_support}, {"top", ru}};
  }
  nlohmann::ordered_json risk = nlohmann::ordered_json::array();
  for (const auto& a : r.at_risk)
    risk.push_back({{"customer_id", a.id}, {"clv", a.clv}, {"p_alive", a.p_alive}, {"value_at_risk", a.value_at_risk}, {"total_spend", a.total_spend},
                    {"last_purchase", a.last_purchase}, {"segment", a.segment}});
  j["valuable_at_risk"] = risk;
  if (r.holdout) {
    const auto& h = *r.holdout;
    j["holdout"] = {{"calibration_end", h.calibration_end}, {"holdout_weeks", h.holdout_weeks}, {"customers", h.customers},
                    {"actual_repeat_purchases", h.actual}, {"expected_repeat_purchases", h.expected}, {"mae", h.mae},
                    {"rmse", h.rmse}, {"correlation", num(h.correlation)}, {"bgnbd", fit_json(h.bgnbd)}};
  }
  if (r.attitude.has_nps || r.attitude.has_csat) {
    const auto& a = r.attitude;
    nlohmann::ordered_json at;
    if (a.has_nps) {
      at["nps"] = {{"answers", a.nps_answers}, {"promoters", a.promoters}, {"passives", a.passives}, {"detractors", a.detractors},
                   {"score", a.nps}, {"definition", "100 x (share answering 9-10 - share answering 0-6)"}};
      for (const auto& [sname, v] : a.nps_by_segment) at["nps"]["by_segment"][sname] = v;
    }
    if (a.has_csat)
      at["csat"] = {{"answers", a.csat_answers}, {"mean", a.csat_mean}, {"satisfied_share", a.csat_satisfied_share},
                    {"satisfied_from", o.csat_satisfied_from}, {"scale", "1-5"}};
    j["attitude"] = at;
  }
  os << j.dump(2) << '\n';
}

void write_report(const customer_report& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw data_error(errc::io_error, dir, 0, 0, "out", dir, "cannot create directory: " + ec.message());
  const auto one = [&](const char* name, void (*fn)(const customer_report&, std::ostream&)) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary);
    if (!f) throw data_error(errc::io_error, path, 0, 0, "out", path, std::string("cannot open for writing: ") + std::strerror(errno));
    fn(r, f);
    f.flush();
    if (!f) throw data_error(errc::io_error, path, 0, 0, "out", path, "write failed");
  };
  one("customers.csv", write_customers_csv);
  one("summary.json", write_summary_json);
  one("report.html", write_html);
}

}  // namespace patron::inline v1::report
