// SPDX-License-Identifier: MIT
// Lifecycle stages: replay a small purchase log through the seven-stage lifecycle at month ends,
// print each customer's stages, then value the stages with a Markov migration model.
#include <cstdio>

#include "patron/lifecycle.hpp"

int main() {
  using namespace patron;
  transaction_log log;
  // ann buys monthly, then stops; bob buys once.
  for (int m = 1; m <= 5; ++m) log.add("ann", start_of(from_ymd(2024, m, 10)), 30.0);
  log.add("bob", start_of(from_ymd(2024, 2, 3)), 12.0);

  const lifecycle::state_machine machine(lifecycle::seven_stage_table());
  const auto dates = lifecycle::month_ends(from_ymd(2024, 1, 1), from_ymd(2024, 12, 31));
  const lifecycle::replay_result r = lifecycle::replay(log, dates, machine);

  for (std::uint32_t c = 0; c < r.customers; ++c) {
    std::printf("%s:", log.customers.name(c).c_str());
    for (std::size_t d = 0; d < dates.size(); ++d)
      std::printf(" %s", machine.state_name(r.stage_at(d, c)).c_str());
    std::printf("\n");
  }
  for (const auto& t : r.transitions)
    std::printf("%s %s: %s -> %s (%s)\n", log.customers.name(t.customer).c_str(), to_string(t.on).c_str(),
                machine.state_name(t.from).c_str(), machine.state_name(t.to).c_str(),
                machine.row_name(t.row).c_str());

  // Markov migration CLV: 1% discount per month, reward 30 per month in growth or maturity.
  const auto est = lifecycle::estimate_transition_matrix(r.migration, machine.state_count());
  Eigen::VectorXd reward = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(machine.state_count()));
  reward(machine.state("growth")) = 30.0;
  reward(machine.state("maturity")) = 30.0;
  const Eigen::VectorXd v = lifecycle::markov_value(est.P, reward, 0.01, 24);
  for (std::size_t s = 0; s < machine.state_count(); ++s)
    std::printf("24-month value from %-12s %8.2f\n", machine.state_name(static_cast<lifecycle::state_id>(s)).c_str(),
                v(static_cast<Eigen::Index>(s)));
  return 0;
}
