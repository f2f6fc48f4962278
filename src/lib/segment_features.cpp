// SPDX-License-Identifier: MIT
// Feature transforms (log1p, z-score, median/IQR) and cluster profiles with generated names.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "patron/error.hpp"
#include "patron/segment/features.hpp"
#include "patron/segment/profile.hpp"

namespace patron::inline v1::segment {
namespace {

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Quantile q of sorted values, linear interpolation between closest ranks (numpy "linear").
double quantile_sorted(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

void check_shape(std::size_t d, std::size_t names, std::size_t log1p, const char* where) {
  if (names != d)
    throw invalid_argument_error(where, "names.size()", std::to_string(names),
                                 "must equal the number of columns (" + std::to_string(d) + ")");
  if (log1p != 0 && log1p != d)
    throw invalid_argument_error(where, "log1p.size()", std::to_string(log1p),
                                 "must be 0 or the number of columns (" + std::to_string(d) + ")");
}

}  // namespace

scaling parse_scaling(std::string_view text) {
  const std::string t = lower(text);
  if (t == "none") return scaling::none;
  if (t == "standard" || t == "z" || t == "zscore") return scaling::standard;
  if (t == "robust") return scaling::robust;
  throw invalid_argument_error("segment", "scaling", text, "expected none, standard or robust");
}

const char* scaling_name(scaling s) noexcept {
  switch (s) {
    case scaling::none:
      return "none";
    case scaling::standard:
      return "standard";
    case scaling::robust:
      return "robust";
  }
  return "none";
}

void validate_features(const Eigen::Ref<const row_matrix>& raw, std::span<const std::string> names,
                       const std::vector<bool>& log1p, std::span<const std::string> ids,
                       const std::string& source) {
  const auto d = static_cast<std::size_t>(raw.cols());
  check_shape(d, names.size(), log1p.size(), "validate_features");
  if (!ids.empty() && ids.size() != static_cast<std::size_t>(raw.rows()))
    throw invalid_argument_error("validate_features", "ids.size()", std::to_string(ids.size()),
                                 "must be 0 or the number of rows");
  for (Eigen::Index i = 0; i < raw.rows(); ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double v = raw(i, static_cast<Eigen::Index>(j));
      const bool finite = std::isfinite(v);
      const bool domain = log1p.empty() || !log1p[j] || v > -1.0;
      if (finite && domain) continue;
      std::string problem = finite ? "log1p needs a value > -1" : "not a finite number";
      if (!ids.empty()) problem += " (customer " + ids[static_cast<std::size_t>(i)] + ")";
      throw data_error(errc::bad_number, source, static_cast<std::uint64_t>(i) + 1,
                       static_cast<std::uint32_t>(j + 1), names[j], number_text(v), problem);
    }
}

feature_transform::feature_transform(std::vector<std::string> names, std::vector<bool> log1p,
                                     scaling kind, std::vector<double> center,
                                     std::vector<double> scale)
    : names_(std::move(names)),
      log1p_(std::move(log1p)),
      kind_(kind),
      center_(std::move(center)),
      scale_(std::move(scale)) {
  const std::size_t d = names_.size();
  if (log1p_.empty()) log1p_.assign(d, false);
  if (log1p_.size() != d || center_.size() != d || scale_.size() != d)
    throw invalid_argument_error("feature_transform", "sizes", std::to_string(d),
                                 "names, log1p, center and scale need one entry per feature");
  for (std::size_t j = 0; j < d; ++j)
    if (!std::isfinite(center_[j]) || !(scale_[j] > 0.0) || !std::isfinite(scale_[j]))
      throw invalid_argument_error("feature_transform", names_[j],
                                   number_text(center_[j]) + "/" + number_text(scale_[j]),
                                   "center must be finite and scale finite and > 0");
}

feature_transform feature_transform::fit(const Eigen::Ref<const row_matrix>& raw,
                                         std::vector<std::string> names, std::vector<bool> log1p,
                                         scaling kind, std::span<const std::string> ids,
                                         const std::string& source) {
  const auto n = static_cast<std::size_t>(raw.rows());
  const auto d = static_cast<std::size_t>(raw.cols());
  if (n == 0) throw invalid_argument_error("feature_transform::fit", "rows", "0", "no customers");
  if (log1p.empty()) log1p.assign(d, false);
  validate_features(raw, names, log1p, ids, source);
  std::vector<double> center(d, 0.0), scale(d, 1.0), col(n);
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      const double v = raw(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      col[i] = log1p[j] ? std::log1p(v) : v;
    }
    if (kind == scaling::standard) {
      double mean = 0.0;
      for (double v : col) mean += v;
      mean /= static_cast<double>(n);
      double ss = 0.0;
      for (double v : col) ss += (v - mean) * (v - mean);
      const double sd = std::sqrt(ss / static_cast<double>(n));
      center[j] = mean;
      scale[j] = sd > 0.0 ? sd : 1.0;
    } else if (kind == scaling::robust) {
      std::sort(col.begin(), col.end());
      center[j] = quantile_sorted(col, 0.5);
      const double iqr = quantile_sorted(col, 0.75) - quantile_sorted(col, 0.25);
      scale[j] = iqr > 0.0 ? iqr : 1.0;
    }
  }
  return feature_transform(std::move(names), std::move(log1p), kind, std::move(center),
                           std::move(scale));
}

row_matrix feature_transform::apply(const Eigen::Ref<const row_matrix>& raw,
                                    std::span<const std::string> ids,
                                    const std::string& source) const {
  if (static_cast<std::size_t>(raw.cols()) != size())
    throw invalid_argument_error("feature_transform::apply", "columns", std::to_string(raw.cols()),
                                 "the transform was fitted on " + std::to_string(size()));
  validate_features(raw, names_, log1p_, ids, source);
  row_matrix out(raw.rows(), raw.cols());
  for (Eigen::Index i = 0; i < raw.rows(); ++i)
    for (std::size_t j = 0; j < size(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      const double v = log1p_[j] ? std::log1p(raw(i, jj)) : raw(i, jj);
      out(i, jj) = (v - center_[j]) / scale_[j];
    }
  return out;
}

row_matrix feature_transform::inverse(const Eigen::Ref<const row_matrix>& scaled) const {
  if (static_cast<std::size_t>(scaled.cols()) != size())
    throw invalid_argument_error("feature_transform::inverse", "columns",
                                 std::to_string(scaled.cols()),
                                 "the transform was fitted on " + std::to_string(size()));
  row_matrix out(scaled.rows(), scaled.cols());
  for (Eigen::Index i = 0; i < scaled.rows(); ++i)
    for (std::size_t j = 0; j < size(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      const double v = scaled(i, jj) * scale_[j] + center_[j];
      out(i, jj) = log1p_[j] ? std::expm1(v) : v;
    }
  return out;
}

// --- profiles --------------------------------------------------------------------------------

std::vector<feature_words> default_feature_words() {
  std::vector<feature_words> w;
  for (const char* f : {"recency", "recency_days", "days_since_last"})
    w.push_back({f, "lapsed", "recent"});
  for (const char* f : {"frequency", "orders", "x", "number_of_orders", "invoices"})
    w.push_back({f, "frequent", "infrequent"});
  for (const char* f : {"monetary", "total", "revenue", "spend", "value", "monetary_value"})
    w.push_back({f, "high value", "low value"});
  w.push_back({"clv", "high CLV", "low CLV"});
  for (const char* f : {"tenure", "age", "t"}) w.push_back({f, "long-standing", "new"});
  w.push_back({"p_alive", "likely active", "likely lost"});
  return w;
}

std::vector<cluster_profile> profile_clusters(const Eigen::Ref<const row_matrix>& raw,
                                              const Eigen::Ref<const row_matrix>& scaled,
                                              std::span<const std::int32_t> labels, std::size_t k,
                                              std::span<const std::string> names,
                                              const profile_options& options) {
  const auto n = static_cast<std::size_t>(raw.rows());
  const auto d = static_cast<std::size_t>(raw.cols());
  if (scaled.rows() != raw.rows() || scaled.cols() != raw.cols() || labels.size() != n ||
      names.size() != d)
    throw invalid_argument_error("profile_clusters", "sizes",
                                 std::to_string(n) + "x" + std::to_string(d),
                                 "raw, scaled, labels and names must agree");
  if (n == 0 || k == 0)
    throw invalid_argument_error("profile_clusters", "rows", std::to_string(n),
                                 "need n > 0 and k > 0");
  std::vector<std::vector<std::size_t>> members(k);
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= k)
      throw invalid_argument_error("profile_clusters", "labels[" + std::to_string(i) + "]",
                                   std::to_string(labels[i]), "must be in 0..k-1");
    members[static_cast<std::size_t>(labels[i])].push_back(i);
  }
  // Overall mean and standard deviation of each scaled feature.
  std::vector<double> mean_all(d, 0.0), sd_all(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    for (std::size_t i = 0; i < n; ++i) mean_all[j] += scaled(static_cast<Eigen::Index>(i), jj);
    mean_all[j] /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double t = scaled(static_cast<Eigen::Index>(i), jj) - mean_all[j];
      sd_all[j] += t * t;
    }
    sd_all[j] = std::sqrt(sd_all[j] / static_cast<double>(n));
  }
  std::vector<cluster_profile> out(k);
  std::map<std::string, int> seen;
  std::vector<double> col;
  for (std::size_t c = 0; c < k; ++c) {
    cluster_profile& p = out[c];
    const auto& m = members[c];
    p.size = m.size();
    p.share = static_cast<double>(m.size()) / static_cast<double>(n);
    p.mean.assign(d, std::nan(""));
    p.median.assign(d, std::nan(""));
    p.standing.assign(d, 0.0);
    for (std::size_t j = 0; j < d && !m.empty(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      col.clear();
      double s = 0.0, z = 0.0;
      for (std::size_t i : m) {
        col.push_back(raw(static_cast<Eigen::Index>(i), jj));
        s += col.back();
        z += scaled(static_cast<Eigen::Index>(i), jj);
      }
      p.mean[j] = s / static_cast<double>(m.size());
      std::sort(col.begin(), col.end());
      p.median[j] = quantile_sorted(col, 0.5);
      p.standing[j] =
          sd_all[j] > 0.0 ? (z / static_cast<double>(m.size()) - mean_all[j]) / sd_all[j] : 0.0;
    }
    // The name: outstanding features, most outstanding first (feature order on ties).
    std::vector<std::size_t> order;
    for (std::size_t j = 0; j < d; ++j)
      if (std::abs(p.standing[j]) >= options.threshold) order.push_back(j);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::abs(p.standing[a]) > std::abs(p.standing[b]);
    });
    if (order.size() > options.max_terms) order.resize(options.max_terms);
    std::string name;
    for (std::size_t j : order) {
      const bool high = p.standing[j] > 0.0;
      std::string word = (high ? "high " : "low ") + names[j];
      const std::string key = lower(names[j]);
      for (const auto& w : options.words)
        if (lower(w.feature) == key) word = high ? w.high : w.low;
      if (!name.empty()) name += ", ";
      name += word;
    }
    if (m.empty()) name = "empty";
    if (name.empty()) name = "typical";
    const int count = ++seen[name];
    if (count > 1) name += " (" + std::to_string(count) + ")";
    p.name = std::move(name);
  }
  return out;
}

}  // namespace patron::inline v1::segment
