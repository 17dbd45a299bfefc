// Classification of GPU kernel names from profiler traces into the op classes strata reports
// (dense and grouped GEMM, attention, expert-parallel dispatch/combine and NCCL collectives,
// casts and other small kernels) and, finer, into kernel families.
#pragma once

#include <optional>
#include <string>

#include "workloads/op.h"

namespace strata::workloads {

struct KernelClass {
  OpClass op_class = OpClass::other;
  /// GEMMs and attention: "gemm" (dense or batched), "grouped_gemm" (one GEMM per expert),
  /// "attention" (the attention core). Communication: "ep_dispatch", "ep_combine" (DeepEP,
  /// their notify and layout kernels included), "nccl". Small kernels: "cast" (FP8 cast and
  /// quantisation, fused ones included), "transpose", "copy" (copies, fills, memcpy, memset),
  /// "norm", "rope", "routing" (gate top-k, expert counts), "permute" (token permute/unpermute
  /// around dispatch and combine, gathers, scatters), "activation" (SwiGLU and friends),
  /// "elementwise" (everything else elementwise or a reduction), "other".
  std::string family;
  std::optional<CollectiveKind> collective;  ///< set for communication kernels
  /// A DeepEP kernel that moves no tokens (notify, barrier, layout) and whose name does not say
  /// whether it serves a dispatch or a combine (`cached_notify`): the import gives it the family
  /// of the next DeepEP kernel on its stream.
  bool ep_notify_of_next = false;
};

/// Classifies a kernel by its (demangled) name; `category` is the trace event's `cat`
/// (gpu_memcpy and gpu_memset are copies).
KernelClass classify_kernel(const std::string& name, const std::string& category = "kernel");

/// Small kernels: the classes that are neither GEMMs, attention cores nor communication
/// (elementwise and other). One rule for traces and results.
bool is_small_kernel(OpClass c);

}  // namespace strata::workloads
