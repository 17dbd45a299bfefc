// One decode step: every attention replica (a TP group, or one GPU under attention DP) holds
// batch_per_gpu x tp requests and produces one token per request (plus accepted MTP drafts);
// routed experts are spread over EP groups. Two micro-batches overlap one's dispatch/combine
// with the other's attention and experts, as DeepSeek serves V3.
#include <algorithm>

#include "workloads/rank_params.h"
#include "workloads/serving.h"

namespace strata::workloads {

double serving_weight_bytes(const WorkloadSpec& w, const ParallelSpec& p, bool mtp) {
  const ModelSpec& m = w.model;
  RankParams r = rank_params(m, p, 0, m.layers + (mtp ? m.mtp_depth : 0), true, true);
  return (r.dense + r.experts) * hw::dtype_bytes(w.precision.gemm) + r.bf16 * hw::dtype_bytes(hw::DType::bf16);
}

namespace {

/// KV lengths of one replica's requests: all kv_len, or uniform in kv_len x (1 +- spread).
std::vector<int64_t> kv_lengths(const WorkloadSpec& w, int64_t requests, uint64_t seed, int replica) {
  std::vector<int64_t> out(requests, w.kv_len);
  if (w.kv_len_spread <= 0) return out;
  int64_t lo = std::max<int64_t>(1, int64_t(w.kv_len * (1 - w.kv_len_spread)));
  int64_t hi = std::max<int64_t>(lo, int64_t(w.kv_len * (1 + w.kv_len_spread)));
  BoundedRng rng(derive_seed(seed, 0x6b766c656eULL, uint64_t(replica)));
  for (int64_t& x : out) x = lo + int64_t(rng.below(uint64_t(hi - lo + 1)));
  return out;
}

}  // namespace

Workload build_decode(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed) {
  Workload out;
  out.phase = Phase::decode;
  Gen G(w, p, lay, out.graph, seed);
  const ModelSpec& m = w.model;
  const int tp = lay.tp(), M = p.micro_batches;
  const int depth = w.mtp.enabled ? m.mtp_depth : 0;
  const int q = 1 + depth;
  const int64_t requests = int64_t(w.batch_per_gpu) * tp;  // per attention replica
  const std::vector<int>& devices = lay.simulated(0);
  const int replicas = lay.stage_size() / tp;

  // Each simulated device's replica; a representative takes the replica with the most KV to
  // read (the one every collective waits for).
  std::vector<int> replica_of(devices.size());
  for (size_t i = 0; i < devices.size(); ++i) replica_of[i] = devices[i] / tp;
  if (lay.representative() && w.kv_len_spread > 0) {
    int64_t best = -1;
    for (int r = 0; r < replicas; ++r) {
      auto kv = kv_lengths(w, requests, seed, r);
      int64_t sum = 0;
      for (int64_t x : kv) sum += x;
      if (sum > best) best = sum, replica_of[0] = r;
    }
  }
  std::vector<std::vector<Request>> reqs(devices.size()), drafts(devices.size());
  for (size_t i = 0; i < devices.size(); ++i)
    for (int64_t kv : kv_lengths(w, requests, seed, replica_of[i])) {
      // kv_len counts the cache including the tokens this step appends.
      reqs[i].push_back({std::max<int64_t>(0, kv - q), q});
      drafts[i].push_back({std::max<int64_t>(0, kv - 1), 1});
    }

  std::deque<PassShape> shapes, mtp;
  std::vector<int64_t> head_rows;
  for (int j = 0; j < M; ++j) {
    auto [b, e] = micro_batch_range(requests, M, j);
    PassShape& s = shapes.emplace_back();
    s.tokens = (e - b) * q;
    s.requests = e - b;
    s.decode = true;
    s.routing_stream = M == 1 ? 0 : uint64_t(j) + 1;
    for (size_t i = 0; i < devices.size(); ++i) s.attention.push_back(attention_work(reqs[i], b, e, G));
    head_rows.push_back(s.tokens);
    PassShape& t = mtp.emplace_back(s);
    t.tokens = e - b;
    t.routing_stream = 1000 + uint64_t(j);
    t.attention.clear();
    for (size_t i = 0; i < devices.size(); ++i) t.attention.push_back(attention_work(drafts[i], b, e, G));
  }
  run_serving_step(G, devices, shapes, mtp, head_rows, depth, "decode");

  const double weights = serving_weight_bytes(w, p, depth > 0);
  out.devices = devices;
  for (size_t i = 0; i < devices.size(); ++i)
    out.memory.push_back({weights, kv_cache_bytes(G, reqs[i], m.layers + depth)});
  out.replicas = lay.replicas();
  double accepted = 0, pa = 1;
  for (int d = 0; d < depth; ++d) accepted += (pa *= w.mtp.acceptance);
  out.tokens_per_step = double(w.batch_per_gpu) * lay.gpus() * (1 + accepted);
  out.description = m.name + " decode step: " + std::to_string(w.batch_per_gpu) + " requests per GPU x " +
                    std::to_string(lay.gpus()) + " GPUs, KV " + std::to_string(w.kv_len) + " tokens" +
                    (w.kv_len_spread > 0 ? " (mean)" : "") + ", attention DP" + std::to_string(replicas) +
                    (tp > 1 ? ", TP" + std::to_string(tp) : "") +
                    (lay.ep() > 1 ? ", EP" + std::to_string(lay.ep()) : "") +
                    (M > 1 ? ", " + std::to_string(M) + " micro-batches" : "") +
                    (depth > 0 ? ", MTP" + std::to_string(depth) : "");
  return out;
}

}  // namespace strata::workloads
