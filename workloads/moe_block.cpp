// The MoE block: router and top-k, dispatch of tokens to the ranks holding their experts
// (DeepEP's ep_dispatch, carrying every token's destinations), shared experts computed while the
// dispatch is in flight, routed experts as grouped GEMMs, combine, and the weighted sum. With
// ep = 1 the experts are local (tensor-parallel ones split their width).
#include <algorithm>
#include <map>

#include "workloads/layer_ops.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

struct Shape {
  int tp, ep;
  int64_t routed;  ///< tokens one rank routes
  int64_t inter;   ///< expert width on one rank
};

Shape shape(const Gen& G, const PassShape& s) {
  Shape x;
  x.tp = G.lay.tp();
  x.ep = G.lay.ep();
  // With expert parallelism the ranks of a TP group split their replica's tokens; local
  // experts under TP see every token and hold 1/tp of each expert's width.
  x.routed = x.ep > 1 ? (s.tokens + x.tp - 1) / x.tp : s.tokens;
  x.inter = x.ep > 1 ? G.m.moe.expert_intermediate : G.m.moe.expert_intermediate / x.tp;
  return x;
}

/// EP groups among the chain's devices: first rank -> chain indices.
std::map<int, std::vector<size_t>> ep_groups(const Gen& G, const Chain& ch) {
  std::map<int, std::vector<size_t>> out;
  for (size_t i = 0; i < ch.size(); ++i) out[G.lay.ep_group(ch.devices()[i]).front()].push_back(i);
  return out;
}

/// Rows per expert slot of chain device i: its own, or (representative) the most loaded rank's.
const std::vector<int64_t>& rows_of(const Gen& G, const GroupTraffic& t, int first, int device) {
  if (!G.lay.representative()) return t.rows[device - first];
  size_t best = 0;
  auto key = [&](size_t r) {
    int64_t sum = 0, used = 0;
    for (int64_t x : t.rows[r]) sum += x, used += x > 0;
    return std::make_pair(sum, used);
  };
  for (size_t r = 1; r < t.rows.size(); ++r)
    if (key(r) > key(best)) best = r;
  return t.rows[best];
}

std::vector<Op> expert_ops(const Gen& G, int l, const std::vector<int64_t>& rows, int64_t inter) {
  const DType d = G.w.precision.gemm;
  const int64_t h = G.m.hidden;
  double act = 0;
  for (int64_t r : rows) act += double(r) * inter;
  return {grouped_gemm(lname(l, "moe.experts.up_gate"), -1, rows, 2 * inter, h, d),
          elementwise(lname(l, "moe.experts.act"), -1, act * 4, act * dtype_bytes(d), act * 5),
          grouped_gemm(lname(l, "moe.experts.down"), -1, rows, h, inter, d)};
}

std::vector<Op> router_ops(const Gen& G, int l, int64_t tokens) {
  const MoeSpec& moe = G.m.moe;
  Op gate = gemm(lname(l, "moe.router"), -1, tokens, moe.routed_experts, G.m.hidden, DType::bf16);
  double scores = double(tokens) * moe.routed_experts * 4.0;
  Op topk = elementwise(lname(l, "moe.topk"), -1, scores, double(tokens) * moe.top_k * 12.0, scores / 4 * 3);
  return {gate, topk};
}

std::vector<Op> shared_ops(const Gen& G, int l, const Shape& x) {
  if (G.m.moe.shared_experts == 0) return {};
  int64_t width = int64_t(G.m.moe.shared_experts) * G.m.moe.expert_intermediate;
  return dense_ffn_ops(G, l, x.routed, x.ep > 1 ? width : width / x.tp, "moe.shared");
}

/// The weighted sum of returned expert outputs, shared expert and residual.
Op reduce_op(const Gen& G, int l, const Shape& x, double received) {
  double act = double(x.routed) * G.m.hidden * dtype_bytes(DType::bf16);
  double combine = double(G.m.hidden) * dtype_bytes(G.w.precision.combine);
  return elementwise(lname(l, "moe.reduce"), -1, received * combine + 2 * act, act,
                     double(x.routed) * G.m.hidden * (G.m.moe.top_k + 2));
}

/// Tokens whose expert outputs come back to rank `device` (a representative takes the group's
/// largest count, as it takes the most loaded experts).
double received_tokens(const Gen& G, const GroupTraffic& t, int first, int device) {
  if (!G.lay.representative()) return t.sent_tokens(device - first);
  double most = 0;
  for (int r = 0; r < t.ep; ++r) most = std::max(most, t.sent_tokens(r));
  return most;
}

/// After the combine: the reduce, and under TP the all-gather of the TP group's token shares.
void finish(Gen& G, Chain& ch, int l, const PassShape& s, const Shape& x,
            const std::map<int, const MoeTraffic*>& traffic) {
  ch.tag.layer = l;
  for (size_t i = 0; i < ch.size(); ++i) {
    int d = ch.devices()[i];
    int first = G.lay.ep_group(d).front();
    ch.emit(i, reduce_op(G, l, x, received_tokens(G, traffic.at(first)->t, first, d)));
  }
  if (x.tp > 1) {
    G.issue_grouped(ch, lname(l, "moe.tp_all_gather"), DType::bf16, CollectiveKind::all_gather,
                    double(s.tokens) * G.m.hidden * dtype_bytes(DType::bf16), &Layout::tp_group);
    ch.await();
  }
}

void issue_a2a(Gen& G, Chain& ch, int l, const std::string& what, DType dtype,
               const std::map<int, std::vector<size_t>>& groups,
               const std::map<int, const MoeTraffic*>& traffic, int MoeTraffic::*which) {
  for (const auto& [first, members] : groups) {
    int idx = traffic.at(first)->*which;
    ch.issue(collective_op(lname(l, what), l, dtype, G.g.collectives()[idx]), idx, members);
  }
}

}  // namespace

void moe_forward(Gen& G, StepBuilder& sb, Chain& ch, int l, const PassShape& shape_ref) {
  const PassShape* ps = &shape_ref;  // owned by the generator until its programs have run
  Shape x = shape(G, shape_ref);
  auto groups = std::make_shared<std::map<int, std::vector<size_t>>>(ep_groups(G, ch));
  auto traffic = std::make_shared<std::map<int, const MoeTraffic*>>();
  sb.add([&G, &ch, l, ps, x, groups, traffic] {
    ch.tag.layer = l;
    for (const auto& [first, members] : *groups)
      (*traffic)[first] = &G.traffic(l, first, x.routed, ps->routing_stream);
    block_input(G, ch, lname(l, "ffn_norm"), ps->tokens);
    emit_all(ch, router_ops(G, l, x.routed));
    if (x.ep > 1) issue_a2a(G, ch, l, "moe.dispatch", G.w.precision.dispatch, *groups, *traffic, &MoeTraffic::dispatch);
    emit_all(ch, shared_ops(G, l, x));
  });
  auto experts = [&G, &ch, l, x, traffic] {
    ch.tag.layer = l;
    for (size_t i = 0; i < ch.size(); ++i) {
      int d = ch.devices()[i];
      int first = G.lay.ep_group(d).front();
      for (Op& op : expert_ops(G, l, rows_of(G, traffic->at(first)->t, first, d), x.inter)) ch.emit(i, op);
    }
  };
  if (x.ep == 1) {
    sb.add([&G, &ch, l, ps, experts, x] {
      experts();
      emit_all(ch, {reduce_op(G, l, x, 0)});
      block_output(G, ch, lname(l, "moe"), ps->tokens);
    });
    if (x.tp > 1) sb.cut();
    return;
  }
  sb.cut();
  sb.add([&G, &ch, l, ps, x, groups, traffic, experts] {
    ch.resume();
    experts();
    issue_a2a(G, ch, l, "moe.combine", G.w.precision.combine, *groups, *traffic, &MoeTraffic::combine);
    ch.owe([&G, &ch, l, ps, x, traffic] { finish(G, ch, l, *ps, x, *traffic); });
  });
  sb.cut();
}

void moe_backward(Gen& G, StepBuilder& sb, Chain& ch, int l, const PassShape& shape_ref, WeightGrads& wgrad) {
  const PassShape* ps = &shape_ref;  // owned by the generator until its programs have run
  Shape x = shape(G, shape_ref);
  auto groups = std::make_shared<std::map<int, std::vector<size_t>>>(ep_groups(G, ch));
  auto traffic = std::make_shared<std::map<int, const MoeTraffic*>>();
  const DType grad = G.w.precision.combine;
  sb.add([&G, &ch, l, ps, x, groups, traffic, grad] {
    ch.tag.layer = l;
    for (const auto& [first, members] : *groups)
      (*traffic)[first] = &G.traffic(l, first, x.routed, ps->routing_stream);
    if (x.tp > 1 && x.ep > 1) {
      G.issue_grouped(ch, lname(l, "moe.tp_reduce_scatter"), DType::bf16, CollectiveKind::reduce_scatter,
                      double(ps->tokens) * G.m.hidden * dtype_bytes(DType::bf16), &Layout::tp_group);
      ch.await();
    }
    for (size_t i = 0; i < ch.size(); ++i) {
      int d = ch.devices()[i];
      int first = G.lay.ep_group(d).front();
      Op r = reduce_op(G, l, x, received_tokens(G, traffic->at(first)->t, first, d));
      r.name += ".bwd";
      r.pass = Pass::backward_input;
      ch.emit(i, r);
    }
    if (x.ep > 1) issue_a2a(G, ch, l, "moe.combine.bwd", grad, *groups, *traffic, &MoeTraffic::combine_grad);
  });
  if (x.ep > 1) sb.cut();
  sb.add([&G, &ch, l, ps, x, groups, traffic, grad, &wgrad] {
    if (x.ep > 1) ch.resume();
    ch.tag.layer = l;
    for (size_t i = 0; i < ch.size(); ++i) {
      int d = ch.devices()[i];
      int first = G.lay.ep_group(d).front();
      backward_of(ch, i, expert_ops(G, l, rows_of(G, traffic->at(first)->t, first, d), x.inter), &wgrad);
    }
    if (x.ep > 1) issue_a2a(G, ch, l, "moe.dispatch.bwd", grad, *groups, *traffic, &MoeTraffic::dispatch_grad);
    std::vector<Op> fwd = router_ops(G, l, x.routed);
    std::vector<Op> sh = shared_ops(G, l, x);
    fwd.insert(fwd.end(), sh.begin(), sh.end());
    for (size_t i = 0; i < ch.size(); ++i) {
      if (G.w.training.recompute == Recompute::selective) {
        Tag saved = ch.tag;
        ch.tag.recompute = true;
        ch.emit(i, block_norm(G, lname(l, "ffn_norm"), ps->tokens));
        ch.tag = saved;
      }
      backward_of(ch, i, fwd, &wgrad);
    }
    if (x.ep == 1) {
      block_input_backward(G, ch, lname(l, "ffn_norm"), ps->tokens);
      block_output(G, ch, lname(l, "moe.dgrad"), ps->tokens);
    } else {
      ch.owe([&G, &ch, l, ps] {
        ch.tag.layer = l;
        block_input_backward(G, ch, lname(l, "ffn_norm"), ps->tokens);
      });
    }
  });
  sb.cut();
}

}  // namespace strata::workloads
