// Energy of every op of a step at the chip's nominal voltage: a kernel that ran on the
// cycle-level model is counted from what that model measured (tensor-core FLOPs, CUDA-core
// FLOPs, L2 hits and misses, stores, shared memory); any other op from its shape
// (models::activity_of). Collectives draw link energy (the network's loads), host ops none.
#pragma once

#include <functional>
#include <vector>

#include "hw/hardware.h"
#include "models/power/energy.h"
#include "sim/engine/kernel_cache.h"
#include "workloads/op_graph.h"

namespace strata::sim {

/// What the cycle-level model measured for an op's kernel; null when the kernel never ran there.
using KernelCounters = std::function<const KernelCost*(const workloads::Op& op)>;

/// The actions of kernel `op` from the cycle-level model's counts: every byte an SM loads
/// passes through the L2 (a hit or a miss filled from HBM) and is written to shared memory and
/// read from it at least once (TMA staging, then the MMA or the CUDA cores); stores go through
/// the L2 to HBM (write-through); HBM opens one page per page of traffic (streaming).
models::Activity counted_activity(const KernelCost& c, const workloads::Op& op, const hw::HardwareSpec& h);

/// Per op id: its energy at nominal voltage (`counters` may be empty).
std::vector<models::Energy> op_energies(const workloads::OpGraph& g, const hw::HardwareSpec& nominal,
                                        const KernelCounters& counters);

}  // namespace strata::sim
