#include "sim/validate/kernel_kinds.h"

#include "hw/hardware.h"
#include "models/kernels/kernel_for_op.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/memory_characterization.h"
#include "workloads/kernels.h"
#include "workloads/model_spec.h"

namespace strata::validate {
using config::Dim;
using config::Schema;

namespace {

struct GemmParams {
  hw::HardwareSpec hardware;
  int64_t m = 0, n = 0, k = 0;
  int groups = 1;
  hw::DType dtype = hw::DType::fp8;
  static const Schema<GemmParams>& schema() {
    static const Schema<GemmParams> s = [] {
      Schema<GemmParams> s("gemm params", "One GEMM, or a grouped GEMM of equal groups");
      s.child("hardware", &GemmParams::hardware, "Node hardware (base: configs/hw/NAME.yaml)");
      s.integer("m", &GemmParams::m, "Rows (per group)").min(1);
      s.integer("n", &GemmParams::n, "Columns").min(1);
      s.integer("k", &GemmParams::k, "Reduction depth").min(1);
      s.integer("groups", &GemmParams::groups, "Groups of m rows (MoE experts), each with its own weights")
          .def("1").min(1);
      s.choice("dtype", &GemmParams::dtype, hw::dtype_options(), "Operand format").def("fp8");
      return s;
    }();
    return s;
  }
};

struct DecodeAttentionParams {
  hw::HardwareSpec hardware;
  workloads::ModelSpec model;
  int heads = 0;
  int64_t batch = 0, kv_len = 0;
  int query_tokens = 1;
  hw::DType kv_dtype = hw::DType::bf16;
  static const Schema<DecodeAttentionParams>& schema() {
    static const Schema<DecodeAttentionParams> s = [] {
      Schema<DecodeAttentionParams> s("decode attention params", "One decode-attention kernel");
      s.child("hardware", &DecodeAttentionParams::hardware, "Node hardware (base: configs/hw/NAME.yaml)");
      s.child("model", &DecodeAttentionParams::model, "Model (base: configs/workloads/NAME.yaml)");
      s.integer("heads", &DecodeAttentionParams::heads, "Query heads on the GPU (0: the model's)").def("0").min(0);
      s.integer("batch", &DecodeAttentionParams::batch, "Requests").min(1);
      s.integer("kv_len", &DecodeAttentionParams::kv_len, "Cached tokens per request").min(1);
      s.integer("query_tokens", &DecodeAttentionParams::query_tokens, "New tokens per request (s_q)")
          .def("1").min(1).max(16);
      s.choice("kv_dtype", &DecodeAttentionParams::kv_dtype, hw::dtype_options(), "KV cache format").def("bf16");
      return s;
    }();
    return s;
  }
};

const std::vector<MetricDef> kKernelMetrics = {
    {"tflops", Dim::flop_rate, "Useful arithmetic / kernel time"},
    {"memory_bandwidth", Dim::data_rate, "Bytes of the operands read once and the output written / kernel time"},
    {"time", Dim::time, "Kernel time"},
};

Metrics measure(const hw::HardwareSpec& hw, const workloads::Op& op) {
  const int sms = hw.chip.sm_count;
  auto kernel = models::kernel_for_op(op, hw.chip, sms);
  sim::KernelCache cache(sim::KernelCache::default_dir());
  sim::KernelCost c =
      sim::simulate_ops(hw, sms, {op}, sim::characterized_memory(sim::characterize_memory(hw.memory, cache))).at(0);
  return Metrics{{"tflops", kernel->total_flops() / c.time_s},
                 {"memory_bandwidth", kernel->unique_bytes() / c.time_s},
                 {"time", c.time_s}};
}

}  // namespace

CaseKind gemm_kernel_kind() {
  return make_kind<GemmParams>("gemm_kernel", "A dense or grouped GEMM on the cycle-level chip model", kKernelMetrics,
                               [](const GemmParams& p) {
                                 workloads::Op op = p.groups == 1
                                                        ? workloads::gemm("gemm", 0, p.m, p.n, p.k, p.dtype)
                                                        : workloads::grouped_gemm("gemm", 0,
                                                                                  std::vector<int64_t>(p.groups, p.m),
                                                                                  p.n, p.k, p.dtype);
                                 return measure(p.hardware, op);
                               });
}

CaseKind decode_attention_kernel_kind() {
  return make_kind<DecodeAttentionParams>(
      "decode_attention_kernel", "Decode attention over a paged KV cache on the cycle-level chip model",
      kKernelMetrics, [](const DecodeAttentionParams& p) {
        workloads::ModelSpec m = p.model;
        if (p.heads > 0) m.attention.heads = p.heads;
        workloads::AttentionWork w;
        w.requests = p.batch;
        w.queries = p.batch * p.query_tokens;
        w.context = double(p.batch) * p.kv_len;
        w.pairs = double(w.queries) * p.kv_len;
        w.heads = m.attention.heads;
        w.kv_heads = m.attention.kind == workloads::AttentionKind::gqa ? m.attention.kv_heads : 0;
        return measure(p.hardware, workloads::attention_decode("attention", 0, m.attention, w,
                                                               workloads::kv_bytes_per_token_per_layer(m, p.kv_dtype)));
      });
}

}  // namespace strata::validate
