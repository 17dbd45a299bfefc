// The MoE block as a framework runs it (DeepSeek-V3 with DeepEP): the gate (router GEMM, sigmoid
// scores, group-limited top-k, weights), the tokens quantised and dispatched to the ranks of
// their experts (DeepEP's ep_dispatch, carrying every token's destinations), shared experts
// computed while the dispatch is in flight, the received tokens permuted into expert-contiguous
// rows, routed experts as grouped GEMMs with the routing weights applied in the activation, each
// token's expert outputs on this rank summed (unpermute), and the combine, which sums the ranks'
// contributions in its own kernel. With ep = 1 the experts are local (tensor-parallel ones split
// their width) and the unpermute sums all of a token's experts.
#include <algorithm>
#include <map>

#include "workloads/layer_ops.h"
#include "workloads/linear.h"

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

/// Tokens arriving at rank `device` for its experts, once per token (a representative takes the
/// group's largest count, as it takes the most loaded experts).
double arriving_tokens(const Gen& G, const GroupTraffic& t, int first, int device) {
  const TokenRouting& r = *t.routing;
  auto at = [&](int dst) {
    double n = 0;
    for (int s = 0; s < t.ep; ++s) n += r.pair_tokens(first + s, dst);
    return n;
  };
  if (!G.lay.representative()) return at(device);
  double most = 0;
  for (int d = 0; d < t.ep; ++d) most = std::max(most, at(first + d));
  return most;
}

/// The routed experts of one rank: received tokens permuted into expert-contiguous rows (with the
/// routing map computed first), the experts' SwiGLU MLPs as grouped GEMMs, and each token's
/// outputs on this rank summed back into one row (its backward: the gradients broadcast back).
BlockOps expert_ops(const Gen& G, int l, const std::vector<int64_t>& rows, int64_t inter, double arriving) {
  const PrecisionSpec& pr = G.w.precision;
  const DType d = pr.gemm;
  const int64_t h = G.m.hidden;
  int64_t total = 0;
  for (int64_t r : rows) total += r;
  const double bf16 = dtype_bytes(DType::bf16);
  // Tokens arrive in the dispatch format (FP8 with scales when dispatched in FP8).
  const double token = activation_bytes(1, h, pr.dispatch);
  const double ids = G.m.moe.top_k * 8.0;  // each arriving token's top-k expert ids
  BlockOps ops;
  BlockOp map{elementwise(lname(l, "moe.permute_map"), -1, arriving * ids, double(total) * 8 + double(rows.size()) * 8,
                          arriving * G.m.moe.top_k)};
  map.no_backward = true;  // backward reuses the map
  ops.push_back(std::move(map));
  ops.push_back(BlockOp{elementwise(lname(l, "moe.permute"), -1, arriving * token + double(total) * 8,
                                    double(total) * token, 0)});
  BlockOp up{grouped_gemm(lname(l, "moe.experts.up_gate"), -1, rows, 2 * inter, h, d)};
  up.quantised_input = pr.dispatch == DType::fp8;
  up.fp8_cache = pr.dispatch == DType::fp8;  // the received FP8 tokens are what backward has
  BlockOps mlp = swiglu_mlp(G, lname(l, "moe.experts"), std::move(up),
                            grouped_gemm(lname(l, "moe.experts.down"), -1, rows, h, inter, d), total, inter, true);
  // The down projection's output gradient comes back dispatched, in the dispatch format.
  mlp.back().quantised_grad = pr.dispatch == DType::fp8;
  for (BlockOp& b : mlp) ops.push_back(std::move(b));
  ops.push_back(BlockOp{elementwise(lname(l, "moe.unpermute"), -1, double(total) * (h * bf16 + 4 + 8),
                                    arriving * h * bf16, double(total) * h * 2)});
  for (BlockOp& b : ops) b.op.op_class = is_gemm(b.op) ? OpClass::moe_gemm : OpClass::elementwise;
  return ops;
}

/// DeepSeek-V3's gate: router logits (BF16 GEMM, FP32 out), sigmoid scores with the load-balancing
/// bias, group scores and the group-limited mask, top-k, normalised weights, and the counts the
/// sequence-wise balance loss needs.
BlockOps router_ops(const Gen& G, int l, int64_t tokens) {
  const MoeSpec& moe = G.m.moe;
  const double T = double(tokens), E = moe.routed_experts, k = moe.top_k, f32 = 4;
  Op gate = gemm(lname(l, "moe.router"), -1, tokens, moe.routed_experts, G.m.hidden, DType::bf16);
  gate.bytes += T * E * (f32 - dtype_bytes(DType::bf16));  // logits kept in FP32
  gate.bytes_written = T * E * f32;
  BlockOps ops{BlockOp{gate}};
  auto add = [&](const char* what, double read, double write, double flops) {
    ops.push_back(BlockOp{elementwise(lname(l, std::string("moe.") + what), -1, read, write, flops)});
  };
  add("gate_sigmoid", T * E * f32 + E * f32, 2 * T * E * f32, 4 * T * E);   // sigmoid, + bias for selection
  add("group_topk", T * E * f32, T * E * f32 + T * moe.groups * f32, 3 * T * E);  // top-2 sums, top groups
  add("topk", T * E * f32, T * k * (8 + f32), 8 * T * E);                // ids and their scores
  add("topk_weights", T * k * f32, T * k * f32, 3 * T * k);                    // normalised, scaled
  add("expert_count", T * k * (8 + f32), E * f32, 2 * T * k);             // per-expert counts
  return ops;
}

BlockOps shared_ops(const Gen& G, int l, const Shape& x) {
  if (G.m.moe.shared_experts == 0) return {};
  int64_t width = int64_t(G.m.moe.shared_experts) * G.m.moe.expert_intermediate;
  // Its input is the dispatch's FP8 copy of the normalised tokens when both are FP8.
  const bool shared_cast = x.ep > 1 && G.w.precision.dispatch == DType::fp8 && G.w.precision.gemm == DType::fp8;
  return dense_ffn_ops(G, l, x.routed, x.ep > 1 ? width : width / x.tp, "moe.shared", shared_cast);
}

/// Before the dispatch: the tokens quantised to the dispatch format.
void quantise_for_dispatch(Gen& G, Chain& ch, int l, const Shape& x, const char* what) {
  if (G.w.precision.dispatch != DType::fp8) return;
  emit_all(ch, {quantise(lname(l, what), x.routed, G.m.hidden)});
}

/// After the combine: under TP the all-gather of the TP group's token shares.
void finish(Gen& G, Chain& ch, int l, const PassShape& s, const Shape& x) {
  if (x.tp > 1) {
    ch.tag.layer = l;
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

/// The routed experts' ops of chain device i.
BlockOps experts_of(Gen& G, Chain& ch, size_t i, int l, const Shape& x, const std::map<int, const MoeTraffic*>& traffic) {
  const int d = ch.devices()[i];
  const int first = G.lay.ep_group(d).front();
  const GroupTraffic& t = traffic.at(first)->t;
  const double arriving = x.ep > 1 ? arriving_tokens(G, t, first, d) : double(x.routed);
  return expert_ops(G, l, rows_of(G, t, first, d), x.inter, arriving);
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
    // DeepSeek counts the norm and the gate with attention: they run before the dispatch.
    ch.tag.block = "attn";
    block_input(G, ch, lname(l, "ffn_norm"), ps->tokens);
    emit_forward_all(G, ch, router_ops(G, l, x.routed));
    quantise_for_dispatch(G, ch, l, x, "moe.dispatch.quant");
    ch.tag.block = "dispatch";
    if (x.ep > 1) issue_a2a(G, ch, l, "moe.dispatch", G.w.precision.dispatch, *groups, *traffic, &MoeTraffic::dispatch);
    ch.tag.block = "mlp";
    emit_forward_all(G, ch, shared_ops(G, l, x));
  });
  auto experts = [&G, &ch, l, x, traffic] {
    ch.tag.layer = l;
    ch.tag.block = "mlp";
    for (size_t i = 0; i < ch.size(); ++i) emit_forward(G, ch, i, experts_of(G, ch, i, l, x, *traffic));
  };
  if (x.ep == 1) {
    sb.add([&G, &ch, l, ps, experts] {
      experts();
      block_output(G, ch, lname(l, "moe"), ps->tokens);
    });
    if (x.tp > 1) sb.cut();
    return;
  }
  sb.cut();
  sb.add([&G, &ch, l, ps, x, groups, traffic, experts] {
    ch.resume();
    experts();
    ch.tag.block = "combine";
    issue_a2a(G, ch, l, "moe.combine", G.w.precision.combine, *groups, *traffic, &MoeTraffic::combine);
    ch.owe([&G, &ch, l, ps, x] { finish(G, ch, l, *ps, x); });
  });
  sb.cut();
}

void moe_backward(Gen& G, StepBuilder& sb, Chain& ch, int l, const PassShape& shape_ref, WeightGrads& wgrad,
                  bool defer) {
  const PassShape* ps = &shape_ref;  // owned by the generator until its programs have run
  Shape x = shape(G, shape_ref);
  auto groups = std::make_shared<std::map<int, std::vector<size_t>>>(ep_groups(G, ch));
  auto traffic = std::make_shared<std::map<int, const MoeTraffic*>>();
  sb.add([&G, &ch, l, ps, x, groups, traffic] {
    ch.tag.layer = l;
    ch.tag.block = "combine";
    for (const auto& [first, members] : *groups)
      (*traffic)[first] = &G.traffic(l, first, x.routed, ps->routing_stream);
    if (x.tp > 1 && x.ep > 1) {
      G.issue_grouped(ch, lname(l, "moe.tp_reduce_scatter"), DType::bf16, CollectiveKind::reduce_scatter,
                      double(ps->tokens) * G.m.hidden * dtype_bytes(DType::bf16), &Layout::tp_group);
      ch.await();
    }
    if (x.ep > 1) {
      // The combine's backward dispatches the output gradients, quantised like a dispatch.
      quantise_for_dispatch(G, ch, l, x, "moe.combine.bwd.quant");
      issue_a2a(G, ch, l, "moe.combine.bwd", G.w.precision.dispatch, *groups, *traffic, &MoeTraffic::combine_grad);
    }
  });
  if (x.ep > 1) sb.cut();
  sb.add([&G, &ch, l, ps, x, groups, traffic, &wgrad, defer] {
    if (x.ep > 1) ch.resume();
    ch.tag.layer = l;
    ch.tag.block = "mlp";
    const bool selective = G.w.training.recompute == Recompute::selective;
    // Input gradients of the routed and shared experts; their weight gradients after the
    // dispatch's backward is on its way (DeepSeek's mlp(W)), unless a zero-bubble schedule
    // defers them.
    WeightGrads mine;
    WeightGrads& wg = defer ? wgrad : mine;
    for (size_t i = 0; i < ch.size(); ++i) backward_of(G, ch, i, experts_of(G, ch, i, l, x, *traffic), &wg);
    for (size_t i = 0; i < ch.size(); ++i) {
      if (selective) {
        Tag saved = ch.tag;
        ch.tag.recompute = true;
        ch.emit(i, block_norm(G, lname(l, "ffn_norm"), ps->tokens));
        ch.tag = saved;
      }
      backward_of(G, ch, i, shared_ops(G, l, x), &wg);
    }
    ch.tag.block = "dispatch";
    if (x.ep > 1) issue_a2a(G, ch, l, "moe.dispatch.bwd", G.w.precision.combine, *groups, *traffic, &MoeTraffic::dispatch_grad);
    ch.tag.block = "mlp";
    for (auto& [i, op] : mine) ch.emit(i, op);
    ch.tag.block = "attn";
    for (size_t i = 0; i < ch.size(); ++i) backward_of(G, ch, i, router_ops(G, l, x.routed), &wgrad);
    if (x.ep == 1) {
      block_input_backward(G, ch, lname(l, "ffn_norm"), ps->tokens);
      block_output(G, ch, lname(l, "moe.dgrad"), ps->tokens);
    } else {
      ch.owe([&G, &ch, l, ps] {
        ch.tag.layer = l;
        ch.tag.block = "attn";
        block_input_backward(G, ch, lname(l, "ffn_norm"), ps->tokens);
      });
    }
  });
  sb.cut();
}

}  // namespace strata::workloads
