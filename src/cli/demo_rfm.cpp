// SPDX-License-Identifier: MIT
// `patron demo`, RFM and value-tier section: quintile RFM scores of the whole log at the
// observation end, the 10-segment table of R `rfm`, and the Pareto/ABC figures of total spend.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "demo.hpp"
#include "patron/rfm/binning.hpp"
#include "patron/rfm/metrics.hpp"
#include "patron/rfm/segments.hpp"
#include "patron/value/tiers.hpp"

namespace patron::cli {

void demo_rfm_section(const demo_data& d) {
  rfm::metrics_options mo;
  mo.as_of = d.truth.observation_end();
  const rfm::rfm_table t = rfm::compute_metrics(d.log, mo);
  const std::size_t n = t.size();
  std::vector<std::uint8_t> r(n), f(n), m(n);
  static_cast<void>(rfm::score(t.recency, t.frequency, t.monetary, rfm::binning_options{}, {r, f, m}));
  const rfm::segmenter seg(rfm::rfm10_table());
  std::vector<std::uint16_t> label(n);
  seg.assign(r, f, m, label);
  std::printf("\n== RFM (as of %s, quintiles, segments of R rfm's documentation)\n",
              to_string(mo.as_of).c_str());
  std::printf("  %-20s %7s %7s %10s %10s %9s\n", "segment", "count", "share", "monetary", "recency", "orders");
  for (const auto& st : rfm::segment_statistics(seg, label, t.recency, t.frequency, t.monetary))
    std::printf("  %-20s %7llu %6.1f%% %10.2f %10.1f %9.2f\n", st.name.c_str(),
                static_cast<unsigned long long>(st.count), 100.0 * st.share, st.mean_monetary, st.mean_recency,
                st.mean_frequency);

  const value::pareto_analysis p = value::pareto(t.monetary);
  const value::tier_cuts cuts;
  std::vector<std::uint8_t> tier(n);
  value::abc_tiers(p, cuts, tier);
  std::vector<std::size_t> per_tier(cuts.names.size());
  for (auto k : tier) ++per_tier[k];
  std::printf("\n== Value tiers (total spend)\n");
  std::printf("  %.1f %% of customers bring 80 %% of the revenue; Gini %.3f; tiers", 100.0 * p.customer_share_for(0.8),
              p.gini());
  for (std::size_t k = 0; k < cuts.names.size(); ++k) std::printf(" %s %zu", cuts.names[k].c_str(), per_tier[k]);
  std::printf("\n");
}

}  // namespace patron::cli
