// SPDX-License-Identifier: MIT
// Model files: versioned JSON with a checksum over the parameters (models/model_io.hpp).
#include "patron/models/model_io.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "patron/error.hpp"
#include "patron/version.hpp"

namespace patron::inline v1 {
namespace {

using json = nlohmann::json;

std::string shortest(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// FNV-1a 64 over "name|p1|p2|...|unit_days" with shortest round-trip doubles: detects edits or
// corruption of the parameters (not a security feature).
std::string checksum(const std::string& name, const std::vector<double>& params, double unit_days) {
  std::string text = name;
  for (double p : params) {
    text.push_back('|');
    text.append(shortest(p));
  }
  text.push_back('|');
  text.append(shortest(unit_days));
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

struct model_parts {
  std::string name;
  std::vector<std::string> names;
  std::vector<double> values;
  time_unit unit;
};

model_parts parts_of(const any_model& m) {
  return std::visit(
      [](const auto& model) {
        return model_parts{model.model_name, model.param_names(), model.param_vector(), model.unit()};
      },
      m);
}

[[noreturn]] void bad(const std::string& source, const std::string& field, const std::string& value,
                      const std::string& problem) {
  throw data_error(errc::bad_model, source, 0, 0, field, value, problem);
}

std::string parts_to_json(const model_parts& p, const model_file_info& info) {
  // Written by hand (not json::dump) so doubles keep the shortest round-trip form.
  std::ostringstream o;
  o << "{\n  \"format\": \"patron-model\",\n  \"format_version\": 1,\n  \"model\": \"" << p.name << "\",\n";
  o << "  \"params\": {";
  for (std::size_t i = 0; i < p.names.size(); ++i)
    o << (i ? ", " : "") << '"' << p.names[i] << "\": " << shortest(p.values[i]);
  o << "},\n  \"std_errors\": {";
  for (std::size_t i = 0; i < p.names.size() && i < info.std_errors.size(); ++i)
    o << (i ? ", " : "") << '"' << p.names[i] << "\": "
      << (std::isfinite(info.std_errors[i]) ? shortest(info.std_errors[i]) : std::string("null"));
  o << "},\n  \"log_likelihood\": " << shortest(info.log_likelihood) << ",\n";
  o << "  \"status\": \"" << info.status << "\",\n  \"iterations\": " << info.iterations << ",\n";
  o << "  \"n_customers\": " << info.n_customers << ",\n  \"n_excluded\": " << info.n_excluded << ",\n";
  o << "  \"time_unit\": \"" << p.unit.name() << "\",\n  \"time_unit_days\": " << shortest(p.unit.days) << ",\n";
  o << "  \"library_version\": \"" << PATRON_VERSION_STRING << "\",\n";
  o << "  \"checksum\": \"" << checksum(p.name, p.values, p.unit.days) << "\"\n}\n";
  return o.str();
}

// Parses and checks a model file whose model name is one of `known` (name → parameter names).
// Returns the name, the parameters in order and the time unit; fills `info`.
struct parsed_file {
  std::string name;
  std::vector<double> v;
  time_unit unit;
};

parsed_file parse_file(const std::string& text, const std::string& source, model_file_info* info,
                       const std::vector<std::pair<std::string, std::vector<std::string>>>& known,
                       const char* known_text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    bad(source, "json", "", std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != "patron-model")
    bad(source, "format", j.is_object() ? j.value("format", std::string()) : "", "not a patron model file");
  if (!j.contains("format_version") || !j["format_version"].is_number_integer() || j["format_version"].get<int>() != 1)
    bad(source, "format_version", j.contains("format_version") ? j["format_version"].dump() : "", "unsupported (this library reads 1)");
  const std::string name = j.value("model", std::string());
  std::vector<std::string> names;
  bool found = false;
  for (const auto& [k, ns] : known)
    if (k == name) {
      names = ns;
      found = true;
    }
  if (!found) bad(source, "model", name, std::string("unknown model (") + known_text + ")");
  if (!j.contains("params") || !j["params"].is_object()) bad(source, "params", "", "missing");
  std::vector<double> v;
  for (const auto& n : names) {
    const auto& ps = j["params"];
    if (!ps.contains(n) || !ps[n].is_number()) bad(source, "params." + n, "", "missing or not a number");
    const double x = ps[n].get<double>();
    if (!(x > 0) || !std::isfinite(x)) bad(source, "params." + n, shortest(x), "must be finite and > 0");
    v.push_back(x);
  }
  time_unit unit = time_unit::week();
  if (j.contains("time_unit_days") && j["time_unit_days"].is_number()) unit.days = j["time_unit_days"].get<double>();
  if (!(unit.days > 0) || !std::isfinite(unit.days)) bad(source, "time_unit_days", shortest(unit.days), "must be > 0");
  const std::string sum = j.value("checksum", std::string());
  if (sum != checksum(name, v, unit.days))
    bad(source, "checksum", sum, "does not match the parameters (file edited or corrupted)");
  if (info) {
    info->status = j.value("status", std::string("converged"));
    info->log_likelihood = j.value("log_likelihood", 0.0);
    info->iterations = j.value("iterations", 0);
    info->n_customers = j.value("n_customers", std::size_t{0});
    info->n_excluded = j.value("n_excluded", std::size_t{0});
    info->std_errors.clear();
    if (j.contains("std_errors") && j["std_errors"].is_object())
      for (const auto& n : names) {
        const auto& se = j["std_errors"];
        info->std_errors.push_back(se.contains(n) && se[n].is_number() ? se[n].get<double>() : HUGE_VAL);
      }
  }
  return {name, v, unit};
}

}  // namespace

std::string model_to_json(const any_model& model, const model_file_info& info) {
  return parts_to_json(parts_of(model), info);
}

std::string model_to_json(const discrete_model& model, const model_file_info& info) {
  return parts_to_json(std::visit([](const auto& m) {
                         return model_parts{m.model_name, m.param_names(), m.param_vector(), m.unit()};
                       }, model),
                       info);
}

any_model model_from_json(const std::string& text, const std::string& source, model_file_info* info) {
  const auto [name, v, unit] = parse_file(text, source, info,
                                          {{"bgnbd", bgnbd::param_names()}, {"mbgnbd", bgnbd::param_names()},
                                           {"pnbd", pnbd::param_names()}, {"gg", gamma_gamma::param_names()}},
                                          "bgnbd, mbgnbd, pnbd, gg");
  if (name == "bgnbd") return bgnbd({v[0], v[1], v[2], v[3]}, unit);
  if (name == "mbgnbd") return mbgnbd({v[0], v[1], v[2], v[3]}, unit);
  if (name == "pnbd") return pnbd({v[0], v[1], v[2], v[3]}, unit);
  return gamma_gamma({v[0], v[1], v[2]});
}

void save_model(const std::string& path, const any_model& model, const model_file_info& info) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open for writing");
  f << model_to_json(model, info);
  f.flush();
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "write failed");
}

any_model load_model(const std::string& path, model_file_info* info) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  return model_from_json(ss.str(), path, info);
}

discrete_model discrete_model_from_json(const std::string& text, const std::string& source, model_file_info* info) {
  const auto [name, v, unit] = parse_file(text, source, info,
                                          {{"bgbb", bgbb::param_names()}, {"sbg", sbg::param_names()}}, "bgbb, sbg");
  if (name == "bgbb") return bgbb({v[0], v[1], v[2], v[3]}, unit);
  return sbg({v[0], v[1]}, unit);
}

void save_model(const std::string& path, const discrete_model& model, const model_file_info& info) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open for writing");
  f << model_to_json(model, info);
  f.flush();
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "write failed");
}

discrete_model load_discrete_model(const std::string& path, model_file_info* info) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw data_error(errc::io_error, path, 0, 0, "", "", "cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  return discrete_model_from_json(ss.str(), path, info);
}

}  // namespace patron::inline v1
