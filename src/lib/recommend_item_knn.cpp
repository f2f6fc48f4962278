// SPDX-License-Identifier: MIT
// Item-item neighbourhoods: weighted co-occurrence per item with a dense accumulator, top K kept.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "patron/error.hpp"
#include "patron/recommend/item_knn.hpp"
#include "patron/recommend/ranking.hpp"
#include "recommend_parallel.hpp"

namespace patron::inline v1::recommend {

item_similarity parse_item_similarity(std::string_view name) {
  if (name == "cosine") return item_similarity::cosine;
  if (name == "jaccard") return item_similarity::jaccard;
  if (name == "bm25") return item_similarity::bm25;
  if (name == "tfidf") return item_similarity::tfidf;
  throw invalid_argument_error("item_knn", "similarity", name,
                               "expected cosine, jaccard, bm25 or tfidf");
}

void item_knn_options::validate() const {
  if (neighbours == 0)
    throw invalid_argument_error("item_knn_options", "neighbours", "0", "must be >= 1");
  if (!(k1 >= 0.0))
    throw invalid_argument_error("item_knn_options", "k1", std::to_string(k1), "must be >= 0");
  if (!(b >= 0.0 && b <= 1.0))
    throw invalid_argument_error("item_knn_options", "b", std::to_string(b), "must be in [0, 1]");
}

item_knn item_knn::fit(const interactions& data, const item_knn_options& options) {
  options.validate();
  const std::size_t nu = data.n_customers(), ni = data.n_items();
  // Weighted copy of the matrix, by rows (customers).
  std::vector<double> w(data.value);
  std::vector<double> item_total(ni, 0.0), item_users(ni, 0.0), norm2(ni, 0.0);
  for (std::size_t k = 0; k < data.nnz(); ++k) {
    item_total[data.item[k]] += data.value[k];
    item_users[data.item[k]] += 1.0;
  }
  auto idf = [&](std::size_t u) {
    return std::log(static_cast<double>(ni)) -
           std::log1p(static_cast<double>(data.offsets[u + 1] - data.offsets[u]));
  };
  switch (options.similarity) {
    case item_similarity::jaccard:
      std::fill(w.begin(), w.end(), 1.0);
      break;
    case item_similarity::cosine:
      for (std::size_t k = 0; k < w.size(); ++k) norm2[data.item[k]] += w[k] * w[k];
      for (std::size_t k = 0; k < w.size(); ++k) w[k] /= std::sqrt(norm2[data.item[k]]);
      break;
    case item_similarity::bm25: {
      double mean_len = 0.0;
      std::size_t used = 0;
      for (std::size_t i = 0; i < ni; ++i)
        if (item_users[i] > 0) {
          mean_len += item_total[i];
          ++used;
        }
      mean_len = used ? mean_len / static_cast<double>(used) : 1.0;
      for (std::size_t u = 0; u < nu; ++u) {
        const double f = idf(u);
        for (std::size_t k = data.offsets[u]; k < data.offsets[u + 1]; ++k) {
          const double x = data.value[k];
          const double len_norm = (1.0 - options.b) + options.b * item_total[data.item[k]] / mean_len;
          w[k] = x * (options.k1 + 1.0) / (options.k1 * len_norm + x) * f;
        }
      }
      break;
    }
    case item_similarity::tfidf:
      for (std::size_t u = 0; u < nu; ++u) {
        const double f = idf(u);
        for (std::size_t k = data.offsets[u]; k < data.offsets[u + 1]; ++k)
          w[k] = std::sqrt(data.value[k]) * f;
      }
      break;
  }
  // Columns (items → customers with weights).
  std::vector<std::size_t> col_start(ni + 1, 0);
  for (auto i : data.item) ++col_start[i + 1];
  std::partial_sum(col_start.begin(), col_start.end(), col_start.begin());
  std::vector<std::uint32_t> col_user(data.nnz());
  std::vector<double> col_w(data.nnz());
  {
    std::vector<std::size_t> fill(col_start.begin(), col_start.end() - 1);
    for (std::size_t u = 0; u < nu; ++u)
      for (std::size_t k = data.offsets[u]; k < data.offsets[u + 1]; ++k) {
        const auto p = fill[data.item[k]]++;
        col_user[p] = static_cast<std::uint32_t>(u);
        col_w[p] = w[k];
      }
  }
  const std::size_t K = std::min(options.neighbours, ni > 0 ? ni - 1 : 0);
  std::vector<std::uint32_t> nb(ni * K);
  std::vector<double> sim(ni * K);
  std::vector<std::size_t> count(ni, 0);
  const int omp_threads_ = detail::resolve_threads(options.threads);
  const auto n = static_cast<std::ptrdiff_t>(ni);
  PATRON_OMP_FOR
  for (std::ptrdiff_t ii = 0; ii < n; ++ii) {
    const auto i = static_cast<std::uint32_t>(ii);
    thread_local std::vector<double> acc;
    acc.assign(ni, 0.0);
    for (std::size_t p = col_start[i]; p < col_start[i + 1]; ++p) {
      const std::uint32_t u = col_user[p];
      const double wi = col_w[p];
      for (std::size_t k = data.offsets[u]; k < data.offsets[u + 1]; ++k) acc[data.item[k]] += wi * w[k];
    }
    acc[i] = 0.0;  // never its own neighbour
    if (options.similarity == item_similarity::jaccard)
      for (std::size_t j = 0; j < ni; ++j)
        if (acc[j] > 0.0) acc[j] /= item_users[i] + item_users[j] - acc[j];
    if (K > 0)
      count[i] = top_n(acc, {}, std::span(nb).subspan(i * K, K), std::span(sim).subspan(i * K, K), 0.0);
  }
  item_knn m;
  m.offsets_.assign(1, 0);
  for (std::size_t i = 0; i < ni; ++i) {
    m.neighbour_.insert(m.neighbour_.end(), nb.begin() + static_cast<std::ptrdiff_t>(i * K),
                        nb.begin() + static_cast<std::ptrdiff_t>(i * K + count[i]));
    m.similarity_.insert(m.similarity_.end(), sim.begin() + static_cast<std::ptrdiff_t>(i * K),
                         sim.begin() + static_cast<std::ptrdiff_t>(i * K + count[i]));
    m.offsets_.push_back(m.neighbour_.size());
  }
  return m;
}

std::size_t item_knn::recommend(const interactions& history, std::uint32_t u,
                                std::span<std::uint32_t> items, std::span<double> scores) const {
  if (u >= history.n_customers()) return 0;
  const auto bought = history.items_of(u);
  const auto values = history.values_of(u);
  std::vector<double> acc(n_items(), 0.0);
  for (std::size_t k = 0; k < bought.size(); ++k) {
    if (bought[k] >= n_items()) continue;
    const auto nbs = neighbours(bought[k]);
    const auto sims = similarities(bought[k]);
    for (std::size_t j = 0; j < nbs.size(); ++j) acc[nbs[j]] += values[k] * sims[j];
  }
  return top_n(acc, bought, items, scores, 0.0);
}

std::size_t item_knn::recommend_for(std::span<const std::uint32_t> bought,
                                    std::span<const double> weights,
                                    std::span<std::uint32_t> items,
                                    std::span<double> scores) const {
  if (weights.size() != bought.size())
    throw invalid_argument_error("item_knn::recommend_for", "weights.size()",
                                 std::to_string(weights.size()), "must equal bought.size()");
  std::vector<double> acc(n_items(), 0.0);
  for (std::size_t k = 0; k < bought.size(); ++k) {
    if (bought[k] >= n_items())
      throw invalid_argument_error("item_knn::recommend_for", "bought", std::to_string(bought[k]),
                                   "item index beyond the model");
    const auto nbs = neighbours(bought[k]);
    const auto sims = similarities(bought[k]);
    for (std::size_t j = 0; j < nbs.size(); ++j) acc[nbs[j]] += weights[k] * sims[j];
  }
  std::vector<std::uint32_t> exclude(bought.begin(), bought.end());
  std::sort(exclude.begin(), exclude.end());
  return top_n(acc, exclude, items, scores, 0.0);
}

}  // namespace patron::inline v1::recommend
