// SPDX-License-Identifier: MIT
// The customer-value report: one call from a purchase log to a per-customer profile table,
// customer-base KPIs and fitted models, and writers for customers.csv, summary.json, report.html.
#ifndef PATRON_REPORT_HPP
#define PATRON_REPORT_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1::report {

/// Options of build_report(). Defaults suit a weekly purchase log of a year or more.
struct report_options {
  /// Model time unit (week by default, as in the BG/NBD papers).
  time_unit unit = time_unit::week();
  /// The analysis date ("as of"): rows after it are left out. Default: the log's last day.
  std::optional<date> as_of;
  /// When set, the models are also fitted on the days up to this date and checked on the days
  /// after it (the holdout): summary.json "holdout" and the weekly tracking chart.
  std::optional<date> calibration_end;
  /// CLV: Σ_{k=1..clv_months} (E[X(k)] − E[X(k−1)]) × E[spend] × margin / (1 + d)^k, with
  /// E[X(k)] the BG/NBD expected purchases in the next k months (Fader, Hardie & Lee 2005, eq. 10),
  /// E[spend] the Gamma-Gamma conditional mean (FHL 2005 JMR eq. 5) and d the monthly rate
  /// equivalent to the annual rate (1 + d)^12 = 1 + annual_discount_rate (the discrete CLV of
  /// `lifetimes`, with 365.25/12-day months).
  double annual_discount_rate = 0.10;
  int clv_months = 36;
  /// CLV margin: fraction of spend that is profit (1 = revenue CLV).
  double margin = 1.0;
  /// "expected purchases next period": the next `next_period_days` days (default 365/4: a quarter).
  double next_period_days = 365.25 / 4.0;
  /// Months of revenue forecast after the as-of date (expected purchases × expected spend of
  /// today's customers; new customers are not forecast).
  int forecast_months = 6;
  /// k-means clusters on log1p(recency), log1p(frequency), log1p(monetary), z-scored.
  std::size_t clusters = 4;
  std::uint64_t seed = 1;
  /// Recommended items per customer (item-item cosine on invoice lines), when the log has items.
  std::size_t recommendations = 3;
  /// Minimum support of the association rules (baskets = invoices), when the log has items.
  double rule_min_support = 0.01;
  /// Optional customer attributes: a CSV whose first column (or a column named customer_id /
  /// customer / id) is the customer id; every other column is joined into the profile as
  /// "attr_<name>". A column named nps (0–10 "how likely to recommend") gives NPS; a column
  /// named csat or satisfaction (1–5) gives CSAT.
  std::string attributes_path;
  /// CSAT: an answer ≥ this value counts as satisfied (top-2-box on a 1–5 scale).
  double csat_satisfied_from = 4.0;
  /// Profile columns to keep (names of customer_report::column_names()); empty = all.
  /// customer_id is always kept.
  std::vector<std::string> columns;
  /// When set, every customer id in every output is replaced by HMAC-SHA-256(key = salt,
  /// message = id) in lowercase hex (64 characters).
  std::optional<std::string> pseudonymize_salt;
  /// Called at the start of each long step with its name and the fraction of steps done.
  std::function<void(std::string_view step, double done)> progress;

  /// Throws invalid_argument_error naming the first bad field.
  void validate() const;
};

/// One fitted model as the report shows it.
struct model_fit {
  std::string model;   ///< "bgnbd", "gg"
  std::string status;  ///< fit_status name, or "not fitted" with the reason in `note`
  double log_likelihood = 0;
  int iterations = 0;
  std::vector<std::string> names;
  std::vector<double> params, std_errors;
  std::string note;
};

/// A count per named group (segment, stage, tier, cluster).
struct named_count {
  std::string name;
  std::uint64_t count = 0;
  double mean_value = 0;  ///< mean total spend of the group
};

/// Customer-base KPIs of one calendar month.
struct month_kpi {
  std::string month;  ///< "YYYY-MM"
  std::uint64_t active = 0;       ///< customers with a purchase in the month
  std::uint64_t new_customers = 0;  ///< customers whose first purchase is in the month
  double growth_rate = 0;     ///< (active − active of the previous month) / that; NaN for the first
  double repurchase_rate = 0;  ///< share of active customers who had bought before the month
  double revenue = 0;          ///< Σ amounts in the month
};

/// One association rule, item names joined by " + ".
struct rule_row {
  std::string antecedent, consequent;
  double support = 0, confidence = 0, lift = 0;
};

/// One cluster profile (original units).
struct cluster_row {
  std::string name;
  std::uint64_t size = 0;
  double recency_days = 0, frequency = 0, monetary = 0;  ///< cluster means
};

/// Holdout check of the models fitted on the calibration period.
struct holdout_check {
  std::string calibration_end;
  double holdout_weeks = 0;
  std::uint64_t customers = 0;  ///< customers first seen up to the calibration end
  double actual = 0, expected = 0;  ///< Σ repeat purchase days in the holdout, actual vs BG/NBD
  double mae = 0, rmse = 0, correlation = 0;  ///< per customer
  model_fit bgnbd;
  /// Weekly repeat purchases of the calibration cohort, from its first day: week start, actual,
  /// expected by the calibration fit (FHL 2005 tracking).
  std::vector<std::string> week;
  std::vector<double> weekly_actual, weekly_expected;
};

/// Attitude from the attributes file.
struct attitude_summary {
  bool has_nps = false, has_csat = false;
  std::uint64_t nps_answers = 0, promoters = 0, passives = 0, detractors = 0;
  double nps = 0;  ///< 100 × (promoters − detractors) / answers
  std::vector<std::pair<std::string, double>> nps_by_segment;  ///< RFM segment → NPS (segments with answers)
  std::uint64_t csat_answers = 0;
  double csat_mean = 0, csat_satisfied_share = 0;
};

/// The report: the profile table (as text cells, one row per customer, already pseudonymized and
/// restricted to the selected columns) and everything the summary and the HTML show.
struct customer_report {
  std::vector<std::string> columns;             ///< profile header
  std::vector<std::vector<std::string>> rows;   ///< profile cells
  ingest_report ingest;
  std::string source;
  std::string first_day, as_of;
  std::string unit;
  std::uint64_t customers = 0, transactions = 0;
  double revenue = 0;
  bool has_items = false, pseudonymized = false;
  report_options options;  ///< as given (without the salt)

  model_fit bgnbd, gamma_gamma;
  double total_clv = 0, mean_p_alive = 0, expected_purchases_next_period = 0;
  std::vector<named_count> segments, stages, tiers;
  std::vector<cluster_row> clusters;
  double customer_share_for_80 = 0, revenue_share_of_top_20 = 0, gini = 0;
  std::vector<std::pair<double, double>> lorenz;  ///< (population share, value share), 0..1
  /// R × F grid (5 × 5): count and mean total spend, [r−1][f−1].
  std::uint64_t rf_count[5][5] = {};
  double rf_mean_value[5][5] = {};
  std::vector<double> p_alive_hist_edges, clv_hist_edges;  ///< bin edges (bins + 1)
  std::vector<std::uint64_t> p_alive_hist, clv_hist;
  /// Expected purchases in the next period for a customer of age T = fr_age (units) with
  /// frequency fr_x[i] and last purchase at fr_tx[j]: fr_expected[i][j].
  double fr_age = 0;
  std::vector<double> fr_x, fr_tx;
  std::vector<std::vector<double>> fr_expected;
  std::vector<std::string> stage_names, funnel_dates;
  std::vector<std::vector<std::uint64_t>> funnel;  ///< [date][stage]
  std::vector<month_kpi> months;
  std::vector<std::string> forecast_month;
  std::vector<double> forecast_revenue;
  /// Cohort retention: cohort (first-purchase month) × months since, share still buying.
  std::vector<std::string> cohort;
  std::vector<std::uint64_t> cohort_size;
  std::vector<std::vector<double>> retention;
  std::vector<rule_row> rules;
  std::uint64_t baskets = 0;
  /// The 20 most valuable customers at risk: among those with P(alive) < 0.5 or in lifecycle
  /// stage decline or termination, the highest value at risk first. Value at risk = the CLV the
  /// customer would have if still alive, times the probability of not being alive:
  /// CLV / P(alive) · (1 − P(alive)) (the model CLV already carries the factor P(alive)); 0 when
  /// P(alive) = 0 (nothing left to lose). Ties: higher CLV first.
  struct at_risk_row {
    std::string id;
    double clv = 0, p_alive = 0, total_spend = 0, value_at_risk = 0;
    std::string last_purchase, segment;
  };
  std::vector<at_risk_row> at_risk;
  std::optional<holdout_check> holdout;
  attitude_summary attitude;
  /// Wall-clock seconds per step (read is the caller's).
  std::vector<std::pair<std::string, double>> timings;
};

/// Every profile column build_report() can produce, in order (attributes come after).
[[nodiscard]] std::vector<std::string> column_names();

/// Builds the report of `log` (as read, with the reader's `ingest` report). Throws
/// invalid_argument_error for bad options or unknown --columns, data_error for an empty log or a
/// bad attributes file (naming file, line and field).
[[nodiscard]] customer_report build_report(const transaction_log& log, const ingest_report& ingest,
                                           const report_options& options);

/// customers.csv: RFC 4180, header row, one row per customer; no comment lines (the column
/// meanings and the CLV discount settings are in summary.json "profile").
void write_customers_csv(const customer_report& r, std::ostream& os);
/// summary.json (pretty-printed JSON).
void write_summary_json(const customer_report& r, std::ostream& os);
/// report.html: one self-contained XHTML-style page, inline SVG, no script, no external resource.
void write_html(const customer_report& r, std::ostream& os);
/// Writes the three files into `dir` (created if missing); data_error(io_error) on failure.
void write_report(const customer_report& r, const std::string& dir);

/// Five one-line findings for people (value concentration, models, CLV and risk, holdout or
/// lifecycle, forecast or rules), as `patron report` and `patron demo` print them.
[[nodiscard]] std::vector<std::string> headlines(const customer_report& r);

/// HMAC-SHA-256 (RFC 2104 with SHA-256; test vectors in RFC 4231) of `message` under `key`,
/// as 64 lowercase hex digits.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace patron::inline v1::report

#endif  // PATRON_REPORT_HPP
