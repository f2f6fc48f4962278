// SPDX-License-Identifier: MIT
// `patron export`: a per-customer profile CSV → files (or API bodies) Zoho CRM and 纷享销客 accept.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include "cli.hpp"
#include "patron/crm/export.hpp"
#include "patron/crm/presets.hpp"
#include "patron/error.hpp"

namespace patron::cli {

void add_export_command(CLI::App& app) {
  struct state {
    std::vector<std::string> from;
    std::string format, fields, out, tz, ids_from, preset, encoding;
    std::size_t max_rows = 0, max_bytes = 0;
    bool trigger_workflow = false;
  };
  auto s = std::make_shared<state>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Profile CSV → CRM write-back files: zoho-import, zoho-bulkwrite, fxiaoke-api (JSON Lines), fxiaoke-import");
  cmd->add_option("--from", s->from,
                  "Profile CSV: customer_id and/or record_id, name, rfm_code, segment, clv, p_alive, lifecycle_stage, "
                  "next_product, scored_on (any subset; docs/crm.md); repeat to join score files on customer_id")
      ->required();
  cmd->add_option("--format", s->format, "zoho-import|zoho-bulkwrite|fxiaoke-api|fxiaoke-import")
      ->required()
      ->check(CLI::IsMember({"zoho-import", "zoho-bulkwrite", "fxiaoke-api", "fxiaoke-import"}));
  cmd->add_option("--fields", s->fields, "Field map JSON: score → label / API name / type / pick-list options (required for fxiaoke-api)");
  cmd->add_option("--max-rows", s->max_rows, "Rows per file (default 10000; zoho-bulkwrite 25000, its maximum)");
  cmd->add_option("--max-bytes", s->max_bytes, "zoho-bulkwrite: bytes per file (default and maximum 25 MB)");
  cmd->add_option("--out", s->out, "Output directory (created if missing)")->required();
  cmd->add_option("--tz", s->tz, "fxiaoke-api: dates as millisecond epochs at midnight in this zone (default Asia/Shanghai)");
  cmd->add_flag("--trigger-workflow", s->trigger_workflow, "fxiaoke-api: let the update trigger workflows and approvals (off by default)");
  cmd->add_option("--ids-from", s->ids_from, "The CRM export the scores came from: restores verbatim record ids and names (needs --preset)");
  cmd->add_option("--preset", s->preset, "Layout of --ids-from (zoho-invoices, ..., fxiaoke-salesorder)");
  cmd->add_option("--encoding", s->encoding, "Encoding of --ids-from (default detect)");
  cmd->callback([s] {
    crm::export_options o;
    o.format = crm::parse_export_format(s->format);
    o.max_rows = s->max_rows;
    o.max_bytes = s->max_bytes;
    o.tz = s->tz;
    o.trigger_workflow = s->trigger_workflow;
    o.source_name = s->from.front();
    if (!s->fields.empty()) {
      std::ifstream in(s->fields, std::ios::binary);
      if (!in) throw invalid_argument_error("--fields", "fields", s->fields, "cannot open");
      std::ostringstream text;
      text << in.rdbuf();
      o.fields = crm::parse_field_map(text.str(), s->fields);
    }
    o.validate();
    std::vector<crm::profile> parts;
    for (const auto& f : s->from) parts.push_back(crm::read_profile(f));
    crm::profile p = crm::join_profiles(parts);
    if (!s->ids_from.empty()) {
      if (s->preset.empty()) throw invalid_argument_error("--ids-from", "preset", "", "--ids-from needs --preset naming its layout");
      crm::read_options ro;
      ro.preset = crm::parse_preset(s->preset);
      ro.encoding = crm::parse_encoding(s->encoding);
      ro.lenient = true;
      const crm::read_result ids = crm::read_export(s->ids_from, ro);
      const std::size_t missing = crm::attach_record_ids(p, ids);
      std::cerr << "export: record ids from " << s->ids_from << "; profile rows without a match: " << missing << '\n';
    }
    const crm::export_result r = crm::build_export(p, o);
    crm::write_export(r, s->out);
    for (const auto& f : r.files) std::cerr << "export: wrote " << s->out << '/' << f.name << " (" << f.rows << " rows)\n";
    for (const auto& l : r.picklists) std::cerr << "pick-list values to create first: " << l << '\n';
    for (const auto& n : r.notes) std::cerr << "note: " << n << '\n';
  });
}

}  // namespace patron::cli
