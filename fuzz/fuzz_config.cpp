// libFuzzer target: any bytes as a config file. With STRATA_FUZZ_CONFIGS set to a copy of
// configs/ (scripts/fuzz sets it), the input is written into its scenarios/ folder and loaded
// the way `strata check` loads a scenario, so `base:` presets resolve and mutated values reach
// the schemas' checks; it is also bound as a sweep file, whose constraint expressions are
// parsed. Every input must load or raise a ConfigError that names a file (or the command line);
// anything else (a crash, a hang, another exception) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/config/error.h"
#include "sim/config/loader.h"
#include "sim/config/node.h"
#include "sim/engine/scenario.h"
#include "sim/sweep/expression.h"
#include "sim/sweep/sweep_file.h"

namespace {
using namespace strata;

void expect_named(const config::ConfigError& e) {
  if (e.origin().file.empty()) {
    std::fprintf(stderr, "fuzz_config: error without a file: %s\n", e.what());
    __builtin_trap();
  }
}

/// Where the input is written: a scenario among the presets, so relative `base:` paths work.
const std::string& scenario_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("STRATA_FUZZ_CONFIGS");
    return dir ? std::string(dir) + "/scenarios/.fuzz-" + std::to_string(getpid()) + ".yaml" : std::string();
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!scenario_path().empty()) {
    std::ofstream(scenario_path(), std::ios::binary) << text;
    try {
      sim::load_scenario(scenario_path(), {});
    } catch (const config::ConfigError& e) {
      expect_named(e);
    }
  }
  config::Node tree;
  try {
    tree = config::parse_yaml(text, "fuzz.yaml");
    if (scenario_path().empty()) sim::ScenarioSpec::schema().bind(tree);
  } catch (const config::ConfigError& e) {
    expect_named(e);
    return 0;
  }
  try {
    sweep::SweepSpec s = sweep::SweepSpec::schema().bind(tree);
    if (s.constraints.is_seq())
      for (const config::Node& c : s.constraints.items)
        if (c.is_scalar()) sweep::Expression(c.scalar, c.origin, "constraints");
  } catch (const config::ConfigError& e) {
    expect_named(e);
  }
  return 0;
}
