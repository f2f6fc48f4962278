// SPDX-License-Identifier: MIT
// Content-based item profiles (TF-IDF over text or categories) and value-aware re-ranking.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "patron/error.hpp"
#include "patron/recommend/content.hpp"
#include "patron/recommend/ranking.hpp"
#include "patron/recommend/rerank.hpp"

namespace patron::inline v1::recommend {

content_model content_model::from_docs(const std::vector<std::vector<std::uint32_t>>& docs,
                                       std::size_t n_features) {
  content_model m;
  m.n_features_ = n_features;
  std::vector<double> df(n_features, 0.0);
  for (const auto& d : docs) {
    std::vector<std::uint32_t> u(d);
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    for (auto t : u) df[t] += 1.0;
  }
  const double n = static_cast<double>(docs.size());
  for (const auto& d : docs) {
    std::vector<std::uint32_t> s(d);
    std::sort(s.begin(), s.end());
    const std::size_t start = m.feature_.size();
    for (std::size_t k = 0; k < s.size();) {
      std::size_t e = k;
      while (e < s.size() && s[e] == s[k]) ++e;
      const double tf = static_cast<double>(e - k);
      const double w = (1.0 + std::log(tf)) * std::log(n / df[s[k]]);
      if (w > 0.0) {
        m.feature_.push_back(s[k]);
        m.weight_.push_back(w);
      }
      k = e;
    }
    double norm = 0.0;
    for (std::size_t k = start; k < m.weight_.size(); ++k) norm += m.weight_[k] * m.weight_[k];
    norm = std::sqrt(norm);
    for (std::size_t k = start; k < m.weight_.size(); ++k) m.weight_[k] /= norm;
    m.offsets_.push_back(m.feature_.size());
  }
  return m;
}

content_model content_model::fit_text(std::span<const std::string> texts) {
  std::unordered_map<std::string, std::uint32_t> vocab;
  std::vector<std::vector<std::uint32_t>> docs(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string tok;
    auto flush = [&] {
      if (tok.empty()) return;
      auto [it, added] = vocab.try_emplace(tok, static_cast<std::uint32_t>(vocab.size()));
      docs[i].push_back(it->second);
      tok.clear();
    };
    for (unsigned char c : texts[i]) {
      if (std::isalnum(c) && c < 128) {
        tok += static_cast<char>(std::tolower(c));
      } else {
        flush();
      }
    }
    flush();
  }
  return from_docs(docs, vocab.size());
}

content_model content_model::fit_categories(std::span<const std::vector<std::string>> columns) {
  const std::size_t n = columns.empty() ? 0 : columns[0].size();
  for (const auto& c : columns)
    if (c.size() != n)
      throw invalid_argument_error("content_model::fit_categories", "columns[a].size()",
                                   std::to_string(c.size()), "all columns must have one value per item");
  std::unordered_map<std::string, std::uint32_t> vocab;
  std::vector<std::vector<std::uint32_t>> docs(n);
  for (std::size_t a = 0; a < columns.size(); ++a)
    for (std::size_t i = 0; i < n; ++i) {
      if (columns[a][i].empty()) continue;
      std::string key = std::to_string(a);
      key += '=';
      key += columns[a][i];
      auto [it, added] = vocab.try_emplace(key, static_cast<std::uint32_t>(vocab.size()));
      docs[i].push_back(it->second);
    }
  return from_docs(docs, vocab.size());
}

double content_model::similarity(std::uint32_t i, std::uint32_t j) const noexcept {
  std::size_t a = offsets_[i], b = offsets_[j];
  double s = 0.0;
  while (a < offsets_[i + 1] && b < offsets_[j + 1]) {
    if (feature_[a] < feature_[b]) {
      ++a;
    } else if (feature_[b] < feature_[a]) {
      ++b;
    } else {
      s += weight_[a++] * weight_[b++];
    }
  }
  return s;
}

std::size_t content_model::recommend_for(std::span<const std::uint32_t> bought,
                                         std::span<const double> weights,
                                         std::span<std::uint32_t> items,
                                         std::span<double> scores) const {
  if (weights.size() != bought.size())
    throw invalid_argument_error("content_model::recommend_for", "weights.size()",
                                 std::to_string(weights.size()), "must equal bought.size()");
  std::vector<double> profile(n_features_, 0.0);
  double total = 0.0;
  for (std::size_t k = 0; k < bought.size(); ++k) {
    if (bought[k] >= n_items())
      throw invalid_argument_error("content_model::recommend_for", "bought",
                                   std::to_string(bought[k]), "item index beyond the model");
    total += weights[k];
    for (std::size_t p = offsets_[bought[k]]; p < offsets_[bought[k] + 1]; ++p)
      profile[feature_[p]] += weights[k] * weight_[p];
  }
  double norm = 0.0;
  for (double& v : profile) {
    v /= total > 0.0 ? total : 1.0;
    norm += v * v;
  }
  norm = std::sqrt(norm);
  std::vector<double> s(n_items(), 0.0);
  if (norm > 0.0)
    for (std::size_t j = 0; j < n_items(); ++j) {
      double d = 0.0;
      for (std::size_t p = offsets_[j]; p < offsets_[j + 1]; ++p) d += profile[feature_[p]] * weight_[p];
      s[j] = d / norm;
    }
  std::vector<std::uint32_t> exclude(bought.begin(), bought.end());
  std::sort(exclude.begin(), exclude.end());
  return top_n(s, exclude, items, scores, 0.0);
}

std::size_t content_model::recommend(const interactions& history, std::uint32_t u,
                                     std::span<std::uint32_t> items,
                                     std::span<double> scores) const {
  if (u >= history.n_customers()) return 0;
  return recommend_for(history.items_of(u), history.values_of(u), items, scores);
}

// --- re-ranking ------------------------------------------------------------------------------

void rerank_options::validate(std::size_t n_items) const {
  if (!margin.empty() && margin.size() != n_items)
    throw invalid_argument_error("rerank_options", "margin.size()", std::to_string(margin.size()),
                                 "must be 0 or n_items = " + std::to_string(n_items));
  if (!(margin_weight >= 0.0))
    throw invalid_argument_error("rerank_options", "margin_weight", std::to_string(margin_weight), "must be >= 0");
  if (!(customer_weight >= 0.0))
    throw invalid_argument_error("rerank_options", "customer_weight", std::to_string(customer_weight), "must be >= 0");
}

std::size_t rerank(std::span<std::uint32_t> items, std::span<double> scores, std::size_t n,
                   std::span<const std::uint32_t> exclude, const rerank_options& options) {
  if (n > items.size() || n > scores.size())
    throw invalid_argument_error("rerank", "n", std::to_string(n), "beyond the lists");
  options.validate(options.margin.size());
  double max_margin = 0.0;
  for (double m : options.margin) max_margin = std::max(max_margin, m);
  std::vector<std::pair<double, std::uint32_t>> kept;
  for (std::size_t j = 0; j < n; ++j) {
    const auto i = items[j];
    if (std::binary_search(exclude.begin(), exclude.end(), i)) continue;
    double s = scores[j];
    if (!options.margin.empty() && max_margin > 0.0) {
      if (i >= options.margin.size())
        throw invalid_argument_error("rerank", "items", std::to_string(i), "no margin for this item");
      const double m = std::max(0.0, options.margin[i]) / max_margin;
      s *= 1.0 + options.margin_weight * options.customer_weight * m;
    }
    kept.emplace_back(s, i);
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  for (std::size_t j = 0; j < kept.size(); ++j) {
    scores[j] = kept[j].first;
    items[j] = kept[j].second;
  }
  return kept.size();
}

std::vector<std::uint32_t> bought_within(const transaction_log& log, std::uint32_t customer,
                                         timestamp now, double window_days) {
  if (!log.has_items())
    throw invalid_argument_error("bought_within", "log.item", "empty", "the log has no item column");
  if (!(window_days >= 0.0))
    throw invalid_argument_error("bought_within", "window_days", std::to_string(window_days), "must be >= 0");
  const double from = static_cast<double>(now) - window_days * static_cast<double>(seconds_per_day);
  std::vector<std::uint32_t> out;
  for (std::size_t r = 0; r < log.size(); ++r)
    if (log.customer[r] == customer && log.time[r] <= now && static_cast<double>(log.time[r]) >= from)
      out.push_back(log.item[r]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace patron::inline v1::recommend
