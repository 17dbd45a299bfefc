#include "workloads/generator.h"

#include <algorithm>

namespace strata::workloads {

std::string lname(int layer, const std::string& what) { return "L" + std::to_string(layer) + "." + what; }

Gen::Gen(const WorkloadSpec& w_, const ParallelSpec& p_, const Layout& lay_, OpGraph& g_, uint64_t seed_)
    : w(w_),
      p(p_),
      m(w_.model),
      lay(lay_),
      g(g_),
      seed(seed_),
      load_(w_.model.moe, w_.moe_load, std::max(1, w_.model.moe_layers()), seed_) {}

int Gen::moe_index(int layer) const {
  return std::min(layer, m.layers - 1) - m.dense_layers;
}

const ExpertPlacement& Gen::placement(int layer) {
  int idx = moe_index(layer);
  auto it = placements_.find(idx);
  if (it != placements_.end()) return *it->second;
  auto pl = std::make_unique<ExpertPlacement>(m.moe.routed_experts, p.redundant_experts, lay.ep(),
                                              lay.gpus_per_node(), m.moe.groups, load_.weights(idx));
  return *placements_.emplace(idx, std::move(pl)).first->second;
}

const MoeTraffic& Gen::traffic(int layer, int first_rank, int64_t tokens_per_rank, uint64_t stream) {
  const uint64_t key_stream = reuse_routing ? 0 : stream;
  auto key = std::make_tuple(layer, first_rank, tokens_per_rank, key_stream);
  auto it = traffic_.find(key);
  if (it != traffic_.end()) return *it->second;

  const int ep = lay.ep();
  auto mt = std::make_unique<MoeTraffic>();
  // Seed stream: the layer, plus the pass stream in the high bits (0 for a one-batch decode).
  uint64_t seed_stream = uint64_t(layer) + (key_stream << 20);
  const int gpn = lay.gpus_per_node();
  mt->t = route_group(m.moe, placement(layer), ep, tokens_per_rank, &load_.weights(moe_index(layer)), seed,
                      seed_stream, first_rank, gpn, false, load_.balanced());
  if (ep > 1) {
    // DeepEP's kernels, priced by the network from where each token goes: one copy of a token
    // per destination rank or node (FP8 with scales, plus its top-k ids and weights), results
    // back in the combine format. Backward: output gradients go to the experts like a dispatch,
    // input gradients come back like a combine (both BF16).
    const double dispatch = activation_bytes(1, m.hidden, w.precision.dispatch) + m.moe.top_k * (8.0 + 4.0);
    const double combine = double(m.hidden) * hw::dtype_bytes(w.precision.combine);
    auto a2a = [&](CollectiveKind kind, double token_bytes) {
      Collective c;
      c.kind = kind;
      for (int r = 0; r < ep; ++r) c.ranks.push_back(first_rank + r);
      c.tokens = mt->t.routing;
      c.token_bytes = token_bytes;
      return g.intern_collective(std::move(c));
    };
    mt->dispatch = a2a(CollectiveKind::ep_dispatch, dispatch);
    mt->combine = a2a(CollectiveKind::ep_combine, combine);
    if (w.phase == Phase::training) {
      // The combine's backward dispatches gradients in the dispatch format (no ids: the forward's
      // layout is reused); the dispatch's backward combines them in the combine format.
      mt->combine_grad = a2a(CollectiveKind::ep_dispatch, activation_bytes(1, m.hidden, w.precision.dispatch));
      mt->dispatch_grad = a2a(CollectiveKind::ep_combine, combine);
    }
  }
  return *traffic_.emplace(key, std::move(mt)).first->second;
}

int Gen::sized_collective(CollectiveKind kind, const std::vector<int>& ranks, double bytes) {
  auto key = std::make_tuple(static_cast<int>(kind), ranks.front(), ranks.size(), bytes);
  auto it = sized_.find(key);
  if (it != sized_.end()) return it->second;
  int idx = g.intern_collective(workloads::sized_collective(kind, ranks, bytes));
  sized_.emplace(key, idx);
  return idx;
}

void Gen::issue_grouped(Chain& ch, const std::string& name, hw::DType dtype, CollectiveKind kind,
                        double bytes, std::vector<int> (Layout::*group_of)(int) const) {
  std::map<int, std::pair<std::vector<int>, std::vector<size_t>>> groups;
  for (size_t i = 0; i < ch.size(); ++i) {
    std::vector<int> grp = (lay.*group_of)(ch.devices()[i]);
    if (grp.size() < 2) continue;
    auto& entry = groups[grp.front()];
    entry.first = grp;
    entry.second.push_back(i);
  }
  for (auto& [first, gm] : groups) {
    int idx = sized_collective(kind, gm.first, bytes);
    ch.issue(collective_op(name, ch.tag.layer, dtype, g.collectives()[idx]), idx, gm.second);
  }
}

double kv_bytes_on_device(const Gen& G) {
  const AttentionSpec& a = G.m.attention;
  if (a.kind == AttentionKind::mla) return kv_bytes_per_token_per_layer(G.m, G.w.precision.kv_cache);
  int kv_local = std::max(1, a.kv_heads / G.lay.tp());
  return 2.0 * kv_local * a.head_dim * hw::dtype_bytes(G.w.precision.kv_cache);
}

void emit_all(Chain& ch, const std::vector<Op>& ops) {
  for (size_t i = 0; i < ch.size(); ++i)
    for (const Op& op : ops) ch.emit(i, op);
}

}  // namespace strata::workloads
