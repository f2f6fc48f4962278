// SPDX-License-Identifier: MIT
// Fitted models to and from versioned JSON files (what `patron fit` writes and `patron score` reads).
#ifndef PATRON_MODELS_MODEL_IO_HPP
#define PATRON_MODELS_MODEL_IO_HPP

#include <string>
#include <variant>
#include <vector>

#include "patron/models/bgbb.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/fit_result.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/mbgnbd.hpp"
#include "patron/models/pnbd.hpp"
#include "patron/models/sbg.hpp"

namespace patron::inline v1 {

/// Any fitted model.
using any_model = std::variant<bgnbd, mbgnbd, pnbd, gamma_gamma>;

/// What a model file holds besides the parameters.
struct model_file_info {
  std::string status = "converged";      ///< fit_status name
  std::vector<double> std_errors;        ///< in parameter order (may be empty)
  double log_likelihood = 0;
  int iterations = 0;
  std::size_t n_customers = 0;
  std::size_t n_excluded = 0;            ///< Gamma-Gamma: customers left out (x = 0 or spend ≤ 0)
};

/// The JSON text of a model file (format_version 1):
/// {"format":"patron-model","format_version":1,"model":"bgnbd","params":{"r":..,...},
///  "std_errors":{...},"log_likelihood":..,"status":"converged","iterations":..,
///  "n_customers":..,"time_unit":"week","time_unit_days":7,"library_version":"x.y.z",
///  "checksum":"<FNV-1a 64 of the canonical params text>"}. Doubles at full precision.
[[nodiscard]] std::string model_to_json(const any_model& model, const model_file_info& info = {});

/// Builds the info from a fit result.
template <class M>
[[nodiscard]] model_file_info info_of(const fit_result<M>& r) {
  return {to_string(r.status), r.std_errors, r.log_likelihood, r.iterations, r.n_customers,
          r.n_excluded_no_repeat + r.n_excluded_nonpositive_spend};
}

/// Parses a model file's text; throws data_error(errc::bad_model) naming `source` and the field
/// for unknown models/versions, missing or non-positive parameters, or a checksum mismatch.
[[nodiscard]] any_model model_from_json(const std::string& text, const std::string& source = "<model>",
                                        model_file_info* info = nullptr);

/// File versions; throw data_error(errc::io_error) when the file cannot be written/read.
void save_model(const std::string& path, const any_model& model, const model_file_info& info = {});
[[nodiscard]] any_model load_model(const std::string& path, model_file_info* info = nullptr);

/// The discrete-time and contractual models (BG/BB, sBG): the same file format ("model": "bgbb"
/// or "sbg"; time_unit = one opportunity or period), kept in their own variant because they
/// score other inputs (opportunities, survivor curves) than any_model's continuous-time models.
using discrete_model = std::variant<bgbb, sbg>;
[[nodiscard]] std::string model_to_json(const discrete_model& model, const model_file_info& info = {});
/// Parses a bgbb or sbg model file; the same checks and errors as model_from_json.
[[nodiscard]] discrete_model discrete_model_from_json(const std::string& text, const std::string& source = "<model>",
                                                      model_file_info* info = nullptr);
void save_model(const std::string& path, const discrete_model& model, const model_file_info& info = {});
[[nodiscard]] discrete_model load_discrete_model(const std::string& path, model_file_info* info = nullptr);

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_MODEL_IO_HPP
