// SPDX-License-Identifier: MIT
// summary_accumulator: per-customer sorted purchase days, live profiles, summarize()-equal output.
#include "patron/data/accumulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "patron/error.hpp"

namespace patron::inline v1 {

namespace {

constexpr std::uint32_t no_invoice = id_table::npos;

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_amount(double amount, std::uint64_t row) {
  if (!std::isfinite(amount))
    throw data_error(errc::bad_number, "summary_accumulator::add", row, 0, "amount", show(amount),
                     "not a finite number");
}

}  // namespace

summary_accumulator::summary_accumulator(time_unit unit) {
  if (!(unit.days > 0) || !std::isfinite(unit.days))
    throw invalid_argument_error("summary_accumulator", "unit_days", show(unit.days),
                                 "must be a finite number > 0");
  live_.unit = unit;
}

void summary_accumulator::reserve(std::size_t customers) {
  ids_.reserve(customers);
  days_.reserve(customers);
  auto& s = live_;
  for (auto* v : {&s.x, &s.t_x, &s.T, &s.monetary, &s.total, &s.orders}) v->reserve(customers);
  s.id.reserve(customers);
  s.first.reserve(customers);
  s.last.reserve(customers);
}

std::uint32_t summary_accumulator::customer_index(std::string_view id) {
  const std::size_t before = ids_.size();
  const std::uint32_t c = ids_.intern(id);
  if (ids_.size() != before) {  // new customer: one empty row in every column
    days_.emplace_back();
    if (mode_ == invoice_mode::invoices) invoices_.emplace_back();
    auto& s = live_;
    s.id.emplace_back(id);
    for (auto* v : {&s.x, &s.t_x, &s.T, &s.monetary, &s.total, &s.orders}) v->push_back(0.0);
    s.first.emplace_back();
    s.last.emplace_back();
    dirty_.push_back(0);
  }
  return c;
}

void summary_accumulator::check_mode(bool has_invoice, std::uint64_t row) const {
  const invoice_mode m = has_invoice ? invoice_mode::invoices : invoice_mode::rows;
  if (mode_ != invoice_mode::unknown && mode_ != m)
    throw invalid_argument_error(
        "summary_accumulator::add", "invoice", has_invoice ? "given" : "missing",
        std::string(has_invoice ? "earlier rows had no invoice" : "earlier rows had an invoice") +
            "; use one form for every row" + (row ? " (batch row " + std::to_string(row) + ")" : ""));
}

void summary_accumulator::insert(std::uint32_t c, std::int32_t day, double amount,
                                 std::uint32_t invoice) {
  auto& d = days_[c];
  // New days are usually the latest: append; an older day (late arrival) goes in its place.
  if (d.empty() || d.back().day < day) {
    d.push_back({day, 1, amount});
  } else {
    auto it = std::lower_bound(d.begin(), d.end(), day,
                               [](const day_entry& e, std::int32_t v) { return e.day < v; });
    if (it != d.end() && it->day == day) {
      ++it->rows;
      it->amount += amount;
    } else {
      d.insert(it, {day, 1, amount});
    }
  }
  if (invoice != no_invoice) {
    auto& inv = invoices_[c];
    auto it = std::lower_bound(inv.begin(), inv.end(), invoice,
                               [](const invoice_entry& e, std::uint32_t v) { return e.invoice < v; });
    if (it != inv.end() && it->invoice == invoice)
      it->first_day = std::min(it->first_day, day);
    else
      inv.insert(it, {invoice, day});
  }
  ++rows_;
}

// Recomputes customer c's live profile from its days: O(days of c).
void summary_accumulator::refresh(std::uint32_t c) {
  const auto& d = days_[c];
  const double unit = live_.unit.days;
  const date first{d.front().day}, last{d.back().day};
  // Same summation order as summary(): day by day, oldest first.
  double total = d.front().amount, repeat_sum = 0, rows = d.front().rows;
  for (std::size_t j = 1; j < d.size(); ++j) {
    total += d[j].amount;
    repeat_sum += d[j].amount;
    rows += d[j].rows;
  }
  const auto x = static_cast<double>(d.size() - 1);
  live_.x[c] = x;
  live_.t_x[c] = x > 0 ? (last - first) / unit : 0.0;
  live_.T[c] = (*end_ - first) / unit;
  live_.monetary[c] = x > 0 ? repeat_sum / x : 0.0;
  live_.total[c] = total;
  live_.orders[c] = mode_ == invoice_mode::invoices ? static_cast<double>(invoices_[c].size()) : rows;
  live_.first[c] = first;
  live_.last[c] = last;
}

void summary_accumulator::rewrite_T() {
  const date end = *end_;
  const double unit = live_.unit.days;
  live_.observation_end = end;
  const std::size_t n = live_.first.size();
  double* T = live_.T.data();
  const date* first = live_.first.data();
  for (std::size_t i = 0; i < n; ++i) T[i] = (end - first[i]) / unit;
}

void summary_accumulator::add(std::string_view customer_id, timestamp time, double amount) {
  check_amount(amount, 0);
  check_mode(false, 0);
  mode_ = invoice_mode::rows;
  const std::uint32_t c = customer_index(customer_id);
  const date day = day_of(time);
  insert(c, day.days, amount, no_invoice);
  const bool moved = !end_ || day > *end_;
  if (moved) end_ = day;
  refresh(c);
  if (moved) rewrite_T();
}

void summary_accumulator::add(std::string_view customer_id, timestamp time, double amount,
                              std::string_view invoice) {
  check_amount(amount, 0);
  check_mode(true, 0);
  if (mode_ == invoice_mode::unknown) {
    mode_ = invoice_mode::invoices;
    invoices_.resize(days_.size());
  }
  const std::uint32_t c = customer_index(customer_id);
  const date day = day_of(time);
  insert(c, day.days, amount, invoice_ids_.intern(invoice));
  const bool moved = !end_ || day > *end_;
  if (moved) end_ = day;
  refresh(c);
  if (moved) rewrite_T();
}

void summary_accumulator::add(const transaction_log& batch) {
  const std::size_t n = batch.size();
  if (batch.time.size() != n || batch.amount.size() != n ||
      (batch.has_invoices() && batch.invoice.size() != n))
    throw invalid_argument_error("summary_accumulator::add", "batch", std::to_string(n) + " rows",
                                 "columns customer, time, amount (and invoice) differ in length");
  if (n == 0) return;
  // Validate everything before changing anything.
  for (std::size_t i = 0; i < n; ++i) check_amount(batch.amount[i], i + 1);
  check_mode(batch.has_invoices(), 0);
  if (mode_ == invoice_mode::unknown) {
    mode_ = batch.has_invoices() ? invoice_mode::invoices : invoice_mode::rows;
    if (mode_ == invoice_mode::invoices) invoices_.resize(days_.size());
  }

  // Batch-local ids → accumulator ids, assigned in order of first appearance in the rows.
  std::vector<std::uint32_t> local(batch.customers.size(), id_table::npos);
  std::vector<std::uint32_t> local_invoice;
  if (batch.has_invoices()) local_invoice.assign(batch.invoices.size(), id_table::npos);
  std::vector<std::uint32_t> touched;
  date max_day = day_of(batch.time[0]);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t lc = batch.customer[i];
    if (local[lc] == id_table::npos) local[lc] = customer_index(batch.customers.name(lc));
    const std::uint32_t c = local[lc];
    std::uint32_t inv = no_invoice;
    if (batch.has_invoices()) {
      const std::uint32_t li = batch.invoice[i];
      if (local_invoice[li] == id_table::npos) local_invoice[li] = invoice_ids_.intern(batch.invoices.name(li));
      inv = local_invoice[li];
    }
    const date day = day_of(batch.time[i]);
    max_day = std::max(max_day, day);
    insert(c, day.days, batch.amount[i], inv);
    if (!dirty_[c]) {
      dirty_[c] = 1;
      touched.push_back(c);
    }
  }
  const bool moved = !end_ || max_day > *end_;
  if (moved) end_ = max_day;
  for (std::uint32_t c : touched) {
    refresh(c);
    dirty_[c] = 0;
  }
  if (moved) rewrite_T();
}

void summary_accumulator::advance_to(date end) {
  if (end_ && end < *end_)
    throw invalid_argument_error("summary_accumulator::advance_to", "observation_end", to_string(end),
                                 "before the current observation end " + to_string(*end_) +
                                     " (it only moves forward and is never before the last purchase)");
  end_ = end;
  rewrite_T();
}

customer_summary summary_accumulator::summary(const summary_options& options) const {
  options.validate();
  if (rows_ == 0)
    throw data_error(errc::empty_input, "summary_accumulator::summary", 0, 0, "", "",
                     "no transactions added");
  const date obs_end = options.observation_end.value_or(*end_);
  if (options.calibration_end && *options.calibration_end > obs_end)
    throw invalid_argument_error("summary_accumulator::summary", "calibration_end",
                                 to_string(*options.calibration_end),
                                 "after the observation end " + to_string(obs_end));
  const bool holdout = options.calibration_end.has_value();
  const date cal_end = options.calibration_end.value_or(obs_end);
  const double unit = options.unit.days;

  // The live profiles are exactly this table: copy them.
  if (!holdout && !options.merge_by_unit && options.unit == live_.unit && obs_end == *end_) {
    customer_summary out = live_;
    out.observation_end = obs_end;
    return out;
  }

  customer_summary out;
  out.unit = options.unit;
  out.observation_end = obs_end;
  out.calibration_end = options.calibration_end;
  out.holdout_length = holdout ? (obs_end - cal_end) / unit : 0.0;
  const std::size_t nc = days_.size();
  const auto reserve = [&](auto&... v) { (v.reserve(nc), ...); };
  reserve(out.id, out.x, out.t_x, out.T, out.monetary, out.total, out.orders, out.first, out.last);
  if (holdout) reserve(out.x_holdout, out.monetary_holdout);

  // The same walk as summarize(), over days instead of rows (days are sorted and distinct).
  for (std::size_t c = 0; c < nc; ++c) {
    const auto& d = days_[c];
    std::size_t e = d.size();
    while (e > 0 && d[e - 1].day > obs_end.days) out.rows_after_observation_end += d[--e].rows;
    if (e == 0) continue;
    const date first{d[0].day};
    if (first > cal_end) {
      ++out.customers_after_calibration;
      continue;
    }
    auto period = [&](date day) -> std::int64_t {
      return options.merge_by_unit ? static_cast<std::int64_t>(std::floor((day - first) / unit))
                                   : day.days;
    };
    const std::int64_t first_period = period(first);
    double total = 0, repeat_sum = 0, hold_sum = 0, x = 0, xh = 0, rows_cal = 0;
    std::int64_t prev_period = first_period, prev_hold = INT64_MIN;
    date last = first, last_repeat = first;
    for (std::size_t j = 0; j < e; ++j) {
      const date day{d[j].day};
      const std::int64_t p = period(day);
      if (day <= cal_end) {
        total += d[j].amount;
        rows_cal += d[j].rows;
        last = day;
        if (p != first_period) {
          repeat_sum += d[j].amount;
          if (p != prev_period) {
            x += 1;
            prev_period = p;
          }
          last_repeat = day;
        }
      } else {
        hold_sum += d[j].amount;
        if (p != prev_hold) {
          xh += 1;
          prev_hold = p;
        }
      }
    }
    double orders = rows_cal;
    if (mode_ == invoice_mode::invoices) {
      orders = 0;
      for (const auto& inv : invoices_[c]) orders += inv.first_day <= cal_end.days ? 1.0 : 0.0;
    }
    out.id.push_back(ids_.name(static_cast<std::uint32_t>(c)));
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
  return out;
}

}  // namespace patron::inline v1
