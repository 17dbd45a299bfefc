#include "workloads/layout.h"
#include "workloads/replay.h"
#include "workloads/workload.h"

namespace strata::workloads {

Workload generate(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node, uint64_t seed) {
  if (w.source == Source::trace) return replay_workload(w, gpus);
  Layout lay(w, p, gpus, gpus_per_node);
  switch (w.phase) {
    case Phase::decode: return build_decode(w, p, lay, seed);
    case Phase::prefill: return build_prefill(w, p, lay, seed);
    case Phase::training: return build_training(w, p, lay, seed);
  }
  throw std::logic_error("generate: unknown phase");
}

}  // namespace strata::workloads
