// Helpers for the HBM SystemC tests: presets, a check macro that counts failures, and the
// protocol checker verdict every HBM test ends with.
#pragma once

#include <cstdio>
#include <string>

#include "hw/hardware.h"
#include "models/hbm/memory_system.h"
#include "sim/config/loader.h"

namespace strata::testing {

inline int failures = 0;

#define HBM_CHECK(cond, ...)                                         \
  do {                                                               \
    if (!(cond)) {                                                   \
      std::fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                             \
      std::fprintf(stderr, "\n");                                    \
      ++strata::testing::failures;                                   \
    }                                                                \
  } while (0)

inline hw::MemorySpec node_memory(const std::string& preset) {
  return hw::HardwareSpec::schema()
      .bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/" + preset + ".yaml"))
      .memory;
}

/// Fails on any protocol violation or late arrival; returns the exit code of the test.
inline int verdict(const hbm::MemoryReport& r) {
  HBM_CHECK(r.commands_checked > 0, "the protocol checker saw no command");
  HBM_CHECK(r.violations == 0, "%llu protocol violations", (unsigned long long)r.violations);
  for (const std::string& v : r.first_violations) std::fprintf(stderr, "  %s\n", v.c_str());
  HBM_CHECK(r.late_arrivals == 0, "%llu requests arrived behind a controller's clock",
            (unsigned long long)r.late_arrivals);
  if (failures == 0) std::printf("ok: %llu commands checked, no violation\n", (unsigned long long)r.commands_checked);
  return failures ? 1 : 0;
}

}  // namespace strata::testing
