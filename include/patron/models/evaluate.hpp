// SPDX-License-Identifier: MIT
// "How good is this model on my data?": fit on a calibration period, compare with the holdout.
#ifndef PATRON_MODELS_EVALUATE_HPP
#define PATRON_MODELS_EVALUATE_HPP

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "patron/data/summary.hpp"
#include "patron/data/transaction_log.hpp"
#include "patron/models/fit_result.hpp"
#include "patron/models/model_io.hpp"

namespace patron::inline v1 {

/// The cohort's actual repeat transactions over calendar time, as the papers' tracking plots
/// show them (Fader, Hardie & Lee 2005, Figure 2; Schmittlein et al. 1987). Time runs in model
/// units from `origin`, the first day anyone in the summary bought; period k covers the days
/// origin + k·unit … origin + (k+1)·unit − 1 (the last one cut at the observation end) and
/// times[k] is its last day in units. A repeat transaction is a purchase day after the
/// customer's first (the summaries' same-day rule).
struct cohort_tracking {
  date origin{};
  std::vector<double> times;               ///< end of each period, units since origin
  std::vector<double> first_purchase;      ///< per summary customer, units since origin
  std::vector<double> actual_incremental;  ///< repeat transactions in period k
  std::vector<double> actual_cumulative;   ///< repeat transactions up to the end of period k
};

/// Builds the actual tracking series for the customers summarize(log, options) keeps (first
/// purchase on or before the calibration end), through the observation end. Needs the day rule
/// (options.merge_by_unit = false): throws invalid_argument_error otherwise.
[[nodiscard]] cohort_tracking actual_tracking(const transaction_log& log, const summary_options& options);

/// One model's calibration/holdout comparison.
struct holdout_evaluation {
  std::string model;                     ///< "bgnbd", "mbgnbd", "pnbd"
  std::vector<std::string> param_names;
  std::vector<double> params;
  std::string status;                    ///< fit_status name of the calibration fit
  double log_likelihood = 0;             ///< calibration log-likelihood at the optimum
  /// Per customer, predicted = E[X(T, T+h] | x, t_x, T] with h the holdout length, actual =
  /// x_holdout: mean absolute error, root mean squared error, and the two totals.
  double mae = 0, rmse = 0, predicted_total = 0, actual_total = 0;
  /// Churn as "no purchase in the holdout" (label 1) scored by P(X(T, T+h] = 0 | history):
  /// ROC AUC (Mann–Whitney, ties count ½) and Brier score (mean squared error of the probability).
  double auc = 0, brier = 0;
  /// ROC AUC of 1 − P(alive at T) for the same label (P(alive) is not a probability of the
  /// label, so it has no Brier score).
  double auc_p_alive = 0;
  /// Conditional expectations by calibration frequency x = 0, 1, …, max_frequency−1 and a last
  /// bucket "≥ max_frequency" (FHL 2005 Figure 4 as data): customers, mean actual, mean predicted.
  std::vector<double> by_x_customers, by_x_actual, by_x_predicted;
  /// Expected repeat transactions of the whole cohort per tracking period (model fitted on the
  /// calibration period), aligned with cohort_tracking::times.
  std::vector<double> tracking_incremental, tracking_cumulative;
  std::size_t rank = 0;                  ///< 1 = lowest RMSE among the models compared
};

/// Scores a fitted purchase model (bgnbd, mbgnbd or pnbd; gamma_gamma is refused with
/// invalid_argument_error) on a summary with holdout columns (summarize with a calibration end).
/// `tracking` may be null (no tracking series). max_frequency ≥ 1.
[[nodiscard]] holdout_evaluation evaluate_holdout(const any_model& model, const customer_summary& s,
                                                  const cohort_tracking* tracking = nullptr,
                                                  std::size_t max_frequency = 7);

/// Options of evaluate().
struct evaluation_options {
  std::vector<std::string> models{"bgnbd", "mbgnbd", "pnbd"};  ///< any of bgnbd, mbgnbd, pnbd
  fit_options fit;
  std::size_t max_frequency = 7;
};

/// Several models on one split.
struct evaluation_report {
  std::size_t customers = 0;
  double holdout_length = 0;                ///< in units
  date calibration_end{}, observation_end{};
  cohort_tracking tracking;
  std::vector<holdout_evaluation> models;   ///< in the order asked for; rank says the order by RMSE
};

/// Summarizes `log` with `options` (calibration_end required), fits each model on the calibration
/// period and compares it with the holdout. A model whose scoring fails numerically (a fit run
/// to an extreme corner) is kept with status "numeric_error", NaN metrics and the last rank. Throws invalid_argument_error for an unknown model
/// name or a missing calibration end, data_error for an empty log.
[[nodiscard]] evaluation_report evaluate(const transaction_log& log, const summary_options& options,
                                         const evaluation_options& eval = {});

/// ROC AUC of `score` for binary `label` (1 = positive): the probability that a random positive
/// scores above a random negative, ties ½ (Mann–Whitney U / (n₊ n₋)); NaN without both classes.
[[nodiscard]] double roc_auc(std::span<const double> score, std::span<const double> label);

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_EVALUATE_HPP
