#include "workloads/kernel_classes.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace strata::workloads {

namespace {
bool has(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (s.find(w) != std::string::npos) return true;
  return false;
}
}  // namespace

KernelClass classify_kernel(const std::string& raw, const std::string& category) {
  std::string s = raw;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  KernelClass k;
  if (category == "gpu_memcpy" || category == "gpu_memset" || has(s, {"memcpy", "memset"})) {
    k.family = "memcpy";
    return k;
  }
  if (has(s, {"nccl"})) {
    k.op_class = OpClass::communication;
    k.family = "nccl";
    if (has(s, {"allreduce", "all_reduce"})) k.collective = CollectiveKind::all_reduce;
    else if (has(s, {"allgather", "all_gather"})) k.collective = CollectiveKind::all_gather;
    else if (has(s, {"reducescatter", "reduce_scatter"})) k.collective = CollectiveKind::reduce_scatter;
    else if (has(s, {"broadcast", "bcast"})) k.collective = CollectiveKind::broadcast;
    else if (has(s, {"alltoall", "all_to_all"})) k.collective = CollectiveKind::all_to_all;
    else k.collective = CollectiveKind::send_recv;
    return k;
  }
  if (has(s, {"deep_ep", "deepep"}) && has(s, {"dispatch", "combine"})) {
    k.op_class = OpClass::communication;
    k.family = has(s, {"dispatch"}) ? "ep_dispatch" : "ep_combine";
    k.collective = CollectiveKind::all_to_all;
    return k;
  }
  if (has(s, {"flash", "fmha", "mla", "attention", "attn"})) {
    k.op_class = OpClass::attention;
    k.family = "attention";
    return k;
  }
  if (has(s, {"grouped", "group_gemm", "m_grouped", "fused_moe", "moe_", "_moe", "expert"})) {
    k.op_class = OpClass::moe_gemm;
    k.family = "grouped_gemm";
    return k;
  }
  if (has(s, {"gemm", "gemv", "cutlass", "xmma", "cublas", "matmul", "nvjet", "wgmma", "s16816", "s1688"})) {
    k.op_class = OpClass::dense_gemm;
    k.family = "gemm";
    return k;
  }
  if (has(s, {"cast", "quant", "to_fp8", "fp8_", "convert"})) {
    k.op_class = OpClass::elementwise;
    k.family = "cast";
    return k;
  }
  if (has(s, {"elementwise", "vectorized", "reduce", "norm", "rms", "softmax", "silu", "gelu", "act_and_mul",
              "rotary", "rope", "index", "copy", "fill", "cat", "triton", "topk", "gather", "scatter",
              "sort", "embedding", "sampling", "argmax"})) {
    k.op_class = OpClass::elementwise;
    k.family = "elementwise";
    return k;
  }
  k.family = "other";
  return k;
}

}  // namespace strata::workloads
