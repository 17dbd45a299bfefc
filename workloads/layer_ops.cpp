// Block plumbing shared by every block (norms, tensor/sequence-parallel collectives, the
// generic backward of a list of forward ops) and the dense SwiGLU FFN.
#include "workloads/layer_ops.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {
int64_t sp_rows(const Gen& G, int64_t tokens) {
  int tp = G.lay.tp();
  return G.p.sp && tp > 1 ? (tokens + tp - 1) / tp : tokens;
}
double activation(const Gen& G, int64_t tokens) {
  return double(tokens) * G.m.hidden * dtype_bytes(DType::bf16);
}
}  // namespace

Op block_norm(const Gen& G, const std::string& name, int64_t tokens) {
  return norm(name, -1, sp_rows(G, tokens), G.m.hidden);
}

void block_input(Gen& G, Chain& ch, const std::string& norm_name, int64_t tokens) {
  emit_all(ch, {block_norm(G, norm_name, tokens)});
  if (G.p.sp && G.lay.tp() > 1) {
    G.issue_grouped(ch, norm_name + ".all_gather", DType::bf16, CollectiveKind::all_gather,
                    activation(G, tokens), &Layout::tp_group);
    ch.await();
  }
}

void block_input_backward(Gen& G, Chain& ch, const std::string& norm_name, int64_t tokens) {
  if (G.p.sp && G.lay.tp() > 1) {
    G.issue_grouped(ch, norm_name + ".reduce_scatter", DType::bf16, CollectiveKind::reduce_scatter,
                    activation(G, tokens), &Layout::tp_group);
    ch.await();
  }
  for (size_t i = 0; i < ch.size(); ++i)
    backward_of(G, ch, i, {BlockOp{block_norm(G, norm_name, tokens)}}, nullptr);
}

bool block_output(Gen& G, Chain& ch, const std::string& name, int64_t tokens) {
  if (G.lay.tp() < 2) return false;
  bool sp = G.p.sp;
  G.issue_grouped(ch, name + (sp ? ".reduce_scatter" : ".all_reduce"), DType::bf16,
                  sp ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce,
                  activation(G, tokens), &Layout::tp_group);
  return true;
}

namespace {

Op backward_op(Op op, const Op& f) {
  op.layer = f.layer;
  op.phase = f.phase;
  op.pass = Pass::backward_input;
  op.op_class = f.op_class;
  return op;
}

/// FlashAttention-3's backward: the row sums of dO * O first, the kernel (dQ accumulated in
/// FP32), then dQ converted to BF16.
std::vector<Op> flash_attention_backward(const Op& f) {
  const AttentionWork& w = f.attention;
  const double rows = double(w.queries) * w.heads, bf16 = dtype_bytes(DType::bf16);
  Op pre = elementwise(f.name + ".bwd_pre", -1, 2 * rows * double(f.n) * bf16, rows * 4, 2 * rows * double(f.n));
  Op post = elementwise(f.name + ".bwd_post", -1, rows * double(f.k) * 4, rows * double(f.k) * bf16, rows * double(f.k));
  return {backward_op(pre, f), attention_backward(f), backward_op(post, f)};
}

}  // namespace

void emit_forward(const Gen& G, Chain& ch, size_t i, const BlockOps& ops) {
  for (const BlockOp& b : ops)
    for (Op& op : forward_kernels(b, G.recipe())) ch.emit(i, std::move(op));
}

void emit_forward_all(const Gen& G, Chain& ch, const BlockOps& ops) {
  for (size_t i = 0; i < ch.size(); ++i) emit_forward(G, ch, i, ops);
}

bool norm_input_kept_fp8(const Gen& G) {
  return G.w.precision.activation_cache == DType::fp8 && G.w.training.recompute == Recompute::none;
}

void backward_of(const Gen& G, Chain& ch, size_t i, const BlockOps& fwd, WeightGrads* wgrad) {
  for (auto it = fwd.rbegin(); it != fwd.rend(); ++it) {
    const BlockOp& b = *it;
    const Op& f = b.op;
    if (b.no_backward) continue;
    if (!b.backward.empty()) {
      for (const Op& op : b.backward) ch.emit(i, backward_op(op, f));
    } else if (is_gemm(f)) {
      BackwardKernels k = gemm_backward(b, G.recipe());
      for (Op& op : k.input) ch.emit(i, std::move(op));
      for (Op& w : k.weight) {
        w.layer = ch.tag.layer;  // it may be emitted later, under another chain's tag
        w.phase = ch.block_phase(Pass::backward_weight);
        if (wgrad)
          wgrad->push_back({i, std::move(w)});
        else
          ch.emit(i, std::move(w));
      }
    } else if (f.kind == OpKind::attention_prefill) {
      for (Op& op : flash_attention_backward(f)) ch.emit(i, std::move(op));
    } else if (f.kind == OpKind::norm) {
      // The norm's backward, then its weight's gradient: per-CTA partial sums reduced and added
      // to the FP32 gradient (a small kernel of its own).
      Op n = backward_op(f, f);
      n.name += ".bwd";
      ch.emit(i, n);
      const double width = double(f.k);
      ch.emit(i, backward_op(elementwise(f.name + ".weight_grad_norm_reduce", -1, width * 8, width * 4, width * 2), f));
    } else {
      Op m = backward_op(f, f);
      m.name += ".bwd";
      ch.emit(i, m);
    }
  }
}

BlockOps swiglu_mlp(const Gen& G, const std::string& prefix, BlockOp up_gate, Op down, int64_t rows, int64_t inter,
                    bool weighted) {
  const PrecisionSpec& pr = G.w.precision;
  const bool fp8 = pr.gemm == DType::fp8;
  const bool cache = G.w.phase == Phase::training && pr.activation_cache == DType::fp8;
  const double n_in = double(rows) * 2 * inter, n_out = double(rows) * inter, bf16 = dtype_bytes(DType::bf16);
  const double w = weighted ? double(rows) * 4 : 0;  // FP32 routing weight per row
  BlockOps ops{std::move(up_gate)};
  if (cache) {
    BlockOp keep{quantise(prefix + ".swiglu_input.quant", rows, 2 * inter)};
    keep.no_backward = true;
    ops.push_back(std::move(keep));
  }
  BlockOp act{elementwise(prefix + ".swiglu", -1, n_in * bf16 + w,
                          fp8 ? activation_bytes(rows, inter, DType::fp8) : n_out * bf16, 5 * n_out)};
  // Backward: SwiGLU recomputed from its input and differentiated in one pass (the recomputed
  // output feeds the down projection's weight gradient; with the routing weights' gradient), the
  // kept FP8 input dequantised first.
  if (cache) act.backward.push_back(dequantise(prefix + ".swiglu_input.dequant", rows, 2 * inter));
  act.backward.push_back(elementwise(prefix + ".swiglu.bwd", -1, n_in * bf16 + n_out * bf16 + w,
                                     n_in * bf16 + n_out * bf16 + w, 10 * n_out));
  ops.push_back(std::move(act));
  BlockOp d{std::move(down)};
  d.quantised_input = fp8;  // the activation wrote it quantised
  ops.push_back(std::move(d));
  return ops;
}

BlockOps dense_ffn_ops(const Gen& G, int l, int64_t T, int64_t inter, const std::string& block, bool quantised_input) {
  const DType d = G.w.precision.gemm;
  const int64_t h = G.m.hidden;
  BlockOp up{gemm(lname(l, block + ".up_gate"), -1, T, 2 * inter, h, d)};
  up.quantised_input = quantised_input;
  up.fp8_cache = norm_input_kept_fp8(G);
  return swiglu_mlp(G, lname(l, block), std::move(up), gemm(lname(l, block + ".down"), -1, T, h, inter, d), T, inter,
                    false);
}

bool dense_ffn_forward(Gen& G, Chain& ch, int l, const PassShape& s) {
  ch.tag.layer = l;
  ch.tag.block = "mlp";
  block_input(G, ch, lname(l, "ffn_norm"), s.tokens);
  emit_forward_all(G, ch, dense_ffn_ops(G, l, s.tokens, G.m.dense_intermediate / G.lay.tp(), "ffn"));
  return block_output(G, ch, lname(l, "ffn"), s.tokens);
}

bool dense_ffn_backward(Gen& G, Chain& ch, int l, const PassShape& s, WeightGrads& wgrad) {
  ch.tag.layer = l;
  ch.tag.block = "mlp";
  BlockOps fwd = dense_ffn_ops(G, l, s.tokens, G.m.dense_intermediate / G.lay.tp(), "ffn");
  for (size_t i = 0; i < ch.size(); ++i) {
    if (G.w.training.recompute == Recompute::selective) {
      Tag saved = ch.tag;
      ch.tag.recompute = true;
      ch.emit(i, block_norm(G, lname(l, "ffn_norm"), s.tokens));
      ch.tag = saved;
    }
    backward_of(G, ch, i, fwd, &wgrad);
  }
  block_input_backward(G, ch, lname(l, "ffn_norm"), s.tokens);
  return block_output(G, ch, lname(l, "ffn.dgrad"), s.tokens);
}

}  // namespace strata::workloads
