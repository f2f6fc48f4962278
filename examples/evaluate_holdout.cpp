// SPDX-License-Identifier: MIT
// "How good is this model on my data?": fit BG/NBD, MBG/NBD and Pareto/NBD on a calibration
// period of a simulated purchase log and compare each with the holdout.
// Run: ./build/examples/example_evaluate_holdout
#include <cstdio>

#include "patron/data/simulate.hpp"
#include "patron/models/evaluate.hpp"

int main() {
  using namespace patron;
  simulation_options sim;  // BG/NBD with the CDNOW estimates: 12-week cohort, 78 weeks observed
  sim.customers = 2000;
  sim.seed = 7;
  const transaction_log log = simulate_transactions(sim);

  summary_options o;
  o.unit = time_unit::week();
  o.calibration_end = sim.cohort_start + 272;  // 39 weeks after the start, as in the CDNOW papers
  o.observation_end = sim.observation_end();
  const evaluation_report rep = evaluate(log, o);  // models: bgnbd, mbgnbd, pnbd

  std::printf("%zu customers, holdout %.1f weeks\n", rep.customers, rep.holdout_length);
  std::printf("model    rank  MAE    RMSE   predicted actual  AUC    Brier\n");
  for (const auto& m : rep.models)
    std::printf("%-8s %4zu  %.3f  %.3f  %8.1f  %6.0f  %.3f  %.3f\n", m.model.c_str(), m.rank, m.mae, m.rmse,
                m.predicted_total, m.actual_total, m.auc, m.brier);
  // The conditional-expectation table for the first model: holdout purchases by calibration x.
  const auto& b = rep.models[0];
  std::printf("x (calibration)  customers  actual  predicted\n");
  for (std::size_t k = 0; k < b.by_x_customers.size(); ++k)
    std::printf("%s%-2zu             %6.0f    %.3f   %.3f\n", k + 1 == b.by_x_customers.size() ? ">=" : "  ", k,
                b.by_x_customers[k], b.by_x_actual[k], b.by_x_predicted[k]);
  return 0;
}
