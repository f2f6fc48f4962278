// SPDX-License-Identifier: MIT
// Score write-back: per-customer profile → Zoho import / Bulk Write CSVs, FXiaoKe API bodies and import CSVs.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "csv_record.hpp"
#include "patron/crm/export.hpp"
#include "patron/error.hpp"

namespace patron::inline v1::crm {
namespace {

struct known_score {
  const char* score;
  std::vector<const char*> synonyms;
  const char* zoho_label;
  const char* zh_label;
  const char* type;
};

// clang-format off
const std::vector<known_score>& known_scores() {
  static const std::vector<known_score> k = {
    {"rfm_code",        {"rfm_code", "rfm_score", "rfm"},                            "Patron RFM Code",        "RFM编码",          "integer"},
    {"segment",         {"segment", "rfm_segment"},                                  "Patron Segment",         "价值分群",         "picklist"},
    {"clv",             {"clv", "clv_12m", "expected_clv"},                          "Patron CLV",             "客户终身价值(元)", "currency"},
    {"p_alive",         {"p_alive", "palive"},                                       "Patron P Alive",         "存活概率",         "decimal"},
    {"lifecycle_stage", {"lifecycle_stage", "stage", "lifecycle"},                   "Patron Lifecycle Stage", "生命周期阶段",     "picklist"},
    {"next_product",    {"next_product", "recommendation", "recommended_item"},     "Patron Next Product",    "推荐产品",         "text"},
    {"scored_on",       {"scored_on", "as_of"},                                      "Patron Scored On",       "评分日期",         "date"},
  };
  return k;
}
const std::vector<std::pair<std::string, std::vector<const char*>>>& id_columns() {
  static const std::vector<std::pair<std::string, std::vector<const char*>>> k = {
    {"customer_id", {"customer_id", "customer"}},
    {"record_id",   {"record_id", "recordid", "id"}},
    {"name",        {"name", "customer_name", "account_name"}},
  };
  return k;
}
// The mean-split 8-class table of the RFM issue: English name, Chinese name.
constexpr std::pair<std::string_view, std::string_view> cn8[] = {
  {"important value", "重要价值"}, {"important win-back", "重要唤回"}, {"important development", "重要深耕"},
  {"important retention", "重要挽留"}, {"potential", "潜力"}, {"new", "新客户"},
  {"general maintenance", "一般维持"}, {"lost", "流失"},
};
// clang-format on

std::string lower_key(std::string_view s) {
  std::string k = header_key(s);
  for (auto& c : k)
    if (c == '-' || c == ' ') c = '_';
  return k;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string s;
  // Appends piecewise: `"," + std::string` trips GCC 12's -Wrestrict false positive (GCC bug 105329).
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) s += ',';
    s += detail::csv_field(fields[i]);
  }
  s += "\r\n";
  return s;
}

bool is_number(std::string_view v, bool integer) {
  if (v.empty()) return false;
  double d = 0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), d);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || !std::isfinite(d)) return false;
  return !integer || v.find_first_of(".eE") == std::string_view::npos;
}

const known_score* find_known(std::string_view score) {
  for (const auto& k : known_scores())
    if (score == k.score) return &k;
  return nullptr;
}

}  // namespace

std::string cn8_segment_zh(std::string_view segment) {
  std::string k;
  for (char c : segment) k += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  while (!k.empty() && k.back() == ' ') k.pop_back();
  for (const auto& [en, zh] : cn8) {
    if (k == en || k == zh) return std::string(zh);
    if (k == std::string(zh) + "客户") return std::string(zh);  // "重要价值客户"
  }
  return {};
}

export_format parse_export_format(std::string_view name) {
  if (name == "zoho-import") return export_format::zoho_import;
  if (name == "zoho-bulkwrite") return export_format::zoho_bulkwrite;
  if (name == "fxiaoke-api") return export_format::fxiaoke_api;
  if (name == "fxiaoke-import") return export_format::fxiaoke_import;
  throw invalid_argument_error("--format", "format", name, "expected zoho-import, zoho-bulkwrite, fxiaoke-api or fxiaoke-import");
}

const char* export_format_name(export_format f) noexcept {
  switch (f) {
    case export_format::zoho_import: return "zoho-import";
    case export_format::zoho_bulkwrite: return "zoho-bulkwrite";
    case export_format::fxiaoke_api: return "fxiaoke-api";
    case export_format::fxiaoke_import: return "fxiaoke-import";
  }
  return "?";
}

int profile::column(std::string_view score) const {
  std::vector<std::string> names{std::string(score)};
  for (const auto& k : known_scores())
    if (score == k.score) names.assign(k.synonyms.begin(), k.synonyms.end());
  for (const auto& [id, syn] : id_columns())
    if (score == id) names.assign(syn.begin(), syn.end());
  for (const auto& n : names)
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (lower_key(columns[i]) == lower_key(n)) return static_cast<int>(i);
  return -1;
}

profile read_profile_from_string(std::string_view text, const std::string& name) {
  const std::string utf8 = to_utf8(text, text_encoding::utf8, name);
  csv_table t = parse_csv(utf8, sniff_delimiter(utf8), name);
  if (t.rows.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no header");
  profile p;
  p.source = name;
  p.columns = std::move(t.rows[0]);
  for (std::size_t r = 1; r < t.rows.size(); ++r) {
    t.rows[r].resize(std::max(t.rows[r].size(), p.columns.size()));
    p.rows.push_back(std::move(t.rows[r]));
    p.lines.push_back(t.lines[r]);
  }
  if (p.rows.empty()) throw data_error(errc::empty_input, name, 0, 0, "", "", "no data rows");
  // `patron recommend` output (customer_id,rank,item,score): the rank-1 item is the next product.
  const int rank = p.column("rank"), item = p.column("item");
  if (rank >= 0 && item >= 0 && p.column("next_product") < 0) {
    profile top = p;
    top.rows.clear();
    top.lines.clear();
    for (std::size_t r = 0; r < p.rows.size(); ++r)
      if (p.rows[r][static_cast<std::size_t>(rank)] == "1") {
        top.rows.push_back(p.rows[r]);
        top.lines.push_back(p.lines[r]);
      }
    top.columns[static_cast<std::size_t>(item)] = "next_product";
    p = std::move(top);
  }
  if (p.column("customer_id") < 0 && p.column("record_id") < 0)
    throw data_error(errc::missing_column, name, 1, 0, "customer_id", "customer_id | record_id",
                     "no such column: a profile needs customer_id or record_id");
  return p;
}

profile read_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return read_profile_from_string(s.str(), path);
}

profile join_profiles(const std::vector<profile>& parts) {
  if (parts.empty()) throw invalid_argument_error("--from", "from", "", "no profile to export");
  if (parts.size() == 1) return parts.front();
  profile out;
  out.columns = {"customer_id", "record_id", "name"};
  std::vector<std::vector<int>> target(parts.size());  // per part: column → output column, or -1
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const profile& p = parts[k];
    out.source += (k ? " + " : "") + p.source;
    const int ids[3] = {p.column("customer_id"), p.column("record_id"), p.column("name")};
    for (std::size_t c = 0; c < p.columns.size(); ++c) {
      const int ci = static_cast<int>(c);
      int to = ci == ids[0] ? 0 : ci == ids[1] ? 1 : ci == ids[2] ? 2 : -1;
      if (to < 0) {
        const std::string key = lower_key(p.columns[c]);
        const auto same = std::find_if(out.columns.begin(), out.columns.end(), [&](const std::string& h) { return lower_key(h) == key; });
        const bool score = std::any_of(known_scores().begin(), known_scores().end(), [&](const known_score& s) {
          return p.column(s.score) == ci && out.column(s.score) >= 0;
        });
        if (score)
          throw invalid_argument_error("--from", p.columns[c], p.source, "this score is also in an earlier profile: give it once");
        if (same == out.columns.end()) {
          out.columns.push_back(p.columns[c]);
          to = static_cast<int>(out.columns.size() - 1);
        }
      }
      target[k].push_back(to);
    }
  }
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const profile& p = parts[k];
    const int cid = p.column("customer_id"), rid = p.column("record_id");
    std::unordered_map<std::string, std::uint64_t> seen;  // id → line, within this part
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      const int kc = cid >= 0 && !p.rows[r][static_cast<std::size_t>(cid)].empty() ? cid : rid;
      const std::string id = kc >= 0 ? normalise_id(p.rows[r][static_cast<std::size_t>(kc)]) : std::string();
      if (id.empty()) throw data_error(errc::missing_value, p.source, p.lines[r], static_cast<std::uint32_t>(kc + 1), "customer_id", "", "empty");
      if (const auto [it, fresh] = seen.emplace(id, p.lines[r]); !fresh)
        throw data_error(errc::invalid_argument, p.source, p.lines[r], static_cast<std::uint32_t>(kc + 1), "customer_id", id,
                         "also on line " + std::to_string(it->second) + ": export needs one row per customer (lifecycle: use --at)");
      auto [slot, added] = row_of.emplace(id, out.rows.size());
      if (added) {
        out.rows.emplace_back(out.columns.size());
        out.lines.push_back(p.lines[r]);
      }
      auto& row = out.rows[slot->second];
      for (std::size_t c = 0; c < p.columns.size() && c < p.rows[r].size(); ++c) {
        const int to = target[k][c];
        if (to >= 0 && row[static_cast<std::size_t>(to)].empty()) row[static_cast<std::size_t>(to)] = p.rows[r][c];
      }
    }
  }
  return out;
}

std::size_t attach_record_ids(profile& p, const read_result& crm_export) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::uint32_t i = 0; i < crm_export.log.customers.size(); ++i) index.emplace(std::string(crm_export.log.customers.name(i)), i);
  int rid = p.column("record_id"), nm = p.column("name");
  const int cid = p.column("customer_id");
  if (cid < 0) return 0;
  if (rid < 0) {
    p.columns.push_back("record_id");
    for (auto& r : p.rows) r.emplace_back();
    rid = static_cast<int>(p.columns.size() - 1);
  }
  if (nm < 0) {
    p.columns.push_back("name");
    for (auto& r : p.rows) r.emplace_back();
    nm = static_cast<int>(p.columns.size() - 1);
  }
  std::size_t missing = 0;
  for (auto& r : p.rows) {
    const auto it = index.find(normalise_id(r[static_cast<std::size_t>(cid)]));
    if (it == index.end()) {
      ++missing;
      continue;
    }
    r[static_cast<std::size_t>(rid)] = crm_export.record_id[it->second];
    if (r[static_cast<std::size_t>(nm)].empty()) r[static_cast<std::size_t>(nm)] = crm_export.name[it->second];
  }
  return missing;
}

field_map parse_field_map(std::string_view text, const std::string& name) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw invalid_argument_error("--fields " + name, "json", "", std::string("not valid JSON: ") + e.what());
  }
  const std::string where = "--fields " + name;
  if (!j.is_object() || !j.contains("fields") || !j["fields"].is_object())
    throw invalid_argument_error(where, "fields", "", "expected an object {\"fields\": {\"<score>\": ...}}");
  field_map m;
  const auto str = [&](const char* key) -> std::string {
    if (!j.contains(key)) return {};
    if (!j[key].is_string()) throw invalid_argument_error(where, key, j[key].dump(), "expected a string");
    return j[key].get<std::string>();
  };
  m.object = str("object");
  m.match_label = str("match_label");
  m.name_label = str("name_label");
  for (const auto& [score, v] : j["fields"].items()) {
    if (v.is_null()) {
      m.excluded.push_back(score);
      continue;
    }
    field_target f;
    f.score = score;
    if (const auto* k = find_known(score)) f.type = k->type;
    if (v.is_string()) {
      f.label = f.api_name = v.get<std::string>();
    } else if (v.is_object()) {
      for (const auto& [key, val] : v.items()) {
        if (key == "options") {
          if (!val.is_object()) throw invalid_argument_error(where, score + ".options", val.dump(), "expected an object {\"our value\": \"CRM value\"}");
          for (const auto& [ours, theirs] : val.items()) {
            if (!theirs.is_string() && !theirs.is_number())
              throw invalid_argument_error(where, score + ".options." + ours, theirs.dump(), "expected a string");
            f.options[ours] = theirs.is_string() ? theirs.get<std::string>() : theirs.dump();
          }
          continue;
        }
        if (!val.is_string()) throw invalid_argument_error(where, score + "." + key, val.dump(), "expected a string");
        if (key == "label") f.label = val.get<std::string>();
        else if (key == "api_name") f.api_name = val.get<std::string>();
        else if (key == "type") f.type = val.get<std::string>();
        else throw invalid_argument_error(where, score + "." + key, val.dump(), "unknown key (label, api_name, type, options)");
      }
    } else {
      throw invalid_argument_error(where, score, v.dump(), "expected a string, an object or null");
    }
    if (f.type.empty()) f.type = f.options.empty() ? "text" : "picklist";
    static const std::set<std::string> types = {"text", "integer", "decimal", "currency", "date", "picklist"};
    if (!types.count(f.type))
      throw invalid_argument_error(where, score + ".type", f.type, "expected text, integer, decimal, currency, date or picklist");
    m.fields.push_back(std::move(f));
  }
  return m;
}

void export_options::validate() const {
  if (max_rows > 0 && format == export_format::zoho_bulkwrite && max_rows > 25'000)
    throw invalid_argument_error("--max-rows", "max_rows", std::to_string(max_rows), "Bulk Write takes at most 25000 rows per file");
  if (max_bytes > 25u * 1024 * 1024)
    throw invalid_argument_error("--max-bytes", "max_bytes", std::to_string(max_bytes), "Bulk Write takes at most 25 MB per file");
  if (!tz.empty()) (void)parse_utc_offset(tz);
}

export_result build_export(const profile& p, const export_options& o) {
  o.validate();
  const export_format fmt = o.format;
  const bool zoho = fmt == export_format::zoho_import || fmt == export_format::zoho_bulkwrite;
  const bool api = fmt == export_format::zoho_bulkwrite || fmt == export_format::fxiaoke_api;
  const std::string where = o.source_name;
  export_result res;

  // The fields to write: the map's, or defaults for every recognised score in the profile.
  field_map m;
  if (o.fields) {
    m = *o.fields;
  } else if (fmt == export_format::fxiaoke_api) {
    throw invalid_argument_error("--fields", "fields", "", "fxiaoke-api needs a map of scores to the tenant's field_xxxxx__c API names");
  }
  if (!o.fields) {
    for (const auto& k : known_scores()) {
      if (p.column(k.score) < 0) continue;
      field_target f;
      f.score = k.score;
      f.type = k.type;
      f.label = fmt == export_format::fxiaoke_import ? k.zh_label : k.zoho_label;
      f.api_name = k.zoho_label;
      std::replace(f.api_name.begin(), f.api_name.end(), ' ', '_');  // Zoho's label → API name rule [inferred]
      m.fields.push_back(std::move(f));
    }
  }
  // Fill what a short map left out; check every target.
  for (auto& f : m.fields) {
    const auto* k = find_known(f.score);
    if (f.label.empty() && k) f.label = fmt == export_format::fxiaoke_import ? k->zh_label : k->zoho_label;
    if (f.api_name.empty() && k && fmt == export_format::zoho_bulkwrite) {
      f.api_name = k->zoho_label;
      std::replace(f.api_name.begin(), f.api_name.end(), ' ', '_');
    }
    if (p.column(f.score) < 0)
      throw invalid_argument_error("--fields", f.score, "", "the profile " + p.source + " has no such column");
    if (api && f.api_name.empty())
      throw invalid_argument_error("--fields", f.score, "", std::string("no API name for this score (") + export_format_name(fmt) + ")");
    if (fmt == export_format::fxiaoke_api) {
      bool ok = !f.api_name.empty() && !(f.api_name[0] >= '0' && f.api_name[0] <= '9');
      for (char c : f.api_name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
      if (!ok) throw invalid_argument_error("--fields", f.score, f.api_name, "not an FXiaoKe field API name (letters, digits, _; e.g. field_AbC12__c)");
      if (f.type == "picklist" && f.options.empty())
        throw invalid_argument_error("--fields", f.score, f.api_name,
                                     "a single-select field needs \"options\" mapping each value to the tenant's option value");
    }
  }
  // fxiaoke-api: every recognised score in the profile must be mapped or left out on purpose.
  if (fmt == export_format::fxiaoke_api) {
    for (const auto& k : known_scores()) {
      if (p.column(k.score) < 0) continue;
      const bool mapped = std::any_of(m.fields.begin(), m.fields.end(), [&](const field_target& f) { return f.score == k.score; });
      const bool excluded = std::find(m.excluded.begin(), m.excluded.end(), k.score) != m.excluded.end();
      if (!mapped && !excluded)
        throw invalid_argument_error("--fields", k.score, "",
                                     "unmapped FXiaoKe field: map this score to a field_xxxxx__c API name, or set it to null to leave it out");
    }
  }
  if (m.fields.empty()) throw invalid_argument_error("--fields", "fields", "", "no score to write: the profile has none of the recognised columns");
  if (fmt == export_format::zoho_bulkwrite && m.fields.size() + 1 > 200)
    throw invalid_argument_error("--fields", "columns", std::to_string(m.fields.size() + 1), "Bulk Write takes at most 200 columns");

  const int c_rid = p.column("record_id"), c_cid = p.column("customer_id"), c_name = p.column("name");
  const std::int32_t offset = parse_utc_offset(o.tz.empty() ? (zoho ? "UTC" : "Asia/Shanghai") : o.tz);

  // Values per row, checked and converted before any output exists.
  std::vector<std::set<std::string>> picked(m.fields.size());
  const auto cell = [&](std::size_t r, int c) -> std::string {
    return c >= 0 ? std::string(p.rows[r][static_cast<std::size_t>(c)]) : std::string();
  };
  const auto bad = [&](std::size_t r, int c, const std::string& fname, const std::string& v, const std::string& problem) {
    throw data_error(errc::bad_number, p.source, p.lines[r], static_cast<std::uint32_t>(c + 1), fname, v, problem);
  };
  std::vector<std::vector<std::string>> values(p.rows.size());
  std::vector<std::string> ids(p.rows.size()), names(p.rows.size());
  std::unordered_map<std::string, std::uint64_t> id_line;  // a customer twice would be updated twice
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    std::string id = c_rid >= 0 && !cell(r, c_rid).empty() ? cell(r, c_rid) : std::string();
    if (id.empty() && fmt != export_format::zoho_import) id = cell(r, c_cid);
    if (id.empty())
      throw data_error(errc::missing_value, p.source, p.lines[r], static_cast<std::uint32_t>((c_rid >= 0 ? c_rid : c_cid) + 1), "record_id", "",
                       fmt == export_format::zoho_import
                           ? "empty: the Zoho import matches on Record Id exactly as exported (zcrm_...); add record_id or use --ids-from"
                           : "empty: no record id or customer id");
    ids[r] = fmt == export_format::zoho_bulkwrite ? normalise_id(id) : id;
    if (const auto [it, fresh] = id_line.emplace(normalise_id(id), p.lines[r]); !fresh)
      throw data_error(errc::invalid_argument, p.source, p.lines[r], static_cast<std::uint32_t>((c_rid >= 0 ? c_rid : c_cid) + 1), "record_id", id,
                       "also on line " + std::to_string(it->second) + ": export needs one row per customer (lifecycle: use --at)");
    names[r] = cell(r, c_name);
    for (std::size_t f = 0; f < m.fields.size(); ++f) {
      const auto& t = m.fields[f];
      const int c = p.column(t.score);
      std::string v = cell(r, c);
      if (!v.empty()) {
        if (t.type == "integer" && !is_number(v, true)) bad(r, c, t.score, v, "not an integer");
        if ((t.type == "decimal" || t.type == "currency") && !is_number(v, false)) bad(r, c, t.score, v, "not a number");
        if (t.type == "currency") {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.2f", std::strtod(v.c_str(), nullptr));
          v = buf;
        }
        if (t.type == "date") {
          const auto d = parse_date(v);
          if (!d) throw data_error(errc::bad_date, p.source, p.lines[r], static_cast<std::uint32_t>(c + 1), t.score, v, "not a date YYYY-MM-DD");
          if (fmt == export_format::fxiaoke_api) v = std::to_string((start_of(*d) - offset) * 1000);
        }
        if (t.type == "picklist") {
          if (!t.options.empty()) {
            const auto it = t.options.find(v);
            if (it == t.options.end()) {
              std::string known;
              for (const auto& [ours, theirs] : t.options) known += (known.empty() ? "" : ", ") + ours;
              throw invalid_argument_error("--fields", t.score, v,
                                           "pick-list value not in the map (" + p.source + ":" + std::to_string(p.lines[r]) + "); mapped: " + known);
            }
            v = it->second;
          } else if (fmt == export_format::fxiaoke_import && t.score == "segment") {
            const std::string zh = cn8_segment_zh(v);
            if (zh.empty())
              throw invalid_argument_error("--fields", t.score, v,
                                           "pick-list value not in the 8-class Chinese table (" + p.source + ":" + std::to_string(p.lines[r]) +
                                               "); add \"options\" for segment to the map");
            v = zh;
          }
          picked[f].insert(v);
        }
      }
      values[r].push_back(std::move(v));
    }
  }
  for (std::size_t f = 0; f < m.fields.size(); ++f) {
    if (m.fields[f].type != "picklist") continue;
    std::string line = (api ? m.fields[f].api_name : m.fields[f].label) + ":";
    std::size_t i = 0;
    for (const auto& v : picked[f]) line += (i++ ? ", " : " ") + v;
    res.picklists.push_back(std::move(line));
  }
  for (const auto& x : m.excluded) res.notes.push_back(x + " left out (null in the map)");

  const std::string object = !m.object.empty() ? m.object : zoho ? "Accounts" : "AccountObj";
  if (fmt == export_format::fxiaoke_api) {
    export_file file{"fxiaoke-api.jsonl", {}, 0};
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      nlohmann::ordered_json data;
      data["dataObjectApiName"] = object;
      data["_id"] = ids[r];
      for (std::size_t f = 0; f < m.fields.size(); ++f) {
        if (values[r][f].empty()) continue;  // not sent: the field keeps its value
        if (m.fields[f].type == "date") data[m.fields[f].api_name] = std::stoll(values[r][f]);
        else data[m.fields[f].api_name] = values[r][f];
      }
      nlohmann::ordered_json body;
      body["triggerWorkFlow"] = o.trigger_workflow;
      body["triggerApprovalFlow"] = o.trigger_workflow;
      body["data"]["object_data"] = std::move(data);
      file.content += body.dump() + "\n";
      ++file.rows;
    }
    res.files.push_back(std::move(file));
    return res;
  }

  std::vector<std::string> header;
  if (fmt == export_format::zoho_bulkwrite) {
    header.push_back("id");
  } else {
    header.push_back(!m.match_label.empty() ? m.match_label : zoho ? "Record Id" : "数据ID");
    header.push_back(!m.name_label.empty() ? m.name_label : zoho ? "Account Name" : "客户名称");
  }
  for (const auto& f : m.fields) header.push_back(fmt == export_format::zoho_bulkwrite ? f.api_name : f.label);
  const std::string head = (fmt == export_format::fxiaoke_import ? "\xEF\xBB\xBF" : "") + csv_line(header);
  const std::size_t max_rows = o.max_rows > 0 ? o.max_rows : fmt == export_format::zoho_bulkwrite ? 25'000 : 10'000;
  const std::size_t max_bytes = fmt == export_format::zoho_bulkwrite ? (o.max_bytes > 0 ? o.max_bytes : 25u * 1024 * 1024) : 0;
  const std::string stem = export_format_name(fmt);
  export_file cur;
  const auto flush = [&] {
    if (cur.rows == 0) return;
    char num[16];
    std::snprintf(num, sizeof num, "-%03zu.csv", res.files.size() + 1);
    cur.name = stem + num;
    res.files.push_back(std::move(cur));
    cur = export_file{};
  };
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    std::vector<std::string> fields{ids[r]};
    if (fmt != export_format::zoho_bulkwrite) fields.push_back(names[r]);
    fields.insert(fields.end(), values[r].begin(), values[r].end());
    const std::string line = csv_line(fields);
    if (max_bytes > 0 && head.size() + line.size() > max_bytes)
      throw data_error(errc::line_too_long, p.source, p.lines[r], 0, "bytes", std::to_string(line.size()),
                       "one row does not fit the " + std::to_string(max_bytes) + "-byte file limit");
    if (cur.rows == max_rows || (max_bytes > 0 && cur.content.size() + line.size() > max_bytes)) flush();
    if (cur.rows == 0) cur.content = head;
    cur.content += line;
    ++cur.rows;
  }
  flush();
  if (fmt == export_format::zoho_bulkwrite)
    res.notes.push_back("zip each CSV alone for the Bulk Write upload; create the job with operation \"update\" on module " + object);
  return res;
}

void write_export(const export_result& r, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw data_error(errc::io_error, dir, 0, 0, "", "", "cannot create directory: " + ec.message());
  std::vector<fs::path> temps;
  const auto cleanup = [&] {
    for (const auto& t : temps) fs::remove(t, ec);
  };
  for (const auto& f : r.files) {
    const fs::path tmp = fs::path(dir) / ("." + f.name + ".partial");
    temps.push_back(tmp);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    out.close();
    if (!out) {
      cleanup();
      throw data_error(errc::io_error, tmp.string(), 0, 0, "", "", "write failed");
    }
  }
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    fs::rename(temps[i], fs::path(dir) / r.files[i].name, ec);
    if (ec) {
      cleanup();
      throw data_error(errc::io_error, (fs::path(dir) / r.files[i].name).string(), 0, 0, "", "", "cannot rename: " + ec.message());
    }
  }
}

}  // namespace patron::inline v1::crm
