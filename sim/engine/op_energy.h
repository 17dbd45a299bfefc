// Energy of every op of a step at the chip's nominal voltage: a kernel that ran on the
// cycle-level model is counted from what that model measured (tensor-core FLOPs, CUDA-core
// FLOPs, L2 hits and misses, stores, shared memory); a kernel priced from its shape by that
// shape (models::activity_of); a replayed kernel with no shape (only its class and measured
// time) draws, for its time, what its class's reference kernel draws per second on this model.
// Collectives draw link energy (the network's loads), host ops none.
#pragma once

#include <functional>
#include <vector>

#include "hw/hardware.h"
#include "models/op_cost.h"
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

/// The kernel that stands for a shapeless replayed kernel of `op`'s class: GEMMs and attention
/// (tensor-core work) a 4096 x 7168 x 16384 GEMM, the largest shape DeepGEMM publishes, in FP8
/// when the kernel's name says FP8 and BF16 otherwise; elementwise and other kernels a stream of
/// 1 GiB in and 1 GiB out with one FP32 operation per 2-byte element read. Communication and
/// host ops have none (false).
bool reference_kernel(const workloads::Op& op, workloads::Op& out);

/// Per op id: its energy at nominal voltage. `model` prices ops at the nominal clock (prepared
/// with the graph's ops); `counters` may be empty.
std::vector<models::Energy> op_energies(const workloads::OpGraph& g, const hw::HardwareSpec& nominal,
                                        models::OpCostModel& model, const KernelCounters& counters);

}  // namespace strata::sim
