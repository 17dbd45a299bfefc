// Attention blocks: MLA in its absorbed form for decode (attention over the 512 + 64 latent
// cache) and its naive form for prefill and training (keys and values up-projected per head),
// and GQA; tensor parallelism splits heads, sequence parallelism the norms.
#include <cmath>

#include "workloads/generator.h"
#include "workloads/layer_ops.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

Op attn_class(Op op) {
  op.op_class = OpClass::attention;
  return op;
}

}  // namespace

std::vector<Op> attention_ops(Gen& G, int l, const PassShape& s, size_t i, std::vector<char>* recomputable) {
  const AttentionSpec& a = G.m.attention;
  const PrecisionSpec& pr = G.w.precision;
  const int tp = G.lay.tp();
  const int64_t T = s.tokens, h = G.m.hidden;
  const int heads = a.heads / tp;
  const bool serving = G.w.phase != Phase::training;
  const double kv_tok = kv_bytes_on_device(G);
  std::vector<Op> ops;
  std::vector<bool> rc;  // recomputed in backward under selective recomputation
  auto add = [&](Op op, bool recompute = false) {
    ops.push_back(std::move(op));
    rc.push_back(recompute);
  };
  if (a.kind == AttentionKind::mla) {
    const int64_t qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
    if (a.q_lora_rank > 0) {
      add(gemm(lname(l, "attn.q_a_proj"), -1, T, a.q_lora_rank, h, pr.gemm));
      add(norm(lname(l, "attn.q_a_norm"), -1, T, a.q_lora_rank), true);
      add(gemm(lname(l, "attn.q_b_proj"), -1, T, heads * qk, a.q_lora_rank, pr.gemm), true);
    } else {
      add(gemm(lname(l, "attn.q_proj"), -1, T, heads * qk, h, pr.gemm));
    }
    add(gemm(lname(l, "attn.kv_a_proj"), -1, T, a.kv_lora_rank + a.qk_rope_head_dim, h, pr.gemm));
    add(norm(lname(l, "attn.kv_a_norm"), -1, T, a.kv_lora_rank), true);
    if (s.decode) {
      // Absorbed: queries move into the latent space (W_UK), outputs come back out (W_UV).
      add(attn_class(batched_gemm(lname(l, "attn.q_absorb"), -1, heads, T, a.kv_lora_rank,
                                  a.qk_nope_head_dim, pr.attention)));
      double rope = double(T) * (heads + 1) * a.qk_rope_head_dim;
      add(elementwise(lname(l, "attn.rope"), -1, rope * 2, rope * 2, rope * 6));
      add(attention_decode(lname(l, "attn.mla_decode"), -1, a, s.attention[i], kv_tok));
      add(attn_class(batched_gemm(lname(l, "attn.v_absorb"), -1, heads, T, a.v_head_dim,
                                  a.kv_lora_rank, pr.attention)));
    } else {
      if (s.cached_tokens > 0) {
        // Cached prefix: latent read back from the paged cache for the up-projection.
        double c = double(s.cached_tokens);
        add(elementwise(lname(l, "attn.kv_cache_read"), -1, c * kv_tok,
                        c * a.kv_lora_rank * dtype_bytes(DType::bf16), c * a.kv_lora_rank));
      }
      add(gemm(lname(l, "attn.kv_b_proj"), -1, s.kv_tokens, heads * (a.qk_nope_head_dim + a.v_head_dim),
               a.kv_lora_rank, pr.gemm),
          true);
      double rope = double(T) * heads * a.qk_rope_head_dim + double(s.kv_tokens) * a.qk_rope_head_dim;
      add(elementwise(lname(l, "attn.rope"), -1, rope * 2, rope * 2, rope * 6));
      if (serving) {
        double n = double(T);
        add(elementwise(lname(l, "attn.kv_cache_write"), -1,
                        n * (a.kv_lora_rank + a.qk_rope_head_dim) * dtype_bytes(DType::bf16), n * kv_tok, n));
      }
      add(attention_prefill(lname(l, "attn.mla_prefill"), -1, a, s.attention[i]));
    }
    add(gemm(lname(l, "attn.o_proj"), -1, T, h, int64_t(heads) * a.v_head_dim, pr.gemm));
  } else {
    const int hd = a.head_dim;
    const int kvh = std::max(1, a.kv_heads / tp);
    add(gemm(lname(l, "attn.qkv_proj"), -1, T, int64_t(heads + 2 * kvh) * hd, h, pr.gemm));
    double rope = double(T) * (heads + kvh) * hd;
    add(elementwise(lname(l, "attn.rope"), -1, rope * 2, rope * 2, rope * 6));
    if (s.decode) {
      add(attention_decode(lname(l, "attn.gqa_decode"), -1, a, s.attention[i], kv_tok));
    } else {
      if (serving) {
        double n = double(T);
        add(elementwise(lname(l, "attn.kv_cache_write"), -1, n * 2 * kvh * hd * dtype_bytes(DType::bf16),
                        n * kv_tok, n));
      }
      add(attention_prefill(lname(l, "attn.gqa_prefill"), -1, a, s.attention[i]));
    }
    add(gemm(lname(l, "attn.o_proj"), -1, T, h, int64_t(heads) * hd, pr.gemm));
  }
  if (recomputable) recomputable->assign(rc.begin(), rc.end());
  return ops;
}

bool attention_forward(Gen& G, Chain& ch, int l, const PassShape& s) {
  ch.tag.layer = l;
  block_input(G, ch, lname(l, "attn_norm"), s.tokens);
  for (size_t i = 0; i < ch.size(); ++i)
    for (Op& op : attention_ops(G, l, s, i, nullptr)) ch.emit(i, std::move(op));
  return block_output(G, ch, lname(l, "attn"), s.tokens);
}

bool attention_backward(Gen& G, Chain& ch, int l, const PassShape& s, WeightGrads& wgrad) {
  ch.tag.layer = l;
  const bool selective = G.w.training.recompute == Recompute::selective;
  for (size_t i = 0; i < ch.size(); ++i) {
    std::vector<char> rc;
    std::vector<Op> fwd = attention_ops(G, l, s, i, &rc);
    if (selective) {
      Tag saved = ch.tag;
      ch.tag.recompute = true;
      ch.emit(i, block_norm(G, lname(l, "attn_norm"), s.tokens));
      for (size_t k = 0; k < fwd.size(); ++k)
        if (rc[k]) ch.emit(i, fwd[k]);
      ch.tag = saved;
    }
    backward_of(ch, i, fwd, &wgrad);
  }
  block_input_backward(G, ch, lname(l, "attn_norm"), s.tokens);
  return block_output(G, ch, lname(l, "attn.dgrad"), s.tokens);
}

}  // namespace strata::workloads
