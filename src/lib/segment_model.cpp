// SPDX-License-Identifier: MIT
// Segment models as versioned JSON (nlohmann/json stays private to the compiled library), and
// predict() for new customers.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "patron/error.hpp"
#include "patron/segment/model.hpp"
#include "patron/version.hpp"

namespace patron::inline v1::segment {
namespace {

constexpr const char* model_kind = "patron.segment_model";

[[noreturn]] void bad(const std::string& source, const std::string& field, const std::string& value,
                      const std::string& problem) {
  throw data_error(errc::bad_model, source, 0, 0, field, value, problem);
}

}  // namespace

std::string to_json(const segment_model& m) {
  const feature_transform& t = m.transform;
  if (static_cast<std::size_t>(m.centroids.cols()) != t.size())
    throw invalid_argument_error(
        "to_json", "centroids.cols()", std::to_string(m.centroids.cols()),
        "must equal the number of features (" + std::to_string(t.size()) + ")");
  nlohmann::ordered_json j;
  j["kind"] = model_kind;
  j["format_version"] = segment_model_format_version;
  j["patron_version"] = PATRON_VERSION_STRING;
  j["scaling"] = scaling_name(t.kind());
  nlohmann::ordered_json features = nlohmann::ordered_json::array();
  for (std::size_t f = 0; f < t.size(); ++f)
    features.push_back({{"name", t.names()[f]},
                        {"log1p", static_cast<bool>(t.log1p()[f])},
                        {"center", t.center()[f]},
                        {"scale", t.scale()[f]}});
  j["features"] = std::move(features);
  nlohmann::ordered_json cents = nlohmann::ordered_json::array();
  for (Eigen::Index r = 0; r < m.centroids.rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index c = 0; c < m.centroids.cols(); ++c) row.push_back(m.centroids(r, c));
    cents.push_back(std::move(row));
  }
  j["centroids"] = std::move(cents);
  j["cluster_names"] = m.cluster_names;
  j["inertia"] = m.inertia;
  j["training_rows"] = m.training_rows;
  j["seed"] = m.seed;
  return j.dump(2) + "\n";
}

segment_model segment_model_from_json(std::string_view text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    bad(source, "json", "", std::string("not valid JSON: ") + e.what());
  }
  try {
    if (!j.is_object() || j.value("kind", std::string{}) != model_kind)
      bad(source, "kind", j.is_object() ? j.value("kind", std::string{}) : "",
          std::string("not a segment model (expected \"") + model_kind + "\")");
    const int version = j.at("format_version").get<int>();
    if (version < 1 || version > segment_model_format_version)
      bad(source, "format_version", std::to_string(version),
          "this patron reads versions 1.." + std::to_string(segment_model_format_version));
    std::vector<std::string> names;
    std::vector<bool> log1p;
    std::vector<double> center, scale;
    for (const auto& f : j.at("features")) {
      names.push_back(f.at("name").get<std::string>());
      log1p.push_back(f.at("log1p").get<bool>());
      center.push_back(f.at("center").get<double>());
      scale.push_back(f.at("scale").get<double>());
    }
    if (names.empty()) bad(source, "features", "[]", "no features");
    segment_model m;
    try {
      m.transform = feature_transform(
          names, log1p, parse_scaling(j.at("scaling").get<std::string>()), center, scale);
    } catch (const invalid_argument_error& e) {
      bad(source, "features", "", e.what());
    }
    const auto& cents = j.at("centroids");
    if (!cents.is_array() || cents.empty())
      bad(source, "centroids", "", "need at least one centroid");
    m.centroids.resize(static_cast<Eigen::Index>(cents.size()),
                       static_cast<Eigen::Index>(names.size()));
    for (std::size_t r = 0; r < cents.size(); ++r) {
      if (!cents[r].is_array() || cents[r].size() != names.size())
        bad(source, "centroids[" + std::to_string(r) + "]", cents[r].dump(),
            "need " + std::to_string(names.size()) + " numbers");
      for (std::size_t c = 0; c < names.size(); ++c) {
        const double v = cents[r][c].get<double>();
        if (!std::isfinite(v)) bad(source, "centroids", cents[r].dump(), "not finite");
        m.centroids(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = v;
      }
    }
    if (j.contains("cluster_names"))
      m.cluster_names = j.at("cluster_names").get<std::vector<std::string>>();
    if (!m.cluster_names.empty() && m.cluster_names.size() != cents.size())
      bad(source, "cluster_names", std::to_string(m.cluster_names.size()),
          "need one name per centroid (" + std::to_string(cents.size()) + ")");
    m.inertia = j.value("inertia", 0.0);
    m.training_rows = j.value("training_rows", std::uint64_t{0});
    m.seed = j.value("seed", std::uint64_t{0});
    return m;
  } catch (const nlohmann::json::exception& e) {
    bad(source, "json", "", std::string("missing or mistyped field: ") + e.what());
  }
}

void save_segment_model(const segment_model& model, const std::string& path) {
  const std::string text = to_json(model);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw data_error(errc::io_error, path, 0, 0, "", "",
                     std::string("cannot open for writing: ") + std::strerror(errno));
  out << text;
  out.flush();
  if (!out) throw data_error(errc::io_error, path, 0, 0, "", "", "write failed");
}

segment_model load_segment_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw data_error(errc::io_error, path, 0, 0, "", "",
                     std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return segment_model_from_json(ss.str(), path);
}

void predict(const segment_model& model, const Eigen::Ref<const row_matrix>& raw,
             std::span<std::int32_t> labels, std::span<double> distances,
             std::span<const std::string> ids) {
  if (static_cast<std::size_t>(raw.cols()) != model.transform.size())
    throw invalid_argument_error(
        "predict", "columns", std::to_string(raw.cols()),
        "the model has " + std::to_string(model.transform.size()) + " features");
  const row_matrix scaled = model.transform.apply(raw, ids, "predict");
  (void)assign(scaled, model.centroids, labels, distances);
}

}  // namespace patron::inline v1::segment
