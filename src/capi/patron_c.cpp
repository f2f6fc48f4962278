// SPDX-License-Identifier: MIT
// The C ABI (include/patron/c/patron.h) over the C++ library: handles, status codes, exception barrier.
#define PATRON_C_BUILDING 1
#include "patron/c/patron.h"

#include <algorithm>
#include <bit>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/summary_io.hpp"
#include "patron/error.hpp"
#include "../lib/summary_check.hpp"
#include "patron/lifecycle/builtin.hpp"
#include "patron/lifecycle/features.hpp"
#include "patron/lifecycle/state_machine.hpp"
#include "patron/lifecycle/table_io.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/mbgnbd.hpp"
#include "patron/models/model_io.hpp"
#include "patron/models/pnbd.hpp"
#include "patron/recommend/interactions.hpp"
#include "patron/recommend/item_knn.hpp"
#include "patron/rfm/binning.hpp"
#include "patron/rfm/io.hpp"
#include "patron/rfm/metrics.hpp"
#include "patron/rfm/segments.hpp"
#include "patron/segment/model.hpp"
#include "patron/value/discount.hpp"
#include "patron/version.hpp"

// Status codes are the C++ error codes: pinned here so neither side can drift.
#define PATRON_PIN(c, e) static_assert(c == static_cast<std::int32_t>(patron::errc::e), #c " must equal errc::" #e)
PATRON_PIN(PATRON_OK, ok);
PATRON_PIN(PATRON_INVALID_ARGUMENT, invalid_argument);
PATRON_PIN(PATRON_IO_ERROR, io_error);
PATRON_PIN(PATRON_EMPTY_INPUT, empty_input);
PATRON_PIN(PATRON_MISSING_COLUMN, missing_column);
PATRON_PIN(PATRON_RAGGED_ROW, ragged_row);
PATRON_PIN(PATRON_BAD_NUMBER, bad_number);
PATRON_PIN(PATRON_BAD_DATE, bad_date);
PATRON_PIN(PATRON_MISSING_VALUE, missing_value);
PATRON_PIN(PATRON_OUT_OF_RANGE, out_of_range);
PATRON_PIN(PATRON_BAD_ENCODING, bad_encoding);
PATRON_PIN(PATRON_LINE_TOO_LONG, line_too_long);
PATRON_PIN(PATRON_RETURN_ROW, return_row);
PATRON_PIN(PATRON_NUMERIC_ERROR, numeric_error);
PATRON_PIN(PATRON_BAD_MODEL, bad_model);
PATRON_PIN(PATRON_BAD_RULE, bad_rule);
PATRON_PIN(PATRON_INTERNAL, internal);
PATRON_PIN(PATRON_OUT_OF_MEMORY, out_of_memory);
#undef PATRON_PIN
static_assert(PATRON_FIT_CONVERGED == static_cast<int>(patron::fit_status::converged));
static_assert(PATRON_FIT_MAX_ITERATIONS == static_cast<int>(patron::fit_status::max_iterations));
static_assert(PATRON_FIT_LINE_SEARCH_FAILED == static_cast<int>(patron::fit_status::line_search_failed));
static_assert(PATRON_FIT_BOUNDARY == static_cast<int>(patron::fit_status::boundary));

// Handles: a kind tag first, so a handle of one kind passed as another (through a cast in C, or a
// wrong object in a binding) is reported instead of misread.
struct patron_transaction_log {
  static constexpr std::uint32_t kind = 0x50544c47;  // "PTLG"
  std::uint32_t tag = kind;
  patron::transaction_log log;
};
struct patron_summary {
  static constexpr std::uint32_t kind = 0x5053554d;  // "PSUM"
  std::uint32_t tag = kind;
  patron::customer_summary summary;
};
struct patron_bgnbd {
  static constexpr std::uint32_t kind = 0x5042474e;  // "PBGN"
  static constexpr const char* noun = "bgnbd";
  using model_type = patron::bgnbd;
  std::uint32_t tag = kind;
  model_type model;
};
struct patron_mbgnbd {
  static constexpr std::uint32_t kind = 0x504d4247;  // "PMBG"
  static constexpr const char* noun = "mbgnbd";
  using model_type = patron::mbgnbd;
  std::uint32_t tag = kind;
  model_type model;
};
struct patron_pnbd {
  static constexpr std::uint32_t kind = 0x50504e42;  // "PPNB"
  static constexpr const char* noun = "pnbd";
  using model_type = patron::pnbd;
  std::uint32_t tag = kind;
  model_type model;
};
struct patron_gamma_gamma {
  static constexpr std::uint32_t kind = 0x50474747;  // "PGGG"
  static constexpr const char* noun = "gamma_gamma";
  using model_type = patron::gamma_gamma;
  std::uint32_t tag = kind;
  model_type model;
};

struct patron_rfm_thresholds {
  static constexpr std::uint32_t kind = 0x50524654;  // "PRFT"
  std::uint32_t tag = kind;
  patron::rfm::thresholds thresholds;
};
struct patron_rfm_segments {
  static constexpr std::uint32_t kind = 0x50524653;  // "PRFS"
  std::uint32_t tag = kind;
  std::optional<patron::rfm::segmenter> segmenter;
};

struct patron_kmeans {
  static constexpr std::uint32_t kind = 0x504b4d53;  // "PKMS"
  std::uint32_t tag = kind;
  patron::segment::segment_model model;
};

struct patron_recommender {
  static constexpr std::uint32_t kind = 0x50524543;  // "PREC"
  std::uint32_t tag = kind;
  patron::recommend::interactions history;
  std::optional<patron::recommend::item_knn> knn;
};

struct patron_lifecycle {
  static constexpr std::uint32_t kind = 0x504c4946;  // "PLIF"
  std::uint32_t tag = kind;
  std::optional<patron::lifecycle::state_machine> machine;
};

namespace {

using patron::errc;
using patron::invalid_argument_error;

// ---- the calling thread's last message --------------------------------------------------------
constexpr const char* kOutOfMemoryText = "[patron.out_of_memory] patron: allocation failed";

struct last_error_slot {
  std::string text;
  const char* fixed = nullptr;  // used when the text itself could not be stored
};
thread_local last_error_slot g_last_error;

void set_error(std::string_view message) noexcept {
  try {
    g_last_error.text.assign(message);
    g_last_error.fixed = nullptr;
  } catch (...) {
    g_last_error.fixed = kOutOfMemoryText;
  }
}

patron_status fail(patron_status code, std::string_view message) noexcept {
  set_error(message);
  return code;
}

// The exception barrier: every entry point is one call of this.
template <class F>
patron_status guard(const char* where, F&& body) noexcept {
  try {
    body();
    g_last_error.text.clear();
    g_last_error.fixed = nullptr;
    return PATRON_OK;
  } catch (const patron::error& e) {
    return fail(static_cast<patron_status>(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    g_last_error.fixed = kOutOfMemoryText;
    return PATRON_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    try {
      return fail(PATRON_INTERNAL, std::string("[patron.internal] ") + where + ": " + e.what());
    } catch (...) {
      g_last_error.fixed = kOutOfMemoryText;
      return PATRON_OUT_OF_MEMORY;
    }
  } catch (...) {
    try {
      return fail(PATRON_INTERNAL, std::string("[patron.internal] ") + where + ": unknown exception");
    } catch (...) {
      g_last_error.fixed = kOutOfMemoryText;
      return PATRON_OUT_OF_MEMORY;
    }
  }
}

// ---- argument checks ----------------------------------------------------------------------------
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

template <class H>
const H& handle(const H* h, const char* where, const char* name) {
  if (h == nullptr) throw invalid_argument_error(where, name, "NULL", "must be a handle");
  std::uint32_t tag = 0;
  std::memcpy(&tag, static_cast<const void*>(h), sizeof tag);
  if (tag != H::kind)
    throw invalid_argument_error(where, name, "?",
                                 "is not a live handle of this kind (wrong handle kind, or freed)");
  return *h;
}

template <class T>
void need(const T* p, const char* where, const char* name) {
  if (p == nullptr) throw invalid_argument_error(where, name, "NULL", "must not be NULL");
}

// An input array: NULL only with n = 0.
std::span<const double> array_in(const double* p, std::size_t n, const char* where, const char* name) {
  if (p == nullptr && n != 0)
    throw invalid_argument_error(where, name, "NULL", "must point to n = " + std::to_string(n) + " values");
  return {p, n};
}
std::span<double> array_out(double* p, std::size_t n, const char* where, const char* name) {
  if (p == nullptr && n != 0)
    throw invalid_argument_error(where, name, "NULL", "must point to n = " + std::to_string(n) + " values");
  return {p, n};
}

patron::time_unit unit_of(double days, const char* where) {
  if (!(days > 0) || !std::isfinite(days))
    throw invalid_argument_error(where, "unit_days", num(days), "must be finite and > 0");
  return patron::time_unit{days};
}

const char* text_in(const char* s, const char* where, const char* name) {
  if (s == nullptr) throw invalid_argument_error(where, name, "NULL", "must be a NUL-terminated string");
  return s;
}

// Versioned structs: the caller's struct_size says which fields it has. Smaller than the first
// release's struct is uninitialised memory; larger than ours is a caller built against a newer
// header whose extra fields we would silently ignore: both are rejected.
template <class S>
void check_struct(const S* s, std::size_t first_release_size, const char* where, const char* name) {
  if (s->struct_size < first_release_size || s->struct_size > sizeof(S))
    throw invalid_argument_error(where, std::string(name) + "->struct_size", std::to_string(s->struct_size),
                                 "must be set by the matching _init function (this library knows " +
                                     std::to_string(sizeof(S)) + " bytes)");
}

// Copies the caller's fields over our defaults.
template <class S>
S struct_in(const S* s, const S& defaults, const char* where, const char* name) {
  S out = defaults;
  if (s == nullptr) return out;
  check_struct(s, sizeof(S), where, name);
  std::memcpy(static_cast<void*>(&out), static_cast<const void*>(s), std::min(s->struct_size, sizeof(S)));
  out.struct_size = sizeof(S);
  return out;
}

patron_read_options default_read_options() {
  patron_read_options o{};
  o.struct_size = sizeof o;
  return o;
}
patron_summary_options default_summary_options() {
  patron_summary_options o{};
  o.struct_size = sizeof o;
  o.unit_days = 7.0;
  return o;
}
patron_fit_options default_fit_options() {
  const patron::fit_options cpp;
  patron_fit_options o{};
  o.struct_size = sizeof o;
  o.penalty = cpp.penalty;
  o.max_iterations = cpp.max_iterations;
  o.tolerance = cpp.tolerance;
  return o;
}

patron::fit_options fit_options_in(const patron_fit_options* options, const char* where) {
  const patron_fit_options o = struct_in(options, default_fit_options(), where, "options");
  patron::fit_options f;
  f.penalty = o.penalty;
  f.max_iterations = o.max_iterations;
  f.tolerance = o.tolerance;
  const auto start = array_in(o.start, o.n_start, where, "options->start");
  f.start.assign(start.begin(), start.end());
  f.validate();
  return f;
}

// Checked before fitting, so a bad report struct fails fast.
void check_report(const patron_fit_report* report, const char* where) {
  if (report != nullptr) check_struct(report, sizeof(patron_fit_report), where, "report");
}

template <class Model>
void report_out(const patron::fit_result<Model>& r, patron_fit_report* report) {
  if (report == nullptr) return;
  patron_fit_report full{};
  full.struct_size = report->struct_size;
  full.status = static_cast<std::int32_t>(r.status);
  full.iterations = r.iterations;
  full.log_likelihood = r.log_likelihood;
  full.gradient_norm = r.gradient_norm;
  const auto params = r.model.param_vector();
  full.n_params = params.size();
  for (std::size_t i = 0; i < params.size() && i < 4; ++i) {
    full.params[i] = params[i];
    full.std_errors[i] = i < r.std_errors.size() ? r.std_errors[i] : HUGE_VAL;
  }
  full.n_customers = r.n_customers;
  full.n_used = r.n_used;
  full.n_excluded = r.n_excluded_no_repeat + r.n_excluded_nonpositive_spend;
  std::memcpy(static_cast<void*>(report), static_cast<const void*>(&full), report->struct_size);
}

bool rows_surely_valid(const double* x, const double* t_x, const double* T, const double* m, std::size_t n) noexcept {
  constexpr double big = std::numeric_limits<double>::max();
  unsigned ok = 1;
  for (std::size_t i = 0; i < n; ++i) ok &= static_cast<unsigned>(patron::detail::row_surely_valid(x[i], t_x[i], T[i]));
  if (m != nullptr)
    for (std::size_t i = 0; i < n; ++i) ok &= static_cast<unsigned>(std::abs(m[i]) <= big);
  return ok != 0;
}

// A checked view of n customers: pointers, then every row (x whole >= 0, 0 <= t_x <= T, finite).
patron::customer_summary_view customers_in(const double* x, const double* t_x, const double* T,
                                           const double* monetary, std::size_t n, const char* where) {
  patron::customer_summary_view v(array_in(x, n, where, "x"), array_in(t_x, n, where, "t_x"),
                                  array_in(T, n, where, "T"),
                                  monetary ? std::span<const double>(monetary, n) : std::span<const double>{});
  if (n != 0 && !rows_surely_valid(x, t_x, T, monetary, n)) patron::validate_summary(v, where);
  return v;
}

template <class H, class F>
patron_status make_handle(H** out, const char* where, F&& make) {
  return guard(where, [&] {
    need(out, where, "out");
    auto h = std::make_unique<H>();
    make(*h);
    *out = h.release();
  });
}

template <class H>
void free_handle(H* h) noexcept {
  if (h == nullptr) return;
  std::uint32_t tag = 0;
  std::memcpy(&tag, static_cast<const void*>(h), sizeof tag);
  if (tag != H::kind) return;  // not ours (or freed twice): leaking beats corrupting the heap
  h->tag = 0;
  delete h;
}

// ---- the model functions, one template per operation ---------------------------------------------
template <class H>
std::string where_of(const char* verb) {
  return std::string("patron_") + H::noun + "_" + verb;
}

template <class H>
typename H::model_type model_from_params(const double* params, std::size_t n_params, double unit_days,
                                         const char* where) {
  using M = typename H::model_type;
  const auto p = array_in(params, n_params, where, "params");
  if constexpr (std::is_same_v<M, patron::gamma_gamma>) {
    if (p.size() != 3) throw invalid_argument_error(where, "n_params", std::to_string(n_params), "must be 3 (p, q, gamma)");
    (void)unit_days;
    return M(patron::gamma_gamma_params{p[0], p[1], p[2]});
  } else if constexpr (std::is_same_v<M, patron::pnbd>) {
    if (p.size() != 4) throw invalid_argument_error(where, "n_params", std::to_string(n_params), "must be 4 (r, alpha, s, beta)");
    return M(patron::pnbd_params{p[0], p[1], p[2], p[3]}, unit_of(unit_days, where));
  } else {
    if (p.size() != 4) throw invalid_argument_error(where, "n_params", std::to_string(n_params), "must be 4 (r, alpha, a, b)");
    return M(patron::bgnbd_params{p[0], p[1], p[2], p[3]}, unit_of(unit_days, where));
  }
}

template <class H>
patron_status model_new(const double* params, std::size_t n_params, double unit_days, H** out) {
  const std::string where = where_of<H>("new");
  return make_handle(out, where.c_str(),
                     [&](H& h) { h.model = model_from_params<H>(params, n_params, unit_days, where.c_str()); });
}

template <class H>
patron_status model_fit(const double* x, const double* t_x, const double* T, std::size_t n, double unit_days,
                        const patron_fit_options* options, H** out, patron_fit_report* report) {
  const std::string where = where_of<H>("fit");
  const char* w = where.c_str();
  return make_handle(out, w, [&](H& h) {
    check_report(report, w);
    const auto opts = fit_options_in(options, w);
    const auto unit = unit_of(unit_days, w);
    const auto v = customers_in(x, t_x, T, nullptr, n, w);
    const auto r = H::model_type::fit(v, opts, unit);
    report_out(r, report);
    h.model = r.model;
  });
}

template <class H>
patron_status model_params(const H* model, double* params, std::size_t n_params, double* unit_days) {
  const std::string where = where_of<H>("params");
  const char* w = where.c_str();
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    const auto v = m.param_vector();
    if (n_params < v.size())
      throw invalid_argument_error(w, "n_params", std::to_string(n_params),
                                   "must be >= " + std::to_string(v.size()));
    need(params, w, "params");
    std::copy(v.begin(), v.end(), params);
    if (unit_days != nullptr) *unit_days = m.unit().days;
  });
}

template <class H>
patron_status model_save(const H* model, const char* path) {
  const std::string where = where_of<H>("save");
  const char* w = where.c_str();
  return guard(w, [&] { patron::save_model(text_in(path, w, "path"), handle(model, w, "model").model); });
}

template <class H>
typename H::model_type model_of(const patron::any_model& any, const std::string& source) {
  using M = typename H::model_type;
  if (const M* m = std::get_if<M>(&any)) return *m;
  const char* held = std::visit([](const auto& m) { return std::decay_t<decltype(m)>::model_name; }, any);
  throw patron::data_error(errc::bad_model, source, 0, 0, "model", held,
                           std::string("holds a different model than ") + M::model_name + "; load it with patron_" +
                               (std::string_view(held) == "gg" ? "gamma_gamma" : held) + "_load");
}

template <class H>
patron_status model_load(const char* path, H** out) {
  const std::string where = where_of<H>("load");
  const char* w = where.c_str();
  return make_handle(out, w, [&](H& h) {
    const std::string p = text_in(path, w, "path");
    h.model = model_of<H>(patron::load_model(p), p);
  });
}

template <class H>
patron_status model_to_json(const H* model, char* buf, std::size_t size, std::size_t* needed) {
  const std::string where = where_of<H>("to_json");
  const char* w = where.c_str();
  return guard(w, [&] {
    const std::string text = patron::model_to_json(handle(model, w, "model").model);
    if (needed != nullptr) *needed = text.size() + 1;
    if (buf == nullptr && size == 0 && needed != nullptr) return;  // size query
    if (buf == nullptr) throw invalid_argument_error(w, "buf", "NULL", "must not be NULL (or pass size 0 and needed to query)");
    if (size < text.size() + 1)
      throw invalid_argument_error(w, "size", std::to_string(size),
                                   "too small: the text needs " + std::to_string(text.size() + 1) + " bytes");
    std::memcpy(buf, text.c_str(), text.size() + 1);
  });
}

template <class H>
patron_status model_from_json(const char* text, H** out) {
  const std::string where = where_of<H>("from_json");
  const char* w = where.c_str();
  return make_handle(out, w, [&](H& h) {
    h.model = model_of<H>(patron::model_from_json(text_in(text, w, "text"), "<json>"), "<json>");
  });
}

// BG/NBD P(alive): the C++ batch member checks every row inside its scoring loop (a separate
// pass would re-read the inputs). On a bad row it throws naming the C++ member; the error is
// raised again here with the C function's name, which validate_summary gives the same row.
template <bool Modified>
void p_alive_checked(const patron::basic_bgnbd<Modified>& m, const double* x, const double* t_x, const double* T,
                     std::size_t n, double* out, const char* where) {
  const patron::customer_summary_view v({x, n}, {t_x, n}, {T, n});
  try {
    m.p_alive(v, {out, n});
  } catch (const patron::data_error&) {
    patron::validate_summary(v, where);
    throw;
  }
}

// Pareto/NBD P(alive) (a 2F1 series per customer) dwarfs a checking pass.
void p_alive_checked(const patron::pnbd& m, const double* x, const double* t_x, const double* T, std::size_t n,
                     double* out, const char* where) {
  m.p_alive(customers_in(x, t_x, T, nullptr, n, where), {out, n});
}

template <class H>
patron_status model_p_alive(const H* model, const double* x, const double* t_x, const double* T, std::size_t n,
                            double* out) {
  const char* w = H::kind == patron_bgnbd::kind    ? "patron_bgnbd_p_alive"
                  : H::kind == patron_mbgnbd::kind ? "patron_mbgnbd_p_alive"
                                                   : "patron_pnbd_p_alive";
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    (void)array_out(out, n, w, "out");
    (void)array_in(x, n, w, "x");
    (void)array_in(t_x, n, w, "t_x");
    (void)array_in(T, n, w, "T");
    if (n != 0) p_alive_checked(m, x, t_x, T, n, out, w);
  });
}

template <class H>
patron_status model_expected(const H* model, double t, const double* x, const double* t_x, const double* T,
                             std::size_t n, double* out) {
  const std::string where = where_of<H>("expected_purchases");
  const char* w = where.c_str();
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    const auto o = array_out(out, n, w, "out");
    if (!(t >= 0) || !std::isfinite(t)) throw invalid_argument_error(w, "t", num(t), "must be finite and >= 0");
    m.expected_purchases(t, customers_in(x, t_x, T, nullptr, n, w), o);
  });
}

template <class H>
patron_status model_dert(const H* model, double delta, const double* x, const double* t_x, const double* T,
                         std::size_t n, double* out) {
  const std::string where = where_of<H>("dert");
  const char* w = where.c_str();
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    const auto o = array_out(out, n, w, "out");
    if (!(delta > 0) || !std::isfinite(delta))
      throw invalid_argument_error(w, "delta", num(delta), "continuous discount rate per model unit must be finite and > 0");
    m.dert(delta, customers_in(x, t_x, T, nullptr, n, w), o);
  });
}

template <class H>
patron_status model_clv(const H* model, const patron_gamma_gamma* spend, double annual_rate, double margin,
                        const double* x, const double* t_x, const double* T, const double* monetary, std::size_t n,
                        double* out) {
  const std::string where = where_of<H>("clv");
  const char* w = where.c_str();
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    const auto& g = handle(spend, w, "spend").model;
    const auto o = array_out(out, n, w, "out");
    if (!(annual_rate > 0) || !std::isfinite(annual_rate))
      throw invalid_argument_error(w, "annual_rate", num(annual_rate), "must be finite and > 0 (0.1 = 10 % a year)");
    (void)array_in(monetary, n, w, "monetary");
    const auto v = customers_in(x, t_x, T, monetary, n, w);
    patron::clv(m, g, patron::discount_rate<double>::annual(annual_rate), v, o, margin);
  });
}

}  // namespace

// =================================================================================================
extern "C" {

int32_t patron_version(void) { return PATRON_VERSION; }
const char* patron_version_string(void) { return PATRON_VERSION_STRING; }

const char* patron_status_name(patron_status status) {
  if (status < 0 || status > PATRON_OUT_OF_MEMORY) return "unknown";
  return patron::errc_name(static_cast<errc>(status));
}

const char* patron_last_error(void) {
  return g_last_error.fixed != nullptr ? g_last_error.fixed : g_last_error.text.c_str();
}

// ---- transaction log ------------------------------------------------------------------------------
patron_status patron_read_options_init(patron_read_options* options) {
  return guard("patron_read_options_init", [&] {
    need(options, "patron_read_options_init", "options");
    *options = default_read_options();
  });
}

patron_status patron_transaction_log_from_arrays(const char* const* customer_ids, const int64_t* times,
                                                 const double* amounts, size_t n, patron_transaction_log** out) {
  const char* w = "patron_transaction_log_from_arrays";
  return make_handle(out, w, [&](patron_transaction_log& h) {
    if (n == 0) throw patron::data_error(errc::empty_input, w, 0, 0, "n", "0", "no rows");
    need(customer_ids, w, "customer_ids");
    need(times, w, "times");
    need(amounts, w, "amounts");
    h.log.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (customer_ids[i] == nullptr)
        throw patron::data_error(errc::missing_value, w, i + 1, 0, "customer_id", "NULL", "must be a string");
      if (customer_ids[i][0] == '\0')
        throw patron::data_error(errc::missing_value, w, i + 1, 0, "customer_id", "", "empty");
      if (!std::isfinite(amounts[i]))
        throw patron::data_error(errc::bad_number, w, i + 1, 0, "amount", num(amounts[i]), "not a finite number");
      h.log.add(customer_ids[i], times[i], amounts[i]);
    }
  });
}

patron_status patron_transaction_log_from_items(const char* const* customer_ids, const char* const* item_ids,
                                                const int64_t* times, const double* amounts, size_t n,
                                                patron_transaction_log** out) {
  const char* w = "patron_transaction_log_from_items";
  return make_handle(out, w, [&](patron_transaction_log& h) {
    if (n == 0) throw patron::data_error(errc::empty_input, w, 0, 0, "n", "0", "no rows");
    need(customer_ids, w, "customer_ids");
    need(item_ids, w, "item_ids");
    need(times, w, "times");
    need(amounts, w, "amounts");
    h.log.reserve(n);
    h.log.item.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (const auto& [text, field] : {std::pair{customer_ids[i], "customer_id"}, std::pair{item_ids[i], "item_id"}}) {
        if (text == nullptr) throw patron::data_error(errc::missing_value, w, i + 1, 0, field, "NULL", "must be a string");
        if (text[0] == '\0') throw patron::data_error(errc::missing_value, w, i + 1, 0, field, "", "empty");
      }
      if (!std::isfinite(amounts[i]))
        throw patron::data_error(errc::bad_number, w, i + 1, 0, "amount", num(amounts[i]), "not a finite number");
      h.log.add(customer_ids[i], times[i], amounts[i]);
      h.log.item.push_back(h.log.items.intern(item_ids[i]));
    }
  });
}

patron_status patron_transaction_log_read(const char* path, const patron_read_options* options,
                                          patron_transaction_log** out, uint64_t* rows_skipped) {
  const char* w = "patron_transaction_log_read";
  return make_handle(out, w, [&](patron_transaction_log& h) {
    const std::string p = text_in(path, w, "path");
    const patron_read_options o = struct_in(options, default_read_options(), w, "options");
    patron::read_options r;
    r.delimiter = o.delimiter;
    switch (o.header) {
      case 0: r.header = patron::header_mode::detect; break;
      case 1: r.header = patron::header_mode::yes; break;
      case 2: r.header = patron::header_mode::no; break;
      default: throw invalid_argument_error(w, "options->header", std::to_string(o.header), "must be 0, 1 or 2");
    }
    auto column = [](const char* name, std::int32_t position) {
      if (position > 0) return patron::column_ref::at(position);
      if (name != nullptr && name[0] != '\0') return patron::column_ref::named(name);
      return patron::column_ref{};
    };
    if (o.customer_position < 0 || o.date_position < 0 || o.amount_position < 0)
      throw invalid_argument_error(w, "options->*_position", "negative", "must be 0 (by name) or a 1-based column");
    r.customer = column(o.customer_column, o.customer_position);
    r.date = column(o.date_column, o.date_position);
    r.amount = column(o.amount_column, o.amount_position);
    if (o.item_position < 0)
      throw invalid_argument_error(w, "options->item_position", std::to_string(o.item_position),
                                   "must be 0 (by name) or a 1-based column");
    r.item = column(o.item_column, o.item_position);
    switch (o.returns) {
      case 0: r.returns = patron::returns_policy::drop; break;
      case 1: r.returns = patron::returns_policy::net; break;
      case 2: r.returns = patron::returns_policy::error; break;
      default: throw invalid_argument_error(w, "options->returns", std::to_string(o.returns), "must be 0, 1 or 2");
    }
    r.lenient = o.lenient != 0;
    r.validate();
    auto result = patron::read_transactions(p, r);
    h.log = std::move(result.log);
    if (rows_skipped != nullptr) *rows_skipped = result.report.rows_skipped();
  });
}

patron_status patron_transaction_log_size(const patron_transaction_log* log, size_t* out) {
  const char* w = "patron_transaction_log_size";
  return guard(w, [&] {
    const auto& h = handle(log, w, "log");
    need(out, w, "out");
    *out = h.log.size();
  });
}

void patron_transaction_log_free(patron_transaction_log* log) { free_handle(log); }

// ---- summaries ------------------------------------------------------------------------------------
patron_status patron_summary_options_init(patron_summary_options* options) {
  return guard("patron_summary_options_init", [&] {
    need(options, "patron_summary_options_init", "options");
    *options = default_summary_options();
  });
}

patron_status patron_summary_from_log(const patron_transaction_log* log, const patron_summary_options* options,
                                      patron_summary** out) {
  const char* w = "patron_summary_from_log";
  return make_handle(out, w, [&](patron_summary& h) {
    const auto& l = handle(log, w, "log");
    const patron_summary_options o = struct_in(options, default_summary_options(), w, "options");
    patron::summary_options s;
    s.unit = unit_of(o.unit_days, w);
    if (o.has_observation_end != 0) s.observation_end = patron::date{o.observation_end};
    h.summary = patron::summarize(l.log, s);
  });
}

patron_status patron_summary_read(const char* path, double unit_days, patron_summary** out) {
  const char* w = "patron_summary_read";
  return make_handle(out, w, [&](patron_summary& h) {
    const std::string p = text_in(path, w, "path");
    h.summary = patron::read_summary_csv(p, unit_of(unit_days, w)).summary;
  });
}

patron_status patron_summary_size(const patron_summary* summary, size_t* out) {
  const char* w = "patron_summary_size";
  return guard(w, [&] {
    const auto& h = handle(summary, w, "summary");
    need(out, w, "out");
    *out = h.summary.size();
  });
}

patron_status patron_summary_column(const patron_summary* summary, int32_t column, const double** data,
                                    size_t* n) {
  const char* w = "patron_summary_column";
  return guard(w, [&] {
    const auto& s = handle(summary, w, "summary").summary;
    need(data, w, "data");
    need(n, w, "n");
    const std::vector<double>* c = nullptr;
    const char* name = "";
    switch (column) {
      case PATRON_COLUMN_X: c = &s.x, name = "x"; break;
      case PATRON_COLUMN_T_X: c = &s.t_x, name = "t_x"; break;
      case PATRON_COLUMN_T: c = &s.T, name = "T"; break;
      case PATRON_COLUMN_MONETARY: c = &s.monetary, name = "monetary"; break;
      case PATRON_COLUMN_TOTAL: c = &s.total, name = "total"; break;
      default: throw invalid_argument_error(w, "column", std::to_string(column), "must be a PATRON_COLUMN_* value (0..4)");
    }
    if (c->size() != s.size())
      throw invalid_argument_error(errc::missing_column,
                                   patron::format_error(errc::missing_column, w, "column", name,
                                                        "not present in this summary"));
    *data = c->data();
    *n = c->size();
  });
}

patron_status patron_summary_id(const patron_summary* summary, size_t i, const char** id) {
  const char* w = "patron_summary_id";
  return guard(w, [&] {
    const auto& s = handle(summary, w, "summary").summary;
    need(id, w, "id");
    if (i >= s.id.size())
      throw invalid_argument_error(w, "i", std::to_string(i), "must be < " + std::to_string(s.id.size()));
    *id = s.id[i].c_str();
  });
}

void patron_summary_free(patron_summary* summary) { free_handle(summary); }

// ---- fitting ---------------------------------------------------------------------------------------
patron_status patron_fit_options_init(patron_fit_options* options) {
  return guard("patron_fit_options_init", [&] {
    need(options, "patron_fit_options_init", "options");
    *options = default_fit_options();
  });
}

patron_status patron_fit_report_init(patron_fit_report* report) {
  return guard("patron_fit_report_init", [&] {
    need(report, "patron_fit_report_init", "report");
    *report = patron_fit_report{};
    report->struct_size = sizeof *report;
  });
}

// ---- BG/NBD, MBG/NBD, Pareto/NBD ----------------------------------------------------------------
#define PATRON_PURCHASE_MODEL(H)                                                                        \
  patron_status H##_new(const double* params, size_t n_params, double unit_days, H** out) {             \
    return model_new<H>(params, n_params, unit_days, out);                                              \
  }                                                                                                     \
  patron_status H##_fit(const double* x, const double* t_x, const double* T, size_t n, double unit_days, \
                        const patron_fit_options* options, H** out, patron_fit_report* report) {        \
    return model_fit<H>(x, t_x, T, n, unit_days, options, out, report);                                 \
  }                                                                                                     \
  patron_status H##_params(const H* model, double* params, size_t n_params, double* unit_days) {        \
    return model_params<H>(model, params, n_params, unit_days);                                         \
  }                                                                                                     \
  patron_status H##_save(const H* model, const char* path) { return model_save<H>(model, path); }       \
  patron_status H##_load(const char* path, H** out) { return model_load<H>(path, out); }                \
  patron_status H##_to_json(const H* model, char* buf, size_t size, size_t* needed) {                   \
    return model_to_json<H>(model, buf, size, needed);                                                  \
  }                                                                                                     \
  patron_status H##_from_json(const char* text, H** out) { return model_from_json<H>(text, out); }      \
  patron_status H##_p_alive(const H* model, const double* x, const double* t_x, const double* T,        \
                            size_t n, double* out) {                                                    \
    return model_p_alive<H>(model, x, t_x, T, n, out);                                                  \
  }                                                                                                     \
  patron_status H##_expected_purchases(const H* model, double t, const double* x, const double* t_x,    \
                                       const double* T, size_t n, double* out) {                        \
    return model_expected<H>(model, t, x, t_x, T, n, out);                                              \
  }                                                                                                     \
  patron_status H##_dert(const H* model, double delta, const double* x, const double* t_x,              \
                         const double* T, size_t n, double* out) {                                      \
    return model_dert<H>(model, delta, x, t_x, T, n, out);                                              \
  }                                                                                                     \
  patron_status H##_clv(const H* model, const patron_gamma_gamma* spend, double annual_rate,            \
                        double margin, const double* x, const double* t_x, const double* T,             \
                        const double* monetary, size_t n, double* out) {                                \
    return model_clv<H>(model, spend, annual_rate, margin, x, t_x, T, monetary, n, out);                \
  }                                                                                                     \
  void H##_free(H* model) { free_handle(model); }

PATRON_PURCHASE_MODEL(patron_bgnbd)
PATRON_PURCHASE_MODEL(patron_mbgnbd)
PATRON_PURCHASE_MODEL(patron_pnbd)
#undef PATRON_PURCHASE_MODEL

// ---- Gamma-Gamma -----------------------------------------------------------------------------------
patron_status patron_gamma_gamma_new(const double* params, size_t n_params, patron_gamma_gamma** out) {
  return model_new<patron_gamma_gamma>(params, n_params, 7.0, out);
}

patron_status patron_gamma_gamma_fit(const double* x, const double* monetary, size_t n,
                                     const patron_fit_options* options, patron_gamma_gamma** out,
                                     patron_fit_report* report) {
  const char* w = "patron_gamma_gamma_fit";
  return make_handle(out, w, [&](patron_gamma_gamma& h) {
    check_report(report, w);
    const auto opts = fit_options_in(options, w);
    const auto xs = array_in(x, n, w, "x");
    const auto ms = array_in(monetary, n, w, "monetary");
    // Gamma-Gamma needs only x and the mean spend; the view's recency columns are zeros.
    const std::vector<double> zeros(n, 0.0);
    const patron::customer_summary_view v(xs, zeros, zeros, ms);
    patron::validate_summary(v, w);
    const auto r = patron::gamma_gamma::fit(v, opts);
    report_out(r, report);
    h.model = r.model;
  });
}

patron_status patron_gamma_gamma_params(const patron_gamma_gamma* model, double* params, size_t n_params) {
  return model_params<patron_gamma_gamma>(model, params, n_params, nullptr);
}
patron_status patron_gamma_gamma_save(const patron_gamma_gamma* model, const char* path) {
  return model_save<patron_gamma_gamma>(model, path);
}
patron_status patron_gamma_gamma_load(const char* path, patron_gamma_gamma** out) {
  return model_load<patron_gamma_gamma>(path, out);
}
patron_status patron_gamma_gamma_to_json(const patron_gamma_gamma* model, char* buf, size_t size, size_t* needed) {
  return model_to_json<patron_gamma_gamma>(model, buf, size, needed);
}
patron_status patron_gamma_gamma_from_json(const char* text, patron_gamma_gamma** out) {
  return model_from_json<patron_gamma_gamma>(text, out);
}

patron_status patron_gamma_gamma_expected_spend(const patron_gamma_gamma* model, const double* x,
                                                const double* monetary, size_t n, double* out) {
  const char* w = "patron_gamma_gamma_expected_spend";
  return guard(w, [&] {
    const auto& g = handle(model, w, "model").model;
    const auto xs = array_in(x, n, w, "x");
    const auto ms = array_in(monetary, n, w, "monetary");
    const auto o = array_out(out, n, w, "out");
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(xs[i]) || xs[i] < 0 || xs[i] != std::floor(xs[i]))
        throw patron::data_error(errc::out_of_range, w, i + 1, 0, "x", num(xs[i]), "must be a whole number >= 0");
      if (!std::isfinite(ms[i]))
        throw patron::data_error(errc::out_of_range, w, i + 1, 0, "monetary", num(ms[i]), "not finite");
    }
    for (std::size_t i = 0; i < n; ++i) o[i] = g.expected_spend(xs[i], ms[i]);
  });
}

void patron_gamma_gamma_free(patron_gamma_gamma* model) { free_handle(model); }

// ---- RFM --------------------------------------------------------------------------------------------
patron_status patron_rfm_thresholds_fit(const double* recency, const double* frequency, const double* monetary,
                                        size_t n, int32_t method, int32_t bins, int32_t allow_negative,
                                        patron_rfm_thresholds** out) {
  const char* w = "patron_rfm_thresholds_fit";
  return make_handle(out, w, [&](patron_rfm_thresholds& h) {
    const auto r = array_in(recency, n, w, "recency");
    const auto f = array_in(frequency, n, w, "frequency");
    const auto m = array_in(monetary, n, w, "monetary");
    patron::rfm::binning_options o;
    switch (method) {
      case PATRON_RFM_QUANTILE: o.method = patron::rfm::binning_method::quantile; break;
      case PATRON_RFM_R_RFM: o.method = patron::rfm::binning_method::r_rfm; break;
      case PATRON_RFM_NTILE: o.method = patron::rfm::binning_method::ntile; break;
      case PATRON_RFM_MEAN_SPLIT: o.method = patron::rfm::binning_method::mean_split; break;
      default:
        throw invalid_argument_error(w, "method", std::to_string(method), "must be a PATRON_RFM_* method (0, 1, 2, 4)");
    }
    o.bins = method == PATRON_RFM_MEAN_SPLIT ? 2 : bins;
    o.validate();
    patron::rfm::validate_metrics(r, f, m, allow_negative != 0, {}, w);
    h.thresholds = patron::rfm::fit_thresholds(r, f, m, o);
  });
}

patron_status patron_rfm_thresholds_score(const patron_rfm_thresholds* thresholds, const double* recency,
                                          const double* frequency, const double* monetary, size_t n, uint8_t* r,
                                          uint8_t* f, uint8_t* m) {
  const char* w = "patron_rfm_thresholds_score";
  return guard(w, [&] {
    const auto& t = handle(thresholds, w, "thresholds").thresholds;
    const auto rs = array_in(recency, n, w, "recency");
    const auto fs = array_in(frequency, n, w, "frequency");
    const auto ms = array_in(monetary, n, w, "monetary");
    if (n != 0 && (r == nullptr || f == nullptr || m == nullptr))
      throw invalid_argument_error(w, r == nullptr ? "r" : f == nullptr ? "f" : "m", "NULL",
                                   "must point to n = " + std::to_string(n) + " bytes");
    patron::rfm::validate_metrics(rs, fs, ms, true, {}, w);
    patron::rfm::apply(t, rs, fs, ms, {std::span(r, n), std::span(f, n), std::span(m, n)});
  });
}

patron_status patron_rfm_thresholds_bins(const patron_rfm_thresholds* thresholds, int32_t* bins) {
  const char* w = "patron_rfm_thresholds_bins";
  return guard(w, [&] {
    const auto& t = handle(thresholds, w, "thresholds").thresholds;
    need(bins, w, "bins");
    *bins = t.bins;
  });
}

patron_status patron_rfm_thresholds_save(const patron_rfm_thresholds* thresholds, const char* path) {
  const char* w = "patron_rfm_thresholds_save";
  return guard(w, [&] {
    patron::rfm::save_thresholds(text_in(path, w, "path"), handle(thresholds, w, "thresholds").thresholds);
  });
}

patron_status patron_rfm_thresholds_load(const char* path, patron_rfm_thresholds** out) {
  const char* w = "patron_rfm_thresholds_load";
  return make_handle(out, w, [&](patron_rfm_thresholds& h) {
    h.thresholds = patron::rfm::load_thresholds(text_in(path, w, "path"));
  });
}

void patron_rfm_thresholds_free(patron_rfm_thresholds* thresholds) { free_handle(thresholds); }

patron_status patron_rfm_segments_builtin(const char* name, patron_rfm_segments** out) {
  const char* w = "patron_rfm_segments_builtin";
  return make_handle(out, w, [&](patron_rfm_segments& h) {
    const std::string_view n = text_in(name, w, "name");
    if (n == "cn8-en")
      h.segmenter.emplace(patron::rfm::cn8_table(patron::rfm::label_language::en));
    else
      h.segmenter.emplace(patron::rfm::builtin_table(n));
  });
}

patron_status patron_rfm_segments_read(const char* path, patron_rfm_segments** out) {
  const char* w = "patron_rfm_segments_read";
  return make_handle(out, w, [&](patron_rfm_segments& h) {
    h.segmenter.emplace(patron::rfm::read_segment_table(text_in(path, w, "path")));
  });
}

patron_status patron_rfm_segments_assign(const patron_rfm_segments* segments, const uint8_t* r, const uint8_t* f,
                                         const uint8_t* m, size_t n, uint16_t* out) {
  const char* w = "patron_rfm_segments_assign";
  return guard(w, [&] {
    const auto& s = *handle(segments, w, "segments").segmenter;
    if (n != 0 && (r == nullptr || f == nullptr || m == nullptr || out == nullptr))
      throw invalid_argument_error(w, r == nullptr ? "r" : f == nullptr ? "f" : m == nullptr ? "m" : "out", "NULL",
                                   "must point to n = " + std::to_string(n) + " values");
    s.assign(std::span(r, n), std::span(f, n), std::span(m, n), std::span(out, n));
  });
}

patron_status patron_rfm_segments_count(const patron_rfm_segments* segments, size_t* out) {
  const char* w = "patron_rfm_segments_count";
  return guard(w, [&] {
    const auto& s = *handle(segments, w, "segments").segmenter;
    need(out, w, "out");
    *out = s.label_count();
  });
}

patron_status patron_rfm_segments_label(const patron_rfm_segments* segments, size_t i, const char** label) {
  const char* w = "patron_rfm_segments_label";
  return guard(w, [&] {
    const auto& s = *handle(segments, w, "segments").segmenter;
    need(label, w, "label");
    if (i >= s.label_count())
      throw invalid_argument_error(w, "i", std::to_string(i), "must be < " + std::to_string(s.label_count()));
    *label = s.label(i).c_str();
  });
}

void patron_rfm_segments_free(patron_rfm_segments* segments) { free_handle(segments); }

// ---- k-means -----------------------------------------------------------------------------------------
patron_status patron_kmeans_load(const char* path, patron_kmeans** out) {
  const char* w = "patron_kmeans_load";
  return make_handle(out, w, [&](patron_kmeans& h) {
    h.model = patron::segment::load_segment_model(text_in(path, w, "path"));
  });
}

patron_status patron_kmeans_from_json(const char* text, patron_kmeans** out) {
  const char* w = "patron_kmeans_from_json";
  return make_handle(out, w, [&](patron_kmeans& h) {
    h.model = patron::segment::segment_model_from_json(text_in(text, w, "text"), "<json>");
  });
}

patron_status patron_kmeans_dims(const patron_kmeans* model, size_t* k, size_t* d) {
  const char* w = "patron_kmeans_dims";
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    need(k, w, "k");
    need(d, w, "d");
    *k = m.k();
    *d = m.transform.size();
  });
}

patron_status patron_kmeans_feature(const patron_kmeans* model, size_t j, const char** name) {
  const char* w = "patron_kmeans_feature";
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    need(name, w, "name");
    if (j >= m.transform.size())
      throw invalid_argument_error(w, "j", std::to_string(j), "must be < " + std::to_string(m.transform.size()));
    *name = m.transform.names()[j].c_str();
  });
}

patron_status patron_kmeans_predict(const patron_kmeans* model, const double* features, size_t n, size_t d,
                                    int32_t* labels, double* distances) {
  const char* w = "patron_kmeans_predict";
  return guard(w, [&] {
    const auto& m = handle(model, w, "model").model;
    if (d != m.transform.size())
      throw invalid_argument_error(w, "d", std::to_string(d),
                                   "the model has " + std::to_string(m.transform.size()) + " features");
    if (n == 0) return;
    need(features, w, "features");
    need(labels, w, "labels");
    const Eigen::Map<const patron::segment::row_matrix> raw(features, static_cast<Eigen::Index>(n),
                                                            static_cast<Eigen::Index>(d));
    patron::segment::predict(m, raw, std::span(labels, n),
                             distances ? std::span<double>(distances, n) : std::span<double>{});
  });
}

void patron_kmeans_free(patron_kmeans* model) { free_handle(model); }

// ---- recommendations ------------------------------------------------------------------------------
patron_status patron_recommender_fit(const patron_transaction_log* log, int32_t similarity, size_t neighbours,
                                     patron_recommender** out) {
  const char* w = "patron_recommender_fit";
  return make_handle(out, w, [&](patron_recommender& h) {
    const auto& l = handle(log, w, "log").log;
    patron::recommend::item_knn_options o;
    switch (similarity) {
      case PATRON_SIMILARITY_COSINE: o.similarity = patron::recommend::item_similarity::cosine; break;
      case PATRON_SIMILARITY_JACCARD: o.similarity = patron::recommend::item_similarity::jaccard; break;
      case PATRON_SIMILARITY_BM25: o.similarity = patron::recommend::item_similarity::bm25; break;
      case PATRON_SIMILARITY_TFIDF: o.similarity = patron::recommend::item_similarity::tfidf; break;
      default:
        throw invalid_argument_error(w, "similarity", std::to_string(similarity),
                                     "must be a PATRON_SIMILARITY_* value (0..3)");
    }
    if (neighbours == 0) throw invalid_argument_error(w, "neighbours", "0", "must be >= 1");
    o.neighbours = neighbours;
    o.validate();
    if (!l.has_items())
      throw invalid_argument_error(w, "log", "no items",
                                   "needs an item per row (patron_transaction_log_from_items or options->item_column)");
    h.history = patron::recommend::make_interactions(l);
    h.knn.emplace(patron::recommend::item_knn::fit(h.history, o));
  });
}

patron_status patron_recommender_top_n(const patron_recommender* recommender, const char* customer_id, size_t n,
                                       const char** items, double* scores, size_t* written) {
  const char* w = "patron_recommender_top_n";
  return guard(w, [&] {
    const auto& h = handle(recommender, w, "recommender");
    const std::string_view id = text_in(customer_id, w, "customer_id");
    need(written, w, "written");
    if (n != 0) {
      need(items, w, "items");
      need(scores, w, "scores");
    }
    const std::uint32_t u = h.history.customers.find(id);
    if (u == patron::id_table::npos)
      throw invalid_argument_error(w, "customer_id", std::string(id), "not in the log the recommender was fitted on");
    std::vector<std::uint32_t> idx(n);
    const std::size_t k = h.knn->recommend(h.history, u, idx, {scores, n});
    for (std::size_t i = 0; i < k; ++i) items[i] = h.history.items.name(idx[i]).c_str();
    *written = k;
  });
}

void patron_recommender_free(patron_recommender* recommender) { free_handle(recommender); }

// ---- lifecycle --------------------------------------------------------------------------------------
static_assert(PATRON_FEATURE_COUNT == patron::lifecycle::feature_count);
static_assert(PATRON_FEATURE_RECENCY_DAYS == static_cast<int>(patron::lifecycle::feature::recency_days));
static_assert(PATRON_FEATURE_MEAN_INTERPURCHASE_DAYS ==
              static_cast<int>(patron::lifecycle::feature::mean_interpurchase_days));
static_assert(PATRON_FEATURE_P_ALIVE == static_cast<int>(patron::lifecycle::feature::p_alive));
static_assert(PATRON_FEATURE_DAYS_SINCE_CONTACT == static_cast<int>(patron::lifecycle::feature::days_since_contact));

patron_status patron_lifecycle_builtin(const char* name, patron_lifecycle** out) {
  const char* w = "patron_lifecycle_builtin";
  return make_handle(out, w, [&](patron_lifecycle& h) {
    const std::string_view n = text_in(name, w, "name");
    if (n == "seven")
      h.machine.emplace(patron::lifecycle::seven_stage_table());
    else if (n == "four")
      h.machine.emplace(patron::lifecycle::four_stage_table());
    else
      throw invalid_argument_error(w, "name", std::string(n), "must be \"seven\" or \"four\"");
  });
}

patron_status patron_lifecycle_load(const char* path, patron_lifecycle** out) {
  const char* w = "patron_lifecycle_load";
  return make_handle(out, w, [&](patron_lifecycle& h) {
    h.machine.emplace(patron::lifecycle::load_table(text_in(path, w, "path")));
  });
}

patron_status patron_lifecycle_state_count(const patron_lifecycle* lifecycle, size_t* count) {
  const char* w = "patron_lifecycle_state_count";
  return guard(w, [&] {
    const auto& m = *handle(lifecycle, w, "lifecycle").machine;
    need(count, w, "count");
    *count = m.state_count();
  });
}

patron_status patron_lifecycle_state_name(const patron_lifecycle* lifecycle, int32_t state, const char** name) {
  const char* w = "patron_lifecycle_state_name";
  return guard(w, [&] {
    const auto& m = *handle(lifecycle, w, "lifecycle").machine;
    need(name, w, "name");
    if (state < 0 || static_cast<std::size_t>(state) >= m.state_count())
      throw invalid_argument_error(w, "state", std::to_string(state),
                                   "must be in 0.." + std::to_string(m.state_count() - 1));
    *name = m.state_name(static_cast<patron::lifecycle::state_id>(state)).c_str();
  });
}

patron_status patron_lifecycle_state(const patron_lifecycle* lifecycle, const char* name, int32_t* state) {
  const char* w = "patron_lifecycle_state";
  return guard(w, [&] {
    const auto& m = *handle(lifecycle, w, "lifecycle").machine;
    const std::string_view n = text_in(name, w, "name");
    need(state, w, "state");
    *state = m.state(n);
  });
}

patron_status patron_lifecycle_initial(const patron_lifecycle* lifecycle, int32_t* state) {
  const char* w = "patron_lifecycle_initial";
  return guard(w, [&] {
    const auto& m = *handle(lifecycle, w, "lifecycle").machine;
    need(state, w, "state");
    *state = m.initial();
  });
}

patron_status patron_lifecycle_classify(const patron_lifecycle* lifecycle, const char* event, const int32_t* from,
                                        size_t n, const double* const* features, size_t n_features, int32_t* to) {
  const char* w = "patron_lifecycle_classify";
  return guard(w, [&] {
    const auto& m = *handle(lifecycle, w, "lifecycle").machine;
    const auto e = m.event(text_in(event, w, "event"));
    if (n_features > PATRON_FEATURE_COUNT)
      throw invalid_argument_error(w, "n_features", std::to_string(n_features),
                                   "must be <= " + std::to_string(PATRON_FEATURE_COUNT));
    if (n_features != 0) need(features, w, "features");
    if (n == 0) return;
    need(from, w, "from");
    need(to, w, "to");
    std::vector<patron::lifecycle::state_id> states(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (from[i] < 0 || static_cast<std::size_t>(from[i]) >= m.state_count())
        throw patron::data_error(errc::out_of_range, w, i + 1, 0, "from", std::to_string(from[i]),
                                 "not a state id (0.." + std::to_string(m.state_count() - 1) + ")");
      states[i] = static_cast<patron::lifecycle::state_id>(from[i]);
    }
    patron::lifecycle::feature_columns columns(n);
    for (std::size_t f = 0; f < n_features; ++f)
      if (features[f] != nullptr) columns.set(static_cast<patron::lifecycle::feature>(f), {features[f], n});
    m.classify(states, e, columns, states);
    for (std::size_t i = 0; i < n; ++i) to[i] = states[i];
  });
}

void patron_lifecycle_free(patron_lifecycle* lifecycle) { free_handle(lifecycle); }

}  // extern "C"
