#include "workloads/serving.h"

#include <algorithm>

#include "workloads/layer_ops.h"

namespace strata::workloads {

std::pair<int64_t, int64_t> micro_batch_range(int64_t n, int M, int j) {
  int64_t base = n / M, extra = n % M;
  int64_t begin = j * base + std::min<int64_t>(j, extra);
  return {begin, begin + base + (j < extra ? 1 : 0)};
}

AttentionWork attention_work(const std::vector<Request>& reqs, int64_t begin, int64_t end, const Gen& G) {
  const AttentionSpec& a = G.m.attention;
  AttentionWork x;
  x.heads = a.heads / G.lay.tp();
  x.kv_heads = a.kind == AttentionKind::gqa ? std::max(1, a.kv_heads / G.lay.tp()) : 0;
  for (int64_t r = begin; r < end; ++r) {
    const Request& q = reqs[r];
    x.requests++;
    x.queries += q.queries;
    x.context += double(q.prefix + q.queries);
    x.pairs += double(q.queries) * q.prefix + double(q.queries) * (q.queries + 1) / 2;
  }
  return x;
}

void run_serving_step(Gen& G, const std::vector<int>& devices, std::deque<PassShape>& shapes,
                      std::deque<PassShape>& mtp, const std::vector<int64_t>& head_rows, int depth,
                      const std::string& phase) {
  const int M = static_cast<int>(shapes.size());
  const int L = G.m.layers;
  std::deque<Chain> chains;
  std::vector<Program> progs(M);
  for (int j = 0; j < M; ++j) {
    Chain& ch = chains.emplace_back(G.g, devices);
    ch.tag.micro_batch = M > 1 ? j : -1;
    ch.tag.phase = G.phase(phase);
    StepBuilder sb(progs[j]);
    const PassShape* s = &shapes[j];
    sb.add([&G, &ch, s] { embedding_forward(G, ch, s->tokens); });
    layers_forward(G, sb, ch, 0, L, *s);
    int64_t rows = head_rows[j];
    sb.add([&G, &ch, rows] {
      ch.resume();
      if (rows > 0) head_forward(G, ch, rows, "");
    });
    for (int d = 1; d <= depth; ++d) {
      const PassShape* t = &mtp[j];
      int mtp_phase = G.phase("mtp");
      sb.add([&G, &ch, t, d, mtp_phase] {
        ch.tag.phase = mtp_phase;
        mtp_projection_forward(G, ch, d, t->tokens);
      });
      layers_forward(G, sb, ch, L + d - 1, L + d, *t);
      sb.add([&G, &ch, t, d] {
        ch.resume();
        head_forward(G, ch, t->tokens, "MTP" + std::to_string(d) + ".");
      });
    }
  }
  std::vector<const Program*> ptrs;
  for (const Program& p : progs) ptrs.push_back(&p);
  run_interleaved(ptrs);
}

double kv_cache_bytes(const Gen& G, const std::vector<Request>& reqs, int layers) {
  const double per_token = kv_bytes_on_device(G);
  const int64_t block = G.w.kv_block;
  double tokens = 0;
  for (const Request& r : reqs) tokens += double((r.prefix + r.queries + block - 1) / block * block);
  return tokens * per_token * layers;
}

}  // namespace strata::workloads
