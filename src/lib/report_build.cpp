// SPDX-License-Identifier: MIT
// build_report(): runs summaries, RFM, value tiers, BG/NBD + Gamma-Gamma, lifecycle, k-means,
// recommendations and rules on one purchase log and collects the profile table and the KPIs.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "csv_record.hpp"
#include "patron/error.hpp"
#include "patron/lifecycle/builtin.hpp"
#include "patron/lifecycle/replay.hpp"
#include "patron/lifecycle/state_machine.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/recommend/baskets.hpp"
#include "patron/recommend/interactions.hpp"
#include "patron/recommend/item_knn.hpp"
#include "patron/recommend/ranking.hpp"
#include "patron/recommend/rules.hpp"
#include "patron/report.hpp"
#include "patron/rfm/binning.hpp"
#include "patron/rfm/metrics.hpp"
#include "patron/rfm/segments.hpp"
#include "patron/segment/features.hpp"
#include "patron/segment/kmeans.hpp"
#include "patron/segment/profile.hpp"
#include "patron/value/discount.hpp"
#include "patron/value/tiers.hpp"

namespace patron::inline v1::report {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v, int digits) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = s[0] == '-' ? s.substr(1) : s;
  return s;
}

int month_index(date d) {
  const ymd y = to_ymd(d);
  return y.year * 12 + (y.month - 1);
}
std::string month_name(int idx) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", idx / 12, idx % 12 + 1);
  return buf;
}

/// The rows of `log` up to the end of day `last`, re-interned (customers in first-seen order).
transaction_log rows_until(const transaction_log& log, date last) {
  transaction_log out;
  const timestamp end = start_of(last + 1);
  const bool items = log.has_items(), qty = log.has_quantity(), inv = log.has_invoices();
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log.time[i] >= end) continue;
    out.customer.push_back(out.customers.intern(log.customers.name(log.customer[i])));
    out.time.push_back(log.time[i]);
    out.amount.push_back(log.amount[i]);
    if (items) out.item.push_back(out.items.intern(log.items.name(log.item[i])));
    if (qty) out.quantity.push_back(log.quantity[i]);
    if (inv) out.invoice.push_back(out.invoices.intern(log.invoices.name(log.invoice[i])));
  }
  return out;
}

template <class Result>
model_fit describe(const char* name, const Result& f) {
  model_fit m;
  m.model = name;
  m.status = to_string(f.status);
  m.log_likelihood = f.log_likelihood;
  m.iterations = f.iterations;
  m.names = f.model.param_names();
  m.params = f.model.param_vector();
  m.std_errors = f.std_errors;
  return m;
}

class stopwatch {
 public:
  explicit stopwatch(customer_report& r, const report_options& o, std::size_t steps)
      : r_(r), o_(o), steps_(steps) {}
  void step(const char* name) {
    finish();
    name_ = name;
    start_ = std::chrono::steady_clock::now();
    if (o_.progress) o_.progress(name, static_cast<double>(done_) / static_cast<double>(steps_));
    ++done_;
  }
  void finish() {
    if (name_.empty()) return;
    r_.timings.emplace_back(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    name_.clear();
  }

 private:
  customer_report& r_;
  const report_options& o_;
  std::size_t steps_, done_ = 0;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

/// The customer attributes file: header, then one row per customer.
struct attributes {
  std::vector<std::string> columns;  ///< without the key
  std::map<std::string, std::vector<std::string>, std::less<>> rows;
  std::string source;
  std::map<std::string, std::uint64_t, std::less<>> line;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

attributes read_attributes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "attributes", path, "cannot open");
  attributes a;
  a.source = path;
  std::string line;
  std::uint64_t n = 0;
  std::size_t key = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (trim(line).empty()) continue;
    auto f = detail::split_csv_record(line);
    for (auto& x : f) x = trim(x);
    if (header.empty()) {
      header = f;
      for (std::size_t j = 0; j < f.size(); ++j) {
        const std::string l = lower(f[j]);
        if (l == "customer_id" || l == "customer" || l == "id" || l == "customerid") {
          key = j;
          break;
        }
      }
      for (std::size_t j = 0; j < f.size(); ++j)
        if (j != key) a.columns.push_back(f[j]);
      continue;
    }
    if (f.size() != header.size())
      throw data_error(errc::ragged_row, path, n, 0, "fields", std::to_string(f.size()),
                       "expected " + std::to_string(header.size()) + " fields as in the header");
    if (f[key].empty()) throw data_error(errc::missing_value, path, n, static_cast<std::uint32_t>(key + 1), header[key], "", "empty customer id");
    std::vector<std::string> rest;
    for (std::size_t j = 0; j < f.size(); ++j)
      if (j != key) rest.push_back(f[j]);
    if (a.rows.count(f[key]) != 0)
      throw data_error(errc::invalid_argument, path, n, static_cast<std::uint32_t>(key + 1), header[key], f[key],
                       "customer listed twice (first on line " + std::to_string(a.line[f[key]]) + ")");
    a.line[f[key]] = n;
    a.rows.emplace(f[key], std::move(rest));
  }
  if (header.empty()) throw data_error(errc::empty_input, path, 0, 0, "attributes", "", "no header row");
  return a;
}

/// A survey answer: empty → NaN; otherwise a number in [lo, hi] or data_error.
double survey_value(const attributes& a, const std::string& id, const std::string& v, const std::string& column,
                    double lo, double hi) {
  if (v.empty()) return nan;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  const auto line = a.line.find(id)->second;
  if (end == v.c_str() || *end != '\0' || !std::isfinite(x))
    throw data_error(errc::bad_number, a.source, line, 0, column, v, "not a number");
  if (x < lo || x > hi)
    throw data_error(errc::out_of_range, a.source, line, 0, column, v,
                     "must be in [" + fmt(lo, 0) + ", " + fmt(hi, 0) + "]");
  return x;
}

}  // namespace

void report_options::validate() const {
  if (!(unit.days > 0) || !std::isfinite(unit.days))
    throw invalid_argument_error("report", "unit", std::to_string(unit.days), "must be a positive number of days");
  if (!(annual_discount_rate >= 0) || !std::isfinite(annual_discount_rate) || annual_discount_rate > 10)
    throw invalid_argument_error("report", "annual_discount_rate", std::to_string(annual_discount_rate), "must be in [0, 10]");
  if (!std::isfinite(margin) || margin < 0 || margin > 1)
    throw invalid_argument_error("report", "margin", std::to_string(margin), "must be in [0, 1]");
  if (!(next_period_days > 0) || !std::isfinite(next_period_days))
    throw invalid_argument_error("report", "next_period_days", std::to_string(next_period_days), "must be > 0");
  if (clv_months < 1 || clv_months > 1200)
    throw invalid_argument_error("report", "clv_months", std::to_string(clv_months), "must be in [1, 1200]");
  if (forecast_months < 0 || forecast_months > 120)
    throw invalid_argument_error("report", "forecast_months", std::to_string(forecast_months), "must be in [0, 120]");
  if (clusters < 1 || clusters > 20)
    throw invalid_argument_error("report", "clusters", std::to_string(clusters), "must be in [1, 20]");
  if (recommendations > 50)
    throw invalid_argument_error("report", "recommendations", std::to_string(recommendations), "must be <= 50");
  if (!(rule_min_support > 0 && rule_min_support <= 1))
    throw invalid_argument_error("report", "rule_min_support", std::to_string(rule_min_support), "must be in (0, 1]");
  if (!std::isfinite(csat_satisfied_from))
    throw invalid_argument_error("report", "csat_satisfied_from", std::to_string(csat_satisfied_from), "must be finite");
  if (as_of && calibration_end && *calibration_end >= *as_of)
    throw invalid_argument_error("report", "calibration_end", to_string(*calibration_end),
                                 "must be before the as-of date " + to_string(*as_of));
  if (pseudonymize_salt && pseudonymize_salt->empty())
    throw invalid_argument_error("report", "pseudonymize", "", "the salt must not be empty");
  const auto known = column_names();
  for (const auto& c : columns)
    if (std::find(known.begin(), known.end(), c) == known.end() && c.rfind("attr_", 0) != 0)
      throw invalid_argument_error("report", "columns", c, "not a profile column (see patron report --help)");
}

std::vector<std::string> column_names() {
  return {"customer_id",     "first_purchase", "last_purchase",      "tenure_days",     "orders",
          "frequency",       "recency_days",   "mean_interpurchase_days", "mean_basket", "favourite_items",
          "total_spend",     "r_score",        "f_score",            "m_score",         "rfm_code",
          "rfm_segment",     "value_tier",     "p_alive",            "expected_purchases", "clv",
          "lifecycle_stage", "cluster",        "next_product",       "recommended_items", "scored_on",
          "nps",             "nps_group",      "csat"};
}

customer_report build_report(const transaction_log& input, const ingest_report& ingest, const report_options& o) {
  o.validate();
  if (input.empty()) throw data_error(errc::empty_input, ingest.source, 0, 0, "rows", "0", "no purchases to report on");
  customer_report r;
  r.options = o;
  r.options.pseudonymize_salt.reset();
  r.options.progress = nullptr;
  r.ingest = ingest;
  r.source = ingest.source;
  r.pseudonymized = o.pseudonymize_salt.has_value();
  stopwatch sw(r, o, 10);

  // --- the log up to the as-of date ------------------------------------------------------------
  sw.step("summaries");
  timestamp tmin = input.time[0], tmax = input.time[0];
  for (timestamp t : input.time) {
    tmin = std::min(tmin, t);
    tmax = std::max(tmax, t);
  }
  const date as_of = o.as_of.value_or(day_of(tmax));
  if (as_of < day_of(tmin))
    throw invalid_argument_error("report", "as_of", to_string(as_of), "is before the first purchase " + to_string(day_of(tmin)));
  transaction_log cut;
  const bool trimmed = day_of(tmax) > as_of;
  if (trimmed) cut = rows_until(input, as_of);
  const transaction_log& log = trimmed ? cut : input;
  const std::size_t n = log.customers.size();
  r.customers = n;
  r.transactions = log.size();
  r.has_items = log.has_items();
  r.first_day = to_string(day_of(tmin));
  r.as_of = to_string(as_of);
  r.unit = o.unit.name();
  for (double a : log.amount) r.revenue += a;

  summary_options so;
  so.unit = o.unit;
  so.observation_end = as_of;
  customer_summary s = summarize(log, so);
  // Profile rows follow the log's customer index; the summary lists customers by first appearance.
  std::vector<std::uint32_t> row_of(n);
  for (std::size_t i = 0; i < s.size(); ++i) row_of[log.customers.find(s.id[i])] = static_cast<std::uint32_t>(i);

  // --- RFM and value tiers ---------------------------------------------------------------------
  sw.step("rfm");
  rfm::metrics_options mo;
  mo.as_of = as_of;
  mo.allow_negative = true;
  const rfm::rfm_table t = rfm::compute_metrics(log, mo);
  std::vector<std::uint8_t> rs(n), fs(n), ms(n);
  static_cast<void>(rfm::score(t.recency, t.frequency, t.monetary, rfm::binning_options{}, {rs, fs, ms}));
  const rfm::segmenter seg(rfm::rfm10_table());
  std::vector<std::uint16_t> label(n);
  seg.assign(rs, fs, ms, label);
  r.segments.resize(seg.label_count());
  for (std::size_t k = 0; k < seg.label_count(); ++k) r.segments[k].name = seg.label(k);
  for (std::size_t c = 0; c < n; ++c) {
    ++r.segments[label[c]].count;
    r.segments[label[c]].mean_value += t.monetary[c];
    ++r.rf_count[rs[c] - 1][fs[c] - 1];
    r.rf_mean_value[rs[c] - 1][fs[c] - 1] += t.monetary[c];
  }
  for (auto& g : r.segments) g.mean_value = g.count ? g.mean_value / static_cast<double>(g.count) : 0.0;
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b)
      r.rf_mean_value[a][b] = r.rf_count[a][b] ? r.rf_mean_value[a][b] / static_cast<double>(r.rf_count[a][b]) : 0.0;

  std::vector<double> spend(n);
  for (std::size_t c = 0; c < n; ++c) spend[c] = std::max(0.0, t.monetary[c]);
  std::vector<std::uint8_t> tier(n, 0);
  const value::tier_cuts cuts;
  const double spend_total = std::accumulate(spend.begin(), spend.end(), 0.0);
  if (spend_total > 0) {
    const value::pareto_analysis p = value::pareto(spend);
    value::abc_tiers(p, cuts, tier);
    r.customer_share_for_80 = p.customer_share_for(0.8);
    r.revenue_share_of_top_20 = p.revenue_share_of_top(0.2);
    r.gini = p.gini();
    for (const auto& pt : value::lorenz_curve(p, 51)) r.lorenz.emplace_back(pt.population, pt.value);
  }
  r.tiers.resize(cuts.names.size());
  for (std::size_t k = 0; k < cuts.names.size(); ++k) r.tiers[k].name = cuts.names[k];
  for (std::size_t c = 0; c < n; ++c) {
    ++r.tiers[tier[c]].count;
    r.tiers[tier[c]].mean_value += t.monetary[c];
  }
  for (auto& g : r.tiers) g.mean_value = g.count ? g.mean_value / static_cast<double>(g.count) : 0.0;

  // --- BG/NBD + Gamma-Gamma on the whole period: P(alive), expected purchases, CLV -------------
  sw.step("models");
  const customer_summary_view v(s);
  std::vector<double> alive(n, nan), expected(n, nan), clv(n, nan);
  const double next_units = o.next_period_days / o.unit.days;
  std::optional<bgnbd> bg;
  std::optional<gamma_gamma> gg;
  try {
    const auto f = bgnbd::fit(v, fit_options{}, o.unit);
    r.bgnbd = describe("bgnbd", f);
    bg = f.model;
  } catch (const error& e) {
    r.bgnbd.model = "bgnbd";
    r.bgnbd.status = "not fitted";
    r.bgnbd.note = e.what();
  }
  try {
    const auto f = gamma_gamma::fit(v);
    r.gamma_gamma = describe("gg", f);
    r.gamma_gamma.note = std::to_string(f.n_excluded_no_repeat) + " customers without a repeat purchase and " +
                         std::to_string(f.n_excluded_nonpositive_spend) +
                         " with a mean repeat spend <= 0 left out of the fit (they get the population mean)";
    if (f.model.params().q > 1) gg = f.model;
    else r.gamma_gamma.note += "; q <= 1: no finite mean spend, CLV not computed";
  } catch (const error& e) {
    r.gamma_gamma.model = "gg";
    r.gamma_gamma.status = "not fitted";
    r.gamma_gamma.note = e.what();
  }
  std::vector<double> tmp(s.size());
  if (bg) try {
    bg->p_alive(v, tmp);
    for (std::size_t i = 0; i < s.size(); ++i) alive[log.customers.find(s.id[i])] = tmp[i];
    bg->expected_purchases(next_units, v, tmp);
    for (std::size_t i = 0; i < s.size(); ++i) expected[log.customers.find(s.id[i])] = tmp[i];
    if (gg) {
      // One pass over the months: the increments of E[X(t)] give the discounted CLV over
      // clv_months and the revenue forecast over forecast_months (today's customers only).
      const double month_units = time_unit::month().days / o.unit.days;
      const double d = discount_rate<double>::annual(o.annual_discount_rate).discrete_per(time_unit::month());
      const int horizon = std::max(o.clv_months, o.forecast_months);
      std::vector<double> prev(s.size(), 0.0), cur(s.size()), acc(s.size(), 0.0), sp(s.size());
      for (std::size_t i = 0; i < s.size(); ++i) sp[i] = gg->expected_spend(s.x[i], s.monetary[i]);
      for (int k = 1; k <= horizon; ++k) {
        bg->expected_purchases(k * month_units, v, cur);
        const double f = std::pow(1 + d, -k);
        double rev = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
          const double inc = cur[i] - prev[i];
          if (k <= o.clv_months) acc[i] += inc * f;
          rev += inc * sp[i];
        }
        if (k <= o.forecast_months) {
          r.forecast_month.push_back(month_name(month_index(as_of) + k));
          r.forecast_revenue.push_back(rev);
        }
        prev.swap(cur);
      }
      for (std::size_t i = 0; i < s.size(); ++i) clv[log.customers.find(s.id[i])] = acc[i] * sp[i] * o.margin;
    }
  } catch (const error& e) {
    // A fit at the edge of its range (tiny or degenerate logs) can leave a series' domain:
    // the scores stay empty and the summary says why.
    std::fill(alive.begin(), alive.end(), nan);
    std::fill(expected.begin(), expected.end(), nan);
    std::fill(clv.begin(), clv.end(), nan);
    r.forecast_month.clear();
    r.forecast_revenue.clear();
    r.bgnbd.note = std::string("scores not computed: ") + e.what();
    bg.reset();
  }
  double alive_sum = 0;
  for (std::size_t c = 0; c < n; ++c) {
    if (std::isfinite(alive[c])) alive_sum += alive[c];
    if (std::isfinite(clv[c])) r.total_clv += clv[c];
    if (std::isfinite(expected[c])) r.expected_purchases_next_period += expected[c];
  }
  r.mean_p_alive = bg ? alive_sum / static_cast<double>(n) : nan;

  // Histograms: P(alive) in tenths; CLV from 0 to its 99th percentile in 12 bins (the last bin
  // also holds everything above).
  r.p_alive_hist_edges.resize(11);
  for (int k = 0; k <= 10; ++k) r.p_alive_hist_edges[static_cast<std::size_t>(k)] = k / 10.0;
  r.p_alive_hist.assign(10, 0);
  if (bg)
    for (double p : alive) ++r.p_alive_hist[static_cast<std::size_t>(std::clamp(p * 10.0, 0.0, 9.0))];
  if (gg && bg) {
    std::vector<double> sorted(clv);
    std::sort(sorted.begin(), sorted.end());
    const double lo = std::min(0.0, sorted.front());
    double hi = sorted[static_cast<std::size_t>(0.99 * static_cast<double>(sorted.size() - 1))];
    if (!(hi > lo)) hi = lo + 1;
    const int bins = 12;
    r.clv_hist_edges.resize(bins + 1);
    for (int k = 0; k <= bins; ++k) r.clv_hist_edges[static_cast<std::size_t>(k)] = lo + (hi - lo) * k / bins;
    r.clv_hist.assign(bins, 0);
    for (double c : clv)
      ++r.clv_hist[static_cast<std::size_t>(std::clamp(std::floor((c - lo) / (hi - lo) * bins), 0.0, bins - 1.0))];
  }
  // Frequency/recency matrix of expected purchases for the oldest customers (T = max T).
  if (bg) try {
    r.fr_age = *std::max_element(s.T.begin(), s.T.end());
    const double xmax = *std::max_element(s.x.begin(), s.x.end());
    for (double x : {0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 35.0})
      if (x <= std::max(xmax, 3.0)) r.fr_x.push_back(x);
    for (int j = 0; j <= 7; ++j) r.fr_tx.push_back(r.fr_age * j / 7.0);
    for (double x : r.fr_x) {
      std::vector<double> row;
      for (double tx : r.fr_tx) row.push_back(bg->expected_purchases(next_units, x, x > 0 ? tx : 0.0, r.fr_age));
      r.fr_expected.push_back(std::move(row));
    }
  } catch (const error&) {
    r.fr_expected.clear();
  }

  // --- lifecycle: the seven-stage table replayed at month ends, the as-of date last -------------
  sw.step("lifecycle");
  std::vector<date> dates = lifecycle::month_ends(day_of(tmin), as_of);
  while (!dates.empty() && dates.back() >= as_of) dates.pop_back();
  dates.push_back(as_of);
  const lifecycle::state_machine machine(lifecycle::seven_stage_table());
  const lifecycle::replay_result rep = lifecycle::replay(log, dates, machine);
  const std::size_t ns = machine.state_count();
  for (std::size_t k = 0; k < ns; ++k) r.stage_names.push_back(machine.state_name(static_cast<lifecycle::state_id>(k)));
  for (std::size_t d = 0; d < dates.size(); ++d) {
    r.funnel_dates.push_back(to_string(dates[d]));
    r.funnel.emplace_back(rep.funnel.begin() + static_cast<std::ptrdiff_t>(d * ns),
                          rep.funnel.begin() + static_cast<std::ptrdiff_t>((d + 1) * ns));
  }
  std::vector<std::string> stage(n);
  r.stages.resize(ns);
  for (std::size_t k = 0; k < ns; ++k) r.stages[k].name = r.stage_names[k];
  for (std::uint32_t c = 0; c < n; ++c) {
    const auto st = rep.stage_at(dates.size() - 1, c);
    stage[c] = r.stage_names[st];
    ++r.stages[st].count;
    r.stages[st].mean_value += t.monetary[c];
  }
  for (auto& g : r.stages) g.mean_value = g.count ? g.mean_value / static_cast<double>(g.count) : 0.0;

  // --- k-means on log1p(recency, frequency, monetary), z-scored ---------------------------------
  sw.step("clusters");
  std::vector<std::int32_t> cluster(n, -1);
  std::vector<std::string> cluster_name;
  {
    segment::row_matrix raw(static_cast<Eigen::Index>(n), 3);
    for (std::size_t c = 0; c < n; ++c) {
      raw(static_cast<Eigen::Index>(c), 0) = t.recency[c];
      raw(static_cast<Eigen::Index>(c), 1) = t.frequency[c];
      raw(static_cast<Eigen::Index>(c), 2) = spend[c];
    }
    const std::vector<std::string> names = {"recency", "frequency", "monetary"};
    try {
      const auto tf = segment::feature_transform::fit(raw, names, {true, true, true}, segment::scaling::standard);
      const segment::row_matrix x = tf.apply(raw);
      segment::kmeans_options ko;
      ko.k = std::min(o.clusters, n);
      ko.n_init = 1;  // one k-means++ start: restarts cost more than they gain on 3 features
      ko.seed = o.seed;
      const auto km = segment::kmeans(x, ko);
      const auto prof = segment::profile_clusters(raw, x, km.labels, ko.k, names);
      cluster = km.labels;
      for (const auto& p : prof) {
        cluster_name.push_back(p.name);
        r.clusters.push_back({p.name, p.size, p.mean[0], p.mean[1], p.mean[2]});
      }
    } catch (const error& e) {
      r.clusters.clear();  // fewer distinct customers than clusters: no clusters, said in the summary
    }
  }

  // --- items: favourites, recommendations, association rules -----------------------------------
  sw.step("recommendations");
  std::vector<std::string> favourite(n), next_product(n), recommended(n);
  if (log.has_items()) {
    // Favourites: the customer's most frequent items (invoice lines), ties by item index.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> ci(log.size());
    for (std::size_t i = 0; i < log.size(); ++i) ci[i] = {(std::uint64_t{log.customer[i]} << 32) | log.item[i], 0};
    std::sort(ci.begin(), ci.end());
    std::size_t i = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> counts;  // (count, item)
    while (i < ci.size()) {
      const auto c = static_cast<std::uint32_t>(ci[i].first >> 32);
      counts.clear();
      while (i < ci.size() && (ci[i].first >> 32) == c) {
        const auto it = static_cast<std::uint32_t>(ci[i].first & 0xFFFFFFFFu);
        std::uint32_t k = 0;
        while (i < ci.size() && ci[i].first == ((std::uint64_t{c} << 32) | it)) ++i, ++k;
        counts.emplace_back(k, it);
      }
      std::stable_sort(counts.begin(), counts.end(), [](auto a, auto b) { return a.first > b.first; });
      for (std::size_t j = 0; j < std::min<std::size_t>(3, counts.size()); ++j)
        favourite[c] += (j ? "|" : "") + log.items.name(counts[j].second);
    }
    if (o.recommendations > 0) {
      const auto data = recommend::make_interactions(log);
      recommend::item_knn_options ko;
      ko.neighbours = 20;
      const auto m = recommend::item_knn::fit(data, ko);
      const std::size_t k = o.recommendations, nc = data.n_customers();
      std::vector<std::uint32_t> items(nc * k);
      std::vector<double> scores(nc * k);
      recommend::recommend_all(
          nc, k, [&](std::uint32_t u, std::span<std::uint32_t> it, std::span<double> sc) { return m.recommend(data, u, it, sc); },
          items, scores);
      for (std::size_t u = 0; u < nc; ++u) {
        const std::uint32_t c = log.customers.find(data.customers.name(static_cast<std::uint32_t>(u)));
        for (std::size_t j = 0; j < k; ++j) {
          const auto it = items[u * k + j];
          if (it == id_table::npos) break;
          if (j == 0) next_product[c] = data.items.name(it);
          recommended[c] += (j ? "|" : "") + data.items.name(it);
        }
      }
    }
    const auto bs = recommend::baskets_from_log(log);
    r.baskets = bs.size();
    recommend::itemset_options io;
    io.min_support = o.rule_min_support;
    io.max_len = 3;
    const auto sets = recommend::frequent_itemsets(bs, io);
    recommend::rule_options ro;
    ro.metric = recommend::rule_metric::confidence;
    ro.min_threshold = 0.1;
    auto rules = recommend::association_rules(sets, bs.size(), ro);
    const auto join = [&](const std::vector<std::uint32_t>& set) {
      std::string out;
      for (auto x : set) out += (out.empty() ? "" : " + ") + bs.items.name(x);
      return out;
    };
    for (const auto& ru : rules) r.rules.push_back({join(ru.antecedent), join(ru.consequent), ru.support, ru.confidence, ru.lift});
    std::sort(r.rules.begin(), r.rules.end(), [](const rule_row& a, const rule_row& b) {
      if (a.lift != b.lift) return a.lift > b.lift;
      if (a.confidence != b.confidence) return a.confidence > b.confidence;
      return std::tie(a.antecedent, a.consequent) < std::tie(b.antecedent, b.consequent);
    });
    if (r.rules.size() > 10) r.rules.resize(10);
  }

  // --- monthly KPIs, cohort retention, revenue forecast -----------------------------------------
  sw.step("kpis");
  const lifecycle::purchase_history h = lifecycle::purchase_days(log);
  const int m0 = month_index(day_of(tmin)), m1 = month_index(as_of);
  const std::size_t months = static_cast<std::size_t>(m1 - m0 + 1);
  r.months.resize(months);
  for (std::size_t m = 0; m < months; ++m) r.months[m].month = month_name(m0 + static_cast<int>(m));
  for (std::size_t i = 0; i < log.size(); ++i) r.months[static_cast<std::size_t>(month_index(day_of(log.time[i])) - m0)].revenue += log.amount[i];
  const std::size_t max_since = std::min<std::size_t>(months, 24);
  std::vector<std::vector<std::uint64_t>> kept(months, std::vector<std::uint64_t>(max_since, 0));
  std::vector<std::uint64_t> cohort_n(months, 0);
  for (std::uint32_t c = 0; c < n; ++c) {
    int prev = -1, first = -1;
    for (std::uint32_t k = h.offsets[c]; k < h.offsets[c + 1]; ++k) {
      const int mi = month_index(h.day[k]) - m0;
      if (mi == prev) continue;
      prev = mi;
      auto& km = r.months[static_cast<std::size_t>(mi)];
      ++km.active;
      if (first < 0) {
        first = mi;
        ++km.new_customers;
        ++cohort_n[static_cast<std::size_t>(mi)];
      } else {
        km.repurchase_rate += 1;  // returning customers, divided below
      }
      if (static_cast<std::size_t>(mi - first) < max_since) ++kept[static_cast<std::size_t>(first)][static_cast<std::size_t>(mi - first)];
    }
  }
  for (std::size_t m = 0; m < months; ++m) {
    auto& km = r.months[m];
    km.repurchase_rate = km.active ? km.repurchase_rate / static_cast<double>(km.active) : 0.0;
    km.growth_rate = m == 0 || r.months[m - 1].active == 0
                         ? nan
                         : (static_cast<double>(km.active) - static_cast<double>(r.months[m - 1].active)) /
                               static_cast<double>(r.months[m - 1].active);
  }
  const std::size_t first_cohort = months > 24 ? months - 24 : 0;
  for (std::size_t m = first_cohort; m < months; ++m) {
    if (cohort_n[m] == 0) continue;
    r.cohort.push_back(r.months[m].month);
    r.cohort_size.push_back(cohort_n[m]);
    std::vector<double> row;
    for (std::size_t k = 0; k < max_since && m + k < months; ++k)
      row.push_back(static_cast<double>(kept[m][k]) / static_cast<double>(cohort_n[m]));
    r.retention.push_back(std::move(row));
  }
  // --- holdout: fit on the calibration period, check on the rest ---------------------------------
  if (o.calibration_end) {
    sw.step("holdout");
    summary_options co = so;
    co.calibration_end = *o.calibration_end;
    const customer_summary cs = summarize(log, co);
    holdout_check hc;
    hc.calibration_end = to_string(*o.calibration_end);
    hc.holdout_weeks = (as_of - *o.calibration_end) / 7.0;
    hc.customers = cs.size();
    try {
      const customer_summary_view cv(cs);
      const auto f = bgnbd::fit(cv, fit_options{}, o.unit);
      hc.bgnbd = describe("bgnbd", f);
      std::vector<double> e(cs.size());
      f.model.expected_purchases(cs.holdout_length, cv, e);
      double se = 0, sa = 0, sxx = 0, syy = 0, sxy = 0;
      for (std::size_t i = 0; i < cs.size(); ++i) {
        hc.actual += cs.x_holdout[i];
        hc.expected += e[i];
        se += std::abs(e[i] - cs.x_holdout[i]);
        sa += (e[i] - cs.x_holdout[i]) * (e[i] - cs.x_holdout[i]);
      }
      const double nn = static_cast<double>(cs.size());
      const double ma = hc.actual / nn, me = hc.expected / nn;
      for (std::size_t i = 0; i < cs.size(); ++i) {
        sxx += (cs.x_holdout[i] - ma) * (cs.x_holdout[i] - ma);
        syy += (e[i] - me) * (e[i] - me);
        sxy += (cs.x_holdout[i] - ma) * (e[i] - me);
      }
      hc.mae = se / nn;
      hc.rmse = std::sqrt(sa / nn);
      hc.correlation = sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : nan;
      // Weekly tracking of the calibration cohort: repeat purchase days per week since its first
      // day, against Σ over customers of E[X(t − first)] (FHL 2005), grouped by first day.
      date origin = cs.first[0];
      for (const date d : cs.first) origin = std::min(origin, d);
      const auto weeks = static_cast<std::size_t>((as_of - origin) / 7 + 1);
      hc.weekly_actual.assign(weeks, 0.0);
      std::map<std::int32_t, std::uint64_t> by_first;
      for (const date d : cs.first) ++by_first[d - origin];
      for (std::uint32_t c = 0; c < n; ++c) {
        const std::uint32_t b = h.offsets[c], e2 = h.offsets[c + 1];
        if (b == e2 || h.day[b] > *o.calibration_end) continue;  // not in the calibration cohort
        for (std::uint32_t k = b + 1; k < e2; ++k) hc.weekly_actual[static_cast<std::size_t>((h.day[k] - origin) / 7)] += 1;
      }
      hc.weekly_expected.assign(weeks, 0.0);
      double prev_cum = 0;
      for (std::size_t w = 0; w < weeks; ++w) {
        const double end_day = std::min<double>(static_cast<double>(7 * (w + 1)), static_cast<double>(as_of - origin + 1));
        double cum = 0;
        for (const auto& [d0, count] : by_first)
          if (end_day > d0) cum += static_cast<double>(count) * f.model.expected_purchases_new((end_day - d0) / o.unit.days);
        hc.weekly_expected[w] = cum - prev_cum;
        prev_cum = cum;
        hc.week.push_back(to_string(origin + static_cast<std::int32_t>(7 * w)));
      }
    } catch (const error& e) {
      hc.bgnbd.model = "bgnbd";
      hc.bgnbd.status = "not fitted";
      hc.bgnbd.note = e.what();
    }
    r.holdout = std::move(hc);
  }

  // --- attitude: attributes joined on the customer id -------------------------------------------
  sw.step("profile");
  attributes attr;
  std::vector<double> nps_v(n, nan), csat_v(n, nan);
  int nps_col = -1, csat_col = -1;
  if (!o.attributes_path.empty()) {
    attr = read_attributes(o.attributes_path);
    for (std::size_t j = 0; j < attr.columns.size(); ++j) {
      const std::string l = lower(attr.columns[j]);
      if (l == "nps" && nps_col < 0) nps_col = static_cast<int>(j);
      if ((l == "csat" || l == "satisfaction") && csat_col < 0) csat_col = static_cast<int>(j);
    }
    auto& at = r.attitude;
    at.has_nps = nps_col >= 0;
    at.has_csat = csat_col >= 0;
    std::vector<std::array<std::uint64_t, 3>> per_seg(seg.label_count(), {0, 0, 0});
    double csat_sum = 0;
    std::uint64_t satisfied = 0;
    for (std::uint32_t c = 0; c < n; ++c) {
      const auto it = attr.rows.find(log.customers.name(c));
      if (it == attr.rows.end()) continue;
      if (nps_col >= 0) {
        const double x = survey_value(attr, it->first, it->second[static_cast<std::size_t>(nps_col)], attr.columns[static_cast<std::size_t>(nps_col)], 0, 10);
        nps_v[c] = x;
        if (std::isfinite(x)) {
          ++at.nps_answers;
          const int g = x >= 9 ? 0 : (x <= 6 ? 2 : 1);  // promoter, passive, detractor
          (g == 0 ? at.promoters : g == 2 ? at.detractors : at.passives) += 1;
          ++per_seg[label[c]][static_cast<std::size_t>(g)];
        }
      }
      if (csat_col >= 0) {
        const double x = survey_value(attr, it->first, it->second[static_cast<std::size_t>(csat_col)], attr.columns[static_cast<std::size_t>(csat_col)], 1, 5);
        csat_v[c] = x;
        if (std::isfinite(x)) {
          ++at.csat_answers;
          csat_sum += x;
          satisfied += x >= o.csat_satisfied_from;
        }
      }
    }
    if (at.nps_answers)
      at.nps = 100.0 * (static_cast<double>(at.promoters) - static_cast<double>(at.detractors)) / static_cast<double>(at.nps_answers);
    for (std::size_t k = 0; k < per_seg.size(); ++k) {
      const auto tot = per_seg[k][0] + per_seg[k][1] + per_seg[k][2];
      if (tot) at.nps_by_segment.emplace_back(seg.label(k), 100.0 * (static_cast<double>(per_seg[k][0]) - static_cast<double>(per_seg[k][2])) / static_cast<double>(tot));
    }
    if (at.csat_answers) {
      at.csat_mean = csat_sum / static_cast<double>(at.csat_answers);
      at.csat_satisfied_share = static_cast<double>(satisfied) / static_cast<double>(at.csat_answers);
    }
  }

  // --- the profile table ------------------------------------------------------------------------
  std::vector<std::string> ids(n);
  for (std::uint32_t c = 0; c < n; ++c)
    ids[c] = o.pseudonymize_salt ? hmac_sha256_hex(*o.pseudonymize_salt, log.customers.name(c)) : log.customers.name(c);
  std::vector<std::string> all = column_names();
  std::vector<std::string> have;
  for (const auto& c : all) {
    if (!log.has_items() && (c == "favourite_items" || c == "next_product" || c == "recommended_items")) continue;
    if ((c == "nps" || c == "nps_group") && nps_col < 0) continue;
    if (c == "csat" && csat_col < 0) continue;
    have.push_back(c);
  }
  for (std::size_t j = 0; j < attr.columns.size(); ++j)
    if (static_cast<int>(j) != nps_col && static_cast<int>(j) != csat_col) have.push_back("attr_" + attr.columns[j]);
  std::vector<std::string> keep;
  if (o.columns.empty()) {
    keep = have;
  } else {
    keep.push_back("customer_id");
    for (const auto& c : o.columns) {
      if (c == "customer_id") continue;
      if (std::find(have.begin(), have.end(), c) == have.end())
        throw invalid_argument_error("report", "columns", c, "not available for this log (no items or no such attribute)");
      keep.push_back(c);
    }
  }
  r.columns = keep;
  r.rows.resize(n);
  const std::string scored_on = to_string(as_of);
  for (std::uint32_t c = 0; c < n; ++c) {
    const std::uint32_t i = row_of[c];
    const auto attr_it = attr.rows.find(log.customers.name(c));
    auto& row = r.rows[c];
    row.reserve(keep.size());
    for (const auto& col : keep) {
      std::string cell;
      if (col == "customer_id") cell = ids[c];
      else if (col == "first_purchase") cell = to_string(s.first[i]);
      else if (col == "last_purchase") cell = to_string(s.last[i]);
      else if (col == "tenure_days") cell = std::to_string(as_of - s.first[i]);
      else if (col == "orders") cell = fmt(s.orders[i], 0);
      else if (col == "frequency") cell = fmt(s.x[i], 0);
      else if (col == "recency_days") cell = fmt(t.recency[c], 0);
      else if (col == "mean_interpurchase_days") cell = s.x[i] > 0 ? fmt((s.last[i] - s.first[i]) / s.x[i], 2) : "";
      else if (col == "mean_basket") cell = fmt(s.orders[i] > 0 ? s.total[i] / s.orders[i] : 0.0, 2);
      else if (col == "favourite_items") cell = favourite[c];
      else if (col == "total_spend") cell = fmt(t.monetary[c], 2);
      else if (col == "r_score") cell = std::to_string(rs[c]);
      else if (col == "f_score") cell = std::to_string(fs[c]);
      else if (col == "m_score") cell = std::to_string(ms[c]);
      else if (col == "rfm_code") cell = std::to_string(rfm::rfm_score(rs[c], fs[c], ms[c]));
      else if (col == "rfm_segment") cell = seg.label(label[c]);
      else if (col == "value_tier") cell = cuts.names[tier[c]];
      else if (col == "p_alive") cell = fmt(alive[c], 4);
      else if (col == "expected_purchases") cell = fmt(expected[c], 4);
      else if (col == "clv") cell = fmt(clv[c], 2);
      else if (col == "lifecycle_stage") cell = stage[c];
      else if (col == "cluster") cell = cluster[c] >= 0 && !cluster_name.empty() ? cluster_name[static_cast<std::size_t>(cluster[c])] : "";
      else if (col == "next_product") cell = next_product[c];
      else if (col == "recommended_items") cell = recommended[c];
      else if (col == "scored_on") cell = scored_on;
      else if (col == "nps") cell = fmt(nps_v[c], 0);
      else if (col == "nps_group") cell = std::isfinite(nps_v[c]) ? (nps_v[c] >= 9 ? "promoter" : nps_v[c] <= 6 ? "detractor" : "passive") : "";
      else if (col == "csat") cell = fmt(csat_v[c], 0);
      else if (col.rfind("attr_", 0) == 0 && attr_it != attr.rows.end()) {
        const auto pos = std::find(attr.columns.begin(), attr.columns.end(), col.substr(5)) - attr.columns.begin();
        cell = attr_it->second[static_cast<std::size_t>(pos)];
      }
      row.push_back(std::move(cell));
    }
  }
  // The most valuable customers at risk (report.hpp: at_risk_row): P(alive) < 0.5 or in lifecycle
  // decline/termination, highest value at risk CLV·(1 − P)/P first, then highest CLV.
  auto value_at_risk = [&](std::uint32_t c) {
    return std::isfinite(alive[c]) && alive[c] > 0 ? clv[c] * (1 - alive[c]) / alive[c] : 0.0;
  };
  std::vector<std::uint32_t> risk;
  for (std::uint32_t c = 0; c < n; ++c)
    if (std::isfinite(clv[c]) && ((std::isfinite(alive[c]) && alive[c] < 0.5) || stage[c] == "decline" || stage[c] == "termination"))
      risk.push_back(c);
  std::stable_sort(risk.begin(), risk.end(), [&](auto a, auto b) {
    const double va = value_at_risk(a), vb = value_at_risk(b);
    return va != vb ? va > vb : clv[a] > clv[b];
  });
  if (risk.size() > 20) risk.resize(20);
  for (auto c : risk)
    r.at_risk.push_back({ids[c], clv[c], alive[c], t.monetary[c], value_at_risk(c), to_string(s.last[row_of[c]]), seg.label(label[c])});
  sw.finish();
  return r;
}

}  // namespace patron::inline v1::report
