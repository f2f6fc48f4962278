// SPDX-License-Identifier: MIT
// Implicit ALS (Hu, Koren & Volinsky 2008) with conjugate-gradient solves (Takács et al. 2011).
#include <algorithm>
#include <cmath>
#include <string>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "patron/error.hpp"
#include "patron/recommend/als.hpp"
#include "patron/recommend/ranking.hpp"
#include "recommend_parallel.hpp"

namespace patron::inline v1::recommend {

void als_options::validate() const {
  auto bad = [](const char* field, double v, const char* problem) {
    throw invalid_argument_error("als_options", field, std::to_string(v), problem);
  };
  if (factors == 0) bad("factors", 0, "must be >= 1");
  if (!(regularization >= 0.0)) bad("regularization", regularization, "must be >= 0");
  if (!(alpha > 0.0) || !std::isfinite(alpha)) bad("alpha", alpha, "must be > 0 and finite");
  if (!(epsilon > 0.0) || !std::isfinite(epsilon)) bad("epsilon", epsilon, "must be > 0 and finite");
}

namespace {

using matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using vector = Eigen::VectorXd;

double confidence(const als_options& o, double r) noexcept {
  return o.confidence == als_confidence::linear ? 1.0 + o.alpha * r
                                                : 1.0 + o.alpha * std::log1p(r / o.epsilon);
}

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

void init(std::vector<double>& v, std::uint64_t seed, std::uint64_t stream) {
  const std::uint64_t base = mix(seed ^ mix(stream));
  for (std::size_t k = 0; k < v.size(); ++k)
    v[k] = 0.01 * static_cast<double>(mix(base + k) >> 11) * 0x1.0p-53;
}

// One half-sweep: solve rows of X given Y for the CSR (offsets, cols, vals).
void solve_side(std::vector<double>& xs, const std::vector<double>& ys, std::size_t f,
                const std::vector<std::size_t>& offsets, const std::vector<std::uint32_t>& cols,
                const std::vector<double>& vals, const als_options& o) {
  const auto n_x = static_cast<std::ptrdiff_t>(offsets.size() - 1);
  const auto n_y = static_cast<Eigen::Index>(ys.size() / f);
  const auto fi = static_cast<Eigen::Index>(f);
  Eigen::Map<const matrix> Y(ys.data(), n_y, fi);
  matrix G = Y.transpose() * Y;
  G.diagonal().array() += o.regularization;
  const int omp_threads_ = detail::resolve_threads(o.threads);
  PATRON_OMP_FOR
  for (std::ptrdiff_t u = 0; u < n_x; ++u) {
    Eigen::Map<vector> x(xs.data() + static_cast<std::size_t>(u) * f, fi);
    const auto b = offsets[static_cast<std::size_t>(u)], e = offsets[static_cast<std::size_t>(u) + 1];
    // r = b − A x with A = G + Σ (c−1) y yᵀ and b = Σ c y.
    vector r = -(G * x);
    for (std::size_t k = b; k < e; ++k) {
      const auto y = Y.row(cols[k]);
      const double c = confidence(o, vals[k]);
      r.noalias() += (c - (c - 1.0) * y.dot(x)) * y.transpose();
    }
    vector p = r, Ap(fi);
    double rs_old = r.squaredNorm();
    for (std::size_t it = 0; it < o.cg_steps && rs_old > 1e-20; ++it) {
      Ap.noalias() = G * p;
      for (std::size_t k = b; k < e; ++k) {
        const auto y = Y.row(cols[k]);
        Ap.noalias() += ((confidence(o, vals[k]) - 1.0) * y.dot(p)) * y.transpose();
      }
      const double a = rs_old / p.dot(Ap);
      x += a * p;
      r -= a * Ap;
      const double rs_new = r.squaredNorm();
      p = r + (rs_new / rs_old) * p;
      rs_old = rs_new;
    }
  }
}

}  // namespace

als_model als_model::fit(const interactions& data, const als_options& options) {
  options.validate();
  const std::size_t f = options.factors, nu = data.n_customers(), ni = data.n_items();
  als_model m;
  m.factors_ = f;
  m.options_ = options;
  m.user_.resize(nu * f);
  m.item_.resize(ni * f);
  init(m.user_, options.seed, 1);
  init(m.item_, options.seed, 2);
  // Transpose (items × customers) once.
  std::vector<std::size_t> t_off(ni + 1, 0);
  for (auto i : data.item) ++t_off[i + 1];
  for (std::size_t i = 0; i < ni; ++i) t_off[i + 1] += t_off[i];
  std::vector<std::uint32_t> t_col(data.nnz());
  std::vector<double> t_val(data.nnz());
  std::vector<std::size_t> fill(t_off.begin(), t_off.end() - 1);
  for (std::size_t u = 0; u < nu; ++u)
    for (std::size_t k = data.offsets[u]; k < data.offsets[u + 1]; ++k) {
      const auto p = fill[data.item[k]]++;
      t_col[p] = static_cast<std::uint32_t>(u);
      t_val[p] = data.value[k];
    }
  for (std::size_t it = 0; it < options.iterations; ++it) {
    solve_side(m.user_, m.item_, f, data.offsets, data.item, data.value, options);
    solve_side(m.item_, m.user_, f, t_off, t_col, t_val, options);
  }
  const auto fi = static_cast<Eigen::Index>(f);
  Eigen::Map<const matrix> Y(m.item_.data(), static_cast<Eigen::Index>(ni), fi);
  m.gram_.resize(f * f);
  Eigen::Map<matrix>(m.gram_.data(), fi, fi) = Y.transpose() * Y;
  return m;
}

double als_model::score(std::uint32_t u, std::uint32_t i) const noexcept {
  double s = 0.0;
  for (std::size_t k = 0; k < factors_; ++k) s += user_[u * factors_ + k] * item_[i * factors_ + k];
  return s;
}

std::size_t als_model::recommend_factors(std::span<const double> x,
                                         std::span<const std::uint32_t> exclude,
                                         std::span<std::uint32_t> items,
                                         std::span<double> scores) const {
  if (x.size() != factors_)
    throw invalid_argument_error("als_model::recommend_factors", "x.size()",
                                 std::to_string(x.size()), "must equal factors()");
  const auto fi = static_cast<Eigen::Index>(factors_);
  Eigen::Map<const matrix> Y(item_.data(), static_cast<Eigen::Index>(n_items()), fi);
  Eigen::Map<const vector> xv(x.data(), fi);
  vector s = Y * xv;
  return top_n(std::span<const double>(s.data(), static_cast<std::size_t>(s.size())), exclude,
               items, scores);
}

std::size_t als_model::recommend(const interactions& history, std::uint32_t u,
                                 std::span<std::uint32_t> items, std::span<double> scores) const {
  if (u >= n_customers()) return 0;
  const auto seen = u < history.n_customers() ? history.items_of(u) : std::span<const std::uint32_t>{};
  return recommend_factors(std::span(user_).subspan(u * factors_, factors_), seen, items, scores);
}

void als_model::fold_in(std::span<const std::uint32_t> bought, std::span<const double> values,
                        std::span<double> out) const {
  if (values.size() != bought.size() || out.size() != factors_)
    throw invalid_argument_error("als_model::fold_in", "values.size()", std::to_string(values.size()),
                                 "values must match bought and out must have factors() entries");
  const auto fi = static_cast<Eigen::Index>(factors_);
  Eigen::Map<const matrix> Y(item_.data(), static_cast<Eigen::Index>(n_items()), fi);
  matrix A = Eigen::Map<const matrix>(gram_.data(), fi, fi);
  A.diagonal().array() += options_.regularization;
  vector b = vector::Zero(fi);
  for (std::size_t k = 0; k < bought.size(); ++k) {
    if (bought[k] >= n_items())
      throw invalid_argument_error("als_model::fold_in", "bought", std::to_string(bought[k]),
                                   "item index beyond the model");
    if (!(values[k] > 0.0)) continue;
    const auto y = Y.row(bought[k]);
    const double c = confidence(options_, values[k]);
    A.noalias() += (c - 1.0) * y.transpose() * y;
    b.noalias() += c * y.transpose();
  }
  Eigen::Map<vector>(out.data(), fi) = A.llt().solve(b);
}

double als_model::loss(const interactions& data) const {
  double l = 0.0;
  for (std::size_t u = 0; u < data.n_customers() && u < n_customers(); ++u)
    for (std::uint32_t i = 0; i < n_items(); ++i) {
      const auto row = data.items_of(u);
      const auto it = std::lower_bound(row.begin(), row.end(), i);
      const bool has = it != row.end() && *it == i;
      const double r = has ? data.values_of(u)[static_cast<std::size_t>(it - row.begin())] : 0.0;
      const double c = has ? confidence(options_, r) : 1.0;
      const double d = (has ? 1.0 : 0.0) - score(static_cast<std::uint32_t>(u), i);
      l += c * d * d;
    }
  double reg = 0.0;
  for (double v : user_) reg += v * v;
  for (double v : item_) reg += v * v;
  return l + options_.regularization * reg;
}

}  // namespace patron::inline v1::recommend
