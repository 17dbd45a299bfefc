#include "workloads/rank_params.h"

#include <algorithm>

namespace strata::workloads {

namespace {

double attention_params_on_rank(const ModelSpec& m, int tp) {
  const AttentionSpec& a = m.attention;
  const double h = m.hidden, n = a.heads;
  const double norms = 2.0 * h;  // attention and FFN RMSNorm weights
  if (a.kind == AttentionKind::gqa) {
    double kv_heads = std::max(1, a.kv_heads / tp);
    return (h * n * a.head_dim + n * a.head_dim * h) / tp + 2.0 * h * kv_heads * a.head_dim + norms;
  }
  // The compressions (q_a, kv_a) are replicated; per-head up-projections and o_proj split.
  const double qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
  double replicated = a.q_lora_rank > 0 ? h * a.q_lora_rank + a.q_lora_rank : 0;
  replicated += h * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank;
  double split = a.q_lora_rank > 0 ? a.q_lora_rank * n * qk : h * n * qk;
  split += a.kv_lora_rank * n * (a.qk_nope_head_dim + a.v_head_dim) + n * a.v_head_dim * h;
  return replicated + split / tp + norms;
}

}  // namespace

RankParams rank_params(const ModelSpec& m, const ParallelSpec& p, int first, int last, bool embedding,
                       bool head) {
  RankParams r;
  const MoeSpec& moe = m.moe;
  const int tp = p.tp;
  const int ep = moe.routed_experts > 0 ? p.ep : 1;
  for (int l = first; l < last; ++l) {
    r.dense += attention_params_on_rank(m, tp);
    if (l >= m.layers) r.dense += 2.0 * m.hidden * m.hidden + 2.0 * m.hidden;  // MTP eh_proj, norms
    if (!m.is_moe_layer(l)) {
      r.dense += m.dense_ffn_params() / tp;
      continue;
    }
    r.dense += moe.shared_experts * m.expert_params() / (ep > 1 ? 1 : tp);
    double slots = double(moe.routed_experts + p.redundant_experts) / ep;
    r.experts += ep > 1 ? slots * m.expert_params() : moe.routed_experts * m.expert_params() / tp;
    r.bf16 += m.router_params();
  }
  if (embedding) r.bf16 += m.embedding_params() / tp;
  if (head) r.bf16 += (m.head_params() + m.hidden) / tp;
  return r;
}

}  // namespace strata::workloads
