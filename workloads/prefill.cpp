// One prefill step: each attention replica computes tokens_per_gpu x tp new prompt tokens.
// A prompt's cached prefix (kv_hit_rate) is read back from the paged cache, not recomputed;
// with chunking, each prompt advances one chunk per step, and the step mixes prompts at every
// chunk position (continuous batching), so a prompt's first token takes one step per chunk.
#include <algorithm>
#include <cmath>

#include "workloads/serving.h"

namespace strata::workloads {

Workload build_prefill(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed) {
  Workload out;
  out.phase = Phase::prefill;
  Gen G(w, p, lay, out.graph, seed);
  const ModelSpec& m = w.model;
  const PrefillSpec& pf = w.prefill;
  const int tp = lay.tp(), M = p.micro_batches;
  const int64_t P = pf.prompt_len;
  const int64_t cached = static_cast<int64_t>(std::floor(P * pf.kv_hit_rate));
  const int64_t fresh = P - cached;
  const int64_t chunk = pf.chunk > 0 ? std::min<int64_t>(pf.chunk, fresh) : fresh;
  const int64_t chunks = (fresh + chunk - 1) / chunk;
  const int64_t requests = std::max<int64_t>(1, pf.tokens_per_gpu * tp / chunk);
  if (requests < M)
    throw std::invalid_argument("prefill: " + std::to_string(requests) + " prompt(s) per replica cannot fill " +
                                std::to_string(M) + " micro-batches; raise tokens_per_gpu");

  std::vector<Request> reqs;
  int64_t tokens = 0;
  for (int64_t r = 0; r < requests; ++r) {
    int64_t idx = r % chunks;
    Request x{cached + idx * chunk, std::min(chunk, fresh - idx * chunk)};
    tokens += x.queries;
    reqs.push_back(x);
  }
  const std::vector<int>& devices = lay.simulated(0);
  std::deque<PassShape> shapes, none;
  std::vector<int64_t> head_rows;
  for (int j = 0; j < M; ++j) {
    auto [b, e] = micro_batch_range(requests, M, j);
    PassShape& s = shapes.emplace_back();
    s.requests = e - b;
    int64_t last_chunks = 0;
    for (int64_t r = b; r < e; ++r) {
      s.tokens += reqs[r].queries;
      s.kv_tokens += reqs[r].prefix + reqs[r].queries;
      s.cached_tokens += reqs[r].prefix;
      last_chunks += reqs[r].prefix + reqs[r].queries == P;
    }
    s.routing_stream = M == 1 ? 0 : uint64_t(j) + 1;
    AttentionWork a = attention_work(reqs, b, e, G);
    s.attention.assign(devices.size(), a);
    head_rows.push_back(last_chunks);  // only a prompt's last chunk samples its first token
  }
  run_serving_step(G, devices, shapes, none, head_rows, 0, "prefill");

  const double weights = serving_weight_bytes(w, p, false);
  out.devices = devices;
  for (size_t i = 0; i < devices.size(); ++i) out.memory.push_back({weights, kv_cache_bytes(G, reqs, m.layers)});
  out.replicas = lay.replicas();
  const int replicas = lay.stage_size() / tp;
  out.tokens_per_step = double(tokens) * replicas;
  out.cached_tokens_per_step = out.tokens_per_step * double(cached) / double(fresh);
  out.steps_to_first_token = double(chunks);
  out.description = m.name + " prefill step: " + std::to_string(tokens) + " new tokens per replica x " +
                    std::to_string(replicas) + " replicas (" + std::to_string(lay.gpus()) + " GPUs), prompts of " +
                    std::to_string(P) + " tokens" +
                    (cached > 0 ? " (" + std::to_string(cached) + " cached)" : "") +
                    (chunks > 1 ? ", chunks of " + std::to_string(chunk) : "") +
                    (tp > 1 ? ", TP" + std::to_string(tp) : "") +
                    (lay.ep() > 1 ? ", EP" + std::to_string(lay.ep()) : "") +
                    (M > 1 ? ", " + std::to_string(M) + " micro-batches" : "");
  return out;
}

}  // namespace strata::workloads
