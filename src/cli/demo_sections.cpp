// SPDX-License-Identifier: MIT
#include "demo.hpp"

namespace patron::cli {

std::vector<std::function<void(const demo_data&)>> demo_sections() {
  return {demo_clv_section, demo_rfm_section};
}

}  // namespace patron::cli
