// SPDX-License-Identifier: MIT
// Writing scores back into Zoho CRM and 纷享销客 (FXiaoKe): import CSVs, Bulk Write CSVs, API bodies.
#ifndef PATRON_CRM_EXPORT_HPP
#define PATRON_CRM_EXPORT_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/crm/presets.hpp"

namespace patron::inline v1::crm {

enum class export_format {
  zoho_import,     ///< UTF-8 CSV for the Accounts/Contacts import wizard, update on Record Id
  zoho_bulkwrite,  ///< Bulk Write CSV: header = API names, first column `id` (digits)
  fxiaoke_api,     ///< JSON Lines: one body per customer for POST /cgi/crm/v2/data/update
  fxiaoke_import,  ///< UTF-8-with-BOM CSV, Chinese headers (the update-import path is unverified)
};
[[nodiscard]] export_format parse_export_format(std::string_view name);
[[nodiscard]] const char* export_format_name(export_format f) noexcept;

/// A per-customer profile table (`patron report`'s customers.csv or any score output). Columns
/// recognised (any subset, names case-insensitive): customer_id, record_id, name, rfm_code,
/// segment, clv, p_alive, lifecycle_stage, next_product, scored_on (see docs/crm.md for the
/// accepted synonyms); any other column can be exported by naming it in the field map.
/// `patron recommend` output (customer_id, rank, item, score) is read as next_product = the rank-1 item.
struct profile {
  std::string source;
  std::vector<std::string> columns;  ///< header as written
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;  ///< 1-based line of each row in the source
  /// Index of the column recognised as `score` (canonical or synonym), or -1.
  [[nodiscard]] int column(std::string_view score) const;
};
[[nodiscard]] profile read_profile(const std::string& path);
[[nodiscard]] profile read_profile_from_string(std::string_view text, const std::string& name = "<memory>");

/// Several score outputs (summary, `patron score`, `rfm`, `lifecycle --at`, ...) as one profile,
/// joined on the normalised customer_id (else record_id), rows in order of first appearance. The
/// id and name columns are merged; a recognised score column (segment, clv, ...) found in two
/// parts is an error, any other repeated column keeps the first part's values. A customer absent
/// from a part has empty cells there (fxiaoke-api leaves them out; the CSV formats write them
/// empty). An id twice in one part is a data_error: write-back needs one row per customer.
[[nodiscard]] profile join_profiles(const std::vector<profile>& parts);

/// Fills (or adds) the record_id and name columns from a CRM export read with a preset, joining
/// on the normalised customer id. Returns the number of profile rows that found no customer.
[[nodiscard]] std::size_t attach_record_ids(profile& p, const read_result& crm_export);

/// One score written to one CRM field.
struct field_target {
  std::string score;     ///< profile column ("segment", "clv", or any other column name)
  std::string label;     ///< field label (import formats)
  std::string api_name;  ///< field API name (API formats)
  std::string type;      ///< text | integer | decimal | currency | date | picklist
  std::map<std::string, std::string> options;  ///< picklist: our value → CRM value (empty = as is)
};

/// The `--fields MAP.json` file:
/// `{"object": "AccountObj", "match_label": "Record Id", "name_label": "Account Name",
///   "fields": {"segment": {"label": "...", "api_name": "...", "type": "picklist",
///   "options": {"Champions": "1"}}, "clv": "field_CLV9i__c", "p_alive": null}}`.
/// A string is the API name for API formats and the label for import formats; null leaves a
/// score out. Order of "fields" is the column order.
struct field_map {
  std::string object;       ///< Zoho module or FXiaoKe object (default Accounts / AccountObj)
  std::string match_label;  ///< header of the id column in import formats
  std::string name_label;   ///< header of the display-name column in import formats
  std::vector<field_target> fields;
  std::vector<std::string> excluded;  ///< scores set to null
};
[[nodiscard]] field_map parse_field_map(std::string_view json, const std::string& name);

struct export_options {
  export_format format = export_format::zoho_import;
  std::optional<field_map> fields;  ///< required for fxiaoke_api
  std::size_t max_rows = 0;         ///< 0 = format default (10,000; Bulk Write 25,000, its maximum)
  std::size_t max_bytes = 0;        ///< Bulk Write only; 0 = 25 MB, its maximum
  std::string tz;                   ///< fxiaoke_api dates: midnight in this zone (default Asia/Shanghai)
  bool trigger_workflow = false;    ///< fxiaoke_api: triggerWorkFlow / triggerApprovalFlow
  std::string source_name = "--from";

  void validate() const;
};

struct export_file {
  std::string name;     ///< file name inside the output directory
  std::string content;  ///< bytes to write
  std::size_t rows = 0;
};

struct export_result {
  std::vector<export_file> files;
  std::vector<std::string> picklists;  ///< "Patron Segment: Champions, Lost" per pick-list field
  std::vector<std::string> notes;      ///< what was left out and why
};

/// Builds every output file in memory; throws (invalid_argument_error for map problems,
/// data_error for bad profile values) before anything is written.
[[nodiscard]] export_result build_export(const profile& p, const export_options& options);

/// Writes the files into `dir` (created if missing): each to a temporary name first, renamed
/// when all are written, so a failure leaves no half-written set.
void write_export(const export_result& r, const std::string& dir);

/// The 8-class RFM segment names (mean-split table) in Chinese: "important value" → "重要价值".
/// Chinese names map to themselves; anything else → "".
[[nodiscard]] std::string cn8_segment_zh(std::string_view segment);

}  // namespace patron::inline v1::crm

#endif  // PATRON_CRM_EXPORT_HPP
