// SPDX-License-Identifier: MIT
// report.html: one self-contained XHTML-style page with inline SVG charts (no script, no network).
// Every chart has a title, labelled axes with units and values written on it, and uses hatching
// and grey levels rather than colour alone, so it reads in black and white.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "patron/report.hpp"

namespace patron::inline v1::report {
namespace {

std::string esc(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') o += ' ';
        else o += c;
    }
  }
  return o;
}

std::string fmt(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s = s.substr(1);
  return s;
}
std::string pct(double share, int digits = 1) { return fmt(100.0 * share, digits) + " %"; }
/// 12345.6 → "12,346" (money and counts for people).
std::string grouped(double v, int digits = 0) {
  if (!std::isfinite(v)) return "n/a";
  std::string s = fmt(std::abs(v), digits);
  const auto dot = s.find('.');
  std::string head = s.substr(0, dot), tail = dot == std::string::npos ? "" : s.substr(dot);
  std::string out;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (i && (head.size() - i) % 3 == 0) out += ',';
    out += head[i];
  }
  return (v < 0 && s.find_first_not_of("0.") != std::string::npos ? "-" : "") + out + tail;
}
std::string trunc(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return s.substr(0, cut) + "…";
}

/// A "nice" axis maximum and tick step for values up to `v` (1, 2, 5 × 10^k steps, ~5 ticks).
std::pair<double, double> nice_axis(double v) {
  if (!(v > 0) || !std::isfinite(v)) return {1.0, 0.2};
  const double raw = v / 5.0;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = p;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  return {std::ceil(v / step) * step, step};
}
std::string tick_label(double v, double step) {
  if (std::abs(v) >= 1e6) return fmt(v / 1e6, step >= 1e6 ? 0 : 1) + "M";
  if (std::abs(v) >= 1e4) return fmt(v / 1e3, step >= 1e3 ? 0 : 1) + "k";
  const int d = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
  return fmt(v, d);
}

// Fill styles: grey levels and hatching, distinguishable without colour (defined in <defs>).
const char* const fills[] = {"#4a4a4a", "url(#hatch-diag)", "#b0b0b0", "url(#hatch-cross)", "#ffffff",
                             "url(#hatch-dots)", "#7a7a7a", "url(#hatch-horiz)"};
constexpr std::size_t n_fills = 8;

const char* defs =
    "<defs>"
    "<pattern id=\"hatch-diag\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
    "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#222\" stroke-width=\"2\"/></pattern>"
    "<pattern id=\"hatch-cross\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
    "<rect width=\"6\" height=\"6\" fill=\"#dddddd\"/><path d=\"M0 3H6M3 0V6\" stroke=\"#222\" stroke-width=\"1\"/></pattern>"
    "<pattern id=\"hatch-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
    "<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#222\"/></pattern>"
    "<pattern id=\"hatch-horiz\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
    "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"#222\" stroke-width=\"1.5\"/></pattern>"
    "</defs>";

/// One chart: a <figure> with a heading, the SVG and a caption.
class chart {
 public:
  chart(std::string id, std::string title, double w, double h) : id_(std::move(id)), title_(std::move(title)), w_(w), h_(h) {}
  std::ostringstream& body() { return b_; }
  void caption(std::string c) { caption_ = std::move(c); }
  void write(std::ostream& os) const {
    os << "<figure class=\"chart\" id=\"" << id_ << "\">\n<h3>" << esc(title_) << "</h3>\n"
       << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"svg-" << id_ << "\" viewBox=\"0 0 " << w_ << ' ' << h_
       << "\" width=\"" << w_ << "\" height=\"" << h_ << "\" role=\"img\" aria-label=\"" << esc(title_) << "\">"
       << "<title>" << esc(title_) << "</title>" << defs << '\n'
       << b_.str() << "</svg>\n";
    if (!caption_.empty()) os << "<figcaption>" << esc(caption_) << "</figcaption>\n";
    os << "</figure>\n";
  }

 private:
  std::string id_, title_, caption_;
  double w_, h_;
  std::ostringstream b_;
};

void text(std::ostream& os, double x, double y, std::string_view s, const char* anchor = "start", const char* cls = "",
          const std::string& extra = "") {
  os << "<text x=\"" << fmt(x, 1) << "\" y=\"" << fmt(y, 1) << "\" text-anchor=\"" << anchor << "\"";
  if (*cls) os << " class=\"" << cls << "\"";
  os << extra << '>' << esc(s) << "</text>\n";
}
void line(std::ostream& os, double x1, double y1, double x2, double y2, const char* extra = "stroke=\"#222\"") {
  os << "<line x1=\"" << fmt(x1, 1) << "\" y1=\"" << fmt(y1, 1) << "\" x2=\"" << fmt(x2, 1) << "\" y2=\"" << fmt(y2, 1)
     << "\" " << extra << "/>\n";
}
void rect(std::ostream& os, double x, double y, double w, double h, const std::string& fill, const std::string& extra = "") {
  os << "<rect x=\"" << fmt(x, 1) << "\" y=\"" << fmt(y, 1) << "\" width=\"" << fmt(std::max(w, 0.0), 1) << "\" height=\""
     << fmt(std::max(h, 0.0), 1) << "\" fill=\"" << fill << "\" stroke=\"#222\" stroke-width=\"0.6\"" << extra << "/>\n";
}

/// Horizontal bars: one row per label, the value written after the bar. `data` adds
/// data-name/data-value attributes a test can read back.
void hbar_chart(std::ostream& os, const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                const std::vector<double>& values, const std::vector<std::string>& value_text, const std::string& x_label,
                const std::string& caption = "") {
  const double left = 190, right = 170, row = 24, top = 10;
  const double w = 760, h = top + row * static_cast<double>(labels.size()) + 48;
  chart c(id, title, w, h);
  auto& b = c.body();
  double vmax = 0;
  for (double v : values) vmax = std::max(vmax, v);
  const auto [amax, step] = nice_axis(vmax);
  const double pw = w - left - right, base = top + row * static_cast<double>(labels.size());
  for (double t = 0; t <= amax + step / 2; t += step) {
    const double x = left + pw * t / amax;
    line(b, x, top, x, base, "stroke=\"#ccc\" stroke-dasharray=\"2,2\"");
    text(b, x, base + 14, tick_label(t, step), "middle", "tick");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    text(b, left - 6, y + row * 0.65, trunc(labels[i], 30), "end", "label");
    rect(b, left, y + 3, pw * std::max(values[i], 0.0) / amax, row - 6, fills[i % n_fills],
         " data-name=\"" + esc(labels[i]) + "\" data-value=\"" + esc(value_text[i]) + "\"");
    text(b, left + pw * std::max(values[i], 0.0) / amax + 5, y + row * 0.65, value_text[i], "start", "value");
  }
  line(b, left, top, left, base);
  line(b, left, base, left + pw, base);
  text(b, left + pw / 2, base + 34, x_label, "middle", "axis");
  c.caption(caption);
  c.write(os);
}

/// A grid of cells with a number written in each and a grey level from `shade` (0..1).
void heatmap(std::ostream& os, const std::string& id, const std::string& title, const std::vector<std::string>& rows,
             const std::vector<std::string>& cols, const std::vector<std::vector<std::string>>& cell_text,
             const std::vector<std::vector<std::string>>& cell_text2, const std::vector<std::vector<double>>& shade,
             const std::string& row_label, const std::string& col_label, const std::string& caption, double cell_w = 70,
             double cell_h = 34) {
  const double left = 130, top = 30;
  const double w = std::max(420.0, left + cell_w * static_cast<double>(cols.size()) + 20);
  const double h = top + cell_h * static_cast<double>(rows.size()) + 56;
  chart c(id, title, w, h);
  auto& b = c.body();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = top + cell_h * static_cast<double>(i);
    text(b, left - 6, y + cell_h / 2 + 4, rows[i], "end", "label");
    for (std::size_t j = 0; j < cols.size() && j < cell_text[i].size(); ++j) {
      const double x = left + cell_w * static_cast<double>(j);
      const double s = std::clamp(shade[i][j], 0.0, 1.0);
      const int g = static_cast<int>(std::lround(245 - 190 * s));
      char fill[16];
      std::snprintf(fill, sizeof fill, "#%02x%02x%02x", g, g, g);
      rect(b, x, y, cell_w, cell_h, fill, " data-row=\"" + esc(rows[i]) + "\" data-col=\"" + esc(cols[j]) + "\" data-value=\"" + esc(cell_text[i][j]) + "\"");
      const char* cls = s > 0.55 ? "cell inv" : "cell";
      if (cell_text2.empty()) {
        text(b, x + cell_w / 2, y + cell_h / 2 + 4, cell_text[i][j], "middle", cls);
      } else {
        text(b, x + cell_w / 2, y + cell_h / 2 - 2, cell_text[i][j], "middle", cls);
        text(b, x + cell_w / 2, y + cell_h / 2 + 11, cell_text2[i][j], "middle", s > 0.55 ? "small inv" : "small");
      }
    }
  }
  const double base = top + cell_h * static_cast<double>(rows.size());
  for (std::size_t j = 0; j < cols.size(); ++j) text(b, left + cell_w * (static_cast<double>(j) + 0.5), base + 14, cols[j], "middle", "tick");
  text(b, left + cell_w * static_cast<double>(cols.size()) / 2, base + 36, col_label, "middle", "axis");
  text(b, 4, top - 10, row_label, "start", "axis");  // above the row labels: fits however few rows
  c.caption(caption);
  c.write(os);
}

struct series {
  std::string name;
  std::vector<double> x, y;
  const char* dash;  ///< stroke-dasharray ("" = solid)
  bool markers;
};

/// Lines over a numeric x axis; each series has its own dash pattern and marker, named in a legend.
void line_chart(std::ostream& os, const std::string& id, const std::string& title, const std::vector<series>& ss, double xmin,
                double xmax, const std::string& x_label, const std::string& y_label,
                const std::vector<std::pair<double, std::string>>& x_ticks, const std::string& caption, double ymax_in = 0,
                double vline = std::nan("")) {
  const double left = 70, right = 20, top = 34, bottom = 52, w = 760, h = 340;
  chart c(id, title, w, h);
  auto& b = c.body();
  double ymax = ymax_in;
  if (ymax <= 0)
    for (const auto& s : ss)
      for (double v : s.y)
        if (std::isfinite(v)) ymax = std::max(ymax, v);
  const auto [amax, step] = nice_axis(ymax);
  const double pw = w - left - right, ph = h - top - bottom;
  const auto X = [&](double x) { return left + pw * (x - xmin) / (xmax > xmin ? xmax - xmin : 1); };
  const auto Y = [&](double y) { return top + ph * (1 - y / amax); };
  for (double t = 0; t <= amax + step / 2; t += step) {
    line(b, left, Y(t), left + pw, Y(t), "stroke=\"#ddd\"");
    text(b, left - 5, Y(t) + 4, tick_label(t, step), "end", "tick");
  }
  for (const auto& [x, l] : x_ticks) {
    line(b, X(x), top + ph, X(x), top + ph + 4);
    text(b, X(x), top + ph + 16, l, "middle", "tick");
  }
  if (std::isfinite(vline)) {
    line(b, X(vline), top, X(vline), top + ph, "stroke=\"#222\" stroke-dasharray=\"1,3\" stroke-width=\"1.5\"");
    text(b, X(vline) + 4, top + 10, "calibration end", "start", "small");
  }
  line(b, left, top, left, top + ph);
  line(b, left, top + ph, left + pw, top + ph);
  double lx = left + 8;
  for (std::size_t k = 0; k < ss.size(); ++k) {
    const auto& s = ss[k];
    std::ostringstream pts;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.y[i])) pts << fmt(X(s.x[i]), 1) << ',' << fmt(Y(s.y[i]), 1) << ' ';
    b << "<polyline fill=\"none\" stroke=\"#111\" stroke-width=\"" << (k == 0 ? "2.2" : "1.6") << "\""
      << (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : std::string()) << " points=\"" << pts.str()
      << "\" data-series=\"" << esc(s.name) << "\"/>\n";
    if (s.markers)
      for (std::size_t i = 0; i < s.x.size(); ++i)
        if (std::isfinite(s.y[i]))
          b << (k % 2 == 0 ? "<circle r=\"2.5\" fill=\"#111\" cx=\"" : "<circle r=\"2.5\" fill=\"#fff\" stroke=\"#111\" cx=\"")
            << fmt(X(s.x[i]), 1) << "\" cy=\"" << fmt(Y(s.y[i]), 1) << "\"/>\n";
    // legend
    line(b, lx, 14, lx + 28, 14, (std::string("stroke=\"#111\" stroke-width=\"2\"") + (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : "")).c_str());
    text(b, lx + 32, 18, s.name, "start", "legend");
    lx += 40 + 7.0 * static_cast<double>(s.name.size()) + 16;
  }
  text(b, left + pw / 2, h - 10, x_label, "middle", "axis");
  text(b, 14, top + ph / 2, y_label, "middle", "axis", " transform=\"rotate(-90 14 " + fmt(top + ph / 2, 1) + ")\"");
  c.caption(caption);
  c.write(os);
}

/// Vertical bars over bins (a histogram), the count written above each bar.
void histogram(std::ostream& os, const std::string& id, const std::string& title, const std::vector<double>& edges,
               const std::vector<std::uint64_t>& counts, const std::string& x_label, int edge_digits, bool open_last,
               const std::string& caption) {
  const double left = 70, right = 20, top = 24, bottom = 56, w = 760, h = 320;
  chart c(id, title, w, h);
  auto& b = c.body();
  double ymax = 0;
  for (auto v : counts) ymax = std::max(ymax, static_cast<double>(v));
  const auto [amax, step] = nice_axis(ymax);
  const double pw = w - left - right, ph = h - top - bottom;
  const double bw = pw / static_cast<double>(counts.size());
  for (double t = 0; t <= amax + step / 2; t += step) {
    line(b, left, top + ph * (1 - t / amax), left + pw, top + ph * (1 - t / amax), "stroke=\"#ddd\"");
    text(b, left - 5, top + ph * (1 - t / amax) + 4, tick_label(t, step), "end", "tick");
  }
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double bh = ph * static_cast<double>(counts[i]) / amax;
    const std::string range = fmt(edges[i], edge_digits) + (open_last && i + 1 == counts.size() ? "+" : "–" + fmt(edges[i + 1], edge_digits));
    rect(b, left + bw * static_cast<double>(i) + 1, top + ph - bh, bw - 2, bh, "#9a9a9a",
         " data-name=\"" + esc(range) + "\" data-value=\"" + std::to_string(counts[i]) + "\"");
    text(b, left + bw * (static_cast<double>(i) + 0.5), top + ph - bh - 3, grouped(static_cast<double>(counts[i])), "middle", "value");
    text(b, left + bw * static_cast<double>(i), top + ph + 14, fmt(edges[i], edge_digits), "middle", "tick");
  }
  text(b, left + pw, top + ph + 14, fmt(edges.back(), edge_digits) + (open_last ? "+" : ""), "middle", "tick");
  line(b, left, top, left, top + ph);
  line(b, left, top + ph, left + pw, top + ph);
  text(b, left + pw / 2, h - 12, x_label, "middle", "axis");
  text(b, 14, top + ph / 2, "customers", "middle", "axis", " transform=\"rotate(-90 14 " + fmt(top + ph / 2, 1) + ")\"");
  c.caption(caption);
  c.write(os);
}

/// Stacked vertical bars (one per date, one stack part per group), hatched per group, with legend.
void stacked_bars(std::ostream& os, const std::string& id, const std::string& title, const std::vector<std::string>& xs,
                  const std::vector<std::string>& groups, const std::vector<std::vector<std::uint64_t>>& v,
                  const std::vector<bool>& show, const std::string& x_label, const std::string& y_label,
                  const std::string& caption) {
  const double left = 70, right = 150, top = 20, bottom = 60, w = 780, h = 360;
  chart c(id, title, w, h);
  auto& b = c.body();
  double ymax = 0;
  for (const auto& row : v) {
    double s = 0;
    for (std::size_t g = 0; g < row.size(); ++g)
      if (show[g]) s += static_cast<double>(row[g]);
    ymax = std::max(ymax, s);
  }
  const auto [amax, step] = nice_axis(ymax);
  const double pw = w - left - right, ph = h - top - bottom;
  const double bw = pw / static_cast<double>(std::max<std::size_t>(xs.size(), 1));
  for (double t = 0; t <= amax + step / 2; t += step) {
    line(b, left, top + ph * (1 - t / amax), left + pw, top + ph * (1 - t / amax), "stroke=\"#ddd\"");
    text(b, left - 5, top + ph * (1 - t / amax) + 4, tick_label(t, step), "end", "tick");
  }
  const std::size_t every = std::max<std::size_t>(1, (xs.size() + 11) / 12);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    double y = top + ph;
    std::size_t k = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (!show[g]) continue;
      const double bh = ph * static_cast<double>(v[i][g]) / amax;
      y -= bh;
      rect(b, left + bw * static_cast<double>(i) + 1, y, std::max(bw - 2, 1.0), bh, fills[k % n_fills],
           " data-name=\"" + esc(groups[g]) + "\" data-date=\"" + esc(xs[i]) + "\" data-value=\"" + std::to_string(v[i][g]) + "\"");
      ++k;
    }
    if (i % every == 0 || i + 1 == xs.size())
      text(b, left + bw * (static_cast<double>(i) + 0.5), top + ph + 14, xs[i].substr(0, 7), "middle", "tick",
           " transform=\"rotate(-30 " + fmt(left + bw * (static_cast<double>(i) + 0.5), 1) + ' ' + fmt(top + ph + 14, 1) + ")\"");
  }
  std::size_t k = 0;
  double ly = top + 4;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!show[g]) continue;
    rect(b, left + pw + 14, ly, 16, 12, fills[k % n_fills]);
    text(b, left + pw + 36, ly + 10, groups[g] + " (" + grouped(static_cast<double>(v.back()[g])) + ")", "start", "legend");
    ly += 20;
    ++k;
  }
  line(b, left, top, left, top + ph);
  line(b, left, top + ph, left + pw, top + ph);
  text(b, left + pw / 2, h - 6, x_label, "middle", "axis");
  text(b, 14, top + ph / 2, y_label, "middle", "axis", " transform=\"rotate(-90 14 " + fmt(top + ph / 2, 1) + ")\"");
  c.caption(caption);
  c.write(os);
}

void kpi(std::ostream& os, const char* id, const std::string& label, const std::string& value) {
  os << "<div class=\"kpi\"><div class=\"kv\" id=\"" << id << "\">" << esc(value) << "</div><div class=\"kl\">" << esc(label)
     << "</div></div>\n";
}

}  // namespace

void write_html(const customer_report& r, std::ostream& os) {
  os << "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
     << "<title>Customer value report: " << esc(r.source) << "</title>\n<style>\n"
     << "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#111;background:#fff;margin:0 auto;max-width:1000px;padding:16px 24px}\n"
     << "h1{font-size:24px;margin:4px 0}h2{font-size:19px;margin:28px 0 6px;border-bottom:2px solid #111}h3{font-size:15px;margin:6px 0}\n"
     << ".meta{color:#333;font-size:13px}\n"
     << ".kpis{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}.kpi{border:1px solid #444;padding:8px 12px;min-width:140px}\n"
     << ".kv{font-size:20px;font-weight:bold}.kl{font-size:12px;color:#333}\n"
     << "figure.chart{margin:12px 0 20px}figure.chart svg{max-width:100%;height:auto;display:block}\n"
     << "figcaption{font-size:12px;color:#333;max-width:760px}\n"
     << "text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:11px;fill:#111}\n"
     << "text.axis{font-size:12px;font-weight:bold}text.value{font-size:11px}text.cell{font-size:12px}\n"
     << "text.small{font-size:9px}text.inv{fill:#fff}text.legend{font-size:11px}text.tick{font-size:10px}\n"
     << "table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #888;padding:3px 7px;text-align:right}\n"
     << "th{background:#eee}td.l,th.l{text-align:left}\n"
     << "ul.find{font-size:14px}\n</style>\n</head>\n<body>\n";
  os << "<h1>Customer value report</h1>\n<p class=\"meta\">Source: " << esc(r.source) << ". Purchases from " << r.first_day
     << " to " << r.as_of << " (as-of date). Model time unit: " << esc(r.unit) << ". "
     << (r.pseudonymized ? "Customer ids are pseudonymized (HMAC-SHA-256). " : "")
     << "Generated by patron; every chart below is drawn from summary.json and customers.csv next to this file.</p>\n";

  // Headline KPIs.
  os << "<div class=\"kpis\">\n";
  kpi(os, "kpi-customers", "customers", grouped(static_cast<double>(r.customers)));
  kpi(os, "kpi-transactions", "transaction rows", grouped(static_cast<double>(r.transactions)));
  kpi(os, "kpi-revenue", "revenue (currency of the log)", grouped(r.revenue, 2));
  kpi(os, "kpi-top20", "revenue share of the top 20 % customers", pct(r.revenue_share_of_top_20));
  kpi(os, "kpi-mean-palive", "mean P(alive)", fmt(r.mean_p_alive, 3));
  kpi(os, "kpi-total-clv", "total CLV (discounted)", grouped(r.total_clv, 0));
  os << "</div>\n";

  // Data quality.
  os << "<h2>Data quality</h2>\n<table id=\"table-data-quality\"><tr><th class=\"l\">rows</th><th>count</th></tr>\n"
     << "<tr><td class=\"l\">read</td><td>" << r.ingest.rows_read << "</td></tr>\n<tr><td class=\"l\">kept</td><td>"
     << r.ingest.rows_kept << "</td></tr>\n";
  for (const auto& o : r.ingest.outcomes)
    os << "<tr><td class=\"l\">skipped: " << esc(o.reason) << "</td><td>" << o.count << "</td></tr>\n";
  os << "</table>\n";

  // RFM.
  os << "<h2>RFM segments</h2>\n";
  {
    std::vector<std::string> labels, vt;
    std::vector<double> vals;
    for (const auto& s : r.segments) {
      labels.push_back(s.name);
      vals.push_back(static_cast<double>(s.count));
      vt.push_back(std::to_string(s.count) + " (" + pct(static_cast<double>(s.count) / static_cast<double>(std::max<std::uint64_t>(r.customers, 1))) + ")");
    }
    hbar_chart(os, "chart-rfm-segments", "Customers per RFM segment", labels, vals, vt, "customers",
               "Quintile R, F and M scores (5 = best) mapped to the 10 segments of R rfm's documentation; "
               "the number after each bar is the count and the share of all customers.");
    std::vector<std::string> rows, cols;
    std::vector<std::vector<std::string>> t1, t2;
    std::vector<std::vector<double>> sh;
    std::uint64_t cmax = 1;
    for (auto& row : r.rf_count)
      for (auto v : row) cmax = std::max(cmax, v);
    for (int a = 4; a >= 0; --a) {
      rows.push_back("R = " + std::to_string(a + 1));
      std::vector<std::string> x1, x2;
      std::vector<double> s;
      for (int f = 0; f < 5; ++f) {
        x1.push_back(std::to_string(r.rf_count[a][f]));
        x2.push_back(r.rf_count[a][f] ? "mean " + grouped(r.rf_mean_value[a][f]) : "");
        s.push_back(static_cast<double>(r.rf_count[a][f]) / static_cast<double>(cmax));
      }
      t1.push_back(x1);
      t2.push_back(x2);
      sh.push_back(s);
    }
    for (int f = 1; f <= 5; ++f) cols.push_back("F = " + std::to_string(f));
    heatmap(os, "chart-rf-heatmap", "Recency × frequency: customers and mean total spend", rows, cols, t1, t2, sh,
            "rows: recency score (5 = bought most recently)", "frequency score (5 = most orders)",
            "Each cell: number of customers (top) and their mean total spend in the log's currency (bottom); darker = more customers.",
            110, 40);
  }

  // Pareto.
  os << "<h2>Value concentration</h2>\n";
  if (!r.lorenz.empty()) {
    series lor{"Lorenz curve of total spend", {}, {}, "", false}, eq{"equal spend", {}, {}, "6,4", false};
    for (const auto& [p, v] : r.lorenz) {
      lor.x.push_back(100 * p);
      lor.y.push_back(100 * v);
    }
    eq.x = {0, 100};
    eq.y = {0, 100};
    std::vector<std::pair<double, std::string>> ticks;
    for (int k = 0; k <= 100; k += 20) ticks.emplace_back(k, std::to_string(k));
    line_chart(os, "chart-lorenz", "Lorenz curve: share of revenue by share of customers", {lor, eq}, 0, 100,
               "customers, poorest first (% of customers)", "cumulative revenue (%)", ticks,
               "The top 20 % of customers bring " + pct(r.revenue_share_of_top_20) + " of the revenue; " +
                   pct(r.customer_share_for_80) + " of customers bring 80 % of it. Gini coefficient " + fmt(r.gini, 3) + ".",
               100);
  }
  {
    std::vector<std::string> labels, vt;
    std::vector<double> vals;
    for (const auto& t : r.tiers) {
      labels.push_back("tier " + t.name);
      vals.push_back(static_cast<double>(t.count));
      vt.push_back(std::to_string(t.count) + ", mean " + grouped(t.mean_value));
    }
    hbar_chart(os, "chart-tiers", "Customers per value tier (ABC)", labels, vals, vt, "customers",
               "A: the fewest top customers bringing 80 % of total spend; B: the next 15 %; C: the rest. Mean = mean total spend.");
  }

  // Models.
  os << "<h2>Lifetime value models</h2>\n<table id=\"table-fits\"><tr><th class=\"l\">model</th><th class=\"l\">status</th><th>log-likelihood</th><th class=\"l\">parameters</th></tr>\n";
  for (const model_fit* f : {&r.bgnbd, &r.gamma_gamma}) {
    os << "<tr><td class=\"l\">" << (f->model == "bgnbd" ? "BG/NBD" : "Gamma-Gamma") << "</td><td class=\"l\">" << esc(f->status)
       << "</td><td>" << (f->status == "not fitted" ? std::string("") : fmt(f->log_likelihood, 2)) << "</td><td class=\"l\">";
    for (std::size_t k = 0; k < f->names.size(); ++k) os << esc(f->names[k]) << " = " << fmt(f->params[k], 4) << (k + 1 < f->names.size() ? ", " : "");
    if (!f->note.empty()) os << (f->names.empty() ? "" : "; ") << esc(f->note);
    os << "</td></tr>\n";
  }
  os << "</table>\n";
  if (!r.p_alive_hist.empty())
    histogram(os, "chart-p-alive", "P(alive) at the as-of date", r.p_alive_hist_edges, r.p_alive_hist, "P(alive) (probability, BG/NBD)", 1, false,
              "BG/NBD probability that each customer is still active. BG/NBD gives P(alive) = 1 to customers without a repeat purchase.");
  if (!r.clv_hist.empty())
    histogram(os, "chart-clv", "Customer lifetime value", r.clv_hist_edges, r.clv_hist, "CLV (currency of the log, discounted)", 0, true,
              "BG/NBD × Gamma-Gamma CLV over " + std::to_string(r.options.clv_months) + " months at " + pct(r.options.annual_discount_rate, 0) + " a year, margin " + pct(r.options.margin, 0) +
                  "; the last bin holds everything above the 99th percentile.");
  if (!r.fr_expected.empty()) {
    std::vector<std::string> rows, cols;
    std::vector<std::vector<std::string>> t1;
    std::vector<std::vector<double>> sh;
    double emax = 1e-12;
    for (const auto& row : r.fr_expected)
      for (double v : row) emax = std::max(emax, v);
    for (std::size_t i = r.fr_x.size(); i-- > 0;) {
      rows.push_back("x = " + fmt(r.fr_x[i], 0));
      std::vector<std::string> x1;
      std::vector<double> s;
      for (double v : r.fr_expected[i]) {
        x1.push_back(fmt(v, 2));
        s.push_back(v / emax);
      }
      t1.push_back(x1);
      sh.push_back(s);
    }
    for (double t : r.fr_tx) cols.push_back(fmt(t, 0));
    heatmap(os, "chart-fr-matrix", "Expected purchases in the next " + fmt(r.options.next_period_days, 0) + " days by frequency and recency",
            rows, cols, t1, {}, sh, "rows: repeat purchases x", "time of the last purchase t_x (" + r.unit + "s after the first)",
            "For a customer whose first purchase was " + fmt(r.fr_age, 0) + " " + r.unit +
                "s before the as-of date (BG/NBD). Customers who bought often but not lately are expected to buy little.",
            70, 30);
  }
  if (r.holdout && !r.holdout->week.empty()) {
    const auto& h = *r.holdout;
    series a{"actual", {}, {}, "", true}, e{"expected (BG/NBD, calibration fit)", {}, {}, "6,4", false};
    std::vector<std::pair<double, std::string>> ticks;
    double cal = std::nan("");
    for (std::size_t w = 0; w < h.week.size(); ++w) {
      a.x.push_back(static_cast<double>(w) + 1);
      a.y.push_back(h.weekly_actual[w]);
      e.x.push_back(static_cast<double>(w) + 1);
      e.y.push_back(h.weekly_expected[w]);
      if (w % std::max<std::size_t>(1, h.week.size() / 8) == 0) ticks.emplace_back(static_cast<double>(w) + 1, h.week[w].substr(0, 7));
      if (std::isnan(cal) && w + 1 < h.week.size() && h.week[w + 1] > h.calibration_end) cal = static_cast<double>(w) + 1.5;
    }
    line_chart(os, "chart-tracking", "Weekly repeat purchases: actual vs expected", {a, e}, 1, static_cast<double>(h.week.size()),
               "week (start date)", "repeat purchases per week", ticks,
               "Customers first seen up to " + h.calibration_end + ". Holdout: actual " + grouped(h.actual) + " vs expected " +
                   grouped(h.expected, 1) + " repeat purchases; per-customer MAE " + fmt(h.mae, 3) + ", correlation " + fmt(h.correlation, 3) + ".",
               0, cal);
  }

  // Lifecycle.
  os << "<h2>Lifecycle</h2>\n";
  if (!r.funnel.empty()) {
    std::vector<bool> show(r.stage_names.size(), true);
    for (std::size_t g = 0; g < r.stage_names.size(); ++g) show[g] = r.stage_names[g] != "prospect";
    stacked_bars(os, "chart-lifecycle", "Lifecycle stages at each month end", r.funnel_dates, r.stage_names, r.funnel, show,
                 "month end (the last bar is the as-of date)", "customers",
                 "Seven-stage lifecycle replayed over the log: development = one purchase, growth/maturity = repeat buyers (maturity from 3 repeat days), "
                 "decline = overdue, termination = no purchase for a year, recovery = back after termination. Legend counts are at the as-of date.");
  }

  // Clusters.
  os << "<h2>Customer clusters</h2>\n";
  if (!r.clusters.empty()) {
    std::vector<std::string> labels, vt;
    std::vector<double> vals;
    for (const auto& c : r.clusters) {
      labels.push_back(c.name);
      vals.push_back(static_cast<double>(c.size));
      vt.push_back(std::to_string(c.size) + " customers");
    }
    hbar_chart(os, "chart-clusters", "Cluster profiles (k-means)", labels, vals, vt, "customers",
               "k-means on log(1 + recency, orders, total spend), z-scored; names say where a cluster stands out.");
    os << "<table id=\"table-clusters\"><tr><th class=\"l\">cluster</th><th>customers</th><th>mean recency (days)</th><th>mean orders</th><th>mean total spend</th></tr>\n";
    for (const auto& c : r.clusters)
      os << "<tr><td class=\"l\">" << esc(c.name) << "</td><td>" << c.size << "</td><td>" << fmt(c.recency_days, 1) << "</td><td>"
         << fmt(c.frequency, 2) << "</td><td>" << fmt(c.monetary, 2) << "</td></tr>\n";
    os << "</table>\n";
  }

  // Rules.
  if (r.has_items) {
    os << "<h2>Products bought together</h2>\n";
    std::vector<std::string> labels, vt;
    std::vector<double> vals;
    for (const auto& x : r.rules) {
      labels.push_back(trunc(x.antecedent, 14) + " → " + trunc(x.consequent, 14));
      vals.push_back(x.lift);
      vt.push_back("lift " + fmt(x.lift, 2) + ", conf. " + pct(x.confidence, 0));
    }
    if (labels.empty()) {
      labels.push_back("no rule reached the support");
      vals.push_back(0);
      vt.push_back("");
    }
    hbar_chart(os, "chart-rules", "Top association rules by lift", labels, vals, vt, "lift (how many times more likely than chance)",
               "From " + grouped(static_cast<double>(r.baskets)) + " baskets (invoices); itemsets in at least " + pct(r.options.rule_min_support) +
                   " of baskets, confidence at least 10 %.");
  }

  // At risk.
  os << "<h2>Valuable customers at risk</h2>\n<p>Customers with P(alive) &lt; 0.5 or in lifecycle stage decline or termination, the 20 with the most value at risk: the CLV they would have if still active times the probability that they are not, CLV &#215; (1 &#8722; P(alive)) / P(alive).</p>\n"
     << "<table id=\"table-at-risk\"><tr><th class=\"l\">customer</th><th>CLV</th><th>value at risk</th><th>P(alive)</th><th>total spend</th><th class=\"l\">last purchase</th><th class=\"l\">RFM segment</th></tr>\n";
  for (const auto& a : r.at_risk)
    os << "<tr><td class=\"l\">" << esc(trunc(a.id, 24)) << "</td><td>" << fmt(a.clv, 2) << "</td><td>" << fmt(a.value_at_risk, 2) << "</td><td>" << fmt(a.p_alive, 4) << "</td><td>"
       << fmt(a.total_spend, 2) << "</td><td class=\"l\">" << a.last_purchase << "</td><td class=\"l\">" << esc(a.segment) << "</td></tr>\n";
  os << "</table>\n";

  // Monthly KPIs.
  os << "<h2>Customer base per month</h2>\n";
  if (!r.months.empty()) {
    std::vector<std::vector<std::uint64_t>> v;
    std::vector<std::string> xs;
    for (const auto& m : r.months) {
      xs.push_back(m.month);
      v.push_back({m.new_customers, m.active - m.new_customers});
    }
    stacked_bars(os, "chart-monthly-customers", "Active customers per month: new and returning", xs, {"new", "returning"}, v, {true, true},
                 "month", "active customers",
                 "Active = bought in the month; new = first purchase in the month; returning = bought before. Legend counts: last month.");
    series rev{"revenue", {}, {}, "", true}, fc{"forecast (BG/NBD × Gamma-Gamma, current customers)", {}, {}, "6,4", true};
    std::vector<std::pair<double, std::string>> ticks;
    const std::size_t nm = r.months.size(), nf = r.forecast_month.size();
    for (std::size_t m = 0; m < nm; ++m) {
      rev.x.push_back(static_cast<double>(m));
      rev.y.push_back(r.months[m].revenue);
    }
    for (std::size_t k = 0; k < nf; ++k) {
      fc.x.push_back(static_cast<double>(nm + k));
      fc.y.push_back(r.forecast_revenue[k]);
    }
    const std::size_t every = std::max<std::size_t>(1, (nm + nf) / 10);
    for (std::size_t m = 0; m < nm + nf; m += every) ticks.emplace_back(static_cast<double>(m), m < nm ? r.months[m].month : r.forecast_month[m - nm]);
    std::vector<series> ss = {rev};
    if (nf) ss.push_back(fc);
    line_chart(os, "chart-monthly-revenue", "Revenue per month and forecast", ss, 0, static_cast<double>(std::max<std::size_t>(nm + nf, 2) - 1),
               "month", "revenue (currency of the log)", ticks,
               "The forecast covers purchases of today's customers only (expected purchases × expected spend per month); first and last months may be partial.");
    os << "<table id=\"table-monthly-kpis\"><tr><th class=\"l\">month</th><th>active</th><th>new</th><th>growth of active</th><th>repurchase rate</th><th>revenue</th></tr>\n";
    for (const auto& m : r.months)
      os << "<tr><td class=\"l\">" << m.month << "</td><td>" << m.active << "</td><td>" << m.new_customers << "</td><td>"
         << (std::isfinite(m.growth_rate) ? pct(m.growth_rate) : std::string("–")) << "</td><td>" << pct(m.repurchase_rate) << "</td><td>"
         << fmt(m.revenue, 2) << "</td></tr>\n";
    for (std::size_t k = 0; k < nf; ++k)
      os << "<tr><td class=\"l\">" << r.forecast_month[k] << " (forecast)</td><td></td><td></td><td></td><td></td><td>" << fmt(r.forecast_revenue[k], 2)
         << "</td></tr>\n";
    os << "</table>\n<p class=\"meta\">Growth of active = change in active customers from the previous month; repurchase rate = share of the "
          "month's active customers who had bought before.</p>\n";
  }
  if (!r.cohort.empty()) {
    std::vector<std::string> cols;
    std::size_t width = 0;
    for (const auto& row : r.retention) width = std::max(width, row.size());
    for (std::size_t k = 0; k < width; ++k) cols.push_back(std::to_string(k));
    std::vector<std::vector<std::string>> t1;
    std::vector<std::vector<double>> sh;
    std::vector<std::string> rows;
    for (std::size_t i = 0; i < r.cohort.size(); ++i) {
      rows.push_back(r.cohort[i] + " (" + std::to_string(r.cohort_size[i]) + ")");
      std::vector<std::string> x1;
      std::vector<double> s;
      for (double v : r.retention[i]) {
        x1.push_back(fmt(100 * v, 0));
        s.push_back(v);
      }
      t1.push_back(x1);
      sh.push_back(s);
    }
    const double cw = std::clamp(640.0 / static_cast<double>(std::max<std::size_t>(width, 1)), 26.0, 60.0);
    heatmap(os, "chart-cohorts", "Cohort retention: % of each first-purchase month buying again", rows, cols, t1, {}, sh,
            "rows: first-purchase month (customers in the cohort)", "months since the first purchase",
            "Cell = % of the cohort's customers with a purchase in that month (month 0 = 100 %).", cw, 20);
  }

  if (r.attitude.has_nps || r.attitude.has_csat) {
    const auto& a = r.attitude;
    os << "<h2>Attitude</h2>\n";
    if (a.has_nps) {
      os << "<p id=\"nps\">NPS " << fmt(a.nps, 1) << " from " << a.nps_answers << " answers (" << a.promoters << " promoters 9–10, "
         << a.passives << " passives 7–8, " << a.detractors << " detractors 0–6).</p>\n";
      std::vector<std::string> labels, vt;
      std::vector<double> vals;
      for (const auto& [s, v] : a.nps_by_segment) {
        labels.push_back(s);
        vals.push_back(v + 100);
        vt.push_back("NPS " + fmt(v, 1));
      }
      if (!labels.empty())
        hbar_chart(os, "chart-nps", "NPS per RFM segment", labels, vals, vt, "NPS + 100 (0 = all detractors, 200 = all promoters)",
                   "NPS = % promoters − % detractors among the segment's answers.");
    }
    if (a.has_csat)
      os << "<p id=\"csat\">CSAT: mean " << fmt(a.csat_mean, 2) << " on 1–5 from " << a.csat_answers << " answers; "
         << pct(a.csat_satisfied_share) << " satisfied (answer ≥ " << fmt(r.options.csat_satisfied_from, 0) << ").</p>\n";
  }
  os << "</body>\n</html>\n";
}

}  // namespace patron::inline v1::report
