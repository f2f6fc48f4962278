// SPDX-License-Identifier: MIT
// Reader options shared by `patron rules --format transactions` and `patron recommend`.
#ifndef PATRON_CLI_RECOMMEND_CLI_HPP
#define PATRON_CLI_RECOMMEND_CLI_HPP

#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "patron/data/read.hpp"
#include "reader_options.hpp"

namespace patron::cli {

/// Column names and cleaning flags for a transaction file with items, defaulting to the
/// Online Retail layout (CustomerID, InvoiceDate, StockCode, InvoiceNo, Quantity × UnitPrice,
/// cancellations "C...", numeric ids, lenient: rows without a customer are skipped and counted).
struct transaction_flags {
  std::string customer = "CustomerID", date = "InvoiceDate", item = "StockCode",
              invoice = "InvoiceNo", quantity = "Quantity", price = "UnitPrice", amount;
  std::string cancel_prefix = "C";
  bool strict = false;
  reader_cli crm;  ///< --preset (docs/crm.md): the CRM layer binds customer, date, invoice and item itself

  void add_to(CLI::App& cmd) {
    cmd.add_option("--customer", customer, "Customer id column (name or 1-based position)")->capture_default_str();
    cmd.add_option("--date", date, "Date column")->capture_default_str();
    cmd.add_option("--item", item, "Item column")->capture_default_str();
    cmd.add_option("--invoice", invoice, "Invoice column (\"\" = baskets per customer-day)")->capture_default_str();
    cmd.add_option("--quantity", quantity, "Quantity column")->capture_default_str();
    cmd.add_option("--price", price, "Unit price column (amount = quantity × price)")->capture_default_str();
    cmd.add_option("--amount", amount, "Amount column (instead of --price)");
    cmd.add_option("--cancel-prefix", cancel_prefix, "Invoice prefix of cancellations (dropped)")->capture_default_str();
    cmd.add_flag("--strict", strict, "Stop at the first bad row instead of skipping and counting");
    const char* g = "CRM export (--preset; docs/crm.md)";
    cmd.add_option("--preset", crm.preset, "Read a CRM export with line items: zoho-invoices|zoho-salesorders|fxiaoke-salesorder|...")
        ->check(CLI::IsMember({"zoho-invoices", "zoho-salesorders", "zoho-deals", "fxiaoke-salesorder", "fxiaoke-payment"}))
        ->group(g);
    cmd.add_option("--col", crm.cols, "With --preset: bind a column, canonical=Header (e.g. item=\"Product Name\"); repeatable")->group(g);
    cmd.add_option("--encoding", crm.encoding, "With --preset: utf-8|utf-16|gb18030|gbk|detect")->group(g);
    cmd.add_option("--tz", crm.tz, "With --preset: zone for epochs")->group(g);
    cmd.add_option("--currency", crm.currency, "With --preset: keep only rows in this currency")->group(g);
    cmd.add_flag("--decimal-comma", crm.decimal_comma, "With --preset: ',' is the decimal separator")->group(g);
    cmd.add_flag("--include-pending", crm.include_pending, "With --preset fxiaoke-*: keep orders under review")->group(g);
  }

  [[nodiscard]] read_options options() const {
    read_options o;
    auto col = [](const std::string& s) { return s.empty() ? column_ref{} : column_ref::parse(s); };
    o.customer = col(customer);
    o.date = col(date);
    o.item = col(item);
    o.invoice = col(invoice);
    o.quantity = col(quantity);
    if (amount.empty()) {
      o.price = col(price);
    } else {
      o.amount = col(amount);
    }
    o.cancel_prefix = cancel_prefix;
    o.returns = returns_policy::drop;
    o.numeric_ids = true;
    o.lenient = !strict;
    return o;
  }

  /// Reads the log. With `--invoice ""` the invoice column is dropped after reading (the
  /// reader would otherwise bind InvoiceNo by its header name), so baskets are customer-days.
  /// With --preset the CRM layer reads the export (its own column bindings and status filters).
  [[nodiscard]] read_result read(const std::string& path) const {
    if (!crm.preset.empty()) {
      reader_cli rc = crm;
      rc.input = path;
      rc.lenient = !strict;
      return read_purchase_log(rc, read_options{});
    }
    auto r = read_transactions(path, options());
    if (invoice.empty()) {
      r.log.invoice.clear();
      r.log.invoices = id_table{};
    }
    return r;
  }
};

}  // namespace patron::cli

#endif  // PATRON_CLI_RECOMMEND_CLI_HPP
