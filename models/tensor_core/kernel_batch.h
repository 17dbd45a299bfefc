// Runs a list of kernels on one chip in a single SystemC simulation, one after another, each
// from a cold L2 and an idle memory, timed from its own start: a kernel's result does not
// depend on which kernels ran before it. SystemC cannot restart its kernel, so call this once
// per process (validation kinds already run in a child; the cost cache forks one).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "hw/hardware.h"
#include "models/kernels/tiled_kernel.h"
#include "models/noc/bandwidth_memory.h"
#include "models/tensor_core/gpu.h"

namespace strata::models {

/// Builds the off-chip memory the L2 misses go to.
using MemoryFactory = std::function<std::unique_ptr<BandwidthMemory>(const hw::HardwareSpec&)>;

/// An analytical memory at the preset's peak bandwidth (unit tests, and the fallback before a
/// cycle-level memory is attached).
MemoryFactory peak_bandwidth_memory(double efficiency, double latency_s);

std::vector<KernelResult> simulate_kernels(const hw::HardwareSpec& hw, int sms,
                                           const std::vector<const TiledKernel*>& kernels,
                                           const MemoryFactory& memory, bool wave_sampling = true);

}  // namespace strata::models
