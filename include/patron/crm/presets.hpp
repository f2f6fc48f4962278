// SPDX-License-Identifier: MIT
// Reading CRM exports (Zoho CRM, 纷享销客 FXiaoKe) as they come: encodings, header aliases, money, dates, status.
#ifndef PATRON_CRM_PRESETS_HPP
#define PATRON_CRM_PRESETS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/data/date.hpp"
#include "patron/data/read.hpp"
#include "patron/data/transaction_log.hpp"

namespace patron::inline v1::crm {

/// The CRM exports patron reads. See docs/crm.md for the columns each one binds.
enum class preset {
  zoho_invoices,       ///< Zoho CRM Invoices module export (or Bulk Read CSV)
  zoho_salesorders,    ///< Zoho CRM Sales Orders (date = Created Time: no standard order date [inferred])
  zoho_deals,          ///< Zoho CRM Deals, only Stage = Closed Won kept
  fxiaoke_salesorder,  ///< 纷享销客 销售订单 SalesOrderObj (UI labels or API names)
  fxiaoke_payment,     ///< 纷享销客 回款 PaymentObj (cash-basis purchase log)
};

/// "zoho-invoices" → preset::zoho_invoices; throws invalid_argument_error naming `--preset`.
[[nodiscard]] preset parse_preset(std::string_view name);
[[nodiscard]] const char* preset_name(preset p) noexcept;
[[nodiscard]] bool is_fxiaoke(preset p) noexcept;

/// Canonical columns a preset binds. customer, date and amount are required (customer may be
/// satisfied by customer_name: FXiaoKe UI exports carry only the name).
enum class canonical { customer, customer_name, order_id, date, amount, currency, status, item, quantity };
inline constexpr std::size_t canonical_count = 9;
[[nodiscard]] const char* canonical_name(canonical c) noexcept;

/// The ordered alias list of one canonical column for one preset: the UI export label first,
/// then the API name. First alias present in the header wins.
[[nodiscard]] std::vector<std::string> aliases(preset p, canonical c);

enum class text_encoding { detect, utf8, utf16, gb18030 };
/// "utf-8", "utf8", "utf-16", "gb18030", "gbk" (GBK is a subset of GB18030), "detect".
[[nodiscard]] text_encoding parse_encoding(std::string_view name);

/// Bytes → UTF-8 through glibc iconv. detect: a UTF-8 or UTF-16 byte-order mark decides;
/// otherwise valid UTF-8 stays UTF-8 and anything else is read as GB18030 (Chinese Excel's
/// "CSV" encoding). A UTF-8 BOM is removed. Bytes that are invalid in the chosen encoding throw
/// data_error(errc::bad_encoding) naming the line and the byte offset in the file.
/// `used` (optional) receives the encoding that was applied.
[[nodiscard]] std::string to_utf8(std::string_view bytes, text_encoding encoding, const std::string& name,
                                  text_encoding* used = nullptr);

/// A fixed UTC offset in seconds. Accepts "UTC", "Z", "+08:00", "-0530", "UTC+8", "GMT+08:00"
/// and IANA names of zones without daylight saving time (Asia/Shanghai, Asia/Hong_Kong,
/// Asia/Taipei, Asia/Singapore, Asia/Tokyo, Asia/Seoul, Asia/Kolkata, Asia/Dubai, Etc/UTC).
/// Zones with daylight saving time are refused (give their offset): patron carries no tz database.
[[nodiscard]] std::int32_t parse_utc_offset(std::string_view tz);

/// A money value as a CRM writes it.
struct money {
  double value = 0;
  std::string currency;  ///< ISO code found in the text ("USD", "CNY", "EUR", "GBP"), or ""
};

/// Outcome of parse_money: ok, or why not.
enum class money_status { ok, empty, bad, ambiguous };

/// Parses "$1,234.50", "¥1,234.00", "1 234,50 €" (decimal_comma), "(123.45)" (negative),
/// "CNY 88", "88元", with NBSP/thin spaces as group separators. Thousands groups must have 3
/// digits. `file_has_other_decimal` says the file also shows the other decimal separator: then a
/// value like "1,234" (or "1.234" with decimal_comma) is ambiguous, never guessed.
[[nodiscard]] money_status parse_money(std::string_view text, bool decimal_comma, bool file_has_other_decimal,
                                       money& out);

/// True when `text` shows ',' used as a decimal separator ("12,50", "1.234,5"). With
/// decimal_comma the question is reversed: does it show '.' as a decimal point ("12.50")?
[[nodiscard]] bool shows_other_decimal(std::string_view text, bool decimal_comma) noexcept;

/// Parses yyyy-MM-dd, yyyy-MM-dd HH:mm[:ss], ISO 8601 with T / Z / ±HH:MM, yyyy/M/d[ H:mm[:ss]],
/// yyyy年M月d日, 13-digit millisecond and 10-digit second epochs. Values with an offset or an
/// epoch are instants, shown in the zone `utc_offset`; values without one are taken as written.
/// Returns shop-local seconds since 1970-01-01, or nullopt.
[[nodiscard]] std::optional<timestamp> parse_crm_datetime(std::string_view text, std::int32_t utc_offset) noexcept;

/// Options of read_crm_export. Defaults per preset (tz Asia/Shanghai for FXiaoKe, UTC for Zoho).
struct read_options {
  crm::preset preset = crm::preset::zoho_invoices;
  text_encoding encoding = text_encoding::detect;
  std::string tz;  ///< "" = preset default
  bool decimal_comma = false;
  bool include_pending = false;  ///< FXiaoKe: keep 审核中/未生效/变更中 orders
  std::string currency;          ///< keep only rows in this currency (ISO code or symbol); "" = refuse mixed
  /// Overrides: canonical column name ("customer", "amount", ...) → header, as `--col` gives them.
  std::vector<std::pair<std::string, std::string>> columns;
  bool lenient = false;  ///< skip bad rows (counted) instead of stopping at the first

  /// Throws invalid_argument_error naming the first bad field.
  void validate() const;
};

/// What read_crm_export returns: the log with customers keyed by the normalised id (Zoho's
/// `zcrm_` removed), plus per customer (index into log.customers) the id exactly as the CRM
/// wrote it and the display name, for write-back.
struct read_result {
  transaction_log log;
  ingest_report report;
  std::vector<std::string> record_id;  ///< verbatim id per customer ("zcrm_4150868000000224005")
  std::vector<std::string> name;       ///< display name per customer ("" when the file has none)
  std::string currency;                ///< the one currency of the kept rows, or "" if none shown
  text_encoding encoding = text_encoding::utf8;  ///< what the bytes were read as
  bool keyed_by_name = false;          ///< no id column: customers are their names (FXiaoKe UI export)
  std::uint64_t shared_names = 0;      ///< names carried by more than one customer id
  std::vector<std::string> warnings;   ///< also appended to report.bindings as "warning: ..."
};

/// The id used for joins: trims, strips Zoho's "zcrm_" prefix.
[[nodiscard]] std::string normalise_id(std::string_view verbatim);

/// Reads a CRM export. Strict mode throws data_error at the first bad value (file:line:col,
/// field, raw value); lenient mode counts. Status drops (Cancelled, 作废, pending, not Closed Won)
/// are counted in both. Mixed currencies throw data_error unless options.currency names one.
[[nodiscard]] read_result read_export(const std::string& path, const read_options& options);
[[nodiscard]] read_result read_export_from_string(std::string_view bytes, const read_options& options,
                                                  const std::string& name = "<memory>");

/// RFC 4180 CSV (',' or the given delimiter, quotes, CRLF, newlines inside quotes) → rows of
/// fields; each row also records its 1-based starting line.
struct csv_table {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
};
[[nodiscard]] csv_table parse_csv(std::string_view utf8, char delimiter, const std::string& name);
/// ',' ';' tab or '|': the one most frequent outside quotes in the first line.
[[nodiscard]] char sniff_delimiter(std::string_view utf8) noexcept;
/// Header matching key: trimmed, ASCII lower-cased, all whitespace (incl. NBSP, U+3000) removed,
/// full-width parentheses folded to ASCII.
[[nodiscard]] std::string header_key(std::string_view header);

}  // namespace patron::inline v1::crm

#endif  // PATRON_CRM_PRESETS_HPP
