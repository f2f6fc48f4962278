// SPDX-License-Identifier: MIT
// Pareto ranking, ABC tiers, Lorenz curve and Gini, and the service-level table reader.
#include "patron/value/tiers.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>

#include "patron/error.hpp"

namespace patron::inline v1::value {
namespace {

std::string num(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void check_share(double s, std::string_view where, std::string_view field) {
  if (!(s > 0 && s <= 1)) throw invalid_argument_error(where, field, num(s), "must be in (0, 1]");
}

}  // namespace

pareto_analysis pareto(std::span<const double> value) {
  constexpr const char* where = "value::pareto";
  if (value.empty()) throw data_error(errc::empty_input, where, 0, 0, "", "", "no customers");
  double total = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!std::isfinite(value[i]))
      throw data_error(errc::bad_number, where, i + 1, 0, "value", num(value[i]), "not finite");
    if (value[i] < 0)
      throw data_error(errc::out_of_range, where, i + 1, 0, "value", num(value[i]),
                       "negative: Pareto shares need values >= 0 (net refunds to zero or drop them)");
    total += value[i];
  }
  if (!(total > 0)) throw data_error(errc::out_of_range, where, 0, 0, "total", num(total), "must be > 0");
  pareto_analysis p;
  p.total = total;
  p.order.resize(value.size());
  std::iota(p.order.begin(), p.order.end(), 0u);
  std::stable_sort(p.order.begin(), p.order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return value[a] > value[b]; });
  p.cumulative_share.resize(value.size());
  double run = 0;
  for (std::size_t k = 0; k < value.size(); ++k) {
    run += value[p.order[k]];
    p.cumulative_share[k] = run / total;
  }
  p.cumulative_share.back() = 1.0;  // the running sum's rounding must not leave the top short
  // Gini on ascending order: ascending rank i (1-based) = N − k for descending rank k (0-based).
  const auto n = static_cast<double>(value.size());
  double acc = 0;
  for (std::size_t k = 0; k < value.size(); ++k) {
    const double i = n - static_cast<double>(k);
    acc += (2 * i - n - 1) * value[p.order[k]];
  }
  p.gini_ = acc / (n * total);
  return p;
}

std::size_t pareto_analysis::customers_for(double revenue_share) const {
  check_share(revenue_share, "value::pareto_analysis::customers_for", "revenue_share");
  const auto it = std::lower_bound(cumulative_share.begin(), cumulative_share.end(), revenue_share);
  return static_cast<std::size_t>(it - cumulative_share.begin()) + 1;
}

double pareto_analysis::customer_share_for(double revenue_share) const {
  return static_cast<double>(customers_for(revenue_share)) / static_cast<double>(size());
}

double pareto_analysis::revenue_share_of_top(double customer_share) const {
  check_share(customer_share, "value::pareto_analysis::revenue_share_of_top", "customer_share");
  auto k = static_cast<std::size_t>(std::ceil(customer_share * static_cast<double>(size()) - 1e-9));
  k = std::clamp<std::size_t>(k, 1, size());
  return cumulative_share[k - 1];
}

void tier_cuts::validate() const {
  if (names.size() != shares.size() + 1)
    throw invalid_argument_error("value::tier_cuts", "names", std::to_string(names.size()),
                                 "need one name more than cut shares");
  if (names.size() > 255) throw invalid_argument_error("value::tier_cuts", "names", std::to_string(names.size()), "at most 255 tiers");
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (!(shares[i] > 0 && shares[i] < 1))
      throw invalid_argument_error("value::tier_cuts", "shares", num(shares[i]), "each cut share must be in (0, 1)");
    if (i > 0 && !(shares[i] > shares[i - 1]))
      throw invalid_argument_error("value::tier_cuts", "shares", num(shares[i]), "cut shares must be increasing");
  }
}

void abc_tiers(const pareto_analysis& p, const tier_cuts& cuts, std::span<std::uint8_t> tier) {
  cuts.validate();
  if (tier.size() != p.size())
    throw invalid_argument_error("value::abc_tiers", "tier", std::to_string(tier.size()),
                                 "need one entry per customer (" + std::to_string(p.size()) + ")");
  std::size_t t = 0;
  double before = 0;  // cumulative share before this rank
  for (std::size_t k = 0; k < p.size(); ++k) {
    while (t < cuts.shares.size() && before >= cuts.shares[t]) ++t;
    tier[p.order[k]] = static_cast<std::uint8_t>(t);
    before = p.cumulative_share[k];
  }
}

std::vector<lorenz_point> lorenz_curve(const pareto_analysis& p, std::size_t points) {
  if (points < 2) throw invalid_argument_error("value::lorenz_curve", "points", std::to_string(points), "must be >= 2");
  const std::size_t n = p.size();
  // Ascending cumulative share after j poorest customers = 1 − descending share after n − j.
  auto asc = [&](std::size_t j) { return j == 0 ? 0.0 : j == n ? 1.0 : 1.0 - p.cumulative_share[n - j - 1]; };
  std::vector<lorenz_point> out(points);
  for (std::size_t q = 0; q < points; ++q) {
    const double x = static_cast<double>(q) / static_cast<double>(points - 1);
    const double pos = x * static_cast<double>(n);
    const auto j = std::min(static_cast<std::size_t>(pos), n);
    const double frac = pos - static_cast<double>(j);
    const double y = j == n ? 1.0 : asc(j) + frac * (asc(j + 1) - asc(j));
    out[q] = {x, y};
  }
  return out;
}

const std::string& service_table::level_of(std::string_view key) const noexcept {
  for (const auto& l : levels)
    if (l.key == key) return l.level;
  return fallback;
}

service_table service_table::from_csv(std::string_view text, const std::string& source) {
  service_table t;
  std::size_t pos = 0, line = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view row = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) continue;
    std::vector<std::string> f;
    std::size_t b = 0;
    while (true) {
      const std::size_t c = row.find(',', b);
      f.emplace_back(row.substr(b, c == std::string_view::npos ? std::string_view::npos : c - b));
      if (c == std::string_view::npos) break;
      b = c + 1;
    }
    if (line == 1) {
      if (f.size() < 2 || f[0] != "key" || f[1] != "level")
        throw data_error(errc::missing_column, source, 1, 0, "header", std::string(row), "expected key,level[,note]");
      continue;
    }
    if (f.size() < 2) throw data_error(errc::ragged_row, source, line, 0, "fields", std::to_string(f.size()), "expected key,level[,note]");
    if (f[0] == "*") {
      t.fallback = f[1];
      continue;
    }
    t.levels.push_back({f[0], f[1], f.size() > 2 ? f[2] : std::string()});
  }
  return t;
}

service_table service_table::read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return from_csv(text.str(), path);
}

}  // namespace patron::inline v1::value
