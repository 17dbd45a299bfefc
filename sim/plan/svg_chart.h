// Small inline SVG charts for the plan report: grouped bars and scatter plots with lines.
// Self-contained markup (no scripts, no external fonts), so the HTML works offline and the
// same numbers give the same bytes.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata::plan {

struct BarSeries {
  std::string name;
  std::vector<double> values;  ///< one per category; NaN draws no bar
};

struct BarChart {
  std::string title, unit;  ///< unit is shown on the y axis ("tokens/s", "USD", "%")
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  double reference = -1;    ///< a dashed horizontal line at this value (negative: none)
  std::string reference_label;
};

struct ScatterSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  ///< (x, y)
  std::vector<std::pair<double, double>> line;    ///< drawn through, in order (e.g. a Pareto front)
};

struct ScatterChart {
  std::string title, x_label, y_label;
  std::vector<ScatterSeries> series;
  double x_reference = -1;  ///< a dashed vertical line (negative: none)
  std::string x_reference_label;
};

std::string render_svg(const BarChart& c);
std::string render_svg(const ScatterChart& c);

/// Escapes text for HTML and SVG.
std::string escape_html(const std::string& s);

}  // namespace strata::plan
