// SPDX-License-Identifier: MIT
// RFM metrics from a purchase log: one pass for last day, rows and spend; one sort for distinct keys.
#include "patron/rfm/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "patron/error.hpp"

namespace patron::inline v1::rfm {
namespace {

std::string quoted_customer(const std::string& id) { return "customer \"" + id + "\""; }

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

rfm_table compute_metrics(const transaction_log& log, const metrics_options& options) {
  constexpr const char* where = "rfm::compute_metrics";
  if (log.empty()) throw data_error(errc::empty_input, where, 0, 0, "", "", "no purchases");
  const std::size_t n = log.customers.size();
  const std::size_t rows = log.size();
  constexpr std::int32_t none = std::numeric_limits<std::int32_t>::min();
  std::vector<std::int32_t> last(n, none);
  std::vector<double> count(n, 0.0), total(n, 0.0);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t c = log.customer[i];
    const double a = log.amount[i];
    if (!std::isfinite(a))
      throw data_error(errc::bad_number, where, i + 1, 0, "amount", number_text(a),
                       "not finite (row " + std::to_string(i + 1) + ", " +
                           quoted_customer(log.customers.name(c)) + ")");
    last[c] = std::max(last[c], day_of(log.time[i]).days);
    count[c] += 1.0;
    total[c] += a;
  }
  const bool by_invoice = options.frequency == frequency_basis::orders && log.has_invoices();
  if (by_invoice || options.frequency == frequency_basis::days) {
    // Distinct (customer, invoice) or (customer, day) pairs: one sort of 64-bit keys.
    std::vector<std::uint64_t> keys(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::uint32_t k = by_invoice
                                  ? log.invoice[i]
                                  : static_cast<std::uint32_t>(day_of(log.time[i]).days) ^ 0x8000'0000u;
      keys[i] = (static_cast<std::uint64_t>(log.customer[i]) << 32) | k;
    }
    std::sort(keys.begin(), keys.end());
    std::fill(count.begin(), count.end(), 0.0);
    for (std::size_t i = 0; i < rows; ++i)
      if (i == 0 || keys[i] != keys[i - 1]) count[keys[i] >> 32] += 1.0;
  }
  rfm_table t;
  t.id = log.customers.names();
  t.recency.resize(n);
  t.frequency = std::move(count);
  t.monetary.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    if (last[c] == none) {  // an interned id without rows: cannot happen with transaction_log::add
      throw data_error(errc::internal, where, 0, 0, "customer", t.id[c], "no purchase rows");
    }
    const std::int32_t days = options.as_of.days - last[c];
    if (days < 0)
      throw data_error(errc::out_of_range, where, 0, 0, "as_of", to_string(options.as_of),
                       "before the last purchase (" + to_string(date{last[c]}) + ") of " +
                           quoted_customer(t.id[c]));
    t.recency[c] = days;
    const double m = options.monetary == monetary_basis::mean ? total[c] / t.frequency[c] : total[c];
    if (m < 0 && !options.allow_negative)
      throw data_error(errc::out_of_range, where, 0, 0, "monetary", number_text(m),
                       "negative spend of " + quoted_customer(t.id[c]) +
                           " (refunds: allow them with allow_negative / --allow-negative)");
    t.monetary[c] = m;
  }
  return t;
}

void validate_metrics(std::span<const double> recency, std::span<const double> frequency,
                      std::span<const double> monetary, bool allow_negative,
                      std::span<const std::string> id, std::string_view source) {
  const std::string src(source);
  if (recency.size() != frequency.size() || recency.size() != monetary.size() ||
      (!id.empty() && id.size() != recency.size()))
    throw invalid_argument_error(source, "sizes",
                                 std::to_string(recency.size()) + "/" +
                                     std::to_string(frequency.size()) + "/" +
                                     std::to_string(monetary.size()),
                                 "recency, frequency, monetary (and id) must have equal lengths");
  auto fail = [&](std::size_t i, const char* field, double v, const std::string& problem) {
    std::string p = problem;
    if (!id.empty()) p += " (" + quoted_customer(id[i]) + ")";
    throw data_error(std::isfinite(v) ? errc::out_of_range : errc::bad_number, src, i + 1, 0,
                     field, number_text(v), p);
  };
  for (std::size_t i = 0; i < recency.size(); ++i) {
    if (!std::isfinite(recency[i])) fail(i, "recency", recency[i], "not finite");
    if (recency[i] < 0) fail(i, "recency", recency[i], "negative: the analysis date is before the last purchase");
    if (!std::isfinite(frequency[i])) fail(i, "frequency", frequency[i], "not finite");
    if (frequency[i] < 0) fail(i, "frequency", frequency[i], "negative");
    if (!std::isfinite(monetary[i])) fail(i, "monetary", monetary[i], "not finite");
    if (monetary[i] < 0 && !allow_negative)
      fail(i, "monetary", monetary[i], "negative (refunds: allow them with allow_negative / --allow-negative)");
  }
}

}  // namespace patron::inline v1::rfm
