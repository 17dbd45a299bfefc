#include "workloads/op.h"

namespace strata::workloads {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_gemm: return "batched_gemm";
    case OpKind::grouped_gemm: return "grouped_gemm";
    case OpKind::attention_decode: return "attention_decode";
    case OpKind::attention_prefill: return "attention_prefill";
    case OpKind::attention_backward: return "attention_backward";
    case OpKind::norm: return "norm";
    case OpKind::elementwise: return "elementwise";
    case OpKind::kernel: return "kernel";
    case OpKind::collective: return "collective";
  }
  return "?";
}

const char* op_class_name(OpClass c) {
  switch (c) {
    case OpClass::dense_gemm: return "dense_gemm";
    case OpClass::moe_gemm: return "moe_gemm";
    case OpClass::attention: return "attention";
    case OpClass::communication: return "communication";
    case OpClass::elementwise: return "elementwise";
    case OpClass::other: return "other";
    case OpClass::host: return "host";
  }
  return "?";
}

const char* pass_name(Pass p) {
  switch (p) {
    case Pass::forward: return "forward";
    case Pass::backward_input: return "backward_input";
    case Pass::backward_weight: return "backward_weight";
    case Pass::optimizer: return "optimizer";
  }
  return "?";
}

std::string stream_name(Stream s) {
  if (s == Stream::compute) return "compute";
  if (s == Stream::comm) return "comm";
  return "stream" + std::to_string(static_cast<int>(s));
}

const char* collective_kind_name(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::all_to_all: return "all_to_all";
    case CollectiveKind::send_recv: return "send_recv";
    case CollectiveKind::all_reduce: return "all_reduce";
    case CollectiveKind::reduce_scatter: return "reduce_scatter";
    case CollectiveKind::all_gather: return "all_gather";
    case CollectiveKind::broadcast: return "broadcast";
  }
  return "?";
}

}  // namespace strata::workloads
