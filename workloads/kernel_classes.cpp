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

std::string erase_all(std::string s, const std::string& what) {
  for (size_t p; (p = s.find(what)) != std::string::npos;) s.erase(p, what.size());
  return s;
}

/// The kernel's own function name (lower case, without return type, template arguments and
/// parameters); for CUTLASS's `device_kernel<K>` wrapper, K's name.
std::string head_of(const std::string& lower) {
  std::string s = erase_all(lower, "(anonymous namespace)::");
  if (s.rfind("void ", 0) == 0) s.erase(0, 5);
  size_t cut = s.find_first_of("<(");
  std::string h = s.substr(0, cut);
  if (cut != std::string::npos && s[cut] == '<' && h.size() >= 13 && h.compare(h.size() - 13, 13, "device_kernel") == 0)
    return s.substr(cut + 1, s.find_first_of("<(>", cut + 1) - cut - 1);
  return h;
}

/// PyTorch's generic elementwise kernels: their functor (a template argument) says what they do.
bool generic_elementwise(const std::string& head) {
  return has(head, {"at::native::elementwise_kernel", "at::native::vectorized_elementwise_kernel",
                    "at::native::unrolled_elementwise_kernel"});
}

KernelClass small(const char* family) {
  KernelClass k;
  k.op_class = OpClass::elementwise;
  k.family = family;
  return k;
}
}  // namespace

bool is_small_kernel(OpClass c) { return c == OpClass::elementwise || c == OpClass::other; }

KernelClass classify_kernel(const std::string& raw, const std::string& category) {
  std::string s = raw;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string h = head_of(s);
  KernelClass k;
  if (category == "gpu_memcpy" || category == "gpu_memset" || has(h, {"memcpy", "memset"})) {
    k.family = "copy";
    return k;
  }
  // DeepEP, also under DeepSeek's internal namespace (dpsk::ep::internode::dispatch, ...): the
  // notify and layout kernels belong to the dispatch or combine they prepare.
  if (has(s, {"deep_ep", "deepep", "dpsk::ep::"})) {
    k.op_class = OpClass::communication;
    if (has(h, {"combine"})) {
      k.family = "ep_combine";
    } else if (has(h, {"dispatch"})) {
      k.family = "ep_dispatch";
    } else {  // cached_notify and other barriers serve either: the next DeepEP kernel decides
      k.family = "ep_combine";
      k.ep_notify_of_next = true;
    }
    k.collective = k.family == "ep_dispatch" ? CollectiveKind::ep_dispatch : CollectiveKind::ep_combine;
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
  if (has(s, {"flash", "fmha", "mla", "attention", "attn"})) {
    // FlashAttention's backward pre- and post-processing (dO.O row sums, dQ conversion) are
    // small memory-bound kernels, not the attention core.
    if (has(h, {"preprocess", "postprocess"})) return small("elementwise");
    k.op_class = OpClass::attention;
    k.family = "attention";
    return k;
  }
  // GEMMs. A library's namespace names the library, not the kernel: in DeepSeek's
  // `dpsk::grouped_gemm`, `m_grouped_fp8_*` are grouped (one GEMM per expert, class moe_gemm)
  // while `fp8_ptp128c` (forward and input gradients) and `fp8_dptp128c_acc` (weight gradients,
  // accumulating; one launch per expert in mlp(W)) are plain GEMMs (dense_gemm).
  const std::string g = erase_all(s, "grouped_gemm::");
  if (has(g, {"m_grouped", "k_grouped", "grouped_gemm", "group_gemm", "fused_moe", "moe_gemm"})) {
    k.op_class = OpClass::moe_gemm;
    k.family = "grouped_gemm";
    return k;
  }
  if (has(g, {"gemm", "gemv", "cutlass", "xmma", "cublas", "matmul", "nvjet", "wgmma", "s16816", "s1688"})) {
    k.op_class = OpClass::dense_gemm;
    k.family = "gemm";
    return k;
  }
  // Small kernels, by the kernel's own name (template arguments name types, not the work),
  // except PyTorch's generic elementwise kernels, whose functor says what they do.
  if (generic_elementwise(h)) {
    if (has(s, {"direct_copy", "fillfunctor"})) return small("copy");
    if (has(s, {"silu", "gelu", "swiglu"})) return small("activation");
    return small("elementwise");
  }
  if (has(h, {"cast", "quant", "to_fp8", "fp8", "convert"})) return small("cast");
  if (has(h, {"transpose"})) return small("transpose");
  if (has(h, {"layer_norm", "layernorm", "rms", "_norm", "norm_"})) return small("norm");
  if (has(h, {"rotary", "rope"})) return small("rope");
  if (has(h, {"topk", "top_k", "count_expert", "expert_count", "group_indices"})) return small("routing");
  if (has(h, {"permute", "expand_to_fused", "reduce_fused", "fused_mapping", "scatter", "gather", "index_",
              "indexselect", "sort", "moe_align"}))
    return small("permute");
  if (has(h, {"swiglu", "silu", "gelu", "act_and_mul"})) return small("activation");
  if (has(h, {"copy", "fill"})) return small("copy");
  if (has(h, {"elementwise", "vectorized", "reduce", "softmax", "sigmoid", "cat", "triton", "embedding", "sampling",
              "argmax", "distribution"}))
    return small("elementwise");
  k.family = "other";
  return k;
}

}  // namespace strata::workloads
