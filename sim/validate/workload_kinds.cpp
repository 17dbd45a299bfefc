#include "sim/validate/workload_kinds.h"

#include <filesystem>

#include "sim/engine/compare.h"
#include "sim/engine/report.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "workloads/workload.h"

namespace strata::validate {
using config::Dim;
using config::Schema;

namespace {

struct FlopsParams {
  workloads::ModelSpec model;
  int seq_len = 4096;
  bool mtp = false;
  static const Schema<FlopsParams>& schema() {
    static const Schema<FlopsParams> s = [] {
      Schema<FlopsParams> s("training_flops params", "A model and a training sequence length");
      s.child("model", &FlopsParams::model, "Model (base: configs/workloads/NAME.yaml)");
      s.integer("seq_len", &FlopsParams::seq_len, "Tokens per sequence").def("4096").min(1).max(1 << 24);
      s.boolean("mtp", &FlopsParams::mtp, "Count the MTP modules").def("false");
      return s;
    }();
    return s;
  }
};

struct ScenarioParams {
  sim::ScenarioSpec scenario;
  static const Schema<ScenarioParams>& schema() {
    static const Schema<ScenarioParams> s = [] {
      Schema<ScenarioParams> s("scenario params", "A scenario (base: configs/scenarios/NAME.yaml, plus overrides)");
      s.child("scenario", &ScenarioParams::scenario, "The scenario to run");
      return s;
    }();
    return s;
  }
};

/// Busy time per step of the critical GPU's main compute stream (a sum: kernels of one stream
/// do not overlap).
double compute_stream_busy(const sim::Simulation& s) {
  const int critical = int(s.result.value("critical_device"));
  double busy = 0;
  for (const sim::OpRecord& rec : s.timeline.records) {
    const workloads::Op& op = s.workload.graph.op(rec.op);
    if (rec.device == critical && op.kind != workloads::OpKind::collective &&
        op.op_class != workloads::OpClass::host && op.stream == workloads::Stream::compute)
      busy += rec.end_s - rec.start_s;
  }
  return busy / s.result.value("steps");
}

}  // namespace

CaseKind training_flops_kind() {
  return make_kind<FlopsParams>(
      "training_flops", "Model FLOPs per token of one training step, summed over the generated ops",
      {{"model_flops_per_token", Dim::flops, "Forward + backward model FLOPs per token (no recomputation)"}},
      [](const FlopsParams& p) {
        workloads::WorkloadSpec w;
        w.model = p.model;
        w.phase = workloads::Phase::training;
        w.training.seq_len = p.seq_len;
        w.mtp.enabled = p.mtp;
        return Metrics{{"model_flops_per_token", workloads::training_model_flops_per_token(w)}};
      });
}

CaseKind scenario_kind() {
  return make_kind<ScenarioParams>(
      "scenario", "A scenario simulated end to end (configs/scenarios)",
      {{"step_time", Dim::time, "Time of one step"},
       {"tokens_per_s_per_gpu", Dim::none, "Tokens per second per GPU (decode output, prefill new input, training)"},
       {"tokens_per_s_per_node", Dim::none, "Tokens per second per node"},
       {"input_tokens_per_s_with_cache_per_node", Dim::none,
        "Prefill: prompt tokens per second per node, KV-cache hits included"},
       {"gpu_hours_per_trillion_tokens", Dim::none, "Training: GPU-hours to train on 10^12 tokens"},
       {"time_per_output_token", Dim::time, "Decode: TPOT"},
       {"time_to_first_token", Dim::time, "Prefill: TTFT"},
       {"mfu", Dim::none, "Training: model FLOPs utilisation of the dense BF16 peak"},
       {"compute_busy", Dim::time,
        "Critical GPU's compute busy time per step: the union of its kernels' intervals over every stream"},
       {"compute_stream_busy", Dim::time, "Critical GPU's busy time per step on its main compute stream"},
       {"power_per_gpu", Dim::power, "Average power of one GPU (chip, HBM, its links)"}},
      [](const ScenarioParams& p) {
        const workloads::WorkloadSpec& w = p.scenario.workload;
        if (w.source == workloads::Source::trace && !std::filesystem::exists(w.trace.file))
          throw Unavailable("the replayed trace " + w.trace.file + " is absent (it is read from beside the "
                            "project, never copied into it)");
        sim::LoadedScenario sc;
        sc.spec = p.scenario;
        sim::Simulation sim = sim::simulate(sc);
        const results::Result& r = sim.result;
        auto get = [&](const char* n) { return r.value(n); };
        double gpus = get("gpus"), nodes = get("nodes"), rate = get("tokens_per_s");
        return Metrics{{"step_time", get("step_time")},
                       {"tokens_per_s_per_gpu", get("tokens_per_s_per_gpu")},
                       {"tokens_per_s_per_node", get("tokens_per_s_per_node")},
                       {"input_tokens_per_s_with_cache_per_node", get("input_tokens_per_s_with_cache") / nodes},
                       {"gpu_hours_per_trillion_tokens", rate > 0 ? gpus * 1e12 / rate / 3600 : 0.0},
                       {"time_per_output_token", get("time_per_output_token")},
                       {"time_to_first_token", get("time_to_first_token")},
                       {"mfu", get("mfu")},
                       {"compute_busy", sim::split_device_time(sim.timeline, sim.workload.graph,
                                                               int(get("critical_device")))
                                                .compute_busy_s /
                                            get("steps")},
                       {"compute_stream_busy", compute_stream_busy(sim)},
                       {"power_per_gpu", get("power_per_gpu")}};
      });
}

namespace {
/// DeepSeek's profile phases (traces/README.md), in the names generated training ops carry.
const char* const kProfilePhases[] = {"attn(F)", "mlp(F)", "dispatch(F)", "combine(F)", "attn(B)",
                                      "attn(W)", "mlp(B)", "mlp(W)",     "dispatch(B)", "combine(B)"};
}  // namespace

CaseKind profile_kind() {
  std::vector<MetricDef> metrics = {
      {"span", Dim::time, "Step time (a generated profile's first op to its last)"},
      {"compute_busy", Dim::time, "Per GPU and step: union of the compute kernels' intervals over every stream"},
      {"compute_stream_busy", Dim::time, "Per GPU and step: busy time of the main compute stream"},
      {"communication_busy", Dim::time, "Per GPU and step: union of the communication kernels' intervals"},
      {"small_kernels", Dim::time, "Per GPU and step: casts, transposes, copies, norms, rope, routing, permutes, activations"},
      {"deepep", Dim::time, "Per GPU and step: DeepEP's dispatch and combine kernels"}};
  for (const char* p : kProfilePhases)
    metrics.push_back({std::string("busy_") + p, Dim::time,
                       std::string("Per GPU and step: time phase ") + p + "'s ops occupy the GPU (union over streams)"});
  return make_kind<ScenarioParams>(
      "profile", "A scenario's step seen as strata compare sees a profiler trace (span, busy, phases, kernel families)",
      metrics, [metrics](const ScenarioParams& p) {
        sim::LoadedScenario sc;
        sc.spec = p.scenario;
        sim::Simulation sim = sim::simulate(sc);
        Metrics m;
        for (const MetricDef& d : metrics) m[d.name] = 0;  // a phase the step does not have took no time
        for (const sim::CompareRow& r : sim::profile_rows(sim.result)) {
          std::string name;
          if (r.what == "span") name = "span";
          else if (r.what == "busy") name = r.name == "communication" ? "communication_busy" : r.name + "_busy";
          else if (r.what == "phase_busy") name = "busy_" + r.name;
          else if (r.what == "small" && r.name == "all") name = "small_kernels";
          else if (r.what == "deepep" && r.name == "all") name = "deepep";
          if (m.count(name)) m[name] = r.simulated_s;
        }
        return m;
      });
}

}  // namespace strata::validate
