// SPDX-License-Identifier: MIT
// Validation and compilation of lifecycle transition tables, and the event-firing kernels.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "patron/error.hpp"
#include "patron/lifecycle/state_machine.hpp"

namespace patron::inline v1::lifecycle {

namespace {

[[noreturn]] void throw_rule(std::string_view where, std::string_view field, std::string_view value,
                             std::string_view problem) {
  throw invalid_argument_error(errc::bad_rule,
                               format_error(errc::bad_rule, where, field, value, problem));
}

int find_name(const std::vector<std::string>& names, std::string_view n) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == n) return static_cast<int>(i);
  return -1;
}

// `get(feature)` reads one customer's value of a feature.
template <class Get>
bool test(const condition& c, const Get& get) noexcept {
  const double v = get(c.lhs);
  const double t = c.scale == feature::none ? c.threshold : c.threshold * get(c.scale);
  switch (c.op) {
    case comparison::lt: return v < t;
    case comparison::le: return v <= t;
    case comparison::gt: return v > t;
    case comparison::ge: return v >= t;
    case comparison::eq: return v == t;
    case comparison::ne: return v != t;
  }
  return false;
}

template <class Get>
bool holds(const condition* c, std::uint32_t n, combine mode, const Get& get) noexcept {
  if (n == 0) return true;
  if (mode == combine::all) {
    for (std::uint32_t k = 0; k < n; ++k)
      if (!test(c[k], get)) return false;
    return true;
  }
  for (std::uint32_t k = 0; k < n; ++k)
    if (test(c[k], get)) return true;
  return false;
}

// True when an all-guard's unscaled conditions on one feature leave no value that passes
// (e.g. frequency < 1 and frequency > 3), or a condition can never be true.
bool unsatisfiable(const guard& g) {
  if (g.conditions.empty()) return false;
  if (g.mode == combine::any) return false;  // any single satisfiable condition suffices
  for (std::size_t f = 0; f < feature_count; ++f) {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    bool lo_open = false, hi_open = false;
    for (const condition& c : g.conditions) {
      if (static_cast<std::size_t>(c.lhs) != f || c.scale != feature::none) continue;
      const double t = c.threshold;
      auto raise = [&](double v, bool open) {
        if (v > lo || (v == lo && open)) { lo = v; lo_open = open; }
      };
      auto lower = [&](double v, bool open) {
        if (v < hi || (v == hi && open)) { hi = v; hi_open = open; }
      };
      switch (c.op) {
        case comparison::lt: lower(t, true); break;
        case comparison::le: lower(t, false); break;
        case comparison::gt: raise(t, true); break;
        case comparison::ge: raise(t, false); break;
        case comparison::eq: raise(t, false); lower(t, false); break;
        case comparison::ne: break;
      }
    }
    if (lo > hi || (lo == hi && (lo_open || hi_open))) return true;
  }
  return false;
}

std::string default_row_name(const transition_row& r) { return r.from + "-" + r.event + "->" + r.to; }

std::string row_where(std::size_t i) { return "row " + std::to_string(i + 1); }

}  // namespace

std::string_view comparison_symbol(comparison c) noexcept {
  switch (c) {
    case comparison::lt: return "<";
    case comparison::le: return "<=";
    case comparison::gt: return ">";
    case comparison::ge: return ">=";
    case comparison::eq: return "==";
    case comparison::ne: return "!=";
  }
  return "?";
}

void feature_columns::set(feature f, std::span<const double> column) {
  if (f == feature::none) throw_rule("feature_columns::set", "feature", "none", "not a feature");
  if (column.size() != n_)
    throw invalid_argument_error("feature_columns::set", feature_name(f), std::to_string(column.size()),
                                 "column length differs from the batch size " + std::to_string(n_));
  cols_[static_cast<std::size_t>(f)] = column;
  present_.add(f);
}

std::vector<validation_issue> validate(const transition_table& t, feature_set available) {
  std::vector<validation_issue> out;
  auto error = [&](issue_kind k, int row, std::string msg) { out.push_back({k, true, row, std::move(msg)}); };
  if (t.states.empty()) error(issue_kind::no_states, -1, "the table lists no states");
  for (std::size_t i = 0; i < t.states.size(); ++i)
    if (find_name(t.states, t.states[i]) != static_cast<int>(i))
      error(issue_kind::duplicate_name, -1, "state \"" + t.states[i] + "\" is listed twice");
  for (std::size_t i = 0; i < t.events.size(); ++i)
    if (find_name(t.events, t.events[i]) != static_cast<int>(i))
      error(issue_kind::duplicate_name, -1, "event \"" + t.events[i] + "\" is listed twice");
  if (!t.states.empty() && find_name(t.states, t.initial) < 0)
    error(issue_kind::unknown_state, -1, "initial state \"" + t.initial + "\" is not a state");

  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const transition_row& r = t.rows[i];
    const int ri = static_cast<int>(i);
    if (find_name(t.states, r.from) < 0)
      error(issue_kind::unknown_state, ri, row_where(i) + ": from = \"" + r.from + "\": no such state");
    if (find_name(t.states, r.to) < 0)
      error(issue_kind::unknown_state, ri, row_where(i) + ": to = \"" + r.to + "\": no such state");
    if (find_name(t.events, r.event) < 0)
      error(issue_kind::unknown_event, ri, row_where(i) + ": event = \"" + r.event + "\": no such event");
    for (const condition& c : r.when.conditions) {
      for (feature f : {c.lhs, c.scale}) {
        if (f == feature::none && f == c.scale) continue;
        if (!available.has(f))
          error(issue_kind::missing_feature, ri,
                row_where(i) + ": feature = \"" + std::string(feature_name(f)) +
                    "\": the guard tests a feature that is not supplied");
      }
      if (!std::isfinite(c.threshold))
        error(issue_kind::bad_threshold, ri,
              row_where(i) + ": threshold = " + std::to_string(c.threshold) + ": not finite");
    }
    if (unsatisfiable(r.when))
      error(issue_kind::never_fires, ri, row_where(i) + ": the guard can never hold");
    for (std::size_t j = 0; j < i; ++j) {
      const transition_row& p = t.rows[j];
      if (p.from != r.from || p.event != r.event) continue;
      if (p.when == r.when) {
        error(issue_kind::ambiguous, ri,
              row_where(i) + " and " + row_where(j) + ": same from/event (" + r.from + ", " + r.event +
                  ") and the same guard");
        break;
      }
      if (p.when.always()) {
        error(issue_kind::never_fires, ri,
              row_where(i) + ": never fires: " + row_where(j) + " has the same from/event (" + r.from +
                  ", " + r.event + ") and no guard");
        break;
      }
    }
  }

  // Reachability from the initial state, following every row whatever its guard.
  const int init = find_name(t.states, t.initial);
  if (init >= 0) {
    std::vector<char> seen(t.states.size(), 0);
    std::vector<int> stack{init};
    seen[static_cast<std::size_t>(init)] = 1;
    while (!stack.empty()) {
      const int s = stack.back();
      stack.pop_back();
      for (const transition_row& r : t.rows) {
        if (find_name(t.states, r.from) != s) continue;
        const int to = find_name(t.states, r.to);
        if (to >= 0 && !seen[static_cast<std::size_t>(to)]) {
          seen[static_cast<std::size_t>(to)] = 1;
          stack.push_back(to);
        }
      }
    }
    for (std::size_t s = 0; s < t.states.size(); ++s)
      if (!seen[s])
        out.push_back({issue_kind::unreachable, false, -1,
                       "state \"" + t.states[s] + "\" is unreachable from \"" + t.initial + "\""});
  }
  return out;
}

state_machine::state_machine(transition_table table, feature_set available) : table_(std::move(table)) {
  const std::string where = "lifecycle table \"" + table_.name + "\"";
  for (const validation_issue& i : validate(table_, available))
    if (i.is_error) throw_rule(where, "", "", i.message);
  if (table_.states.size() > 0xFFFF || table_.events.size() > 0xFFFF)
    throw_rule(where, "states", std::to_string(table_.states.size()), "at most 65535 states and events");
  initial_ = static_cast<state_id>(find_name(table_.states, table_.initial));
  const std::size_t ne = table_.events.size();
  index_.assign(table_.states.size() * ne, range{0, 0});
  required_by_event_.assign(ne, feature_set{});
  // Group rows by (from, event), keeping table order inside a group (first match wins).
  std::vector<std::size_t> order(table_.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](std::size_t i) {
    return static_cast<std::size_t>(find_name(table_.states, table_.rows[i].from)) * ne +
           static_cast<std::size_t>(find_name(table_.events, table_.rows[i].event));
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  for (std::size_t i : order) {
    const transition_row& r = table_.rows[i];
    const std::size_t k = key(i);
    if (index_[k].begin == index_[k].end) index_[k].begin = index_[k].end = static_cast<std::uint32_t>(rows_.size());
    rows_.push_back({static_cast<std::uint32_t>(conditions_.size()),
                     static_cast<std::uint32_t>(r.when.conditions.size()), r.when.mode,
                     static_cast<state_id>(find_name(table_.states, r.to)), static_cast<std::int32_t>(i)});
    ++index_[k].end;
    feature_set& by_event = required_by_event_[k % ne];
    for (const condition& c : r.when.conditions) {
      conditions_.push_back(c);
      required_.add(c.lhs);
      by_event.add(c.lhs);
      if (c.scale != feature::none) {
        required_.add(c.scale);
        by_event.add(c.scale);
      }
    }
  }
  row_names_.reserve(table_.rows.size());
  for (const transition_row& r : table_.rows) row_names_.push_back(r.name.empty() ? default_row_name(r) : r.name);
}

state_id state_machine::state(std::string_view name) const {
  const int i = find_name(table_.states, name);
  if (i < 0) throw_rule("lifecycle table \"" + table_.name + "\"", "state", name, "no such state");
  return static_cast<state_id>(i);
}

event_id state_machine::event(std::string_view name) const {
  const int i = find_name(table_.events, name);
  if (i < 0) throw_rule("lifecycle table \"" + table_.name + "\"", "event", name, "no such event");
  return static_cast<event_id>(i);
}

step_result state_machine::fire(state_id from, event_id e, const feature_row& f) const noexcept {
  const range r = index_[static_cast<std::size_t>(from) * table_.events.size() + e];
  auto get = [&f](feature x) { return f[x]; };
  for (std::uint32_t k = r.begin; k < r.end; ++k) {
    const compiled_row& cr = rows_[k];
    if (holds(conditions_.data() + cr.first_condition, cr.condition_count, cr.mode, get))
      return {cr.to, cr.row};
  }
  return {from, step_result::unhandled};
}

void state_machine::classify(std::span<const state_id> from, event_id e, const feature_columns& features,
                             std::span<state_id> to, std::span<std::int32_t> row) const {
  const std::size_t n = from.size();
  if (to.size() != n || (!row.empty() && row.size() != n) || (features.size() != n && features.present().bits != 0))
    throw invalid_argument_error("state_machine::classify", "sizes", std::to_string(n),
                                 "from, to, row and the feature columns must have equal lengths");
  if (e >= table_.events.size())
    throw_rule("state_machine::classify", "event", std::to_string(e), "no such event");
  for (std::size_t f = 0; f < feature_count; ++f)
    if (required_by_event_[e].has(static_cast<feature>(f)) && !features.present().has(static_cast<feature>(f)))
      throw_rule("state_machine::classify", "feature", feature_name(static_cast<feature>(f)),
                 "the table tests it but no column was given");
  std::array<const double*, feature_count> col{};
  for (std::size_t f = 0; f < feature_count; ++f) col[f] = features[static_cast<feature>(f)].data();
  const std::size_t ne = table_.events.size();
  const condition* conds = conditions_.data();
  for (std::size_t i = 0; i < n; ++i) {
    const state_id s = from[i];
    if (s >= table_.states.size())
      throw invalid_argument_error("state_machine::classify", "from", std::to_string(s), "no such state");
    const range r = index_[static_cast<std::size_t>(s) * ne + e];
    auto get = [&col, i](feature x) { return col[static_cast<std::size_t>(x)][i]; };
    state_id next = s;
    std::int32_t fired = step_result::unhandled;
    for (std::uint32_t k = r.begin; k < r.end; ++k) {
      const compiled_row& cr = rows_[k];
      if (holds(conds + cr.first_condition, cr.condition_count, cr.mode, get)) {
        next = cr.to;
        fired = cr.row;
        break;
      }
    }
    to[i] = next;
    if (!row.empty()) row[i] = fired;
  }
}

}  // namespace patron::inline v1::lifecycle
