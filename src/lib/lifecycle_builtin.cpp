// SPDX-License-Identifier: MIT
// The seven-stage and four-stage lifecycle tables, built from their documented default guards.
#include <cmath>
#include <string>

#include "patron/error.hpp"
#include "patron/lifecycle/builtin.hpp"

namespace patron::inline v1::lifecycle {

namespace {

void check(bool ok, std::string_view where, std::string_view field, double v, std::string_view problem) {
  if (!ok || !std::isfinite(v)) throw invalid_argument_error(where, field, std::to_string(v), problem);
}

condition cond(feature f, comparison op, double t, feature scale = feature::none) {
  return condition{f, op, t, scale};
}

void add(transition_table& t, std::string from, std::string_view event, std::string to, guard g = {},
         std::string name = {}) {
  t.rows.push_back({std::move(from), std::string(event), std::move(g), std::move(to), std::move(name)});
}

}  // namespace

void seven_stage_options::validate() const {
  constexpr std::string_view w = "seven_stage_options";
  check(maturity_frequency >= 1, w, "maturity_frequency", maturity_frequency, "must be >= 1");
  check(decline_factor > 0, w, "decline_factor", decline_factor, "must be > 0");
  check(development_decline_days > 0, w, "development_decline_days", development_decline_days, "must be > 0");
  check(termination_days > 0, w, "termination_days", termination_days, "must be > 0");
  check(decline_p_alive > 0 && decline_p_alive <= 1, w, "decline_p_alive", decline_p_alive, "must be in (0, 1]");
  check(termination_p_alive > 0 && termination_p_alive <= decline_p_alive, w, "termination_p_alive",
        termination_p_alive, "must be in (0, decline_p_alive]");
}

transition_table seven_stage_table(const seven_stage_options& o) {
  o.validate();
  transition_table t;
  t.name = "seven";
  t.states = {"prospect", "development", "growth", "maturity", "decline", "termination", "recovery"};
  t.events = {std::string(purchase_event), std::string(review_event)};
  t.initial = "prospect";
  const auto P = purchase_event, R = review_event;
  const guard mature{combine::all, {cond(feature::frequency, comparison::ge, o.maturity_frequency)}};

  add(t, "prospect", P, "development", {}, "first_purchase");
  add(t, "development", P, "growth", {}, "repeat_purchase");
  add(t, "growth", P, "maturity", mature, "reached_maturity");
  add(t, "growth", P, "growth", {}, "growth_purchase");
  add(t, "maturity", P, "maturity", {}, "mature_purchase");
  add(t, "decline", P, "maturity", mature, "revived_mature");
  add(t, "decline", P, "growth", {}, "revived_growth");
  add(t, "termination", P, "recovery", {}, "won_back");
  add(t, "recovery", P, "maturity", {}, "recovered");

  guard terminate{combine::any, {cond(feature::recency_days, comparison::gt, o.termination_days)}};
  guard decline_new{combine::any, {cond(feature::recency_days, comparison::gt, o.development_decline_days)}};
  guard decline_repeat{combine::any, {cond(feature::recency_days, comparison::gt, o.decline_factor,
                                           feature::mean_interpurchase_days)}};
  if (o.use_p_alive) {
    terminate.conditions.push_back(cond(feature::p_alive, comparison::lt, o.termination_p_alive));
    decline_new.conditions.push_back(cond(feature::p_alive, comparison::lt, o.decline_p_alive));
    decline_repeat.conditions.push_back(cond(feature::p_alive, comparison::lt, o.decline_p_alive));
  }
  for (const char* s : {"development", "growth", "maturity", "decline", "recovery"})
    add(t, s, R, "termination", terminate, "lapsed");
  add(t, "development", R, "decline", decline_new, "overdue_first_repeat");
  for (const char* s : {"growth", "maturity", "recovery"}) add(t, s, R, "decline", decline_repeat, "overdue");
  for (const std::string& s : std::vector<std::string>(t.states)) add(t, s, R, s, {}, "stay");
  return t;
}

void four_stage_options::validate() const {
  constexpr std::string_view w = "four_stage_options";
  check(churn_days > 0, w, "churn_days", churn_days, "must be > 0");
  check(churn_p_alive > 0 && churn_p_alive <= 1, w, "churn_p_alive", churn_p_alive, "must be in (0, 1]");
}

transition_table four_stage_table(const four_stage_options& o) {
  o.validate();
  transition_table t;
  t.name = "four";
  t.states = {"potential", "new", "existing", "churned"};
  t.events = {std::string(purchase_event), std::string(review_event)};
  t.initial = "potential";
  const auto P = purchase_event, R = review_event;
  add(t, "potential", P, "new", {}, "first_purchase");
  add(t, "new", P, "existing", {}, "repeat_purchase");
  add(t, "existing", P, "existing", {}, "repeat_purchase");
  add(t, "churned", P, "existing", {}, "won_back");
  guard churn{combine::any, {cond(feature::recency_days, comparison::gt, o.churn_days)}};
  if (o.use_p_alive) churn.conditions.push_back(cond(feature::p_alive, comparison::lt, o.churn_p_alive));
  add(t, "new", R, "churned", churn, "lapsed");
  add(t, "existing", R, "churned", churn, "lapsed");
  for (const std::string& s : std::vector<std::string>(t.states)) add(t, s, R, s, {}, "stay");
  return t;
}

}  // namespace patron::inline v1::lifecycle
