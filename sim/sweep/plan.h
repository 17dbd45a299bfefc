// Expands a sweep file into its points: the grid product of the axes (zipped axes advance
// together), optionally a seeded sample of it, minus the points a constraint rules out. Each
// point's scenario is resolved here, so a bad value is reported before anything runs and every
// worker gets a self-contained scenario.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace strata::sweep {

struct AxisColumn {
  enum class Kind { integer, number, text };
  std::string name;  ///< column name in the summary
  std::string key;   ///< key path it sets
  Kind kind = Kind::text;
  std::string unit;  ///< base unit of quantities ("Hz"), "1" for plain numbers, "" for text
};

struct Point {
  size_t index = 0;                ///< position in the plan, 0-based
  std::vector<std::string> texts;  ///< each axis value as written
  std::vector<double> numbers;     ///< the same in base units (NaN for a text axis)
  std::string resolved_yaml;       ///< the point's scenario with every key; empty when invalid
  std::string error;               ///< why the point's scenario is invalid (file:line:column ...)
};

struct SweepPlan {
  std::string file, name, description;
  std::string scenario;  ///< base scenario path (relative to the working directory)
  std::vector<AxisColumn> axes;
  std::vector<std::string> constraints;
  std::vector<Point> points;
  size_t grid_points = 0;  ///< points in the full grid
  size_t skipped = 0;      ///< drawn or listed but ruled out by a constraint
};

/// Reads and expands a sweep file; a bad file is a config::ConfigError naming file:line:column.
SweepPlan plan_sweep(const std::string& path);

}  // namespace strata::sweep
