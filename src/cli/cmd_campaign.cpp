// SPDX-License-Identifier: MIT
// `patron campaign`: delivery, open, click-through and conversion rates, CPA, ROI and uplift over
// a control group, per campaign and per campaign × segment (definitions in
// include/patron/campaign.hpp).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli.hpp"
#include "patron/campaign.hpp"
#include "patron/crm/export.hpp"
#include "patron/error.hpp"

namespace patron::cli {
namespace {

struct campaign_args {
  std::string input, output, json, segments, segment_column = "segment", control, treatment;
  std::vector<std::string> cols;
  bool lenient = false;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> split_labels(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) v.push_back(item);
  return v;
}

/// Customer → segment from a table with a header (e.g. `patron rfm` output).
void join_segment_file(campaign::event_table& e, const std::string& path, const std::string& column) {
  const crm::profile p = crm::read_profile(path);
  auto find = [&](const std::string& name) -> std::size_t {
    for (std::size_t j = 0; j < p.columns.size(); ++j)
      if (lower(p.columns[j]) == lower(name)) return j;
    return p.columns.size();
  };
  std::size_t id = p.columns.size();
  for (const char* n : {"customer_id", "customer", "id"})
    if ((id = find(n)) < p.columns.size()) break;
  if (id == p.columns.size()) id = 0;
  const std::size_t seg = find(column);
  if (seg == p.columns.size()) {
    std::string heads;
    for (const auto& h : p.columns) heads += (heads.empty() ? "" : ", ") + h;
    throw data_error(errc::missing_column, path, 1, 0, "--segment-column", column, "no such column; headers: " + heads);
  }
  std::vector<std::string> ids, names;
  for (const auto& row : p.rows) {
    ids.push_back(id < row.size() ? row[id] : "");
    names.push_back(seg < row.size() ? row[seg] : "");
  }
  const std::size_t unmatched = campaign::join_segments(e, ids, names);
  if (unmatched > 0)
    std::cerr << "patron campaign: " << unmatched << " event rows have no segment in " << path
              << " (reported as segment \"unassigned\")\n";
}

std::string pct(double v) {
  if (std::isnan(v)) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << 100 * v << '%';
  return os.str();
}

void run(const campaign_args& a) {
  campaign::event_read_options ro;
  for (const auto& c : a.cols) {
    const auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0)
      throw invalid_argument_error("patron campaign", "--col", c, "expected canonical=Header, e.g. converted=Purchased");
    ro.columns.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  if (!a.control.empty()) ro.control_labels = split_labels(a.control);
  if (!a.treatment.empty()) ro.treatment_labels = split_labels(a.treatment);
  ro.lenient = a.lenient;
  campaign::event_table e = campaign::read_events(a.input, ro);
  for (const auto& [reason, n] : e.skipped) std::cerr << "patron campaign: skipped " << n << " rows: " << reason << '\n';
  if (!a.segments.empty()) join_segment_file(e, a.segments, a.segment_column);
  const campaign::report r = campaign::evaluate(e);
  {
    output out(a.output);
    out.stream() << campaign::to_csv(r);
    out.close();
  }
  if (!a.json.empty()) {
    output out(a.json);
    out.stream() << campaign::to_json(r);
    out.close();
  }
  std::ostream& os = a.output.empty() || a.output == "-" ? std::cerr : std::cout;
  os << e.size() << " event rows, " << r.campaigns.size() << " campaigns"
     << (e.has_control ? ", control group marked" : ", no control group") << '\n';
  for (const auto& m : r.campaigns) {
    os << m.campaign << ": " << m.targeted << " targeted, delivery " << pct(m.delivery_rate) << ", open "
       << pct(m.open_rate) << ", CTR " << pct(m.click_through_rate) << ", conversion " << pct(m.conversion_rate)
       << ", CPA " << (std::isnan(m.cost_per_acquisition) ? "-" : format_double(m.cost_per_acquisition)) << ", ROI "
       << pct(m.roi);
    if (m.uplift)
      os << ", uplift " << std::fixed << std::setprecision(2) << 100 * m.uplift->absolute << " pp (95% CI "
         << 100 * m.uplift->ci_low << " to " << 100 * m.uplift->ci_high << ", p = " << std::setprecision(4)
         << m.uplift->p_value << ")" << std::defaultfloat;
    os << '\n';
  }
}

}  // namespace

void add_campaign_command(CLI::App& app) {
  auto args = std::make_shared<campaign_args>();
  auto* cmd = app.add_subcommand(
      "campaign",
      "Campaign metrics from an events table (customer, campaign, sent, delivered, opened, clicked, converted, "
      "revenue, cost, group, segment): delivery, open, click-through and conversion rates, CPA, ROI and uplift "
      "over a control group, per campaign and per segment. Writes CSV; prints one line per campaign");
  cmd->add_option("--input", args->input, "Campaign events CSV, one row per customer and campaign")->required();
  cmd->add_option("--col", args->cols, "Bind a column, canonical=Header (e.g. converted=\"Purchased\"); repeatable");
  cmd->add_option("--control", args->control, "Group labels of the control group, comma-separated")
      ->default_str("control,holdout,ctrl,c,0");
  cmd->add_option("--treatment", args->treatment, "Group labels of the treatment group, comma-separated")
      ->default_str("treatment,test,target,exposed,t,1");
  cmd->add_option("--segments", args->segments, "Customer table with a segment column (e.g. `patron rfm` output)");
  cmd->add_option("--segment-column", args->segment_column, "The segment column of --segments")->capture_default_str();
  cmd->add_flag("--lenient", args->lenient, "Skip bad rows and report how many per reason");
  cmd->add_option("--output", args->output, "Output CSV (default: stdout)");
  cmd->add_option("--json", args->json, "Also write the report as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace patron::cli
