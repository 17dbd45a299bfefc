// What is run on the cluster: a model, a phase (decode, prefill or a training step) with its
// batch and context sizes, number formats, expert load, and how the model is split over the
// GPUs. Or, instead of a generator, a trace to replay.
#pragma once

#include <cstdint>
#include <string>

#include "hw/dtype.h"
#include "sim/config/schema.h"
#include "workloads/model_spec.h"

namespace strata::workloads {

enum class Phase { decode, prefill, training };
enum class Source { generator, trace };
/// Which ranks get a timeline: every one, or one per group of identical ranks (one per
/// pipeline stage) with the group's traffic and its most loaded expert rank; `automatic`
/// picks `all` up to kAllRanksLimit GPUs.
enum class RankScope { automatic, all, representative };
constexpr int kAllRanksLimit = 64;
enum class LoadDistribution { uniform, zipf, histogram, balanced };
enum class Recompute { none, selective, full };
enum class PipelineSchedule { one_f_one_b, dualpipe };
enum class PipelineSplit { balanced, even };
/// What a training run simulates: a whole optimizer step, or one overlapped forward and
/// backward chunk of the model's layers on one pipeline stage (how DeepSeek profiles training).
enum class TrainingScope { step, chunk_pair };
enum class TraceTiming { measured, model };

const char* phase_name(Phase p);

/// Number formats per op family (DeepSeek: FP8 GEMMs and dispatch, BF16 attention core and
/// combine, FP32 master weights and gradients, BF16 AdamW moments).
struct PrecisionSpec {
  hw::DType gemm = hw::DType::fp8;       ///< linear layers and experts
  hw::DType attention = hw::DType::bf16; ///< attention core and MLA absorb products
  hw::DType kv_cache = hw::DType::bf16;
  hw::DType lm_head = hw::DType::bf16;
  hw::DType dispatch = hw::DType::fp8;   ///< tokens sent to experts
  hw::DType combine = hw::DType::bf16;   ///< expert outputs sent back
  hw::DType master_weights = hw::DType::fp32;    ///< training: optimizer's copy of the weights
  hw::DType optimizer_states = hw::DType::bf16;  ///< training: AdamW moments
  hw::DType gradients = hw::DType::fp32;         ///< training: accumulated weight gradients
  hw::DType activation_cache = hw::DType::bf16;  ///< training: activations kept for backward (fp8: TR §3.3.3)

  static const config::Schema<PrecisionSpec>& schema();
};

/// How tokens spread over routed experts.
struct MoeLoadSpec {
  LoadDistribution distribution = LoadDistribution::uniform;
  double zipf_s = 1.0;    ///< zipf: expert of popularity rank i gets weight 1 / i^s
  std::string histogram;  ///< histogram: file of per-expert counts (one row, or one per MoE layer)

  static const config::Schema<MoeLoadSpec>& schema();
};

/// Multi-token prediction at decode: each step verifies `model.mtp_depth` drafted tokens.
struct MtpSpec {
  bool enabled = false;
  double acceptance = 0.85;  ///< probability a drafted token is accepted

  static const config::Schema<MtpSpec>& schema();
};

struct PrefillSpec {
  int prompt_len = 4096;          ///< tokens per prompt
  int64_t tokens_per_gpu = 16384; ///< new tokens one attention rank computes per step
  double kv_hit_rate = 0;         ///< share of each prompt found in the KV cache (prefix reuse)
  int chunk = 0;                  ///< chunked prefill: new tokens per prompt per step (0: whole)

  static const config::Schema<PrefillSpec>& schema();
};

struct TrainingSpec {
  int64_t global_batch = 1;  ///< sequences per optimizer step
  int seq_len = 4096;
  int micro_batch = 1;       ///< sequences per micro-batch per data-parallel rank
  Recompute recompute = Recompute::none;
  TrainingScope scope = TrainingScope::step;

  static const config::Schema<TrainingSpec>& schema();
};

/// A trace replayed as the workload (docs/trace-format.md; PyTorch profiler JSON too).
struct TraceSpec {
  std::string file;
  TraceTiming timing = TraceTiming::measured;
  double clock_hz = 0;       ///< clock the trace was measured at (0: the simulated chip's)
  bool comm_overlap = true;  ///< false: communication waits for, and blocks, computation

  static const config::Schema<TraceSpec>& schema();
};

/// Kernel choices of the software framework that are not number formats.
struct FrameworkSpec {
  bool scale_layout_kernel = false;  ///< FP8 input scales laid out for TMA by a kernel of their own

  static const config::Schema<FrameworkSpec>& schema();
};

struct WorkloadSpec {
  ModelSpec model;
  Phase phase = Phase::decode;
  Source source = Source::generator;
  RankScope simulate_ranks = RankScope::automatic;
  int batch_per_gpu = 1;      ///< decode: requests per GPU, one new token each per step
  int kv_len = 1;             ///< decode: tokens in each request's KV cache (the mean)
  double kv_len_spread = 0;   ///< decode: KV lengths uniform in kv_len x (1 +- spread)
  int kv_block = 64;          ///< paged KV cache block, tokens
  MtpSpec mtp;
  PrefillSpec prefill;
  TrainingSpec training;
  MoeLoadSpec moe_load;
  TraceSpec trace;
  PrecisionSpec precision;
  FrameworkSpec framework;

  static const config::Schema<WorkloadSpec>& schema();
};

/// How ranks share the work. Ranks form `pp` pipeline stages of gpus / pp consecutive ranks;
/// in a stage, attention runs data-parallel over attention_dp groups of `tp` ranks, routed
/// experts are spread over groups of `ep` ranks.
struct ParallelSpec {
  int attention_dp = 1;
  int tp = 1;
  bool sp = false;  ///< sequence parallelism: norms and residuals on 1/tp of the tokens
  int ep = 1;
  int pp = 1;
  PipelineSchedule pp_schedule = PipelineSchedule::one_f_one_b;
  PipelineSplit pp_split = PipelineSplit::balanced;
  int zero = 0;           ///< ZeRO stage: 1 shards optimizer states over data-parallel ranks
  int micro_batches = 1;  ///< serving: micro-batches overlapped (one computes, one communicates)
  int redundant_experts = 0;  ///< extra copies of the most loaded experts per EP group
  int comm_sms = 0;  ///< SMs each GPU reserves for communication kernels; compute loses them

  static const config::Schema<ParallelSpec>& schema();
};

/// Cross-checks of workload and parallelism against the cluster size; `k` reports at keys
/// under the scenario root ("parallel.ep", "workload.training.global_batch").
void check_parallel(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node,
                    const std::string& gpu_count_text, const config::Checker& k);

}  // namespace strata::workloads
