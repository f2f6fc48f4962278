// SPDX-License-Identifier: MIT
// The demo's data and its sections: each capability adds a section (src/cli/demo_<area>.cpp)
// by listing its function in demo_sections() (src/cli/demo_sections.cpp).
#ifndef PATRON_CLI_DEMO_HPP
#define PATRON_CLI_DEMO_HPP

#include <cstdint>
#include <functional>
#include <vector>

#include "patron/data/simulate.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::cli {

struct demo_data {
  simulation_options truth;       ///< the parameters the data was simulated from
  transaction_log log;            ///< the simulated purchase log
  customer_summary calibration;   ///< weekly summary, calibration to 1997-09-30, holdout after
};

[[nodiscard]] demo_data make_demo_data(std::size_t customers, std::uint64_t seed);

/// Sections (src/cli/demo_<area>.cpp).
void demo_clv_section(const demo_data& d);
void demo_rfm_section(const demo_data& d);

/// The sections printed after the data section, in order.
[[nodiscard]] std::vector<std::function<void(const demo_data&)>> demo_sections();

}  // namespace patron::cli

#endif  // PATRON_CLI_DEMO_HPP
