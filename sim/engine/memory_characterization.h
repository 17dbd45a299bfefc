// The multi-fidelity link between the cycle-level HBM model and the chip model. The JEDEC-timed
// HBM runs ~2 million bursts per wall second: far too slow to sit behind every L2 miss of a
// millisecond kernel. So the HBM model measures the memory once per memory description (a
// sustained read stream, a sustained write stream, the unloaded read latency), the result is
// cached, and kernel simulations use a memory with exactly those measured figures.
#pragma once

#include "hw/memory.h"
#include "models/tensor_core/kernel_batch.h"
#include "sim/engine/kernel_cache.h"

namespace strata::sim {

struct MemoryCharacter {
  double read_bytes_per_s = 0;   ///< sustained sequential reads (16,384 x 64 B in flight)
  double write_bytes_per_s = 0;  ///< sustained sequential writes
  double read_latency_s = 0;     ///< median of single outstanding random reads
};

/// Measures `memory` with the cycle-level HBM model (three child processes), or returns the
/// cached measurement.
MemoryCharacter characterize_memory(const hw::MemorySpec& memory, KernelCache& cache);

/// A kernel-simulation memory with the measured figures: one shared data bus at the sustained
/// read rate, writes occupying it for their share of the (slower) write rate, and the
/// measured latency.
models::MemoryFactory characterized_memory(const MemoryCharacter& c);

}  // namespace strata::sim
