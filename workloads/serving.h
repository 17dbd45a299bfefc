// Shared by the decode and prefill generators: per-request KV lengths, micro-batch splits,
// attention work per device, the forward programs of micro-batches and the memory footprint.
#pragma once

#include <deque>
#include <vector>

#include "workloads/generator.h"
#include "workloads/workload.h"

namespace strata::workloads {

/// One request of a serving step: `queries` new tokens attending over `prefix` earlier tokens
/// (plus causally over each other).
struct Request {
  int64_t prefix = 0;
  int64_t queries = 1;
};

/// Requests [begin, end) of micro-batch j of M over n requests (sizes differ by at most one).
std::pair<int64_t, int64_t> micro_batch_range(int64_t n, int M, int j);

/// Attention work of requests [begin, end) on a device holding `heads` query heads.
AttentionWork attention_work(const std::vector<Request>& reqs, int64_t begin, int64_t end, const Gen& G);

/// Forward programs of M micro-batches, run interleaved (two micro-batches: one computes while
/// the other communicates). `shapes[j]` is micro-batch j's main-model pass; `mtp[j]` (if not
/// empty) its draft pass through the MTP modules; head_rows[j] the logits it samples.
void run_serving_step(Gen& G, const std::vector<int>& devices, std::deque<PassShape>& shapes,
                      std::deque<PassShape>& mtp, const std::vector<int64_t>& head_rows, int depth,
                      const std::string& phase);

/// KV-cache bytes of `reqs` (prefix + queries tokens each, in blocks) over `layers` layers on a
/// device of this layout.
double kv_cache_bytes(const Gen& G, const std::vector<Request>& reqs, int layers);

}  // namespace strata::workloads
