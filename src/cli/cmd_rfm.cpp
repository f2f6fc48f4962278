// SPDX-License-Identifier: MIT
// `patron rfm`: RFM metrics, scores and named segments per customer as CSV; a segment summary.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "patron/error.hpp"
#include "patron/rfm.hpp"
#include "patron/value/tiers.hpp"
#include "rfm_input.hpp"

namespace patron::cli {
namespace {

struct rfm_args {
  rfm_input_args in;
  int bins = 5;
  std::string binning = "quantile", centre = "mean", segments, labels = "zh";
  std::string cuts_r, cuts_f, cuts_m;
  std::string thresholds_in, thresholds_out, output, summary, service;
};

std::vector<double> parse_cuts(const std::string& text, const char* field) {
  std::vector<double> v;
  if (text.empty()) return v;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t used = 0;
    double d = 0;
    try {
      d = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size())
      throw invalid_argument_error("patron rfm", field, item, "cut points are numbers separated by commas");
    v.push_back(d);
  }
  return v;
}

// Terminal columns of a UTF-8 label: CJK (3-byte sequences here) take two, ASCII one.
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

void print_summary_text(std::ostream& os, const std::vector<rfm::segment_stat>& st) {
  os << "segment                      customers   share     total_monetary  mean_monetary  mean_recency  mean_frequency\n";
  for (const auto& s : st) {
    if (s.count == 0) continue;
    os << s.name << std::string(28 - std::min<std::size_t>(27, display_width(s.name)), ' ')
       << std::setw(10) << s.count << std::fixed
       << std::setprecision(1) << std::setw(7) << 100 * s.share << "%" << std::setprecision(2)
       << std::setw(19) << s.total_monetary << std::setw(15) << s.mean_monetary << std::setprecision(1)
       << std::setw(14) << s.mean_recency << std::setprecision(2) << std::setw(16) << s.mean_frequency
       << '\n';
    os.unsetf(std::ios::fixed);
  }
}

void run_rfm(const rfm_args& a) {
  // Options first (exit 2 before any data is read).
  rfm::binning_options bo;
  bo.method = rfm::parse_binning_method(a.binning, "--binning");
  bo.bins = a.bins;
  bo.centre = a.centre == "median" ? rfm::split_centre::median : rfm::split_centre::mean;
  bo.recency_cuts = parse_cuts(a.cuts_r, "--cuts-r");
  bo.frequency_cuts = parse_cuts(a.cuts_f, "--cuts-f");
  bo.monetary_cuts = parse_cuts(a.cuts_m, "--cuts-m");
  if (a.thresholds_in.empty()) bo.validate();
  const auto lang = a.labels == "en" ? rfm::label_language::en : rfm::label_language::zh;
  std::optional<rfm::segment_table> table;
  if (!a.segments.empty()) {
    if (a.segments == "rfm10" || a.segments == "cn8" || a.segments == "value4")
      table = rfm::builtin_table(a.segments, lang);
    else
      table = rfm::read_segment_table(a.segments);
  }

  std::optional<value::service_table> service;
  if (!a.service.empty()) service = value::service_table::read_csv(a.service);

  const rfm::rfm_table t = load_rfm_input(a.in);
  rfm::validate_metrics(t.recency, t.frequency, t.monetary, a.in.allow_negative, t.id, a.in.input);
  const std::size_t n = t.size();
  std::vector<std::uint8_t> r(n), f(n), m(n);
  rfm::thresholds th;
  if (!a.thresholds_in.empty()) {
    th = rfm::load_thresholds(a.thresholds_in);
    rfm::apply(th, t.recency, t.frequency, t.monetary, {r, f, m});
  } else {
    th = rfm::score(t.recency, t.frequency, t.monetary, bo, {r, f, m});
  }
  if (!table) table = th.method == rfm::binning_method::mean_split ? rfm::cn8_table(lang) : rfm::rfm10_table();
  if (table->bins != th.bins)
    throw invalid_argument_error("patron rfm", "--segments", a.segments.empty() ? "default" : a.segments,
                                 "the table is written for " + std::to_string(table->bins) +
                                     " bins but the scores have " + std::to_string(th.bins));
  const rfm::segmenter seg(*table);
  std::vector<std::uint16_t> s(n);
  seg.assign(r, f, m, s);

  if (!a.thresholds_out.empty()) rfm::save_thresholds(a.thresholds_out, th);
  {
    output out(a.output);
    std::ostream& os = out.stream();
    os << "customer_id,recency_days,frequency,monetary,r,f,m,rfm_score,segment"
       << (service ? ",service_level\n" : "\n");
    for (std::size_t i = 0; i < n; ++i) {
      put_csv_field(os, t.id[i]);
      os << ',' << format_double(t.recency[i]) << ',' << format_double(t.frequency[i]) << ','
         << format_double(t.monetary[i]) << ',' << int{r[i]} << ',' << int{f[i]} << ',' << int{m[i]}
         << ',' << rfm::rfm_score(r[i], f[i], m[i]) << ',';
      put_csv_field(os, seg.label(s[i]));
      if (service) {
        os << ',';
        put_csv_field(os, service->level_of(seg.label(s[i])));
      }
      os << '\n';
    }
    out.close();
  }
  const auto stats = rfm::segment_statistics(seg, s, t.recency, t.frequency, t.monetary);
  if (!a.summary.empty()) {
    nlohmann::json j;
    j["customers"] = n;
    j["method"] = std::string(rfm::to_string(th.method));
    j["bins"] = th.bins;
    j["segments"] = nlohmann::json::array();
    for (const auto& st : stats)
      j["segments"].push_back({{"segment", st.name},
                               {"count", st.count},
                               {"share", st.share},
                               {"total_monetary", st.total_monetary},
                               {"mean_monetary", st.mean_monetary},
                               {"mean_recency", st.mean_recency},
                               {"mean_frequency", st.mean_frequency}});
    output sum(a.summary);
    sum.stream() << j.dump(2) << '\n';
    sum.close();
  } else {
    std::cerr << n << " customers, binning " << rfm::to_string(th.method) << ", " << th.bins << " bins\n";
    print_summary_text(std::cerr, stats);
  }
}

}  // namespace

void add_rfm_command(CLI::App& app) {
  auto args = std::make_shared<rfm_args>();
  CLI::App* cmd = app.add_subcommand(
      "rfm",
      "RFM scores and named segments per customer. Writes CSV customer_id,recency_days,frequency,"
      "monetary,r,f,m,rfm_score,segment; a segment summary goes to stderr (or --summary FILE as JSON)");
  add_rfm_input_options(cmd, args->in);
  cmd->add_option("--bins", args->bins, "Bins per metric (2..9)")->capture_default_str();
  cmd->add_option("--binning", args->binning, "quantile, r-rfm, ntile, fixed or mean-split")->capture_default_str();
  cmd->add_option("--centre", args->centre, "mean-split centre: mean or median")
      ->check(CLI::IsMember({"mean", "median"}))->capture_default_str();
  cmd->add_option("--cuts-r", args->cuts_r, "Recency cut points in days, ascending (fixed, r-rfm)");
  cmd->add_option("--cuts-f", args->cuts_f, "Frequency cut points, ascending (fixed, r-rfm)");
  cmd->add_option("--cuts-m", args->cuts_m, "Monetary cut points, ascending (fixed, r-rfm)");
  cmd->add_option("--segments", args->segments,
                  "Rule table: rfm10, cn8, value4 or a CSV/JSON file (default rfm10; cn8 for mean-split)");
  cmd->add_option("--labels", args->labels, "cn8 labels: zh or en")->check(CLI::IsMember({"zh", "en"}))->capture_default_str();
  cmd->add_option("--thresholds-in", args->thresholds_in, "Score with saved thresholds (JSON) instead of fitting");
  cmd->add_option("--thresholds-out", args->thresholds_out, "Save the thresholds (JSON) to score new customers alike");
  cmd->add_option("--service", args->service,
                  "Service-level table (CSV key,level[,note]; key * = fallback): adds a service_level column");
  cmd->add_option("--output", args->output, "Output CSV (default: stdout)");
  cmd->add_option("--summary", args->summary, "Write the segment summary as JSON to this file");
  cmd->callback([args] { run_rfm(*args); });
}

}  // namespace patron::cli
