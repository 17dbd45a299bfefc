#include "sim/plan/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace strata::plan {

namespace {

constexpr double kWidth = 640, kHeight = 320;
constexpr double kLeft = 70, kRight = 150, kTop = 34, kBottom = 60;  // margins; legend on the right
const char* const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

std::string tick_text(double v) {
  char b[32];
  double a = std::fabs(v);
  if (a >= 1e9) std::snprintf(b, sizeof b, "%gG", v / 1e9);
  else if (a >= 1e6) std::snprintf(b, sizeof b, "%gM", v / 1e6);
  else if (a >= 1e3) std::snprintf(b, sizeof b, "%gk", v / 1e3);
  else std::snprintf(b, sizeof b, "%g", v);
  return b;
}

/// A "nice" tick step (1, 2 or 5 x 10^k) for about five ticks up to `hi`.
double tick_step(double hi) {
  if (!(hi > 0)) return 1;
  double raw = hi / 5, p = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle", int size = 11,
                 const char* extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(size) + "\"" + extra + ">" + escape_html(s) + "</text>";
}

std::string open_svg(const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
         "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\" font-family=\"sans-serif\">" +
         text(kWidth / 2, 20, title, "middle", 14, " font-weight=\"bold\"");
}

/// Y axis from 0 to a nice maximum: grid lines and labels. Returns the axis maximum.
double y_axis(std::string& s, double hi, const std::string& label) {
  double step = tick_step(hi), top = std::max(step, std::ceil(hi / step - 1e-9) * step);
  double plot_h = kHeight - kTop - kBottom;
  for (double v = 0; v <= top + step / 2; v += step) {
    double y = kTop + plot_h * (1 - v / top);
    s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" + num(y) +
         "\" stroke=\"#ddd\"/>";
    s += text(kLeft - 6, y + 4, tick_text(v), "end", 10);
  }
  s += text(16, kTop + plot_h / 2, label, "middle", 11,
            (" transform=\"rotate(-90 16 " + num(kTop + plot_h / 2) + ")\"").c_str());
  return top;
}

void legend(std::string& s, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    double y = kTop + 8 + 18 * double(i);
    s += "<rect x=\"" + num(kWidth - kRight + 12) + "\" y=\"" + num(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         kColours[i % 10] + "\"/>";
    s += text(kWidth - kRight + 27, y, names[i], "start", 10);
  }
}

}  // namespace

std::string escape_html(const std::string& in) {
  std::string s;
  for (char c : in) {
    switch (c) {
      case '&': s += "&amp;"; break;
      case '<': s += "&lt;"; break;
      case '>': s += "&gt;"; break;
      case '"': s += "&quot;"; break;
      default: s += c;
    }
  }
  return s;
}

std::string render_svg(const BarChart& c) {
  std::string s = open_svg(c.title);
  double hi = std::max(0.0, c.reference);
  for (const BarSeries& b : c.series)
    for (double v : b.values)
      if (std::isfinite(v)) hi = std::max(hi, v);
  double top = y_axis(s, hi, c.unit);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double group = c.categories.empty() ? plot_w : plot_w / double(c.categories.size());
  const double bar = group * 0.8 / double(std::max<size_t>(1, c.series.size()));
  for (size_t k = 0; k < c.categories.size(); ++k) {
    double x0 = kLeft + group * double(k) + group * 0.1;
    for (size_t j = 0; j < c.series.size(); ++j) {
      double v = k < c.series[j].values.size() ? c.series[j].values[k] : std::nan("");
      if (!std::isfinite(v)) continue;
      double h = plot_h * v / top;
      s += "<rect x=\"" + num(x0 + bar * double(j)) + "\" y=\"" + num(kTop + plot_h - h) + "\" width=\"" +
           num(bar * 0.92) + "\" height=\"" + num(h) + "\" fill=\"" + kColours[j % 10] + "\"><title>" +
           escape_html(c.series[j].name + ", " + c.categories[k] + ": " + tick_text(v) + " " + c.unit) +
           "</title></rect>";
    }
    s += text(kLeft + group * (double(k) + 0.5), kHeight - kBottom + 16, c.categories[k], "middle", 10);
  }
  if (c.reference >= 0) {
    double y = kTop + plot_h * (1 - c.reference / top);
    s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" + num(y) +
         "\" stroke=\"#c00\" stroke-dasharray=\"6 4\"/>";
    s += text(kWidth - kRight - 4, y - 4, c.reference_label, "end", 10, " fill=\"#c00\"");
  }
  s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + plot_h) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" +
       num(kTop + plot_h) + "\" stroke=\"#333\"/>";
  std::vector<std::string> names;
  for (const BarSeries& b : c.series) names.push_back(b.name);
  legend(s, names);
  return s + "</svg>";
}

std::string render_svg(const ScatterChart& c) {
  std::string s = open_svg(c.title);
  double xhi = std::max(0.0, c.x_reference), yhi = 0;
  for (const ScatterSeries& r : c.series)
    for (auto [x, y] : r.points) {
      if (std::isfinite(x)) xhi = std::max(xhi, x);
      if (std::isfinite(y)) yhi = std::max(yhi, y);
    }
  double ytop = y_axis(s, yhi, c.y_label);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double xstep = tick_step(xhi), xtop = std::max(xstep, std::ceil(xhi / xstep - 1e-9) * xstep);
  for (double v = 0; v <= xtop + xstep / 2; v += xstep) {
    double x = kLeft + plot_w * v / xtop;
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(x) + "\" y2=\"" + num(kTop + plot_h) +
         "\" stroke=\"#eee\"/>";
    s += text(x, kTop + plot_h + 14, tick_text(v), "middle", 10);
  }
  s += text(kLeft + plot_w / 2, kHeight - kBottom + 34, c.x_label, "middle", 11);
  auto px = [&](double x) { return kLeft + plot_w * x / xtop; };
  auto py = [&](double y) { return kTop + plot_h * (1 - y / ytop); };
  for (size_t j = 0; j < c.series.size(); ++j) {
    const ScatterSeries& r = c.series[j];
    if (r.line.size() > 1) {
      std::string pts;
      for (auto [x, y] : r.line) pts += num(px(x)) + "," + num(py(y)) + " ";
      s += "<polyline points=\"" + pts + "\" fill=\"none\" stroke=\"" + kColours[j % 10] + "\" stroke-width=\"1.5\"/>";
    }
    for (auto [x, y] : r.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      s += "<circle cx=\"" + num(px(x)) + "\" cy=\"" + num(py(y)) + "\" r=\"3.5\" fill=\"" + kColours[j % 10] +
           "\" fill-opacity=\"0.7\"/>";
    }
  }
  if (c.x_reference >= 0) {
    double x = px(c.x_reference);
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(x) + "\" y2=\"" + num(kTop + plot_h) +
         "\" stroke=\"#c00\" stroke-dasharray=\"6 4\"/>";
    s += text(x + 4, kTop + 12, c.x_reference_label, "start", 10, " fill=\"#c00\"");
  }
  std::vector<std::string> names;
  for (const ScatterSeries& r : c.series) names.push_back(r.name);
  legend(s, names);
  return s + "</svg>";
}

}  // namespace strata::plan
