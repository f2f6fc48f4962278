// SPDX-License-Identifier: MIT
// Marketing triggers over evaluation periods, and greedy priority-ordered frequency capping.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "patron/error.hpp"
#include "patron/lifecycle/triggers.hpp"

namespace patron::inline v1::lifecycle {

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void require(bool ok, std::string_view where, std::string_view field, double v, std::string_view problem) {
  if (!ok || !std::isfinite(v)) throw invalid_argument_error(where, field, fmt(v), problem);
}

bool before_or_sorted(const trigger_event& a, const trigger_event& b) {
  if (a.customer != b.customer) return a.customer < b.customer;
  if (a.on != b.on) return a.on < b.on;
  return a.kind < b.kind;
}

}  // namespace

std::string_view trigger_name(trigger_kind k) noexcept {
  switch (k) {
    case trigger_kind::cart_abandonment: return "cart_abandonment";
    case trigger_kind::overdue_repurchase: return "overdue_repurchase";
    case trigger_kind::stage_change: return "stage_change";
    case trigger_kind::habit_change: return "habit_change";
    case trigger_kind::birthday: return "birthday";
  }
  return "unknown";
}

void trigger_options::validate() const {
  constexpr std::string_view w = "trigger_options";
  require(cart_window_hours > 0, w, "cart_window_hours", cart_window_hours, "must be > 0");
  require(overdue_factor > 0, w, "overdue_factor", overdue_factor, "must be > 0");
  require(habit_window_days >= 1, w, "habit_window_days", habit_window_days, "must be >= 1");
  require(habit_drop > 0 && habit_drop < 1, w, "habit_drop", habit_drop, "must be in (0, 1)");
}

void capping_options::validate() const {
  constexpr std::string_view w = "capping_options";
  require(max_per_window >= 1, w, "max_per_window", static_cast<double>(max_per_window), "must be >= 1");
  require(window_days >= 1, w, "window_days", window_days, "must be >= 1");
  require(min_gap_days >= 0, w, "min_gap_days", min_gap_days, "must be >= 0");
}

std::vector<trigger_event> evaluate_triggers(const transaction_log& log, std::span<const date> dates,
                                             const trigger_options& o, const trigger_inputs& in) {
  constexpr std::string_view where = "lifecycle::evaluate_triggers";
  o.validate();
  for (std::size_t d = 1; d < dates.size(); ++d)
    if (!(dates[d - 1] < dates[d]))
      throw invalid_argument_error(where, "dates", to_string(dates[d]), "evaluation dates must increase strictly");
  const std::size_t nc = log.customers.size();
  if (in.birthday_customer.size() != in.birthday.size() || in.cart_customer.size() != in.cart_time.size())
    throw invalid_argument_error(where, "inputs", "", "customer and value columns must have equal lengths");
  for (auto c : in.birthday_customer)
    if (c >= nc) throw invalid_argument_error(where, "birthday_customer", std::to_string(c), "not a customer of the log");
  for (auto c : in.cart_customer)
    if (c >= nc) throw invalid_argument_error(where, "cart_customer", std::to_string(c), "not a customer of the log");
  if (in.replay != nullptr &&
      (in.machine == nullptr || in.replay->customers != nc || !std::equal(dates.begin(), dates.end(), in.replay->dates.begin(), in.replay->dates.end())))
    throw invalid_argument_error(where, "replay", "", "needs its machine, the same log and the same dates");

  std::vector<trigger_event> out;
  if (dates.empty()) return out;
  const purchase_history h = purchase_days(log);
  auto period_start = [&](std::size_t d) {  // exclusive
    return d > 0 ? dates[d - 1] : date{std::numeric_limits<std::int32_t>::min() / 2};
  };

  // Birthdays: each anniversary inside a period; the first period is as long as the second
  // (one day when there is one date), so a birthday is never announced long after the fact.
  const std::int32_t first_len = dates.size() > 1 ? dates[1] - dates[0] : 1;
  for (std::size_t i = 0; i < in.birthday.size(); ++i) {
    const ymd b = to_ymd(in.birthday[i]);
    for (std::size_t d = 0; d < dates.size(); ++d) {
      const date lo = d > 0 ? dates[d - 1] : dates[0] + (-first_len), hi = dates[d];
      for (int y = to_ymd(lo).year; y <= to_ymd(hi).year; ++y) {
        const int day = (b.month == 2 && b.day == 29 && !is_valid_ymd(y, 2, 29)) ? 28 : b.day;
        const date a = from_ymd(y, b.month, day);
        if (lo < a && a <= hi)
          out.push_back({in.birthday_customer[i], a, trigger_kind::birthday,
                         "birthday " + to_string(a).substr(5)});
      }
    }
  }

  // Cart abandonment: no purchase day from the cart's day to the end of its window.
  for (std::size_t i = 0; i < in.cart_time.size(); ++i) {
    const std::uint32_t c = in.cart_customer[i];
    const timestamp deadline = in.cart_time[i] + static_cast<timestamp>(std::llround(o.cart_window_hours * 3600.0));
    const date first = day_of(in.cart_time[i]), last = day_of(deadline);
    const auto b = h.day.begin() + h.offsets[c], e = h.day.begin() + h.offsets[c + 1];
    const auto it = std::lower_bound(b, e, first);
    if (it != e && *it <= last) continue;  // ordered in time
    for (std::size_t d = 0; d < dates.size(); ++d)
      if (period_start(d) < last && last <= dates[d]) {
        out.push_back({c, last, trigger_kind::cart_abandonment,
                       "add-to-cart at " + timestamp_to_string(in.cart_time[i]) + " with no order within " +
                           fmt(o.cart_window_hours) + " h"});
        break;
      }
  }

  // Overdue repurchase and habit change: per customer, at each date, edge-triggered.
  const double W = o.habit_window_days;
  for (std::uint32_t c = 0; c < nc; ++c) {
    const std::span<const date> days(h.day.data() + h.offsets[c], h.offsets[c + 1] - h.offsets[c]);
    const std::span<const double> amounts(h.amount.data() + h.offsets[c], days.size());
    std::size_t k = 0, overdue_spell = 0;  // overdue_spell: purchase-day count of the last emitted spell
    bool habit_before = false;
    for (std::size_t d = 0; d < dates.size(); ++d) {
      const date now = dates[d];
      while (k < days.size() && days[k] <= now) ++k;
      if (k >= 2) {
        const double ipt = static_cast<double>(days[k - 1] - days[0]) / static_cast<double>(k - 1);
        const double recency = static_cast<double>(now - days[k - 1]);
        if (recency > o.overdue_factor * ipt && overdue_spell != k) {
          overdue_spell = k;
          out.push_back({c, now, trigger_kind::overdue_repurchase,
                         "no purchase for " + fmt(recency) + " days, over " + fmt(o.overdue_factor) +
                             " x the usual " + fmt(ipt) + " days"});
        }
      }
      // Window (now − W, now]; history before it: days ≤ now − W.
      const double ws = static_cast<double>(now.days) - W;
      std::size_t nb = 0, nr = 0;
      double sb = 0, sr = 0;
      for (std::size_t j = 0; j < k; ++j) {
        if (static_cast<double>(days[j].days) <= ws) {
          ++nb;
          sb += amounts[j];
        } else {
          ++nr;
          sr += amounts[j];
        }
      }
      bool habit = false;
      std::string why;
      const double span = nb > 0 ? ws - static_cast<double>(days[0].days) : 0.0;
      if (nb >= o.habit_min_days && span >= W) {
        const double rate_before = static_cast<double>(nb) / span, rate_now = static_cast<double>(nr) / W;
        const double mean_before = sb / static_cast<double>(nb);
        if (rate_now <= (1.0 - o.habit_drop) * rate_before) {
          habit = true;
          why = "purchase rate " + fmt(rate_now * 30) + "/30 days vs " + fmt(rate_before * 30) + " before";
        } else if (nr > 0 && mean_before > 0 && sr / static_cast<double>(nr) <= (1.0 - o.habit_drop) * mean_before) {
          habit = true;
          why = "mean spend " + fmt(sr / static_cast<double>(nr)) + " vs " + fmt(mean_before) + " before";
        }
      }
      if (habit && !habit_before) out.push_back({c, now, trigger_kind::habit_change, why});
      habit_before = habit;
    }
  }

  // Stage changes from a replay.
  if (in.replay != nullptr)
    for (const transition_record& t : in.replay->transitions)
      if (t.row != step_result::unhandled && t.from != t.to)
        out.push_back({t.customer, t.on, trigger_kind::stage_change,
                       in.machine->state_name(t.from) + " -> " + in.machine->state_name(t.to) + " (" +
                           in.machine->row_name(t.row) + ")"});

  std::stable_sort(out.begin(), out.end(), before_or_sorted);
  return out;
}

capping_result apply_capping(std::span<const trigger_event> events, const capping_options& o) {
  o.validate();
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto prio = [&](std::size_t i) { return o.priority[static_cast<std::size_t>(events[i].kind)]; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (events[a].customer != events[b].customer) return events[a].customer < events[b].customer;
    if (prio(a) != prio(b)) return prio(a) < prio(b);
    return events[a].on < events[b].on;
  });
  capping_result r;
  std::vector<date> accepted;  // this customer's accepted dates
  std::vector<std::size_t> kept_idx;
  for (std::size_t p = 0; p < order.size(); ++p) {
    const trigger_event& e = events[order[p]];
    if (p == 0 || events[order[p - 1]].customer != e.customer) accepted.clear();
    bool ok = true;
    for (date a : accepted)
      if (std::abs(e.on - a) < o.min_gap_days) ok = false;
    // Every window of window_days days that contains e.on: [s, s + W − 1], s ∈ [e.on − W + 1, e.on].
    for (std::int32_t s = e.on.days - o.window_days + 1; ok && s <= e.on.days; ++s) {
      std::size_t n = 1;
      for (date a : accepted) n += (a.days >= s && a.days <= s + o.window_days - 1) ? 1 : 0;
      if (n > o.max_per_window) ok = false;
    }
    if (ok) {
      accepted.push_back(e.on);
      kept_idx.push_back(order[p]);
    } else {
      ++r.suppressed[static_cast<std::size_t>(e.kind)];
    }
  }
  r.kept.reserve(kept_idx.size());
  for (std::size_t i : kept_idx) r.kept.push_back(events[i]);
  std::stable_sort(r.kept.begin(), r.kept.end(), before_or_sorted);
  return r;
}

}  // namespace patron::inline v1::lifecycle
