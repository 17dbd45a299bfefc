// Which layers each pipeline stage runs.
#pragma once

#include <utility>
#include <vector>

#include "workloads/workload_spec.h"

namespace strata::workloads {

/// Layers [first, last) of each of `pp` stages.
/// even: equal counts, the remainder to the middle stages.
/// balanced: contiguous ranges that minimise the largest stage's forward FLOPs per token
/// (attention core at `seq_len` included), with the embedding on the first stage and the output
/// head and `mtp_depth` MTP modules on the last; every stage but the last keeps a layer.
std::vector<std::pair<int, int>> split_stages(const ModelSpec& m, int pp, int seq_len, int mtp_depth,
                                              PipelineSplit how);

}  // namespace strata::workloads
