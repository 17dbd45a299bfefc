// libFuzzer target: any bytes as a scenario file. Every input must load or raise a
// ConfigError; anything else (a crash, a hang, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/config/error.h"
#include "sim/config/loader.h"
#include "sim/config/node.h"
#include "sim/engine/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    strata::config::Node tree = strata::config::parse_yaml(text, "fuzz.yaml");
    strata::sim::ScenarioSpec::schema().bind(tree);
  } catch (const strata::config::ConfigError&) {
  }
  return 0;
}
