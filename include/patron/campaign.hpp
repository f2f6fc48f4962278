// SPDX-License-Identifier: MIT
// Campaign metrics: from a table of campaign events (one row per customer and campaign: sent,
// delivered, opened, clicked, converted, revenue, cost, and optionally a control-group mark and a
// segment) to the email/direct-marketing funnel rates, cost per acquisition, ROI, and the uplift
// over a randomised control group, per campaign and per campaign × segment.
//
// Definitions (the usual ones of email and direct marketing; written here because tools differ):
//   targeted            treatment-group rows (customers assigned to receive the campaign)
//   delivery rate       delivered / sent        (without a delivered column, delivered = sent)
//   open rate           opened / delivered      (unique opens: a count > 1 counts once)
//   click-through rate  clicked / delivered
//   click-to-open rate  clicked / opened
//   conversion rate     converted / targeted    (intent to treat, so it compares with the control)
//   cost per acquisition  cost / converted
//   ROI                 (revenue − cost) / cost
// Uplift against the control group (rows whose group is a control label; they are not contacted):
//   uplift              conversion rate(treatment) − conversion rate(control), absolute
//   relative uplift     uplift / conversion rate(control)
//   95% interval        uplift ± 1.959964 · sqrt(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c)   (Wald, unpooled)
//   p-value             two-sided two-proportion z-test with the pooled rate
//                       z = uplift / sqrt(p(1−p)(1/n_t + 1/n_c)),  p = (x_t + x_c)/(n_t + n_c)
//   incremental conversions  uplift · n_t
//   incremental revenue      (revenue_t / n_t − revenue_c / n_c) · n_t
//   incremental ROI          (incremental revenue − cost) / cost
// A rate whose denominator is zero is NaN (written empty in CSV, null in JSON), never 0.
#ifndef PATRON_CAMPAIGN_HPP
#define PATRON_CAMPAIGN_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patron::inline v1::campaign {

/// The events table, column-wise. Flags are 0/1 (a count > 0 reads as 1).
struct event_table {
  std::string source;  ///< file name, for messages
  std::vector<std::string> customer, campaign;
  std::vector<std::string> segment;  ///< empty strings when there is no segment column
  std::vector<std::uint8_t> control;  ///< 1 = control group
  std::vector<std::uint8_t> sent, delivered, opened, clicked, converted;
  std::vector<double> revenue, cost;
  std::vector<std::uint64_t> line;  ///< 1-based source line of each row
  bool has_delivered = false, has_segment = false, has_control = false;
  /// Rows skipped in lenient mode, by error name ("bad_number": 3); empty in strict mode.
  std::map<std::string, std::uint64_t> skipped;

  [[nodiscard]] std::size_t size() const noexcept { return customer.size(); }
};

struct event_read_options {
  /// Header overrides, canonical name → header text. Canonical names: customer, campaign,
  /// group, segment, sent, delivered, opened, clicked, converted, revenue, cost. Without an
  /// override a column is found by its canonical name or an alias (customer_id, campaign_id,
  /// variant, arm, ...), case- and space-insensitively. customer, campaign and sent are required;
  /// a missing optional flag or money column reads as 0 for every row.
  std::vector<std::pair<std::string, std::string>> columns;
  /// Values of the group column that mark the control group (case-insensitive). Any other value
  /// must be one of treatment_labels; an empty group field is treatment.
  std::vector<std::string> control_labels = {"control", "holdout", "ctrl", "c", "0"};
  std::vector<std::string> treatment_labels = {"treatment", "test", "target", "exposed", "t", "1"};
  char delimiter = ',';
  /// Skip bad rows and count them per reason (event_table::skipped) instead of throwing.
  bool lenient = false;
};

/// Reads the events CSV (header line, RFC 4180 quotes, LF or CRLF, UTF-8 BOM skipped). Flags
/// accept non-negative integers, true/false, yes/no, y/n; an empty flag, revenue or cost is 0
/// (exports leave "opened" blank for unopened mail). Errors are data_error naming
/// file:line:column, the field and the raw value: missing_column (with the headers seen),
/// bad_number, out_of_range (a negative count or cost, a non-finite amount), ragged_row,
/// bad_rule (opened/clicked/delivered without sent, a control row marked sent, an unknown group
/// label, the same customer twice in one campaign), empty_input, io_error.
[[nodiscard]] event_table read_events(const std::string& path, const event_read_options& options = {});
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] event_table read_events_from_string(std::string_view text, const event_read_options& options = {},
                                                  const std::string& name = "<memory>");

/// Sets each row's segment from a customer → segment table (e.g. `patron rfm` output). Rows
/// whose customer is not in the table get `unmatched_label`; returns how many rows that was.
std::size_t join_segments(event_table& events, const std::vector<std::string>& customers,
                          const std::vector<std::string>& segments, const std::string& unmatched_label = "unassigned");

/// Uplift of the treatment over the control group (present when the group has a control arm
/// with at least one customer and the treatment group has at least one).
struct uplift {
  double treatment_rate = 0, control_rate = 0;
  double absolute = 0;  ///< treatment_rate − control_rate
  double relative = 0;  ///< absolute / control_rate (NaN when the control rate is 0)
  double ci_low = 0, ci_high = 0;  ///< 95% Wald interval of `absolute`
  double z = 0, p_value = 0;       ///< pooled two-proportion z-test, two-sided
  double incremental_conversions = 0, incremental_revenue = 0, incremental_roi = 0;
};

/// One line of the report: a campaign (segment empty) or a campaign within a segment. Counts and
/// money are of the treatment group unless named control_.
struct metrics {
  std::string campaign, segment;
  std::uint64_t targeted = 0, sent = 0, delivered = 0, opened = 0, clicked = 0, converted = 0;
  double revenue = 0, cost = 0;
  double delivery_rate = 0, open_rate = 0, click_through_rate = 0, click_to_open_rate = 0,
         conversion_rate = 0, cost_per_acquisition = 0, roi = 0;
  std::uint64_t control_customers = 0, control_converted = 0;
  double control_revenue = 0;
  std::optional<campaign::uplift> uplift;
};

struct report {
  std::vector<metrics> campaigns;  ///< one per campaign, in order of first appearance
  std::vector<metrics> segments;   ///< campaign × segment, same order, segments sorted by name
  metrics overall;                 ///< every campaign together (campaign "*")
};

/// Computes the report. Throws invalid_argument_error for an empty table.
[[nodiscard]] report evaluate(const event_table& events);

/// CSV with one row per metrics line (overall, campaigns, then campaign × segment); the header
/// names every field of `metrics` and `uplift` (uplift fields empty without a control group).
[[nodiscard]] std::string to_csv(const report& r);
/// The report as JSON: {"overall": {...}, "campaigns": [...], "segments": [...]}.
[[nodiscard]] std::string to_json(const report& r);

}  // namespace patron::inline v1::campaign

#endif  // PATRON_CAMPAIGN_HPP
