// Classification of GPU kernel names from profiler traces into the op classes strata reports
// (dense and grouped GEMM, attention, expert-parallel dispatch/combine and NCCL collectives,
// casts and other elementwise kernels).
#pragma once

#include <optional>
#include <string>

#include "workloads/op.h"

namespace strata::workloads {

struct KernelClass {
  OpClass op_class = OpClass::other;
  std::string family;  ///< "gemm", "grouped_gemm", "attention", "ep_dispatch", "ep_combine",
                       ///< "nccl", "cast", "elementwise", "memcpy", "other"
  std::optional<CollectiveKind> collective;  ///< set for communication kernels
};

/// Classifies a kernel by its (demangled) name; `category` is the trace event's `cat`
/// (gpu_memcpy and gpu_memset are copies).
KernelClass classify_kernel(const std::string& name, const std::string& category = "kernel");

}  // namespace strata::workloads
