// Attention blocks: MLA in its absorbed form for decode (attention over the 512 + 64 latent
// cache) and its naive form for prefill and training (keys and values up-projected per head),
// and GQA; tensor parallelism splits heads, sequence parallelism the norms.
#include <cmath>

#include "workloads/generator.h"
#include "workloads/layer_ops.h"
#include "workloads/linear.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

Op attn_class(Op op) {
  op.op_class = OpClass::attention;
  return op;
}

}  // namespace

BlockOps attention_ops(Gen& G, int l, const PassShape& s, size_t i) {
  const AttentionSpec& a = G.m.attention;
  const PrecisionSpec& pr = G.w.precision;
  const int tp = G.lay.tp();
  const int64_t T = s.tokens, h = G.m.hidden;
  const int heads = a.heads / tp;
  const bool serving = G.w.phase != Phase::training;
  const bool fp8_cache = !serving && pr.activation_cache == DType::fp8;
  const double kv_tok = kv_bytes_on_device(G);
  const double bf16 = dtype_bytes(DType::bf16);
  BlockOps ops;
  // `recompute`: rebuilt in backward under selective recomputation (norms, MLA up-projections
  // and what lays their outputs out for attention).
  auto add = [&](Op op, bool recompute = false) { ops.push_back(BlockOp{std::move(op), recompute}); };
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
      // Naive form in FlashAttention's layout: rotary embedding of the queries' and the shared
      // key's rope part (in place), each head's key assembled from its no-rope part and the
      // shared rope part, the values made contiguous out of kv_b_proj's interleaved output.
      const double qr = double(T) * heads * a.qk_rope_head_dim * bf16;
      const double kr = double(s.kv_tokens) * a.qk_rope_head_dim * bf16;
      const double kv_heads = double(s.kv_tokens) * heads;
      add(elementwise(lname(l, "attn.rope_q"), -1, qr, qr, 3.0 * qr / bf16), true);
      add(elementwise(lname(l, "attn.rope_k"), -1, kr, kr, 3.0 * kr / bf16), true);
      add(elementwise(lname(l, "attn.key_copy"), -1, kv_heads * a.qk_nope_head_dim * bf16 + kr,
                      kv_heads * qk * bf16, 0),
          true);
      add(elementwise(lname(l, "attn.value_copy"), -1, kv_heads * a.v_head_dim * bf16,
                      kv_heads * a.v_head_dim * bf16, 0),
          true);
      if (serving) {
        double n = double(T);
        add(elementwise(lname(l, "attn.kv_cache_write"), -1,
                        n * (a.kv_lora_rank + a.qk_rope_head_dim) * dtype_bytes(DType::bf16), n * kv_tok, n));
      }
      add(attention_prefill(lname(l, "attn.mla_prefill"), -1, a, s.attention[i]));
      // DeepSeek-V3 keeps the attention output for backward in FP8 (its own format, TR §3.3.3):
      // a cast of its own, since attention's backward reads it too.
      if (fp8_cache) {
        const int64_t width = int64_t(heads) * a.v_head_dim;
        BlockOp keep{quantise(lname(l, "attn.output.quant"), T, width)};
        keep.backward = {dequantise(lname(l, "attn.output.dequant"), T, width)};  // for FA's backward
        ops.push_back(std::move(keep));
      }
    }
    BlockOp o{gemm(lname(l, "attn.o_proj"), -1, T, h, int64_t(heads) * a.v_head_dim, pr.gemm)};
    o.fp8_cache = fp8_cache && !s.decode;
    ops.push_back(o);
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
  return ops;
}

bool attention_forward(Gen& G, Chain& ch, int l, const PassShape& s) {
  ch.tag.layer = l;
  ch.tag.block = "attn";
  block_input(G, ch, lname(l, "attn_norm"), s.tokens);
  for (size_t i = 0; i < ch.size(); ++i) emit_forward(G, ch, i, attention_ops(G, l, s, i));
  return block_output(G, ch, lname(l, "attn"), s.tokens);
}

bool attention_backward(Gen& G, Chain& ch, int l, const PassShape& s, WeightGrads& wgrad) {
  ch.tag.layer = l;
  ch.tag.block = "attn";
  const bool selective = G.w.training.recompute == Recompute::selective;
  for (size_t i = 0; i < ch.size(); ++i) {
    BlockOps fwd = attention_ops(G, l, s, i);
    if (selective) {
      Tag saved = ch.tag;
      ch.tag.recompute = true;
      ch.emit(i, block_norm(G, lname(l, "attn_norm"), s.tokens));
      BlockOps again;
      for (const BlockOp& b : fwd)
        if (b.recompute) again.push_back(b);
      emit_forward(G, ch, i, again);
      ch.tag = saved;
    }
    backward_of(G, ch, i, fwd, &wgrad);
  }
  block_input_backward(G, ch, lname(l, "attn_norm"), s.tokens);
  return block_output(G, ch, lname(l, "attn.dgrad"), s.tokens);
}

}  // namespace strata::workloads
