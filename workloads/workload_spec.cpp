#include "workloads/workload_spec.h"

namespace strata::workloads {
using config::Schema;

const Schema<PrecisionSpec>& PrecisionSpec::schema() {
  static const Schema<PrecisionSpec> s = [] {
    Schema<PrecisionSpec> s("precision", "Number formats per op family");
    auto opts = hw::dtype_options();
    s.choice("gemm", &PrecisionSpec::gemm, opts, "Linear layers and experts").def("fp8");
    s.choice("attention", &PrecisionSpec::attention, opts, "Attention core and MLA absorb products")
        .def("bf16");
    s.choice("kv_cache", &PrecisionSpec::kv_cache, opts, "KV cache entries (MLA fp8: FlashMLA format)")
        .def("bf16");
    s.choice("lm_head", &PrecisionSpec::lm_head, opts, "Output projection").def("bf16");
    s.choice("dispatch", &PrecisionSpec::dispatch, opts, "Tokens sent to experts").def("fp8");
    s.choice("combine", &PrecisionSpec::combine, opts, "Expert outputs sent back").def("bf16");
    return s;
  }();
  return s;
}

const Schema<ParallelSpec>& ParallelSpec::schema() {
  static const Schema<ParallelSpec> s = [] {
    Schema<ParallelSpec> s("parallel", "How ranks share the model");
    s.integer("attention_dp", &ParallelSpec::attention_dp,
              "Data-parallel attention replicas (each holds its own requests)")
        .def("1").min(1).max(1 << 20);
    s.integer("tp", &ParallelSpec::tp, "Tensor-parallel degree (1 in this release)")
        .def("1").min(1).max(1);
    s.integer("ep", &ParallelSpec::ep, "Expert-parallel degree: ranks the routed experts are spread over")
        .def("1").min(1).max(1 << 20);
    s.integer("comm_sms", &ParallelSpec::comm_sms,
              "SMs each GPU reserves for communication kernels, lost to compute (DeepSeek-V3 "
              "training: 20 of 132)")
        .def("0").min(0).max(1 << 20);
    return s;
  }();
  return s;
}

const Schema<WorkloadSpec>& WorkloadSpec::schema() {
  static const Schema<WorkloadSpec> s = [] {
    Schema<WorkloadSpec> s("workload", "What runs on the cluster");
    s.child("model", &WorkloadSpec::model, "Model architecture (usually base: ../workloads/NAME.yaml)");
    s.choice("phase", &WorkloadSpec::phase, {{"decode", Phase::decode}},
             "Serving phase simulated (prefill and training arrive with the workload generators)")
        .def("decode");
    s.integer("batch_per_gpu", &WorkloadSpec::batch_per_gpu,
              "Decode: requests per attention rank, each producing one token per step")
        .min(1).max(1 << 20);
    s.integer("kv_len", &WorkloadSpec::kv_len, "Decode: tokens in each request's KV cache")
        .min(1).max(1 << 26);
    s.child("precision", &WorkloadSpec::precision, "Number formats");
    return s;
  }();
  return s;
}

}  // namespace strata::workloads
