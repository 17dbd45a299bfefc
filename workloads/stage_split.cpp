#include "workloads/stage_split.h"

#include <algorithm>
#include <limits>

namespace strata::workloads {

namespace {

/// Forward FLOPs per token of layer l: its weights once, plus the causal attention core.
double layer_cost(const ModelSpec& m, int l, int seq_len) {
  const AttentionSpec& a = m.attention;
  double qk = a.kind == AttentionKind::mla ? a.qk_nope_head_dim + a.qk_rope_head_dim : a.head_dim;
  double v = a.kind == AttentionKind::mla ? a.v_head_dim : a.head_dim;
  double core = 2.0 * a.heads * (seq_len + 1.0) / 2 * (qk + v);
  double ffn = m.is_moe_layer(l) ? (m.moe.top_k + m.moe.shared_experts) * m.expert_params() + m.router_params()
                                 : m.dense_ffn_params();
  return 2.0 * (m.attention_params() + ffn) + core;
}

}  // namespace

std::vector<std::pair<int, int>> split_stages(const ModelSpec& m, int pp, int seq_len, int mtp_depth,
                                              PipelineSplit how) {
  const int L = m.layers;
  std::vector<std::pair<int, int>> out;
  if (how == PipelineSplit::even || pp == 1) {
    std::vector<int> count(pp, L / pp);
    int extra = L % pp;
    for (int s = 1; s < pp && extra > 0; ++s, --extra) count[s]++;
    if (extra > 0) count[0] += extra;
    int first = 0;
    for (int c : count) out.push_back({first, first + c}), first += c;
    return out;
  }
  std::vector<double> prefix(L + 1, 0.0);
  for (int l = 0; l < L; ++l) prefix[l + 1] = prefix[l] + layer_cost(m, l, seq_len);
  const double head = 2.0 * (m.head_params() > 0 ? m.head_params() : m.embedding_params());
  const double last_extra = head + mtp_depth * (layer_cost(m, L - 1, seq_len) + 4.0 * m.hidden * m.hidden + head);
  auto cost = [&](int j, int i) { return prefix[i] - prefix[j]; };
  const double inf = std::numeric_limits<double>::infinity();
  // best[s][i]: the smallest largest-stage cost of the first i layers over stages 0..s.
  std::vector<std::vector<double>> best(pp, std::vector<double>(L + 1, inf));
  std::vector<std::vector<int>> from(pp, std::vector<int>(L + 1, -1));
  for (int i = 1; i <= L; ++i) best[0][i] = cost(0, i);
  for (int s = 1; s < pp; ++s) {
    bool last = s == pp - 1;
    for (int i = last ? L : s + 1; i <= L; ++i)
      for (int j = s; j <= (last ? L : i - 1); ++j) {
        double c = std::max(best[s - 1][j], cost(j, i) + (last ? last_extra : 0.0));
        if (c < best[s][i]) best[s][i] = c, from[s][i] = j;
      }
  }
  out.resize(pp);
  int end = L;
  for (int s = pp - 1; s > 0; --s) {
    int j = from[s][end];
    out[s] = {j, end};
    end = j;
  }
  out[0] = {0, end};
  return out;
}

}  // namespace strata::workloads
