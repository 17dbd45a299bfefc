// Parameters one rank holds under a parallel split: the counts behind memory footprints and the
// data-parallel gradient reduction.
#pragma once

#include "workloads/workload_spec.h"

namespace strata::workloads {

struct RankParams {
  double dense = 0;    ///< attention, dense FFNs, shared experts, MTP projections (after TP split)
  double experts = 0;  ///< routed expert copies held
  double bf16 = 0;     ///< routers, embedding and head (BF16 when serving)

  double total() const { return dense + experts + bf16; }
};

/// Params of layers [first, last) (layers >= model.layers are MTP modules), plus the embedding
/// and the output head when asked.
RankParams rank_params(const ModelSpec& m, const ParallelSpec& p, int first, int last, bool embedding,
                       bool head);

}  // namespace strata::workloads
