// What is run on the cluster: a model, a phase, batch and context sizes, number formats, and
// how the model is split over the GPUs.
#pragma once

#include "hw/dtype.h"
#include "sim/config/schema.h"
#include "workloads/model_spec.h"

namespace strata::workloads {

enum class Phase { decode };

/// Number formats per op family (DeepSeek serving: FP8 GEMMs and dispatch, BF16 attention core
/// and combine).
struct PrecisionSpec {
  hw::DType gemm = hw::DType::fp8;       ///< linear layers and experts
  hw::DType attention = hw::DType::bf16; ///< attention core and MLA absorb products
  hw::DType kv_cache = hw::DType::bf16;
  hw::DType lm_head = hw::DType::bf16;
  hw::DType dispatch = hw::DType::fp8;   ///< tokens sent to experts
  hw::DType combine = hw::DType::bf16;   ///< expert outputs sent back

  static const config::Schema<PrecisionSpec>& schema();
};

/// How ranks share the work. Attention runs data-parallel over attention_dp x tp ranks; routed
/// experts are spread over ep ranks (expert parallelism).
struct ParallelSpec {
  int attention_dp = 1;
  int tp = 1;
  int ep = 1;
  int comm_sms = 0;  ///< SMs each GPU reserves for communication kernels; compute loses them

  static const config::Schema<ParallelSpec>& schema();
};

struct WorkloadSpec {
  ModelSpec model;
  Phase phase = Phase::decode;
  int batch_per_gpu = 1;  ///< decode: requests per attention rank, one new token each per step
  int kv_len = 1;         ///< decode: tokens in each request's KV cache
  PrecisionSpec precision;

  static const config::Schema<WorkloadSpec>& schema();
};

}  // namespace strata::workloads
