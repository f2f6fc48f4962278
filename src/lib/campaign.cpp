// SPDX-License-Identifier: MIT
// Campaign events → funnel rates, CPA, ROI and uplift (definitions in include/patron/campaign.hpp).
#include "patron/campaign.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "csv_record.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::campaign {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string normalise(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '_' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Canonical columns and their aliases (compared after normalise()).
enum col : std::size_t { c_customer, c_campaign, c_group, c_segment, c_sent, c_delivered, c_opened, c_clicked,
                         c_converted, c_revenue, c_cost, n_cols };
const std::array<const char*, n_cols> canonical = {"customer", "campaign", "group", "segment", "sent",
                                                   "delivered", "opened", "clicked", "converted", "revenue", "cost"};
const std::array<std::vector<const char*>, n_cols> aliases = {{
    {"customer", "customerid", "customer id", "contactid", "contact", "accountid", "id"},
    {"campaign", "campaignid", "campaignname"},
    {"group", "variant", "arm", "testgroup", "cell"},
    {"segment", "rfmsegment", "cluster"},
    {"sent", "issent"},
    {"delivered", "isdelivered"},
    {"opened", "open", "opens", "isopened"},
    {"clicked", "click", "clicks", "isclicked"},
    {"converted", "conversion", "conversions", "isconverted", "purchased"},
    {"revenue", "amount", "sales"},
    {"cost", "spend", "costs"},
}};

struct row_error {
  errc code;
  std::uint32_t column;
  std::string field, value, problem;
};

std::uint8_t parse_flag(std::string_view raw, std::uint32_t column, const char* field) {
  const std::string_view s = trim(raw);
  if (s.empty()) return 0;
  const std::string n = normalise(s);
  if (n == "true" || n == "yes" || n == "y") return 1;
  if (n == "false" || n == "no" || n == "n") return 0;
  if (s.front() == '-') throw row_error{errc::out_of_range, column, field, std::string(raw), "a count must be >= 0"};
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size())
    throw row_error{errc::bad_number, column, field, std::string(raw),
                    "not a flag: expected a count >= 0, true/false, yes/no or y/n"};
  return v > 0 ? 1 : 0;
}

double parse_money(std::string_view raw, std::uint32_t column, const char* field, bool allow_negative) {
  const std::string_view s = trim(raw);
  if (s.empty()) return 0.0;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    throw row_error{errc::out_of_range, column, field, std::string(raw), "beyond the range of a double"};
  if (ec != std::errc{} || p != s.data() + s.size())
    throw row_error{errc::bad_number, column, field, std::string(raw), "not a number"};
  if (!std::isfinite(v) || std::fabs(v) > 1e15)
    throw row_error{errc::out_of_range, column, field, std::string(raw), "must be finite and within ±1e15"};
  if (!allow_negative && v < 0) throw row_error{errc::out_of_range, column, field, std::string(raw), "must be >= 0"};
  return v;
}

bool in_labels(const std::vector<std::string>& labels, const std::string& n) {
  return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) { return normalise(l) == n; });
}

std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

double ratio(double num, double den) { return den > 0 ? num / den : nan; }

void finish_rates(metrics& m) {
  m.delivery_rate = ratio(static_cast<double>(m.delivered), static_cast<double>(m.sent));
  m.open_rate = ratio(static_cast<double>(m.opened), static_cast<double>(m.delivered));
  m.click_through_rate = ratio(static_cast<double>(m.clicked), static_cast<double>(m.delivered));
  m.click_to_open_rate = ratio(static_cast<double>(m.clicked), static_cast<double>(m.opened));
  m.conversion_rate = ratio(static_cast<double>(m.converted), static_cast<double>(m.targeted));
  m.cost_per_acquisition = ratio(m.cost, static_cast<double>(m.converted));
  m.roi = ratio(m.revenue - m.cost, m.cost);
  if (m.control_customers == 0 || m.targeted == 0) return;
  uplift u;
  const double nt = static_cast<double>(m.targeted), nc = static_cast<double>(m.control_customers);
  const double xt = static_cast<double>(m.converted), xc = static_cast<double>(m.control_converted);
  u.treatment_rate = xt / nt;
  u.control_rate = xc / nc;
  u.absolute = u.treatment_rate - u.control_rate;
  u.relative = ratio(u.absolute, u.control_rate);
  const double se = std::sqrt(u.treatment_rate * (1 - u.treatment_rate) / nt + u.control_rate * (1 - u.control_rate) / nc);
  constexpr double z975 = 1.959963984540054;  // Φ⁻¹(0.975)
  u.ci_low = u.absolute - z975 * se;
  u.ci_high = u.absolute + z975 * se;
  const double pooled = (xt + xc) / (nt + nc);
  const double se0 = std::sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nc));
  if (se0 > 0) {
    u.z = u.absolute / se0;
    u.p_value = std::erfc(std::fabs(u.z) / std::sqrt(2.0));
  } else {  // every customer converted, or none did, in both groups: no evidence of a difference
    u.z = 0;
    u.p_value = 1;
  }
  u.incremental_conversions = u.absolute * nt;
  u.incremental_revenue = (m.revenue / nt - m.control_revenue / nc) * nt;
  u.incremental_roi = ratio(u.incremental_revenue - m.cost, m.cost);
  m.uplift = u;
}

void add_row(metrics& m, const event_table& e, std::size_t i) {
  if (e.control[i]) {
    ++m.control_customers;
    m.control_converted += e.converted[i];
    m.control_revenue += e.revenue[i];
    return;
  }
  ++m.targeted;
  m.sent += e.sent[i];
  m.delivered += e.delivered[i];
  m.opened += e.opened[i];
  m.clicked += e.clicked[i];
  m.converted += e.converted[i];
  m.revenue += e.revenue[i];
  m.cost += e.cost[i];
}

std::string num(double v) {
  if (std::isnan(v)) return "";
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

nlohmann::json json_num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json to_json_object(const metrics& m) {
  nlohmann::json j = {{"campaign", m.campaign},
                      {"segment", m.segment},
                      {"targeted", m.targeted},
                      {"sent", m.sent},
                      {"delivered", m.delivered},
                      {"opened", m.opened},
                      {"clicked", m.clicked},
                      {"converted", m.converted},
                      {"revenue", json_num(m.revenue)},
                      {"cost", json_num(m.cost)},
                      {"delivery_rate", json_num(m.delivery_rate)},
                      {"open_rate", json_num(m.open_rate)},
                      {"click_through_rate", json_num(m.click_through_rate)},
                      {"click_to_open_rate", json_num(m.click_to_open_rate)},
                      {"conversion_rate", json_num(m.conversion_rate)},
                      {"cost_per_acquisition", json_num(m.cost_per_acquisition)},
                      {"roi", json_num(m.roi)},
                      {"control_customers", m.control_customers},
                      {"control_converted", m.control_converted},
                      {"control_revenue", json_num(m.control_revenue)}};
  if (m.uplift) {
    const auto& u = *m.uplift;
    j["uplift"] = {{"treatment_rate", json_num(u.treatment_rate)},
                   {"control_rate", json_num(u.control_rate)},
                   {"absolute", json_num(u.absolute)},
                   {"relative", json_num(u.relative)},
                   {"ci_low", json_num(u.ci_low)},
                   {"ci_high", json_num(u.ci_high)},
                   {"z", json_num(u.z)},
                   {"p_value", json_num(u.p_value)},
                   {"incremental_conversions", json_num(u.incremental_conversions)},
                   {"incremental_revenue", json_num(u.incremental_revenue)},
                   {"incremental_roi", json_num(u.incremental_roi)}};
  } else {
    j["uplift"] = nullptr;
  }
  return j;
}

}  // namespace

event_table read_events_from_string(std::string_view text, const event_read_options& options, const std::string& name) {
  event_table e;
  e.source = name;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0;
  std::uint64_t line_no = 0;
  auto next_line = [&](std::string_view& out) {
    if (pos >= text.size()) return false;
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    out = text.substr(pos, end - pos);
    if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
    pos = end + 1;
    ++line_no;
    return true;
  };
  std::string_view line;
  if (!next_line(line)) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header line");
  const std::vector<std::string> header = detail::split_csv_record(line, options.delimiter);

  // Bind the columns: overrides first, then canonical names and aliases.
  std::array<std::size_t, n_cols> at{};
  at.fill(std::string::npos);
  std::vector<std::string> norm_header;
  for (const auto& h : header) norm_header.push_back(normalise(trim(h)));
  for (const auto& [canon, head] : options.columns) {
    const auto c = std::find(canonical.begin(), canonical.end(), canon);
    if (c == canonical.end())
      throw invalid_argument_error("campaign", "columns", canon,
                                   "not a column name: customer, campaign, group, segment, sent, delivered, opened, "
                                   "clicked, converted, revenue, cost");
    const auto h = std::find(norm_header.begin(), norm_header.end(), normalise(head));
    if (h == norm_header.end())
      throw data_error(errc::missing_column, name, 1, 0, canon, head, "no such column; headers: " + join_list(header));
    at[static_cast<std::size_t>(c - canonical.begin())] = static_cast<std::size_t>(h - norm_header.begin());
  }
  for (std::size_t c = 0; c < n_cols; ++c) {
    if (at[c] != std::string::npos) continue;
    for (const char* a : aliases[c]) {
      const auto h = std::find(norm_header.begin(), norm_header.end(), normalise(a));
      if (h != norm_header.end()) {
        at[c] = static_cast<std::size_t>(h - norm_header.begin());
        break;
      }
    }
  }
  for (std::size_t c : {c_customer, c_campaign, c_sent})
    if (at[c] == std::string::npos)
      throw data_error(errc::missing_column, name, 1, 0, canonical[c], "", "no such column; headers: " + join_list(header));
  e.has_delivered = at[c_delivered] != std::string::npos;
  e.has_segment = at[c_segment] != std::string::npos;
  e.has_control = at[c_group] != std::string::npos;

  std::unordered_map<std::string, std::uint64_t> seen;  // campaign '\x1f' customer → line
  std::vector<std::string> f;
  while (next_line(line)) {
    if (trim(line).empty()) continue;
    f = detail::split_csv_record(line, options.delimiter);
    try {
      std::size_t needed = 0;
      for (std::size_t c = 0; c < n_cols; ++c)
        if (at[c] != std::string::npos) needed = std::max(needed, at[c] + 1);
      if (f.size() < needed)
        throw row_error{errc::ragged_row, 0, "fields", std::to_string(f.size()), "expected at least " + std::to_string(needed)};
      auto field = [&](col c) -> std::string_view { return at[c] == std::string::npos ? std::string_view{} : f[at[c]]; };
      auto colno = [&](col c) { return static_cast<std::uint32_t>(at[c] + 1); };
      const std::string customer(trim(field(c_customer))), campaign(trim(field(c_campaign)));
      if (customer.empty()) throw row_error{errc::missing_value, colno(c_customer), "customer", "", "empty"};
      if (campaign.empty()) throw row_error{errc::missing_value, colno(c_campaign), "campaign", "", "empty"};
      std::uint8_t is_control = 0;
      if (e.has_control) {
        const std::string g = normalise(trim(field(c_group)));
        if (!g.empty() && in_labels(options.control_labels, g)) {
          is_control = 1;
        } else if (!g.empty() && !in_labels(options.treatment_labels, g)) {
          throw row_error{errc::bad_rule, colno(c_group), "group", std::string(field(c_group)),
                          "neither a control label (" + join_list(options.control_labels) + ") nor a treatment label (" +
                              join_list(options.treatment_labels) + ")"};
        }
      }
      const std::uint8_t sent = parse_flag(field(c_sent), colno(c_sent), "sent");
      const std::uint8_t delivered = e.has_delivered ? parse_flag(field(c_delivered), colno(c_delivered), "delivered") : sent;
      const std::uint8_t opened = at[c_opened] == std::string::npos ? 0 : parse_flag(field(c_opened), colno(c_opened), "opened");
      const std::uint8_t clicked = at[c_clicked] == std::string::npos ? 0 : parse_flag(field(c_clicked), colno(c_clicked), "clicked");
      const std::uint8_t converted =
          at[c_converted] == std::string::npos ? 0 : parse_flag(field(c_converted), colno(c_converted), "converted");
      const double revenue = at[c_revenue] == std::string::npos ? 0.0 : parse_money(field(c_revenue), colno(c_revenue), "revenue", true);
      const double cost = at[c_cost] == std::string::npos ? 0.0 : parse_money(field(c_cost), colno(c_cost), "cost", false);
      if (is_control && sent)
        throw row_error{errc::bad_rule, colno(c_sent), "sent", std::string(field(c_sent)),
                        "a control-group customer is not contacted: sent must be 0"};
      if (!sent && (delivered || opened || clicked)) {
        const col c = delivered ? c_delivered : opened ? c_opened : c_clicked;
        throw row_error{errc::bad_rule, colno(c), canonical[c], std::string(field(c)), "set on a row with sent = 0"};
      }
      if (!delivered && (opened || clicked)) {
        const col c = opened ? c_opened : c_clicked;
        throw row_error{errc::bad_rule, colno(c), canonical[c], std::string(field(c)), "set on a row with delivered = 0"};
      }
      auto [it, fresh] = seen.try_emplace(campaign + '\x1f' + customer, line_no);
      if (!fresh)
        throw row_error{errc::bad_rule, colno(c_customer), "customer", customer,
                        "already in campaign \"" + campaign + "\" on line " + std::to_string(it->second) +
                            ": one row per customer and campaign"};
      e.customer.push_back(customer);
      e.campaign.push_back(campaign);
      e.segment.emplace_back(e.has_segment ? trim(field(c_segment)) : std::string_view{});
      e.control.push_back(is_control);
      e.sent.push_back(sent);
      e.delivered.push_back(delivered);
      e.opened.push_back(opened);
      e.clicked.push_back(clicked);
      e.converted.push_back(converted);
      e.revenue.push_back(revenue);
      e.cost.push_back(cost);
      e.line.push_back(line_no);
    } catch (const row_error& r) {
      if (!options.lenient) throw data_error(r.code, name, line_no, r.column, r.field, r.value, r.problem);
      ++e.skipped[errc_name(r.code)];
    }
  }
  if (e.size() == 0)
    throw data_error(errc::empty_input, name, 0, 0, "", "", e.skipped.empty() ? "no data rows" : "every data row was skipped");
  return e;
}

event_table read_events(const std::string& path, const event_read_options& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw data_error(errc::io_error, path, 0, 0, "", "", "read error");
  return read_events_from_string(text, options, path);
}

std::size_t join_segments(event_table& events, const std::vector<std::string>& customers,
                          const std::vector<std::string>& segments, const std::string& unmatched_label) {
  if (customers.size() != segments.size())
    throw invalid_argument_error("campaign::join_segments", "segments", std::to_string(segments.size()),
                                 "must have one entry per customer (" + std::to_string(customers.size()) + ")");
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < customers.size(); ++i) index.emplace(customers[i], i);
  std::size_t unmatched = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto it = index.find(events.customer[i]);
    if (it == index.end()) {
      events.segment[i] = unmatched_label;
      ++unmatched;
    } else {
      events.segment[i] = segments[it->second];
    }
  }
  events.has_segment = true;
  return unmatched;
}

report evaluate(const event_table& e) {
  if (e.size() == 0) throw invalid_argument_error("campaign::evaluate", "events", "0 rows", "nothing to evaluate");
  report r;
  r.overall.campaign = "*";
  std::unordered_map<std::string, std::size_t> by_campaign;
  std::vector<std::map<std::string, metrics>> by_segment;  // per campaign, segments sorted
  for (std::size_t i = 0; i < e.size(); ++i) {
    auto [it, fresh] = by_campaign.try_emplace(e.campaign[i], r.campaigns.size());
    if (fresh) {
      r.campaigns.emplace_back().campaign = e.campaign[i];
      by_segment.emplace_back();
    }
    add_row(r.overall, e, i);
    add_row(r.campaigns[it->second], e, i);
    if (e.has_segment) {
      metrics& s = by_segment[it->second][e.segment[i]];
      s.campaign = e.campaign[i];
      s.segment = e.segment[i];
      add_row(s, e, i);
    }
  }
  finish_rates(r.overall);
  for (auto& m : r.campaigns) finish_rates(m);
  for (auto& segs : by_segment)
    for (auto& [name, m] : segs) {
      finish_rates(m);
      r.segments.push_back(std::move(m));
    }
  return r;
}

std::string to_csv(const report& r) {
  std::ostringstream os;
  os << "campaign,segment,targeted,sent,delivered,opened,clicked,converted,revenue,cost,delivery_rate,open_rate,"
        "click_through_rate,click_to_open_rate,conversion_rate,cost_per_acquisition,roi,control_customers,"
        "control_converted,control_revenue,control_conversion_rate,uplift,relative_uplift,uplift_ci_low,"
        "uplift_ci_high,uplift_z,uplift_p_value,incremental_conversions,incremental_revenue,incremental_roi\n";
  auto put = [&](const metrics& m) {
    os << detail::csv_field(m.campaign) << ',' << detail::csv_field(m.segment) << ',' << m.targeted << ',' << m.sent << ','
       << m.delivered << ',' << m.opened << ',' << m.clicked << ',' << m.converted << ',' << num(m.revenue) << ','
       << num(m.cost) << ',' << num(m.delivery_rate) << ',' << num(m.open_rate) << ',' << num(m.click_through_rate)
       << ',' << num(m.click_to_open_rate) << ',' << num(m.conversion_rate) << ',' << num(m.cost_per_acquisition)
       << ',' << num(m.roi) << ',' << m.control_customers << ',' << m.control_converted << ','
       << num(m.control_revenue);
    if (m.uplift) {
      const auto& u = *m.uplift;
      for (double v : {u.control_rate, u.absolute, u.relative, u.ci_low, u.ci_high, u.z, u.p_value,
                       u.incremental_conversions, u.incremental_revenue, u.incremental_roi})
        os << ',' << num(v);
    } else {
      os << ",,,,,,,,,,";
    }
    os << '\n';
  };
  put(r.overall);
  for (const auto& m : r.campaigns) put(m);
  for (const auto& m : r.segments) put(m);
  return os.str();
}

std::string to_json(const report& r) {
  nlohmann::json j;
  j["overall"] = to_json_object(r.overall);
  j["campaigns"] = nlohmann::json::array();
  for (const auto& m : r.campaigns) j["campaigns"].push_back(to_json_object(m));
  j["segments"] = nlohmann::json::array();
  for (const auto& m : r.segments) j["segments"].push_back(to_json_object(m));
  return j.dump(2) + "\n";
}

}  // namespace patron::inline v1::campaign
