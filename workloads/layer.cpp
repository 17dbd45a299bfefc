// Whole transformer layers as program steps (attention, then a dense FFN or the MoE block),
// forward and backward (with selective or full recomputation), and the embedding, the output
// head and the MTP modules' extra projection.
#include <memory>

#include "workloads/layer_ops.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

void layers_forward(Gen& G, StepBuilder& sb, Chain& ch, int first, int last, const PassShape& s) {
  const PassShape* ps = &s;
  const bool tp = G.lay.tp() > 1;
  for (int l = first; l < last; ++l) {
    sb.add([&G, &ch, l, ps] {
      ch.resume();
      attention_forward(G, ch, l, *ps);
    });
    if (tp) sb.cut();
    if (G.m.is_moe_layer(l)) {
      sb.add([&ch] { ch.resume(); });
      moe_forward(G, sb, ch, l, s);
    } else {
      sb.add([&G, &ch, l, ps] {
        ch.resume();
        dense_ffn_forward(G, ch, l, *ps);
      });
      if (tp) sb.cut();
    }
  }
}

void layers_backward(Gen& G, StepBuilder& sb, Chain& ch, int first, int last, const PassShape& s,
                     WeightGrads* deferred) {
  const PassShape* ps = &s;
  const bool tp = G.lay.tp() > 1;
  for (int l = last - 1; l >= first; --l) {
    if (G.w.training.recompute == Recompute::full) {
      sb.add([&ch] {
        ch.tag.recompute = true;
        ch.tag.pass = Pass::backward_input;
      });
      layers_forward(G, sb, ch, l, l + 1, s);
      sb.add([&ch] { ch.tag.recompute = false; });
    }
    auto local = std::make_shared<WeightGrads>();
    WeightGrads& wg = deferred ? *deferred : *local;
    if (G.m.is_moe_layer(l)) {
      sb.add([&ch] { ch.resume(); });
      moe_backward(G, sb, ch, l, s, wg, deferred != nullptr);
    } else {
      sb.add([&G, &ch, l, ps, &wg] {
        ch.resume();
        dense_ffn_backward(G, ch, l, *ps, wg);
      });
      if (tp) sb.cut();
    }
    sb.add([&G, &ch, l, ps, &wg, local, deferred] {
      ch.resume();
      attention_backward(G, ch, l, *ps, wg);
      if (!deferred) {
        for (auto& [i, op] : *local) ch.emit(i, op);
        local->clear();
      }
    });
    if (tp) sb.cut();
  }
}

void embedding_forward(Gen& G, Chain& ch, int64_t tokens) {
  ch.tag.layer = -1;
  ch.tag.block = nullptr;
  double act = double(tokens) * G.m.hidden * dtype_bytes(DType::bf16);
  emit_all(ch, {elementwise("embedding", -1, act, act, 0)});
}

void embedding_backward(Gen& G, Chain& ch, int64_t tokens, WeightGrads& wgrad) {
  ch.tag.layer = -1;
  ch.tag.block = nullptr;
  // Scatter-add of the token gradients into the (FP32) embedding gradient rows.
  double n = double(tokens) * G.m.hidden;
  Op op = elementwise("embedding.wgrad", -1, n * (dtype_bytes(DType::bf16) + 4), n * 4, n);
  op.pass = Pass::backward_weight;
  op.layer = -1;
  for (size_t i = 0; i < ch.size(); ++i) wgrad.push_back({i, op});
}

namespace {
BlockOps head_ops(const Gen& G, int64_t rows, const std::string& prefix) {
  const int64_t vocab = G.m.vocab / G.lay.tp();
  double logits = double(rows) * vocab;
  BlockOps ops = {BlockOp{norm(prefix + "final_norm", -1, rows, G.m.hidden)},
                  BlockOp{gemm(prefix + "lm_head", -1, rows, vocab, G.m.hidden, G.w.precision.lm_head)}};
  if (G.w.phase == Phase::training)
    ops.push_back(BlockOp{elementwise(prefix + "loss", -1, logits * 2, logits * 2 + rows * 4.0, logits * 5)});
  else
    ops.push_back(BlockOp{elementwise(prefix + "sample", -1, logits * 4, double(rows) * 8.0, logits * 3)});
  return ops;
}
}  // namespace

void head_forward(Gen& G, Chain& ch, int64_t rows, const std::string& prefix) {
  ch.tag.layer = -1;
  ch.tag.block = nullptr;
  emit_forward_all(G, ch, head_ops(G, rows, prefix));
}

void head_backward(Gen& G, Chain& ch, int64_t rows, const std::string& prefix, WeightGrads& wgrad) {
  ch.tag.layer = -1;
  ch.tag.block = nullptr;
  BlockOps fwd = head_ops(G, rows, prefix);
  fwd.pop_back();  // the loss op already wrote the logits' gradients
  for (size_t i = 0; i < ch.size(); ++i) backward_of(G, ch, i, fwd, &wgrad);
}

namespace {
BlockOps mtp_ops(const Gen& G, int depth, int64_t tokens) {
  const int64_t h = G.m.hidden;
  std::string p = "MTP" + std::to_string(depth) + ".";
  double act = double(tokens) * h * dtype_bytes(DType::bf16);
  return {BlockOp{elementwise(p + "embedding", -1, act, act, 0)}, BlockOp{norm(p + "enorm", -1, tokens, h)},
          BlockOp{norm(p + "hnorm", -1, tokens, h)},
          BlockOp{gemm(p + "eh_proj", -1, tokens, h, 2 * h, G.w.precision.gemm)}};
}
}  // namespace

void mtp_projection_forward(Gen& G, Chain& ch, int depth, int64_t tokens) {
  ch.tag.layer = G.m.layers + depth - 1;
  ch.tag.block = nullptr;
  emit_forward_all(G, ch, mtp_ops(G, depth, tokens));
}

void mtp_projection_backward(Gen& G, Chain& ch, int depth, int64_t tokens, WeightGrads& wgrad) {
  ch.tag.layer = G.m.layers + depth - 1;
  ch.tag.block = nullptr;
  BlockOps fwd = mtp_ops(G, depth, tokens);
  for (size_t i = 0; i < ch.size(); ++i) backward_of(G, ch, i, fwd, &wgrad);
}

}  // namespace strata::workloads
