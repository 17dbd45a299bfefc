// Helpers shared by the power tests: the demo scenario at analytical fidelity, and a summary
// scalar by name.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine/run.h"
#include "sim/engine/scenario.h"

namespace strata::testing {

inline sim::LoadedScenario demo(std::vector<std::string> overrides = {}) {
  overrides.push_back("fidelity=analytical");
  return sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", overrides);
}

inline double scalar(const results::Result& r, const char* name) {
  const results::Scalar* s = r.scalar(name);
  if (!s) throw std::runtime_error(std::string("no scalar ") + name);
  return s->value;
}

}  // namespace strata::testing
