// SPDX-License-Identifier: MIT
// `patron score` for the discrete-time and contractual model files (bgbb, sbg).
#ifndef PATRON_CLI_SCORE_DISCRETE_HPP
#define PATRON_CLI_SCORE_DISCRETE_HPP

#include <optional>
#include <string>

namespace patron::cli {

/// True when the JSON model file at `path` names a bgbb or sbg model (false for any other or
/// an unreadable file: the caller's loader then reports the problem).
[[nodiscard]] bool is_discrete_model_file(const std::string& path);

/// Scores with a bgbb or sbg model file.
///  - bgbb: input = frequency,recency,periods[,weights][,customer_id]; output
///    `customer_id,p_alive,expected_purchases[,dert]`, the horizon in opportunities (default 1),
///    dert at the discount rate converted to a discrete rate per opportunity.
///  - sbg: input = [cohort,]period,alive; output per cohort and period up to the horizon
///    (default: the data's last period) `cohort,period,alive,expected_alive,survival,retention,
///    churn_probability[,derl]`; `alive` is empty beyond the data, derl is for a customer with
///    `period` renewals.
void run_score_discrete(const std::string& model, const std::string& input, const std::string& output,
                        std::optional<double> horizon, std::optional<double> discount, const std::string& rate_unit,
                        const std::string& rate_type_name);

}  // namespace patron::cli

#endif  // PATRON_CLI_SCORE_DISCRETE_HPP
