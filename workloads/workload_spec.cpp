#include "workloads/workload_spec.h"

namespace strata::workloads {
using config::Schema;

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::decode: return "decode";
    case Phase::prefill: return "prefill";
    case Phase::training: return "training";
  }
  return "?";
}

const Schema<PrecisionSpec>& PrecisionSpec::schema() {
  static const Schema<PrecisionSpec> s = [] {
    Schema<PrecisionSpec> s("precision", "Number formats per op family");
    auto opts = hw::dtype_options();
    s.choice("gemm", &PrecisionSpec::gemm, opts, "Linear layers and experts (fp8: 128-wide block scales)")
        .def("fp8");
    s.choice("attention", &PrecisionSpec::attention, opts, "Attention core and MLA absorb products")
        .def("bf16");
    s.choice("kv_cache", &PrecisionSpec::kv_cache, opts, "KV cache entries (MLA fp8: FlashMLA format)")
        .def("bf16");
    s.choice("lm_head", &PrecisionSpec::lm_head, opts, "Output projection").def("bf16");
    s.choice("dispatch", &PrecisionSpec::dispatch, opts, "Tokens sent to experts").def("fp8");
    s.choice("combine", &PrecisionSpec::combine, opts, "Expert outputs sent back (and gradients)").def("bf16");
    s.choice("master_weights", &PrecisionSpec::master_weights, opts, "Training: optimizer's weight copy")
        .def("fp32");
    s.choice("optimizer_states", &PrecisionSpec::optimizer_states, opts, "Training: AdamW moments")
        .def("bf16");
    s.choice("gradients", &PrecisionSpec::gradients, opts,
             "Training: accumulated weight gradients (and their data-parallel reduction)").def("fp32");
    s.choice("activation_cache", &PrecisionSpec::activation_cache, opts,
             "Training: format of the activations kept for backward; fp8 (DeepSeek-V3, TR §3.3.3): "
             "inputs of FP8 linears kept as quantised, SwiGLU inputs and the attention output cast "
             "by kernels of their own, all dequantised in backward").def("bf16");
    return s;
  }();
  return s;
}

const Schema<MoeLoadSpec>& MoeLoadSpec::schema() {
  static const Schema<MoeLoadSpec> s = [] {
    Schema<MoeLoadSpec> s("moe_load", "How tokens spread over routed experts");
    s.choice("distribution", &MoeLoadSpec::distribution,
             {{"uniform", LoadDistribution::uniform}, {"zipf", LoadDistribution::zipf},
              {"histogram", LoadDistribution::histogram}, {"balanced", LoadDistribution::balanced}},
             "Expert popularity: uniform, zipf (seeded popularity order per layer), a histogram file, "
             "or balanced (every expert gets exactly the same tokens, each token its full spread of "
             "groups: DeepSeek's profiling setup)")
        .def("uniform");
    s.number("zipf_s", &MoeLoadSpec::zipf_s, "zipf: the expert of popularity rank i gets weight 1 / i^s")
        .def("1").min(0).max(10);
    s.path("histogram", &MoeLoadSpec::histogram,
           "histogram: text file of per-expert token counts, one row for every MoE layer or one "
           "row per MoE layer")
        .def("\"\"");
    s.check([](const MoeLoadSpec& m, const config::Checker& k) {
      if (m.distribution == LoadDistribution::histogram && m.histogram.empty())
        k.fail("histogram", "distribution histogram needs a histogram file");
    });
    return s;
  }();
  return s;
}

const Schema<MtpSpec>& MtpSpec::schema() {
  static const Schema<MtpSpec> s = [] {
    Schema<MtpSpec> s("mtp", "Multi-token prediction at decode (model.mtp_depth drafted tokens per step)");
    s.boolean("enabled", &MtpSpec::enabled, "Draft with the MTP modules and verify in the next step")
        .def("false");
    s.number("acceptance", &MtpSpec::acceptance, "Probability a drafted token is accepted")
        .def("0.85").min(0).max(1);
    return s;
  }();
  return s;
}

const Schema<PrefillSpec>& PrefillSpec::schema() {
  static const Schema<PrefillSpec> s = [] {
    Schema<PrefillSpec> s("prefill", "Prefill phase: prompts processed per step");
    s.integer("prompt_len", &PrefillSpec::prompt_len, "Tokens per prompt").def("4096").min(1).max(1 << 24);
    s.integer("tokens_per_gpu", &PrefillSpec::tokens_per_gpu,
              "New (not cached) tokens one attention rank computes per step")
        .def("16384").min(1).max(int64_t(1) << 30);
    s.number("kv_hit_rate", &PrefillSpec::kv_hit_rate,
             "Share of each prompt already in the KV cache (read, not recomputed)")
        .def("0").min(0).max(0.999);
    s.integer("chunk", &PrefillSpec::chunk,
              "Chunked prefill: new tokens per prompt per step (0: the whole prompt in one step)")
        .def("0").min(0).max(1 << 24);
    return s;
  }();
  return s;
}

const Schema<TrainingSpec>& TrainingSpec::schema() {
  static const Schema<TrainingSpec> s = [] {
    Schema<TrainingSpec> s("training", "Training step");
    s.integer("global_batch", &TrainingSpec::global_batch, "Sequences per optimizer step")
        .def("1").min(1).max(int64_t(1) << 32);
    s.integer("seq_len", &TrainingSpec::seq_len, "Tokens per sequence").def("4096").min(1).max(1 << 24);
    s.integer("micro_batch", &TrainingSpec::micro_batch, "Sequences per micro-batch per data-parallel rank")
        .def("1").min(1).max(1 << 20);
    s.choice("recompute", &TrainingSpec::recompute,
             {{"none", Recompute::none}, {"selective", Recompute::selective}, {"full", Recompute::full}},
             "Activation recomputation in backward: selective = RMSNorms and MLA up-projections "
             "(DeepSeek-V3), full = the whole layer forward")
        .def("none");
    s.choice("scope", &TrainingSpec::scope,
             {{"step", TrainingScope::step}, {"chunk_pair", TrainingScope::chunk_pair}},
             "step: a whole optimizer step; chunk_pair: one forward chunk (micro-batch 1) overlapped "
             "with one backward chunk (micro-batch 0) of every model layer on one pipeline stage, "
             "without embedding, head, pipeline transfers or optimizer (DeepSeek's published profile)")
        .def("step");
    return s;
  }();
  return s;
}

const Schema<TraceSpec>& TraceSpec::schema() {
  static const Schema<TraceSpec> s = [] {
    Schema<TraceSpec> s("trace", "Replay: a trace as the workload (source: trace)");
    s.path("file", &TraceSpec::file,
           "strata trace (docs/trace-format.md) or PyTorch profiler (Kineto) JSON").def("\"\"");
    s.choice("timing", &TraceSpec::timing,
             {{"measured", TraceTiming::measured}, {"model", TraceTiming::model}},
             "measured: kernels keep their measured durations (scaled by clock), collectives of "
             "known size are priced by the network; model: ops with shapes are priced by the cost model")
        .def("measured");
    s.quantity("clock", &TraceSpec::clock_hz, config::Dim::frequency,
               "Clock the trace was measured at; measured kernel times scale by clock / chip clock "
               "(0 Hz: no scaling)")
        .def("0 Hz").min(0);
    s.boolean("comm_overlap", &TraceSpec::comm_overlap,
              "false: every collective waits for, and blocks, the computation of its ranks")
        .def("true");
    return s;
  }();
  return s;
}

const Schema<FrameworkSpec>& FrameworkSpec::schema() {
  static const Schema<FrameworkSpec> s = [] {
    Schema<FrameworkSpec> s("framework", "Kernel choices of the software framework");
    s.boolean("scale_layout_kernel", &FrameworkSpec::scale_layout_kernel,
              "FP8 GEMM inputs' scales transposed to the TMA-aligned layout DeepGEMM reads by a kernel of "
              "their own (DeepSeek's training framework), instead of written so by the quantisation kernel")
        .def("false");
    return s;
  }();
  return s;
}

const Schema<WorkloadSpec>& WorkloadSpec::schema() {
  static const Schema<WorkloadSpec> s = [] {
    Schema<WorkloadSpec> s("workload", "What runs on the cluster");
    s.child_if("model", &WorkloadSpec::model, [](const WorkloadSpec& w) { return w.source == Source::generator; },
               "Model architecture (usually base: ../workloads/NAME.yaml); a replayed trace needs none");
    s.choice("phase", &WorkloadSpec::phase,
             {{"decode", Phase::decode}, {"prefill", Phase::prefill}, {"training", Phase::training}},
             "Step simulated: one decode step, one prefill step or one training step")
        .def("decode");
    s.choice("source", &WorkloadSpec::source,
             {{"generator", Source::generator}, {"trace", Source::trace}},
             "generator: build the step from the model; trace: replay workload.trace.file")
        .def("generator");
    s.choice("simulate_ranks", &WorkloadSpec::simulate_ranks,
             {{"auto", RankScope::automatic}, {"all", RankScope::all},
              {"representative", RankScope::representative}},
             "all: a timeline per GPU; representative: one GPU per pipeline stage carries its "
             "group's traffic and most loaded experts; auto: all up to 64 GPUs")
        .def("auto");
    s.integer("batch_per_gpu", &WorkloadSpec::batch_per_gpu,
              "Decode: requests per GPU, each producing one token per step (plus accepted drafts)")
        .def("1").min(1).max(1 << 20);
    s.integer("kv_len", &WorkloadSpec::kv_len,
              "Decode: tokens in each request's KV cache, this step's tokens included (the mean with a spread)")
        .def("1").min(1).max(1 << 26);
    s.number("kv_len_spread", &WorkloadSpec::kv_len_spread,
             "Decode: KV lengths drawn uniformly in kv_len x (1 +- spread); 0: all equal")
        .def("0").min(0).max(1);
    s.integer("kv_block", &WorkloadSpec::kv_block, "Paged KV cache block size, tokens (FlashMLA: 64)")
        .def("64").min(1).max(1 << 20);
    s.child("mtp", &WorkloadSpec::mtp, "Multi-token prediction at decode");
    s.child("prefill", &WorkloadSpec::prefill, "Prefill phase");
    s.child("training", &WorkloadSpec::training, "Training step");
    s.child("moe_load", &WorkloadSpec::moe_load, "Expert load distribution");
    s.child("trace", &WorkloadSpec::trace, "Trace replay");
    s.child("precision", &WorkloadSpec::precision, "Number formats");
    s.child("framework", &WorkloadSpec::framework, "Kernel choices of the software framework");
    s.check([](const WorkloadSpec& w, const config::Checker& k) {
      if (w.mtp.enabled && w.model.mtp_depth < 1)
        k.fail("mtp.enabled", "the model has no MTP modules (model.mtp_depth is 0)");
      if (w.source == Source::trace && w.trace.file.empty())
        k.fail("trace.file", "source: trace needs a trace file");
      if (w.phase == Phase::prefill && w.prefill.chunk > w.prefill.prompt_len)
        k.fail("prefill.chunk", "cannot exceed prompt_len (" + std::to_string(w.prefill.prompt_len) + ")");
    });
    return s;
  }();
  return s;
}

const Schema<ParallelSpec>& ParallelSpec::schema() {
  static const Schema<ParallelSpec> s = [] {
    Schema<ParallelSpec> s("parallel", "How ranks share the model");
    s.integer("attention_dp", &ParallelSpec::attention_dp,
              "Data-parallel attention replicas per pipeline stage (each holds its own requests or sequences)")
        .def("1").min(1).max(1 << 20);
    s.integer("tp", &ParallelSpec::tp, "Tensor-parallel degree of attention and dense layers")
        .def("1").min(1).max(1024);
    s.boolean("sp", &ParallelSpec::sp,
              "Sequence parallelism: norms and residuals on 1/tp of the tokens, all-reduces become "
              "reduce-scatter + all-gather")
        .def("false");
    s.integer("ep", &ParallelSpec::ep, "Expert-parallel degree: ranks the routed experts are spread over")
        .def("1").min(1).max(1 << 20);
    s.integer("pp", &ParallelSpec::pp, "Pipeline stages (training)").def("1").min(1).max(1024);
    s.choice("pp_schedule", &ParallelSpec::pp_schedule,
             {{"1f1b", PipelineSchedule::one_f_one_b}, {"dualpipe", PipelineSchedule::dualpipe}},
             "Pipeline schedule: 1f1b, or DualPipe (bidirectional, overlapped forward/backward pairs)")
        .def("1f1b");
    s.choice("pp_split", &ParallelSpec::pp_split,
             {{"balanced", PipelineSplit::balanced}, {"even", PipelineSplit::even}},
             "Layers per stage: balanced (equal forward FLOPs, the head and MTP modules counted on the "
             "last stage) or even (equal layer counts)")
        .def("balanced");
    s.integer("zero", &ParallelSpec::zero,
              "ZeRO stage: 0 replicates optimizer states, 1 shards them over data-parallel ranks")
        .def("0").min(0).max(1);
    s.integer("micro_batches", &ParallelSpec::micro_batches,
              "Serving: micro-batches per step, overlapped so one computes while the other "
              "communicates (DeepSeek: 2)")
        .def("1").min(1).max(2);
    s.integer("redundant_experts", &ParallelSpec::redundant_experts,
              "Extra copies of the most loaded routed experts in each EP group")
        .def("0").min(0).max(1 << 16);
    s.integer("comm_sms", &ParallelSpec::comm_sms,
              "SMs each GPU reserves for communication kernels, lost to compute (DeepSeek-V3 "
              "training: 20 of 132)")
        .def("0").min(0).max(1 << 20);
    return s;
  }();
  return s;
}

void check_parallel(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node,
                    const std::string& count, const config::Checker& k) {
  (void)gpus_per_node;
  const ModelSpec& m = w.model;
  const MoeSpec& moe = m.moe;
  auto str = [](auto v) { return std::to_string(v); };
  if (w.source == Source::trace) return;  // the trace says where its ops run
  int product = p.attention_dp * p.tp * p.pp;
  if (product != gpus) {
    std::string what = p.pp > 1 ? "attention_dp x tp x pp = " : "attention_dp x tp = ";
    k.fail("parallel.attention_dp", what + str(product) + " must equal the GPU count, " + count);
  }
  const int stage = gpus / p.pp;
  if (w.phase != Phase::training && p.pp > 1)
    k.fail("parallel.pp", "pipeline parallelism is modelled for training; serving runs pp: 1");
  if (p.pp > m.layers) k.fail("parallel.pp", "more stages than layers (" + str(m.layers) + ")");
  if (p.pp_schedule == PipelineSchedule::dualpipe && p.pp > 1 && p.pp % 2 != 0)
    k.fail("parallel.pp", "DualPipe needs an even number of stages");
  const AttentionSpec& a = m.attention;
  if (a.heads % p.tp != 0)
    k.fail("parallel.tp", str(p.tp) + " must divide the attention heads (" + str(a.heads) + ")");
  if (a.kind == AttentionKind::gqa && a.kv_heads % p.tp != 0 && p.tp % a.kv_heads != 0)
    k.fail("parallel.tp", str(p.tp) + " and kv_heads (" + str(a.kv_heads) + ") must divide one another");
  if (p.sp && p.tp == 1) k.fail("parallel.sp", "sequence parallelism needs tp > 1");
  if (moe.routed_experts > 0) {
    if (stage % p.ep != 0)
      k.fail("parallel.ep", str(p.ep) + (p.pp > 1 ? " must divide the GPUs per pipeline stage (" + str(stage) + ")"
                                                  : " must divide the GPU count, " + count));
    if ((moe.routed_experts + p.redundant_experts) % p.ep != 0)
      k.fail("parallel.ep", str(p.ep) + " must divide routed_experts + redundant_experts (" +
                                str(moe.routed_experts + p.redundant_experts) + ")");
    if (p.tp > 1 && p.ep > 1 && p.ep % p.tp != 0 && p.tp % p.ep != 0)
      k.fail("parallel.ep", "ep and tp must divide one another");
  } else {
    if (p.ep != 1) k.fail("parallel.ep", "ep > 1 needs a model with routed experts");
    if (p.redundant_experts != 0)
      k.fail("parallel.redundant_experts", "redundant experts need a model with routed experts");
  }
  if (w.phase == Phase::decode && w.batch_per_gpu * p.tp < p.micro_batches)
    k.fail("parallel.micro_batches", "more micro-batches than requests per attention replica");
  if (w.phase == Phase::training) {
    const TrainingSpec& t = w.training;
    int64_t per_replica = int64_t(p.attention_dp) * t.micro_batch;
    if (t.global_batch % per_replica != 0)
      k.fail("workload.training.global_batch",
             str(t.global_batch) + " sequences must divide evenly into attention_dp (" +
                 str(p.attention_dp) + ") x micro_batch (" + str(t.micro_batch) + ")");
    int64_t micro = t.global_batch / per_replica;
    if (p.pp > 1 && p.pp_schedule == PipelineSchedule::dualpipe && (micro % 2 != 0 || micro < 2 * p.pp))
      k.fail("workload.training.global_batch",
             "DualPipe needs an even number of micro-batches, at least 2 x pp (" + str(2 * p.pp) +
                 "); this batch gives " + str(micro));
    if (t.scope == TrainingScope::chunk_pair && p.pp != 1)
      k.fail("parallel.pp", "a chunk pair (training.scope: chunk_pair) runs on one pipeline stage: "
                            "set pp: 1 and model.layers to the stage's layers");
    if (p.micro_batches != 1)
      k.fail("parallel.micro_batches", "training overlaps micro-batches through its pipeline "
                                       "schedule (pp_schedule: dualpipe); keep micro_batches: 1");
  }
}

}  // namespace strata::workloads
