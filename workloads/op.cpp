#include "workloads/op.h"

namespace strata::workloads {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_gemm: return "batched_gemm";
    case OpKind::grouped_gemm: return "grouped_gemm";
    case OpKind::attention_decode: return "attention_decode";
    case OpKind::norm: return "norm";
    case OpKind::elementwise: return "elementwise";
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
  }
  return "?";
}

const char* stream_name(Stream s) { return s == Stream::compute ? "compute" : "comm"; }

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
