// SPDX-License-Identifier: MIT
// Campaign metrics with a control group: did the spring mailing sell more than it cost?
#include <cstdio>

#include "patron/campaign.hpp"

int main() {
  using namespace patron;
  // One row per customer and campaign; "control" customers were held out (not mailed).
  const char* events =
      "customer_id,campaign,group,sent,delivered,opened,clicked,converted,revenue,cost\n"
      "1,spring,test,1,1,1,1,1,120,0.8\n"
      "2,spring,test,1,1,1,0,0,0,0.8\n"
      "3,spring,test,1,0,0,0,0,0,0.8\n"
      "4,spring,test,1,1,0,0,1,60,0.8\n"
      "5,spring,test,1,1,1,1,0,0,0.8\n"
      "6,spring,control,0,0,0,0,1,70,0\n"
      "7,spring,control,0,0,0,0,0,0,0\n"
      "8,spring,control,0,0,0,0,0,0,0\n";
  const campaign::event_table table = campaign::read_events_from_string(events, {}, "events.csv");
  const campaign::report report = campaign::evaluate(table);
  for (const campaign::metrics& m : report.campaigns) {
    std::printf("%s: %llu mailed, open rate %.1f%%, CTR %.1f%%, conversion %.1f%%, CPA %.2f, ROI %.0f%%\n",
                m.campaign.c_str(), static_cast<unsigned long long>(m.targeted), 100 * m.open_rate,
                100 * m.click_through_rate, 100 * m.conversion_rate, m.cost_per_acquisition, 100 * m.roi);
    if (m.uplift)
      std::printf("  uplift %.1f pp over the control group (95%% CI %.1f to %.1f, p = %.3f), "
                  "incremental revenue %.2f\n",
                  100 * m.uplift->absolute, 100 * m.uplift->ci_low, 100 * m.uplift->ci_high, m.uplift->p_value,
                  m.uplift->incremental_revenue);
  }
  return 0;
}
