// SPDX-License-Identifier: MIT
// Replay of a purchase log through a lifecycle state machine, date by date.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "patron/error.hpp"
#include "patron/lifecycle/replay.hpp"

namespace patron::inline v1::lifecycle {

purchase_history purchase_days(const transaction_log& log) {
  const std::size_t n = log.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return log.customer[a] != log.customer[b] ? log.customer[a] < log.customer[b] : log.time[a] < log.time[b];
  });
  purchase_history h;
  const std::size_t nc = log.customers.size();
  h.offsets.assign(nc + 1, 0);
  std::size_t k = 0;
  for (std::uint32_t c = 0; c < nc; ++c) {
    h.offsets[c] = static_cast<std::uint32_t>(h.day.size());
    for (; k < n && log.customer[order[k]] == c; ++k) {
      const date d = day_of(log.time[order[k]]);
      if (h.day.size() > h.offsets[c] && h.day.back() == d) {
        h.amount.back() += log.amount[order[k]];
      } else {
        h.day.push_back(d);
        h.amount.push_back(log.amount[order[k]]);
      }
    }
  }
  h.offsets[nc] = static_cast<std::uint32_t>(h.day.size());
  return h;
}

void history_features(std::span<const date> days, std::span<const double> amounts, date on,
                      feature_row& out) noexcept {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (days.empty()) {
    for (feature f : {feature::recency_days, feature::frequency, feature::monetary, feature::total_spend,
                      feature::tenure_days, feature::mean_interpurchase_days})
      out[f] = nan;
    out[feature::frequency] = 0;
    out[feature::total_spend] = 0;
    return;
  }
  double total = 0;
  for (double a : amounts) total += a;
  const double x = static_cast<double>(days.size() - 1);
  out[feature::recency_days] = static_cast<double>(on - days.back());
  out[feature::frequency] = x;
  out[feature::total_spend] = total;
  out[feature::monetary] = total / static_cast<double>(days.size());
  out[feature::tenure_days] = static_cast<double>(on - days.front());
  out[feature::mean_interpurchase_days] = x > 0 ? static_cast<double>(days.back() - days.front()) / x : nan;
}

std::vector<date> month_ends(date from, date to) {
  std::vector<date> out;
  ymd a = to_ymd(from);
  const ymd b = to_ymd(to);
  int y = a.year, m = a.month;
  while (y < b.year || (y == b.year && m <= b.month)) {
    const int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    out.push_back(from_ymd(ny, nm, 1) + (-1));
    y = ny;
    m = nm;
  }
  return out;
}

replay_result replay(const transaction_log& log, std::span<const date> dates, const state_machine& machine,
                     const replay_inputs& inputs, const replay_options& options) {
  constexpr std::string_view where = "lifecycle::replay";
  for (std::size_t d = 1; d < dates.size(); ++d)
    if (!(dates[d - 1] < dates[d]))
      throw invalid_argument_error(where, "dates", to_string(dates[d]), "evaluation dates must increase strictly");
  // A table may lack one of the two events (e.g. a review-only classification table): that event
  // is then not fired, but not both.
  const auto& ev = machine.table().events;
  const bool has_purchase = std::find(ev.begin(), ev.end(), options.purchase_event) != ev.end();
  const bool has_review = std::find(ev.begin(), ev.end(), options.review_event) != ev.end();
  if (!has_purchase && !has_review)
    throw invalid_argument_error(errc::bad_rule,
                                 format_error(errc::bad_rule, where, "events", options.purchase_event + "/" + options.review_event,
                                              "the table has neither event"));
  const event_id purchase = has_purchase ? machine.event(options.purchase_event) : event_id{0};
  const event_id review = has_review ? machine.event(options.review_event) : event_id{0};
  const std::size_t nc = log.customers.size(), nd = dates.size(), ns = machine.state_count();
  for (const auto& col : inputs.columns)
    if (col.f == feature::none || col.values.size() != nc * nd)
      throw invalid_argument_error(where, feature_name(col.f), std::to_string(col.values.size()),
                                   "an input column needs customers × dates = " + std::to_string(nc * nd) +
                                       " values");

  feature_set have{};
  for (feature x : {feature::recency_days, feature::frequency, feature::monetary, feature::total_spend,
                    feature::tenure_days, feature::mean_interpurchase_days})
    have.add(x);
  for (const auto& col : inputs.columns) have.add(col.f);
  for (std::size_t i = 0; i < feature_count; ++i)
    if (machine.required().has(static_cast<feature>(i)) && !have.has(static_cast<feature>(i)))
      throw invalid_argument_error(errc::bad_rule,
                                   format_error(errc::bad_rule, where, "feature", feature_name(static_cast<feature>(i)),
                                                "the table tests it but the replay has no such input column"));

  replay_result r;
  r.dates.assign(dates.begin(), dates.end());
  r.customers = nc;
  r.stage.assign(nc * nd, 0);
  r.funnel.assign(nd * ns, 0);
  r.migration.assign(ns * ns, 0);
  if (nd == 0) return r;
  const purchase_history h = purchase_days(log);

  feature_row f;
  for (std::uint32_t c = 0; c < nc; ++c) {
    const std::span<const date> days(h.day.data() + h.offsets[c], h.offsets[c + 1] - h.offsets[c]);
    const std::span<const double> amounts(h.amount.data() + h.offsets[c], days.size());
    state_id s = machine.initial();
    std::size_t k = 0;  // purchase days seen
    auto step = [&](event_id e, date on) {
      const step_result res = machine.fire(s, e, f);
      if (res.row == step_result::unhandled) ++r.unhandled;
      if (res.to != s || res.row == step_result::unhandled) r.transitions.push_back({c, on, s, res.to, res.row});
      s = res.to;
    };
    for (std::size_t d = 0; d < nd; ++d) {
      for (const auto& col : inputs.columns) f[col.f] = col.values[d * nc + c];
      for (; k < days.size() && days[k] <= dates[d]; ++k) {
        if (!has_purchase) continue;
        history_features(days.first(k + 1), amounts.first(k + 1), days[k], f);
        step(purchase, days[k]);
      }
      if (has_review) {
        history_features(days.first(k), amounts.first(k), dates[d], f);
        step(review, dates[d]);
      }
      r.stage[d * nc + c] = s;
      ++r.funnel[d * ns + s];
      if (d > 0) ++r.migration[static_cast<std::size_t>(r.stage[(d - 1) * nc + c]) * ns + s];
    }
  }
  return r;
}

}  // namespace patron::inline v1::lifecycle
