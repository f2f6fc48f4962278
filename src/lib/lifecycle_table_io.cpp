// SPDX-License-Identifier: MIT
// Lifecycle transition tables from JSON (nlohmann/json, private) and CSV, and guards as text.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "patron/error.hpp"
#include "patron/lifecycle/table_io.hpp"

namespace patron::inline v1::lifecycle {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad_guard(std::string_view piece, std::string_view problem) {
  throw invalid_argument_error(errc::bad_rule, format_error(errc::bad_rule, "guard", "condition", piece, problem));
}

feature feature_or_throw(std::string_view name, std::string_view piece) {
  const auto f = parse_feature(trim(name));
  if (!f) bad_guard(piece, "unknown feature \"" + std::string(trim(name)) + "\"");
  return *f;
}

std::optional<comparison> parse_op(std::string_view s) {
  for (comparison c : {comparison::le, comparison::ge, comparison::eq, comparison::ne, comparison::lt, comparison::gt})
    if (comparison_symbol(c) == s) return c;
  return std::nullopt;
}

double number_or_throw(std::string_view s, std::string_view piece) {
  s = trim(s);
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
    bad_guard(piece, "\"" + std::string(s) + "\" is not a number");
  return v;
}

condition parse_condition(std::string_view piece) {
  const std::string_view p = trim(piece);
  // The operator: the first run of <, >, =, !.
  const std::size_t at = p.find_first_of("<>=!");
  if (at == std::string_view::npos) bad_guard(p, "no comparison (<, <=, >, >=, ==, !=)");
  std::size_t end = at;
  while (end < p.size() && std::string_view("<>=!").find(p[end]) != std::string_view::npos) ++end;
  const auto op = parse_op(p.substr(at, end - at));
  if (!op) bad_guard(p, "unknown comparison \"" + std::string(p.substr(at, end - at)) + "\"");
  condition c;
  c.lhs = feature_or_throw(p.substr(0, at), p);
  c.op = *op;
  const std::string_view rhs = p.substr(end);
  if (const std::size_t star = rhs.find('*'); star != std::string_view::npos) {
    c.threshold = number_or_throw(rhs.substr(0, star), p);
    c.scale = feature_or_throw(rhs.substr(star + 1), p);
  } else {
    c.threshold = number_or_throw(rhs, p);
  }
  return c;
}

std::string fmt_number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

[[noreturn]] void bad_table(const std::string& source, std::uint64_t line, std::string field, std::string value,
                            std::string problem) {
  throw data_error(errc::bad_rule, source, line, 0, std::move(field), std::move(value), std::move(problem));
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

guard parse_guard(std::string_view text) {
  guard g;
  const std::string_view t = trim(text);
  if (t.empty() || t == "always") return g;
  const bool has_and = t.find('&') != std::string_view::npos, has_or = t.find('|') != std::string_view::npos;
  if (has_and && has_or) bad_guard(t, "mixes & and |: split it into two rows");
  const char sep = has_or ? '|' : '&';
  g.mode = has_or ? combine::any : combine::all;
  std::size_t start = 0;
  while (true) {
    const std::size_t next = t.find(sep, start);
    g.conditions.push_back(parse_condition(t.substr(start, next == std::string_view::npos ? next : next - start)));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return g;
}

std::string to_string(const guard& g) {
  std::string out;
  for (const condition& c : g.conditions) {
    if (!out.empty()) out += g.mode == combine::all ? " & " : " | ";
    out += feature_name(c.lhs);
    out += ' ';
    out += comparison_symbol(c.op);
    out += ' ';
    out += fmt_number(c.threshold);
    if (c.scale != feature::none) {
      out += '*';
      out += feature_name(c.scale);
    }
  }
  return out;
}

transition_table table_from_json(std::string_view text, const std::string& source) {
  using nlohmann::json;
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    bad_table(source, 0, "", "", std::string("not JSON: ") + e.what());
  }
  auto str = [&](const json& obj, const char* key, const std::string& path, bool required) -> std::string {
    if (!obj.contains(key)) {
      if (required) bad_table(source, 0, path + "." + key, "", "missing");
      return {};
    }
    const json& v = obj.at(key);
    if (!v.is_string()) bad_table(source, 0, path + "." + key, v.dump(), "must be a string");
    return v.get<std::string>();
  };
  auto names = [&](const char* key) {
    std::vector<std::string> out;
    if (!j.contains(key) || !j.at(key).is_array()) bad_table(source, 0, key, "", "must be an array of names");
    for (const json& v : j.at(key)) {
      if (!v.is_string()) bad_table(source, 0, key, v.dump(), "must be a string");
      out.push_back(v.get<std::string>());
    }
    return out;
  };
  if (!j.is_object()) bad_table(source, 0, "", "", "the table must be a JSON object");
  transition_table t;
  t.name = str(j, "name", "", false);
  t.states = names("states");
  t.events = names("events");
  t.initial = str(j, "initial", "", true);
  if (!j.contains("rows") || !j.at("rows").is_array()) bad_table(source, 0, "rows", "", "must be an array");
  std::size_t i = 0;
  for (const json& r : j.at("rows")) {
    const std::string path = "rows[" + std::to_string(i++) + "]";
    if (!r.is_object()) bad_table(source, 0, path, r.dump(), "must be an object");
    transition_row row;
    row.from = str(r, "from", path, true);
    row.event = str(r, "event", path, true);
    row.to = str(r, "to", path, true);
    row.name = str(r, "name", path, false);
    if (r.contains("guard")) {
      const json& g = r.at("guard");
      try {
        if (g.is_string()) {
          row.when = parse_guard(g.get<std::string>());
        } else if (g.is_object() && g.size() == 1 && (g.contains("all") || g.contains("any"))) {
          row.when.mode = g.contains("all") ? combine::all : combine::any;
          const json& list = g.contains("all") ? g.at("all") : g.at("any");
          if (!list.is_array()) bad_table(source, 0, path + ".guard", list.dump(), "must be an array");
          for (const json& c : list) {
            if (!c.is_object() || !c.contains("feature") || !c.contains("op") || !c.contains("value") ||
                !c.at("value").is_number())
              bad_table(source, 0, path + ".guard", c.dump(), "a condition needs feature, op and a numeric value");
            std::string cond_text = c.at("feature").get<std::string>() + " " + c.at("op").get<std::string>() + " " +
                               fmt_number(c.at("value").get<double>());
            if (c.contains("times")) cond_text += "*" + c.at("times").get<std::string>();
            row.when.conditions.push_back(parse_condition(cond_text));
          }
        } else {
          bad_table(source, 0, path + ".guard", g.dump(), "must be a string, {\"all\": [...]} or {\"any\": [...]}");
        }
      } catch (const json::exception& e) {
        bad_table(source, 0, path + ".guard", g.dump(), e.what());
      } catch (const invalid_argument_error& e) {
        bad_table(source, 0, path + ".guard", g.dump(), e.what());
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

transition_table table_from_csv(std::string_view text, const std::string& source) {
  transition_table t;
  std::uint64_t line = 0;
  std::size_t pos = 0;
  bool header = true;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view l = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line;
    if (l.empty() || l.front() == '#') continue;
    std::vector<std::string_view> f;
    std::size_t s = 0;
    while (true) {
      const std::size_t c = l.find(',', s);
      f.push_back(trim(l.substr(s, c == std::string_view::npos ? c : c - s)));
      if (c == std::string_view::npos) break;
      s = c + 1;
    }
    if (header) {
      if (f.size() < 4 || f[0] != "from" || f[1] != "event" || f[2] != "to" || f[3] != "guard")
        bad_table(source, line, "header", std::string(l), "expected from,event,to,guard[,name]");
      header = false;
      continue;
    }
    if (f.size() < 4 || f.size() > 5)
      bad_table(source, line, "fields", std::to_string(f.size()), "expected 4 or 5: from,event,to,guard[,name]");
    transition_row row{std::string(f[0]), std::string(f[1]), {}, std::string(f[2]), f.size() == 5 ? std::string(f[4]) : ""};
    try {
      row.when = parse_guard(f[3]);
    } catch (const invalid_argument_error& e) {
      bad_table(source, line, "guard", std::string(f[3]), e.what());
    }
    if (t.rows.empty()) t.initial = row.from;
    add_unique(t.states, row.from);
    add_unique(t.states, row.to);
    add_unique(t.events, row.event);
    t.rows.push_back(std::move(row));
  }
  if (t.rows.empty()) bad_table(source, 0, "", "", "no transition rows");
  const std::size_t slash = source.find_last_of('/');
  t.name = slash == std::string::npos ? source : source.substr(slash + 1);
  return t;
}

transition_table load_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(errc::io_error, path, 0, 0, "", "", std::string("cannot open: ") + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  transition_table t = json ? table_from_json(text, path) : table_from_csv(text, path);
  if (t.name.empty()) t.name = path;
  return t;
}

std::string table_to_json(const transition_table& t) {
  using nlohmann::json;
  json j;
  j["name"] = t.name;
  j["states"] = t.states;
  j["events"] = t.events;
  j["initial"] = t.initial;
  j["rows"] = json::array();
  for (const transition_row& r : t.rows) {
    json row{{"from", r.from}, {"event", r.event}, {"to", r.to}};
    if (!r.name.empty()) row["name"] = r.name;
    if (!r.when.always()) row["guard"] = to_string(r.when);
    j["rows"].push_back(std::move(row));
  }
  return j.dump(2);
}

}  // namespace patron::inline v1::lifecycle
