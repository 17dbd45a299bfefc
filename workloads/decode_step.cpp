#include "workloads/decode_step.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "workloads/expert_traffic.h"
#include "workloads/kernels.h"
#include "workloads/routing.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

std::string lname(int layer, const std::string& what) { return "L" + std::to_string(layer) + "." + what; }

/// Emits one rank's attention block; returns the last op.
OpGraph::OpId attention_block(OpGraph& g, const WorkloadSpec& w, int r, int l) {
  const ModelSpec& m = w.model;
  const AttentionSpec& a = m.attention;
  const PrecisionSpec& p = w.precision;
  const int64_t B = w.batch_per_gpu, h = m.hidden;
  auto add = [&](Op op) {
    op.layer = l;
    return g.add(std::move(op));
  };
  add(norm(lname(l, "attn_norm"), r, B, h));
  if (a.kind == AttentionKind::mla) {
    const int64_t qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
    if (a.q_lora_rank > 0) {
      add(gemm(lname(l, "attn.q_a_proj"), r, B, a.q_lora_rank, h, p.gemm));
      add(norm(lname(l, "attn.q_a_norm"), r, B, a.q_lora_rank));
      add(gemm(lname(l, "attn.q_b_proj"), r, B, a.heads * qk, a.q_lora_rank, p.gemm));
    } else {
      add(gemm(lname(l, "attn.q_proj"), r, B, a.heads * qk, h, p.gemm));
    }
    add(gemm(lname(l, "attn.kv_a_proj"), r, B, a.kv_lora_rank + a.qk_rope_head_dim, h, p.gemm));
    add(norm(lname(l, "attn.kv_a_norm"), r, B, a.kv_lora_rank));
    // Absorbed MLA: queries move into the latent space (W_UK), outputs come back out (W_UV).
    Op q_absorb = batched_gemm(lname(l, "attn.q_absorb"), r, a.heads, B, a.kv_lora_rank,
                               a.qk_nope_head_dim, p.attention);
    q_absorb.op_class = OpClass::attention;
    add(q_absorb);
    double rope_elems = double(B) * (a.heads + 1) * a.qk_rope_head_dim;
    add(elementwise(lname(l, "attn.rope"), r, rope_elems * 2, rope_elems * 2, rope_elems * 6));
    add(attention_decode(lname(l, "attn.mla_decode"), r, m, B, w.kv_len, p.kv_cache));
    Op v_absorb = batched_gemm(lname(l, "attn.v_absorb"), r, a.heads, B, a.v_head_dim,
                               a.kv_lora_rank, p.attention);
    v_absorb.op_class = OpClass::attention;
    add(v_absorb);
    return add(gemm(lname(l, "attn.o_proj"), r, B, h, int64_t(a.heads) * a.v_head_dim, p.gemm));
  }
  const int64_t hd = a.head_dim;
  add(gemm(lname(l, "attn.qkv_proj"), r, B, (a.heads + 2 * a.kv_heads) * hd, h, p.gemm));
  double rope_elems = double(B) * (a.heads + a.kv_heads) * hd;
  add(elementwise(lname(l, "attn.rope"), r, rope_elems * 2, rope_elems * 2, rope_elems * 6));
  add(attention_decode(lname(l, "attn.gqa_decode"), r, m, B, w.kv_len, p.kv_cache));
  return add(gemm(lname(l, "attn.o_proj"), r, B, h, a.heads * hd, p.gemm));
}

/// A SwiGLU FFN (gate+up, activation, down) on `rows` tokens; returns the last op.
OpGraph::OpId swiglu(OpGraph& g, const std::string& prefix, int r, int l, int64_t rows,
                     int64_t h, int64_t inter, DType d) {
  auto add = [&](Op op) {
    op.layer = l;
    return g.add(std::move(op));
  };
  add(gemm(lname(l, prefix + ".up_gate"), r, rows, 2 * inter, h, d));
  double act = double(rows) * inter;
  add(elementwise(lname(l, prefix + ".act"), r, act * 4, act * dtype_bytes(d), act * 5));
  return add(gemm(lname(l, prefix + ".down"), r, rows, h, inter, d));
}

}  // namespace

double decode_weight_bytes_per_rank(const WorkloadSpec& w, const ParallelSpec& p) {
  const ModelSpec& m = w.model;
  double wb = dtype_bytes(w.precision.gemm);
  double bf16 = dtype_bytes(DType::bf16);
  double experts_local = m.moe.routed_experts > 0 ? double(m.moe.routed_experts) / p.ep : 0.0;
  double linear = m.layers * m.attention_params() + m.dense_layers * m.dense_ffn_params() +
                  m.moe_layers() * (m.moe.shared_experts + experts_local) * m.expert_params();
  return linear * wb + m.moe_layers() * m.router_params() * bf16 +
         (m.embedding_params() + m.head_params()) * bf16;
}

Workload build_decode_step(const WorkloadSpec& w, const ParallelSpec& p, int ranks, uint64_t seed) {
  const ModelSpec& m = w.model;
  if (p.attention_dp * p.tp != ranks)
    throw std::invalid_argument("attention_dp x tp must equal the number of GPUs");
  if (m.moe.routed_experts > 0 && (ranks % p.ep != 0 || m.moe.routed_experts % p.ep != 0))
    throw std::invalid_argument("ep must divide both the GPU count and routed_experts");

  Workload out;
  OpGraph& g = out.graph;
  const int64_t B = w.batch_per_gpu, h = m.hidden;
  const MoeSpec& moe = m.moe;
  const int ep = moe.routed_experts > 0 ? p.ep : 1;
  const int experts_per_rank = moe.routed_experts > 0 ? moe.routed_experts / ep : 0;
  // DeepEP-style payloads: one copy of a token per destination rank, plus its top-k ids/weights.
  const double dispatch_bytes = activation_bytes(1, h, w.precision.dispatch) + moe.top_k * (8.0 + 4.0);
  const double combine_bytes = double(h) * dtype_bytes(w.precision.combine);

  std::vector<OpGraph::OpId> last(ranks);
  for (int l = 0; l < m.layers; ++l) {
    for (int r = 0; r < ranks; ++r) {
      attention_block(g, w, r, l);
      Op n = norm(lname(l, "ffn_norm"), r, B, h);
      n.layer = l;
      last[r] = g.add(n);
      if (!m.is_moe_layer(l))
        last[r] = swiglu(g, "ffn", r, l, B, h, m.dense_intermediate, w.precision.gemm);
    }
    if (!m.is_moe_layer(l)) continue;

    // Route every rank's tokens, then count traffic and expert loads per EP group.
    std::vector<std::vector<int64_t>> expert_rows(ranks, std::vector<int64_t>(experts_per_rank, 0));
    std::vector<std::vector<double>> pair_tokens(ranks, std::vector<double>(ranks, 0.0));
    std::vector<TokenRouting> routing(ranks / ep);  // per EP group, for DeepEP-style networks
    std::vector<OpGraph::OpId> topk(ranks);
    for (int r = 0; r < ranks; ++r) {
      Op gate = gemm(lname(l, "moe.router"), r, B, moe.routed_experts, h, DType::bf16);
      gate.layer = l;
      g.add(gate);
      double scores = double(B) * moe.routed_experts * 4.0;
      Op tk = elementwise(lname(l, "moe.topk"), r, scores, double(B) * moe.top_k * 12.0, scores / 4 * 3);
      tk.layer = l;
      topk[r] = g.add(tk);
      ExpertRouter router(moe, derive_seed(seed, uint64_t(l), uint64_t(r)));
      std::vector<int> picks = router.route(static_cast<int>(B));
      const int group_base = (r / ep) * ep;
      add_routed_tokens(routing[r / ep], r, picks, moe.top_k, group_base, experts_per_rank);
      for (int64_t t = 0; t < B; ++t) {
        std::set<int> dests;
        for (int j = 0; j < moe.top_k; ++j) {
          int e = picks[size_t(t) * moe.top_k + j];
          int dest = group_base + e / experts_per_rank;
          expert_rows[dest][e % experts_per_rank]++;
          dests.insert(dest);
        }
        for (int d : dests) pair_tokens[r][d] += 1.0;
      }
      if (moe.shared_experts > 0)
        last[r] = swiglu(g, "moe.shared", r, l, B, h,
                         int64_t(moe.shared_experts) * moe.expert_intermediate, w.precision.gemm);
    }

    for (int group = 0; group < ranks / ep; ++group) {
      Collective dispatch, combine;
      dispatch.kind = CollectiveKind::ep_dispatch;
      combine.kind = CollectiveKind::ep_combine;
      dispatch.tokens = combine.tokens = routing[group];
      dispatch.tokens.bytes_per_token = dispatch_bytes;
      combine.tokens.bytes_per_token = combine_bytes;
      for (int r = group * ep; r < (group + 1) * ep; ++r) {
        dispatch.ranks.push_back(r);
        combine.ranks.push_back(r);
        for (int d = group * ep; d < (group + 1) * ep; ++d) {
          if (d == r || pair_tokens[r][d] == 0) continue;
          dispatch.flows.push_back({r, d, pair_tokens[r][d] * dispatch_bytes});
          combine.flows.push_back({d, r, pair_tokens[r][d] * combine_bytes});
        }
      }
      OpGraph::OpId d_id = g.add_collective(
          collective_op(lname(l, "moe.dispatch"), l, w.precision.dispatch, dispatch), dispatch);
      for (int r : dispatch.ranks) g.depend(topk[r], d_id);

      std::vector<OpGraph::OpId> down(ranks);
      for (int r : dispatch.ranks) {
        Op up = grouped_gemm(lname(l, "moe.experts.up_gate"), r, expert_rows[r],
                             2 * int64_t(moe.expert_intermediate), h, w.precision.gemm);
        up.layer = l;
        OpGraph::OpId up_id = g.add(up);
        g.depend(d_id, up_id);
        double act = 0;
        for (int64_t rows : expert_rows[r]) act += double(rows) * moe.expert_intermediate;
        Op a = elementwise(lname(l, "moe.experts.act"), r, act * 4,
                           act * dtype_bytes(w.precision.gemm), act * 5);
        a.layer = l;
        g.add(a);
        Op dn = grouped_gemm(lname(l, "moe.experts.down"), r, expert_rows[r], h,
                             moe.expert_intermediate, w.precision.gemm);
        dn.layer = l;
        down[r] = g.add(dn);
      }

      OpGraph::OpId c_id = g.add_collective(
          collective_op(lname(l, "moe.combine"), l, w.precision.combine, combine), combine);
      for (int r : combine.ranks) g.depend(down[r], c_id);

      for (int r : combine.ranks) {
        // Weighted sum of the returned expert outputs, the shared expert and the residual.
        double act = double(B) * h * dtype_bytes(DType::bf16);
        double recv = 0;
        for (int s : combine.ranks) recv += pair_tokens[r][s];
        Op red = elementwise(lname(l, "moe.reduce"), r, recv * combine_bytes + 2 * act, act,
                             double(B) * h * (moe.top_k + 2));
        red.layer = l;
        last[r] = g.add(red);
        g.depend(c_id, last[r]);
      }
    }
  }

  for (int r = 0; r < ranks; ++r) {
    Op fn = norm("final_norm", r, B, h);
    g.add(fn);
    Op head = gemm("lm_head", r, B, m.vocab, h, w.precision.lm_head);
    g.add(head);
    double logits = double(B) * m.vocab * 4.0;
    g.add(elementwise("sample", r, logits, double(B) * 8.0, logits / 4 * 3));
  }

  double weights = decode_weight_bytes_per_rank(w, p);
  double kv = double(B) * w.kv_len * m.layers * kv_bytes_per_token_per_layer(m, w.precision.kv_cache);
  out.memory.assign(ranks, RankMemory{weights, kv});
  out.tokens_per_step = double(B) * p.attention_dp;
  out.description = m.name + " decode step: " + std::to_string(B) + " requests per GPU x " +
                    std::to_string(ranks) + " GPUs, KV " + std::to_string(w.kv_len) +
                    " tokens, attention DP" + std::to_string(p.attention_dp) + ", EP" +
                    std::to_string(ep);
  return out;
}

}  // namespace strata::workloads
