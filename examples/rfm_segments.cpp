// SPDX-License-Identifier: MIT
// RFM scores and named segments for the R rfm package's order data, and thresholds that score a
// new customer the same way later. Run from the repository root (reads ../shared/data).
#include <cstdio>

#include "patron/data/read.hpp"
#include "patron/rfm.hpp"

int main() {
  using namespace patron;
  read_options ro;
  ro.customer.name = "customer_id";
  ro.date.name = "order_date";
  ro.amount.name = "revenue";
  const read_result in = read_transactions("../shared/data/rfm_data_orders.csv", ro);

  rfm::metrics_options mo;
  mo.as_of = from_ymd(2006, 12, 31);  // the analysis date of the R rfm documentation
  const rfm::rfm_table t = rfm::compute_metrics(in.log, mo);

  rfm::binning_options bo;
  bo.method = rfm::binning_method::r_rfm;  // the R package's rule; the default is quantile
  std::vector<std::uint8_t> r(t.size()), f(t.size()), m(t.size());
  const rfm::thresholds th = rfm::score(t.recency, t.frequency, t.monetary, bo, {r, f, m});

  const rfm::segmenter seg(rfm::rfm10_table());
  std::vector<std::uint16_t> s(t.size());
  seg.assign(r, f, m, s);
  for (const auto& st : rfm::segment_statistics(seg, s, t.recency, t.frequency, t.monetary))
    std::printf("%-20s %4llu customers  mean revenue %7.1f\n", st.name.c_str(),
                static_cast<unsigned long long>(st.count), st.mean_monetary);

  // Keep thresholds_to_json(th) (or save_thresholds) and score newcomers with them later.
  const int nr = th.r_score(20), nf = th.f_score(6), nm = th.m_score(480);
  std::printf("new customer (20 days, 6 orders, 480): R%d F%d M%d -> %s\n", nr, nf, nm,
              seg.label(seg(nr, nf, nm)).c_str());
  return 0;
}
