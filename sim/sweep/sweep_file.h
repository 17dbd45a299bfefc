// A sweep file: a base scenario and the axes along which to vary it (sweeps/README in
// docs/python.md). Plain structs with their schemas; plan.h expands them into points.
//
//   version: 1
//   name: ep-batch
//   scenario: ../scenarios/demo.yaml          # relative to this file
//   overrides: {workload.kv_len: 4096}        # applied to every point, before the axes
//   axes:                                     # grid product, first axis slowest
//     - {key: workload.batch_per_gpu, range: {from: 16, to: 128, times: 2}}
//     - zip:                                  # advance together
//         - {key: cluster.nodes, values: [1, 2, 4]}
//         - {key: parallel.ep, name: ep, values: [8, 16, 32]}
//     - {key: workload.kv_len, sample: {count: 4, from: 1024, to: 8192, integer: true}}
//   samples: 0                                # > 0: that many distinct grid points, seeded
//   seed: 1
//   constraints: ["ep <= 8 * cluster.nodes"]  # points where one is false are skipped
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/schema.h"

namespace strata::sweep {

/// `range:` numbers from `from` to `to` (both included when hit) by `step` or by a factor `times`.
struct RangeSpec {
  double from = 0, to = 0, step = 0, times = 0;
  std::string unit;  ///< appended to every value, e.g. "MHz"
  static const config::Schema<RangeSpec>& schema();
};

enum class Scale { linear, log };

/// `sample:` `count` seeded random draws between `from` and `to`.
struct SampleSpec {
  int count = 0;
  double from = 0, to = 0;
  Scale scale = Scale::linear;
  bool integer = false;
  std::string unit;
  static const config::Schema<SampleSpec>& schema();
};

/// One axis: a key and its values (a list, a range or samples), or a zip of axes.
struct AxisSpec {
  std::string key;   ///< dotted key path of the scenario
  std::string name;  ///< column name in the summary; defaults to the key
  config::Node values, range, sample, zip;  ///< exactly one is set
  static const config::Schema<AxisSpec>& schema();
};

struct SweepSpec {
  std::string name, description, scenario;
  config::Node overrides;  ///< mapping of key path -> value
  std::vector<AxisSpec> axes;
  int64_t samples = 0;
  int64_t seed = 1;
  config::Node constraints;  ///< list of expressions
  static const config::Schema<SweepSpec>& schema();
};

}  // namespace strata::sweep
