// A synthetic request stream: the pattern, size, read/write mix and concurrency of the requests a
// StreamDriver sends to a memory. Used by the validation cases, `strata hbm` and the benchmarks.
#pragma once

#include <cstdint>

#include "sim/config/schema.h"

namespace strata::hbm {

enum class Pattern { sequential, random };

struct TrafficSpec {
  Pattern pattern = Pattern::sequential;
  double read_fraction = 1;   ///< share of requests that read
  double request_bytes = 64;  ///< bytes per request (aligned to its size)
  int outstanding = 0;        ///< most requests in flight at once
  int64_t requests = 0;       ///< requests to send
  int64_t seed = 1;           ///< random addresses and read/write draws
  double start_bytes = 0;     ///< first address
  double footprint_bytes = 0; ///< addresses span [start, start + footprint); 0 = to the end of memory

  static const config::Schema<TrafficSpec>& schema();
};

}  // namespace strata::hbm
