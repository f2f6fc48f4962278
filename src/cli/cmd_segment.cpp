// SPDX-License-Identifier: MIT
// `patron segment`: k-means segmentation of a customer table, k selection, saved-model scoring.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "patron/data/table_io.hpp"
#include "patron/error.hpp"
#include "patron/segment.hpp"

namespace patron::cli {
namespace {

namespace sg = patron::segment;

struct segment_args {
  std::string input, features, id, transform = "standard", log1p, k_range, output, model_out,
                                   model_in, algorithm = "auto";
  std::size_t k = 4, n_init = 10, max_iter = 300, batch_size = 1024;
  std::uint64_t seed = 0;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

Eigen::Map<const sg::row_matrix> as_matrix(const numeric_table& t) {
  return {t.values.data(), static_cast<Eigen::Index>(t.rows()),
          static_cast<Eigen::Index>(t.cols())};
}

void write_assignments(const std::string& path, const numeric_table& t,
                       const std::vector<std::int32_t>& labels, const std::vector<double>& dist) {
  output out(path);
  std::ostream& os = out.stream();
  os << "customer_id,cluster,distance\n";
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const std::string& id = t.ids[i];
    if (id.find_first_of(",\"\r\n") != std::string::npos) {
      os << '"';
      for (char c : id) os << (c == '"' ? "\"\"" : std::string(1, c));
      os << '"';
    } else {
      os << id;
    }
    os << ',' << labels[i] << ',' << format_double(dist[i]) << '\n';
  }
  out.close();
}

void run_segment(const segment_args& a) {
  // Where the human-readable report goes: stdout, unless the assignments do.
  std::ostream& report = (a.output == "-") ? std::cerr : std::cout;

  if (!a.model_in.empty()) {
    const sg::segment_model m = sg::load_segment_model(a.model_in);
    table_read_options ro;
    ro.id_column = a.id;
    ro.columns = m.transform.names();
    const numeric_table t = read_numeric_table(a.input, ro);
    std::vector<std::int32_t> labels(t.rows());
    std::vector<double> dist(t.rows());
    sg::predict(m, as_matrix(t), labels, dist, t.ids);
    write_assignments(a.output.empty() ? "-" : a.output, t, labels, dist);
    return;
  }

  if (a.features.empty())
    throw invalid_argument_error("segment", "--features", "", "choose the columns to cluster on");
  table_read_options ro;
  ro.id_column = a.id;
  ro.columns = split_list(a.features);
  const numeric_table t = read_numeric_table(a.input, ro);
  const std::size_t d = t.cols();

  // --transform: log1p (every feature) and/or one scaling; --log1p COLS picks features.
  bool log_all = false;
  sg::scaling kind = sg::scaling::none;
  for (const auto& step : split_list(a.transform)) {
    if (step == "log1p")
      log_all = true;
    else
      kind = sg::parse_scaling(step);
  }
  std::vector<bool> log1p(d, log_all);
  for (const auto& c : split_list(a.log1p)) {
    bool found = false;
    for (std::size_t j = 0; j < d; ++j)
      if (t.columns[j] == c) log1p[j] = found = true;
    if (!found)
      throw invalid_argument_error("segment", "--log1p", c, "not one of the --features columns");
  }
  const auto raw = as_matrix(t);
  const sg::feature_transform tf =
      sg::feature_transform::fit(raw, t.columns, log1p, kind, t.ids, a.input);
  const sg::row_matrix x = tf.apply(raw, t.ids, a.input);

  sg::kmeans_options o;
  o.n_init = a.n_init;
  o.seed = a.seed;
  o.max_iterations = a.max_iter;
  const bool mini = a.algorithm == "minibatch";
  if (a.algorithm == "lloyd")
    o.algorithm = sg::kmeans_algorithm::lloyd;
  else if (a.algorithm == "hamerly")
    o.algorithm = sg::kmeans_algorithm::hamerly;
  else if (a.algorithm != "auto" && !mini)
    throw invalid_argument_error("segment", "--algorithm", a.algorithm,
                                 "expected auto, lloyd, hamerly or minibatch");
  sg::minibatch_options mb;
  mb.batch_size = a.batch_size;
  const auto fit = [&](std::size_t k) {
    o.k = k;
    return mini ? sg::minibatch_kmeans(x, o, mb) : sg::kmeans(x, o);
  };

  if (!a.k_range.empty()) {
    const auto dots = a.k_range.find("..");
    std::size_t lo = 0, hi = 0;
    try {
      if (dots == std::string::npos) throw std::invalid_argument("no ..");
      lo = std::stoul(a.k_range.substr(0, dots));
      hi = std::stoul(a.k_range.substr(dots + 2));
    } catch (const std::exception&) {
      throw invalid_argument_error("segment", "--k-range", a.k_range,
                                   "expected FROM..TO, e.g. 2..10");
    }
    if (lo < 2 || hi < lo)
      throw invalid_argument_error("segment", "--k-range", a.k_range, "need 2 <= FROM <= TO");
    output out(a.output);
    std::ostream& os = out.stream();
    os << "k,inertia,silhouette,calinski_harabasz,silhouette_points\n";
    std::string note;
    for (std::size_t k = lo; k <= hi; ++k) {
      const sg::kmeans_result r = fit(k);
      const sg::silhouette_result s = sg::silhouette(x, r.labels);
      os << k << ',' << format_double(r.inertia) << ',' << format_double(s.score) << ','
         << format_double(sg::calinski_harabasz(x, r.labels)) << ',' << s.points_used << '\n';
      if (s.sampled)
        note = "silhouette: estimated on a random sample of " + std::to_string(s.points_used) +
               " of " + std::to_string(t.rows()) + " customers (exact up to 50000)\n";
    }
    out.close();
    std::cerr << note;
    return;
  }

  const sg::kmeans_result r = fit(a.k);
  const auto profiles = sg::profile_clusters(raw, x, r.labels, a.k, t.columns);
  if (!a.output.empty()) write_assignments(a.output, t, r.labels, r.distances);
  if (!a.model_out.empty()) {
    sg::segment_model m;
    m.transform = tf;
    m.centroids = r.centroids;
    for (const auto& p : profiles) m.cluster_names.push_back(p.name);
    m.inertia = r.inertia;
    m.training_rows = t.rows();
    m.seed = a.seed;
    sg::save_segment_model(m, a.model_out);
  }
  report << "segments: k = " << a.k << ", " << t.rows() << " customers, inertia "
         << format_double(r.inertia) << " (" << (mini ? "mini-batch" : a.algorithm) << ", "
         << (r.status == sg::kmeans_status::converged ? "converged" : "iteration limit")
         << " after " << r.iterations << " iterations, best of " << a.n_init << " runs)\n";
  for (std::size_t c = 0; c < profiles.size(); ++c) {
    const auto& p = profiles[c];
    report << "cluster " << c << ": " << p.size << " customers (" << fixed(100.0 * p.share, 1)
           << "%): " << p.name << '\n';
    for (std::size_t j = 0; j < d; ++j)
      report << "  " << std::left << std::setw(16) << t.columns[j] << std::right << " mean "
             << std::setw(12) << fixed(p.mean[j], 2) << "  median " << std::setw(12)
             << fixed(p.median[j], 2) << '\n';
  }
}

}  // namespace

void add_segment_command(CLI::App& app) {
  auto args = std::make_shared<segment_args>();
  CLI::App* cmd = app.add_subcommand(
      "segment",
      "Cluster customers by k-means on chosen columns of a customer table; print the cluster "
      "profiles (or, with --k-range, inertia, silhouette and Calinski-Harabasz per k)");
  cmd->add_option("--input", args->input, "Customer table (CSV with a header)")->required();
  cmd->add_option("--features", args->features, "Columns to cluster on: COL[,COL...]");
  cmd->add_option("--id", args->id, "Id column (default: customer_id, id, customer, or the first)");
  cmd->add_option("--transform", args->transform,
                  "Steps: log1p (all features) and one scaling: standard, robust or none (no "
                  "scaling step = none)")
      ->capture_default_str();
  cmd->add_option("--log1p", args->log1p, "Apply log1p to these columns only: COL[,COL...]");
  auto* k = cmd->add_option("--k", args->k, "Number of clusters")->capture_default_str();
  cmd->add_option("--k-range", args->k_range, "Compare k = FROM..TO (e.g. 2..10)")->excludes(k);
  cmd->add_option("--n-init", args->n_init, "Restarts; the lowest inertia wins")
      ->capture_default_str();
  cmd->add_option("--max-iter", args->max_iter, "Iterations per run")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed (results are reproducible for a seed)")
      ->capture_default_str();
  cmd->add_option("--algorithm", args->algorithm,
                  "auto (Lloyd for <= 8 features, else Hamerly), lloyd, hamerly or minibatch")
      ->capture_default_str();
  cmd->add_option("--batch-size", args->batch_size, "Mini-batch size")->capture_default_str();
  cmd->add_option("--output", args->output,
                  "Write customer_id,cluster,distance here ('-' = stdout; the report then goes "
                  "to stderr); with --k-range, the table");
  cmd->add_option("--model-out", args->model_out, "Save the model (transform + centroids) as JSON");
  cmd->add_option("--model", args->model_in,
                  "Assign the input's customers with a saved model instead of fitting");
  cmd->callback([args] { run_segment(*args); });
}

}  // namespace patron::cli
