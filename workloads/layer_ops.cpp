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
  Op n = block_norm(G, norm_name + ".bwd", tokens);
  n.pass = Pass::backward_input;
  emit_all(ch, {n});
}

bool block_output(Gen& G, Chain& ch, const std::string& name, int64_t tokens) {
  if (G.lay.tp() < 2) return false;
  bool sp = G.p.sp;
  G.issue_grouped(ch, name + (sp ? ".reduce_scatter" : ".all_reduce"), DType::bf16,
                  sp ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce,
                  activation(G, tokens), &Layout::tp_group);
  return true;
}

void backward_of(Chain& ch, size_t i, const std::vector<Op>& fwd, WeightGrads* wgrad) {
  for (auto it = fwd.rbegin(); it != fwd.rend(); ++it) {
    const Op& f = *it;
    switch (f.kind) {
      case OpKind::gemm:
      case OpKind::batched_gemm:
      case OpKind::grouped_gemm: {
        ch.emit(i, gemm_dgrad(f));
        Op w = gemm_wgrad(f);
        w.layer = ch.tag.layer;  // it may be emitted later, under another chain's tag
        if (wgrad)
          wgrad->push_back({i, std::move(w)});
        else
          ch.emit(i, std::move(w));
        break;
      }
      case OpKind::attention_prefill:
        ch.emit(i, attention_backward(f));
        break;
      default: {
        Op b = f;
        b.name += ".bwd";
        b.pass = Pass::backward_input;
        ch.emit(i, b);
      }
    }
  }
}

std::vector<Op> dense_ffn_ops(const Gen& G, int l, int64_t T, int64_t inter, const std::string& block) {
  const DType d = G.w.precision.gemm;
  const int64_t h = G.m.hidden;
  double act = double(T) * inter;
  return {gemm(lname(l, block + ".up_gate"), -1, T, 2 * inter, h, d),
          elementwise(lname(l, block + ".act"), -1, act * 4, act * dtype_bytes(d), act * 5),
          gemm(lname(l, block + ".down"), -1, T, h, inter, d)};
}

bool dense_ffn_forward(Gen& G, Chain& ch, int l, const PassShape& s) {
  ch.tag.layer = l;
  block_input(G, ch, lname(l, "ffn_norm"), s.tokens);
  emit_all(ch, dense_ffn_ops(G, l, s.tokens, G.m.dense_intermediate / G.lay.tp(), "ffn"));
  return block_output(G, ch, lname(l, "ffn"), s.tokens);
}

bool dense_ffn_backward(Gen& G, Chain& ch, int l, const PassShape& s, WeightGrads& wgrad) {
  ch.tag.layer = l;
  std::vector<Op> fwd = dense_ffn_ops(G, l, s.tokens, G.m.dense_intermediate / G.lay.tp(), "ffn");
  for (size_t i = 0; i < ch.size(); ++i) {
    if (G.w.training.recompute == Recompute::selective) {
      Tag saved = ch.tag;
      ch.tag.recompute = true;
      ch.emit(i, block_norm(G, lname(l, "ffn_norm"), s.tokens));
      ch.tag = saved;
    }
    backward_of(ch, i, fwd, &wgrad);
  }
  block_input_backward(G, ch, lname(l, "ffn_norm"), s.tokens);
  return block_output(G, ch, lname(l, "ffn.dgrad"), s.tokens);
}

}  // namespace strata::workloads
