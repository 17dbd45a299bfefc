// One memory, one request stream, run to completion: what the validation cases, `strata hbm`
// and the SystemC tests measure. It starts the SystemC kernel, which cannot be restarted, so
// call it once per process (the validation suite runs each case in a child process).
#pragma once

#include "hw/memory.h"
#include "models/hbm/hbm_system.h"
#include "models/hbm/memory_system.h"
#include "models/hbm/traffic.h"

namespace strata::hbm {

struct StreamRun {
  MemoryReport memory;
  int64_t completed = 0;  ///< requests the driver saw complete
  int64_t errors = 0;     ///< requests answered with an error status
};

/// Throws std::logic_error when the run breaks an invariant (MemoryReport::check_invariants).
StreamRun run_stream(const hw::MemorySpec& memory, const TrafficSpec& traffic, HbmOptions options = {});

}  // namespace strata::hbm
