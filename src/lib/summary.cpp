// SPDX-License-Identifier: MIT
// summarize(): per-customer x, t_x, T, monetary from a purchase log, by a counting sort on the
// dense customer index and one pass per customer.
#include "patron/data/summary.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>

#ifdef __linux__
#  include <sys/mman.h>
#endif

#include "patron/error.hpp"

namespace patron::inline v1 {

time_unit time_unit::parse(std::string_view text) {
  if (text == "day" || text == "days" || text == "D") return day();
  if (text == "week" || text == "weeks" || text == "W") return week();
  if (text == "month" || text == "months" || text == "M") return month();
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || !(v > 0) || !std::isfinite(v))
    throw invalid_argument_error("time unit", "unit", text,
                                 "expected day, week, month or a positive number of days");
  return time_unit{v};
}

std::string time_unit::name() const {
  if (days == 1.0) return "day";
  if (days == 7.0) return "week";
  if (days == 365.25 / 12.0) return "month";
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, days);
  (void)ec;
  return std::string(buf, p);
}

void summary_options::validate() const {
  if (!(unit.days > 0) || !std::isfinite(unit.days))
    throw invalid_argument_error("summarize", "unit_days", std::to_string(unit.days), "must be a finite number > 0");
  if (calibration_end && observation_end && *calibration_end > *observation_end)
    throw invalid_argument_error("summarize", "calibration_end", to_string(*calibration_end),
                                 "after the observation end " + to_string(*observation_end));
}

customer_summary_view::customer_summary_view(std::span<const double> x_, std::span<const double> t_x_,
                                             std::span<const double> T_,
                                             std::span<const double> monetary_,
                                             std::span<const double> weight_)
    : x(x_), t_x(t_x_), T(T_), monetary(monetary_), weight(weight_) {
  const auto n = x.size();
  auto check = [&](std::span<const double> c, const char* name, bool optional) {
    if (optional && c.empty()) return;
    if (c.size() != n)
      throw invalid_argument_error("customer_summary_view", name, std::to_string(c.size()),
                                   "length differs from x's " + std::to_string(n));
  };
  check(t_x, "t_x", false);
  check(T, "T", false);
  check(monetary, "monetary", true);
  check(weight, "weight", true);
}

void validate_summary(const customer_summary_view& s, const std::string& source) {
  auto fail = [&](std::size_t i, const char* field, double v, const char* problem) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    throw data_error(errc::out_of_range, source, i + 1, 0, field, buf, problem);
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double x = s.x[i], tx = s.t_x[i], T = s.T[i];
    if (!std::isfinite(x) || x < 0 || x != std::floor(x)) fail(i, "x", x, "must be a whole number >= 0");
    if (!std::isfinite(T) || T < 0) fail(i, "T", T, "must be finite and >= 0");
    if (!std::isfinite(tx) || tx < 0) fail(i, "t_x", tx, "must be finite and >= 0");
    // 2-decimal rounding in published tables can put t_x a hair above T.
    if (tx > T + 1e-6 * std::max(1.0, T)) fail(i, "t_x", tx, "greater than T");
    if (x == 0 && tx != 0) fail(i, "t_x", tx, "must be 0 when x = 0");
    if (!s.monetary.empty() && !std::isfinite(s.monetary[i])) fail(i, "monetary", s.monetary[i], "not finite");
    if (!s.weight.empty() && (!std::isfinite(s.weight[i]) || s.weight[i] < 0))
      fail(i, "weight", s.weight[i], "must be finite and >= 0");
  }
}

namespace {

// A row copied next to its customer's other rows, so the per-customer pass reads memory in
// order instead of gathering from the log's columns (10M random gathers cost more than the
// whole summary; a scatter of compact records is about one cache miss per row, and writes overlap).
struct row_record {
  timestamp time;
  double amount;
};
struct row_record_invoice {
  timestamp time;
  double amount;
  std::uint32_t invoice;
};

// Scratch array for the scattered rows: default-initialised (no zeroing pass over hundreds of
// MB) and, on Linux, backed by transparent huge pages when the system allows it on request
// (THP "madvise" mode): first-touch page faults on 4 KiB pages cost about as much as the whole
// summary on virtual machines.
template <class T>
class scratch_array {
 public:
  explicit scratch_array(std::size_t n) : n_(n) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    const std::size_t bytes = std::max<std::size_t>(n * sizeof(T), 1);
    if (bytes >= 2 * huge) {
      const std::size_t rounded = (bytes + huge - 1) / huge * huge;
      p_ = static_cast<T*>(std::aligned_alloc(huge, rounded));
#ifdef __linux__
      if (p_) (void)madvise(p_, rounded, MADV_HUGEPAGE);
#endif
    } else {
      p_ = static_cast<T*>(std::malloc(bytes));
    }
    if (!p_) throw std::bad_alloc();
  }
  scratch_array(const scratch_array&) = delete;
  scratch_array& operator=(const scratch_array&) = delete;
  ~scratch_array() { std::free(p_); }
  [[nodiscard]] T* data() noexcept { return p_; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return p_[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }

 private:
  T* p_ = nullptr;
  std::size_t n_;
};

// Asks for transparent huge pages on the 2 MiB-aligned interior of a large buffer (Linux; a
// no-op elsewhere or when THP is off). For the output columns, which are
// written once right after allocation.
void advise_huge_pages(const void* p, std::size_t bytes) noexcept {
#ifdef __linux__
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  const auto b = (reinterpret_cast<std::uintptr_t>(p) + huge - 1) & ~(huge - 1);
  const auto e = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(huge - 1);
  if (e > b) (void)madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}
template <class... V>
void reserve_columns(std::size_t n, V&... v) {
  ((v.reserve(n), advise_huge_pages(v.data(), n * sizeof(typename V::value_type))), ...);
}

// Stable sort by time: insertion sort for the usual short, often already sorted, runs.
template <class Rec>
void sort_by_time(Rec* b, Rec* e) {
  if (e - b > 48) {
    std::stable_sort(b, e, [](const Rec& u, const Rec& v) { return u.time < v.time; });
    return;
  }
  for (Rec* i = b + 1; i < e; ++i) {
    if (!(i->time < (i - 1)->time)) continue;
    const Rec v = *i;
    Rec* j = i;
    do {
      *j = *(j - 1);
      --j;
    } while (j > b && v.time < (j - 1)->time);
    *j = v;
  }
}

template <class Rec>
void summarize_customers(const transaction_log& log, const summary_options& options, date obs_end,
                         customer_summary& out) {
  constexpr bool with_invoices = std::is_same_v<Rec, row_record_invoice>;
  const std::size_t n = log.size();
  const std::size_t nc = log.customers.size();
  const date cal_end = options.calibration_end.value_or(obs_end);
  const bool holdout = options.calibration_end.has_value();
  const double unit = options.unit.days;
  const timestamp after_end = start_of(obs_end + 1);  // day_of(t) > obs_end ⇔ t ≥ after_end

  // Counting sort of rows by customer, keeping log order within a customer.
  std::vector<std::uint32_t> start(nc + 1, 0);
  std::uint64_t after = 0;
  const timestamp* time = log.time.data();
  const std::uint32_t* customer = log.customer.data();
  for (std::size_t i = 0; i < n; ++i) {
    if (time[i] >= after_end) {
      ++after;
      continue;
    }
    ++start[customer[i] + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  static_assert(std::is_trivially_copyable_v<Rec>);
  scratch_array<Rec> recs(start[nc]);  // every element is written by the scatter below
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      if (time[i] >= after_end) continue;
      Rec& r = recs[fill[customer[i]]++];
      r.time = time[i];
      r.amount = log.amount[i];
      if constexpr (with_invoices) r.invoice = log.invoice[i];
    }
  }
  out.rows_after_observation_end = after;
  reserve_columns(nc, out.id, out.x, out.t_x, out.T, out.monetary, out.total, out.orders, out.first,
                  out.last);
  if (holdout) reserve_columns(nc, out.x_holdout, out.monetary_holdout);
  std::vector<std::uint32_t> invoices;  // scratch, reused
  for (std::size_t c = 0; c < nc; ++c) {
    Rec* const b = recs.data() + start[c];
    Rec* const e = recs.data() + start[c + 1];
    if (b == e) continue;  // every row after the observation end
    sort_by_time(b, e);
    const date first = day_of(b->time);
    if (first > cal_end) {
      ++out.customers_after_calibration;
      continue;
    }
    // Period key: the calendar day, or the whole model period since the first purchase.
    auto period = [&](date d) -> std::int64_t {
      return options.merge_by_unit ? static_cast<std::int64_t>(std::floor((d - first) / unit)) : d.days;
    };
    const std::int64_t first_period = period(first);
    double total = 0, repeat_sum = 0, hold_sum = 0;
    double x = 0, xh = 0;
    std::int64_t prev_period = first_period, prev_hold = INT64_MIN;
    date last = first, last_repeat = first;
    std::size_t rows_cal = 0;
    if constexpr (with_invoices) invoices.clear();
    for (const Rec* it = b; it != e; ++it) {
      const date d = day_of(it->time);
      const double a = it->amount;
      if (d <= cal_end) {
        ++rows_cal;
        total += a;
        last = d;
        if constexpr (with_invoices) invoices.push_back(it->invoice);
        const std::int64_t p = period(d);
        if (p != first_period) {
          repeat_sum += a;
          if (p != prev_period) {
            x += 1;
            prev_period = p;
          }
          last_repeat = d;
        }
      } else {
        const std::int64_t p = period(d);
        hold_sum += a;
        if (p != prev_hold) {
          xh += 1;
          prev_hold = p;
        }
      }
    }
    double orders = static_cast<double>(rows_cal);
    if constexpr (with_invoices) {
      std::sort(invoices.begin(), invoices.end());
      orders = static_cast<double>(std::unique(invoices.begin(), invoices.end()) - invoices.begin());
    }
    out.id.push_back(log.customers.name(static_cast<std::uint32_t>(c)));
    out.x.push_back(x);
    if (options.merge_by_unit) {
      out.t_x.push_back(x > 0 ? static_cast<double>(period(last_repeat) - first_period) : 0.0);
      out.T.push_back(std::floor((cal_end - first) / unit));
    } else {
      out.t_x.push_back(x > 0 ? (last_repeat - first) / unit : 0.0);
      out.T.push_back((cal_end - first) / unit);
    }
    out.monetary.push_back(x > 0 ? repeat_sum / x : 0.0);
    out.total.push_back(total);
    out.orders.push_back(orders);
    out.first.push_back(first);
    out.last.push_back(last);
    if (holdout) {
      out.x_holdout.push_back(xh);
      out.monetary_holdout.push_back(xh > 0 ? hold_sum / xh : 0.0);
    }
  }
}

}  // namespace

date observation_end_of(const transaction_log& log, const summary_options& options) {
  if (options.observation_end) return *options.observation_end;
  if (log.empty()) throw data_error(errc::empty_input, "observation_end_of", 0, 0, "", "", "the transaction log has no rows");
  timestamp mx = log.time[0];
  for (timestamp t : log.time) mx = std::max(mx, t);
  return day_of(mx);
}

customer_summary summarize(const transaction_log& log, const summary_options& options) {
  options.validate();
  if (log.empty()) throw data_error(errc::empty_input, "summarize", 0, 0, "", "", "the transaction log has no rows");
  const std::size_t n = log.size();
  // Amounts normally come validated from the reader; arrays from a caller may hold NaN/inf,
  // which would silently poison total and monetary.
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(log.amount[i])) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", log.amount[i]);
      throw data_error(errc::bad_number, "summarize", i + 1, 0, "amount", buf, "not a finite number");
    }
  }

  const date obs_end = observation_end_of(log, options);
  if (options.calibration_end && *options.calibration_end > obs_end)
    throw invalid_argument_error("summarize", "calibration_end", to_string(*options.calibration_end),
                                 "after the observation end " + to_string(obs_end));

  customer_summary out;
  out.unit = options.unit;
  out.observation_end = obs_end;
  out.calibration_end = options.calibration_end;
  out.holdout_length = options.calibration_end ? (obs_end - *options.calibration_end) / options.unit.days : 0.0;
  if (log.has_invoices())
    summarize_customers<row_record_invoice>(log, options, obs_end, out);
  else
    summarize_customers<row_record>(log, options, obs_end, out);
  return out;
}

}  // namespace patron::inline v1
