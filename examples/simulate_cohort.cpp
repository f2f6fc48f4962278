// SPDX-License-Identifier: MIT
// Simulates a CDNOW-like BG/NBD cohort with Gamma-Gamma spend and summarises its purchase log.
#include <cstdio>

#include "patron/data/simulate.hpp"
#include "patron/data/summary.hpp"

int main() {
  patron::simulation_options o;  // defaults: CDNOW estimates, 12-week cohort, 78 weeks
  o.model = patron::purchase_model::bg_nbd;
  o.customers = 2357;
  o.seed = 42;  // same seed, same data on every platform

  // A purchase log (customer ids, timestamps, amounts) ...
  const patron::transaction_log log = patron::simulate_transactions(o);
  patron::summary_options so;
  so.unit = o.unit;
  so.observation_end = o.observation_end();
  const patron::customer_summary s = patron::summarize(log, so);

  // ... or the summary directly, in model time, with the latent values behind it.
  const patron::simulated_customers direct = patron::simulate_summary(o);
  double repeaters = 0, alive = 0;
  for (std::size_t i = 0; i < direct.summary.size(); ++i) {
    repeaters += direct.summary.x[i] > 0 ? 1 : 0;
    alive += direct.alive[i];
  }
  std::printf("%zu rows, %zu customers, observed until %s\n", log.size(), s.size(),
              patron::to_string(so.observation_end.value()).c_str());
  std::printf("customer %s: x = %g, t_x = %.2f, T = %.2f weeks, monetary = %.2f\n",
              s.id[0].c_str(), s.x[0], s.t_x[0], s.T[0], s.monetary[0]);
  std::printf("repeat buyers %.1f %%, still alive %.1f %%\n",
              100 * repeaters / static_cast<double>(o.customers),
              100 * alive / static_cast<double>(o.customers));
  return 0;
}
