// SPDX-License-Identifier: MIT
// Calibration/holdout evaluation of the purchase models (see patron/models/evaluate.hpp).
#include "patron/models/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "patron/error.hpp"

namespace patron::inline v1 {

double roc_auc(std::span<const double> score, std::span<const double> label) {
  if (score.size() != label.size())
    throw invalid_argument_error("roc_auc", "label.size()", std::to_string(label.size()), "must equal score.size()");
  std::vector<std::size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  // Sum of the positives' mid-ranks (ties share the mean rank).
  double rank_sum = 0, pos = 0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && score[idx[j]] == score[idx[i]]) ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (label[idx[k]] > 0.5) {
        rank_sum += mid;
        pos += 1;
      }
    i = j;
  }
  const double neg = static_cast<double>(score.size()) - pos;
  if (pos == 0 || neg == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

cohort_tracking actual_tracking(const transaction_log& log, const summary_options& options) {
  options.validate();
  if (options.merge_by_unit)
    throw invalid_argument_error("actual_tracking", "merge_by_unit", "true", "tracking counts purchase days: use the day rule");
  if (log.empty()) throw data_error(errc::empty_input, "actual_tracking", 0, 0, "", "", "the transaction log has no rows");
  const date obs_end = observation_end_of(log, options);
  const date cal_end = options.calibration_end.value_or(obs_end);
  // Distinct (customer, day) pairs up to the observation end.
  std::vector<std::pair<std::uint32_t, std::int32_t>> days;
  days.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    const date d = day_of(log.time[i]);
    if (d <= obs_end) days.emplace_back(log.customer[i], d.days);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  // Customers in index order (summarize's order), keeping those who first bought by cal_end.
  cohort_tracking out;
  std::vector<std::int32_t> first_day;
  std::vector<std::int32_t> repeat_days;
  std::int32_t origin = std::numeric_limits<std::int32_t>::max();
  for (std::size_t i = 0; i < days.size();) {
    std::size_t j = i;
    while (j < days.size() && days[j].first == days[i].first) ++j;
    const std::int32_t f = days[i].second;
    if (date{f} <= cal_end) {
      first_day.push_back(f);
      origin = std::min(origin, f);
      for (std::size_t k = i + 1; k < j; ++k) repeat_days.push_back(days[k].second);
    }
    i = j;
  }
  if (first_day.empty()) throw data_error(errc::empty_input, "actual_tracking", 0, 0, "", "", "no customer bought by the calibration end");
  const double u = options.unit.days;
  out.origin = date{origin};
  const double span_days = static_cast<double>(obs_end.days - origin);
  const std::size_t periods = static_cast<std::size_t>(std::floor(span_days / u)) + 1;
  out.times.resize(periods);
  out.actual_incremental.assign(periods, 0.0);
  for (std::size_t k = 0; k < periods; ++k) {
    const double last = std::min(std::ceil(static_cast<double>(k + 1) * u) - 1, span_days);
    out.times[k] = last / u;
  }
  for (std::int32_t d : repeat_days) {
    auto k = static_cast<std::size_t>(std::floor(static_cast<double>(d - origin) / u));
    out.actual_incremental[std::min(k, periods - 1)] += 1;
  }
  out.actual_cumulative.resize(periods);
  std::partial_sum(out.actual_incremental.begin(), out.actual_incremental.end(), out.actual_cumulative.begin());
  for (std::int32_t f : first_day) out.first_purchase.push_back(static_cast<double>(f - origin) / u);
  return out;
}

holdout_evaluation evaluate_holdout(const any_model& model, const customer_summary& s, const cohort_tracking* tracking,
                                    std::size_t max_frequency) {
  if (std::holds_alternative<gamma_gamma>(model))
    throw invalid_argument_error("evaluate_holdout", "model", "gg", "is a spend model: evaluate a purchase model");
  if (!s.has_holdout() || s.x_holdout.size() != s.size())
    throw invalid_argument_error("evaluate_holdout", "summary", "", "has no holdout columns: summarize with a calibration end");
  if (max_frequency < 1) throw invalid_argument_error("evaluate_holdout", "max_frequency", "0", "must be >= 1");
  if (s.size() == 0) throw invalid_argument_error("evaluate_holdout", "customers", "0", "nothing to evaluate");
  const customer_summary_view v(s.x, s.t_x, s.T);
  const std::size_t n = s.size();
  const double h = s.holdout_length;
  std::vector<double> pred(n), p0(n), pa(n);
  holdout_evaluation e;
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (!std::is_same_v<M, gamma_gamma>) {
          e.model = M::model_name;
          e.param_names = m.param_names();
          e.params = m.param_vector();
          m.expected_purchases(h, v, pred);
          m.prob_purchases(0, h, v, p0);
          m.p_alive(v, pa);
          if (tracking) {
            // Σᵢ E_new(t − firstᵢ), once per distinct first-purchase time.
            std::map<double, double> firsts;
            for (double f : tracking->first_purchase) firsts[f] += 1;
            const std::size_t K = tracking->times.size();
            e.tracking_cumulative.assign(K, 0.0);
            for (std::size_t k = 0; k < K; ++k)
              for (const auto& [f, cnt] : firsts)
                if (tracking->times[k] > f) e.tracking_cumulative[k] += cnt * m.expected_purchases_new(tracking->times[k] - f);
            e.tracking_incremental.resize(K);
            for (std::size_t k = 0; k < K; ++k)
              e.tracking_incremental[k] = e.tracking_cumulative[k] - (k ? e.tracking_cumulative[k - 1] : 0.0);
          }
        }
      },
      model);
  std::vector<double> churn(n), not_alive(n);
  double abs_sum = 0, sq_sum = 0, brier = 0;
  e.by_x_customers.assign(max_frequency + 1, 0.0);
  e.by_x_actual.assign(max_frequency + 1, 0.0);
  e.by_x_predicted.assign(max_frequency + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = s.x_holdout[i];
    const double err = pred[i] - a;
    abs_sum += std::abs(err);
    sq_sum += err * err;
    e.predicted_total += pred[i];
    e.actual_total += a;
    churn[i] = a == 0 ? 1.0 : 0.0;
    brier += (p0[i] - churn[i]) * (p0[i] - churn[i]);
    not_alive[i] = 1 - pa[i];
    const std::size_t b = std::min(static_cast<std::size_t>(s.x[i]), max_frequency);
    e.by_x_customers[b] += 1;
    e.by_x_actual[b] += a;
    e.by_x_predicted[b] += pred[i];
  }
  for (std::size_t b = 0; b <= max_frequency; ++b)
    if (e.by_x_customers[b] > 0) {
      e.by_x_actual[b] /= e.by_x_customers[b];
      e.by_x_predicted[b] /= e.by_x_customers[b];
    }
  const double nn = static_cast<double>(n);
  e.mae = abs_sum / nn;
  e.rmse = std::sqrt(sq_sum / nn);
  e.brier = brier / nn;
  e.auc = roc_auc(p0, churn);
  e.auc_p_alive = roc_auc(not_alive, churn);
  return e;
}

evaluation_report evaluate(const transaction_log& log, const summary_options& options, const evaluation_options& eval) {
  if (!options.calibration_end)
    throw invalid_argument_error("evaluate", "calibration_end", "", "is required: the holdout starts the day after it");
  if (eval.models.empty()) throw invalid_argument_error("evaluate", "models", "", "name at least one model");
  for (const auto& name : eval.models)
    if (name != "bgnbd" && name != "mbgnbd" && name != "pnbd")
      throw invalid_argument_error("evaluate", "models", name, "must be bgnbd, mbgnbd or pnbd");
  evaluation_report r;
  const customer_summary s = summarize(log, options);
  r.customers = s.size();
  r.holdout_length = s.holdout_length;
  r.calibration_end = *options.calibration_end;
  r.observation_end = s.observation_end;
  r.tracking = actual_tracking(log, options);
  const customer_summary_view v(s.x, s.t_x, s.T);
  for (const auto& name : eval.models) {
    any_model m;
    std::string status;
    double ll = 0;
    if (name == "bgnbd") {
      const auto f = bgnbd::fit(v, eval.fit, options.unit);
      m = f.model;
      status = to_string(f.status);
      ll = f.log_likelihood;
    } else if (name == "mbgnbd") {
      const auto f = mbgnbd::fit(v, eval.fit, options.unit);
      m = f.model;
      status = to_string(f.status);
      ll = f.log_likelihood;
    } else {
      const auto f = pnbd::fit(v, eval.fit, options.unit);
      m = f.model;
      status = to_string(f.status);
      ll = f.log_likelihood;
    }
    holdout_evaluation e;
    try {
      e = evaluate_holdout(m, s, &r.tracking, eval.max_frequency);
      e.status = status;
    } catch (const numeric_error& ex) {
      // One model whose fit ran to a corner (a series out of range) must not hide the others:
      // it is reported with its parameters, status "numeric_error" and NaN metrics, ranked last.
      const double nan = std::numeric_limits<double>::quiet_NaN();
      e = holdout_evaluation{};
      std::visit([&](const auto& mm) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(mm)>, gamma_gamma>) {
          e.model = mm.model_name;
          e.param_names = mm.param_names();
          e.params = mm.param_vector();
        }
      }, m);
      e.status = "numeric_error";
      e.mae = e.rmse = e.predicted_total = e.auc = e.brier = e.auc_p_alive = nan;
      for (double a : s.x_holdout) e.actual_total += a;
    }
    e.log_likelihood = ll;
    r.models.push_back(std::move(e));
  }
  std::vector<std::size_t> order(r.models.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = r.models[a].rmse, y = r.models[b].rmse;
    return std::isnan(y) ? !std::isnan(x) : x < y;  // NaN (failed) last
  });
  for (std::size_t k = 0; k < order.size(); ++k) r.models[order[k]].rank = k + 1;
  return r;
}

}  // namespace patron::inline v1
