#include "models/network/collective_algorithms.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace strata::models {
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;
using workloads::token_routed;

namespace {

/// Collects transfers: in detail one phase per step; pipelined, merged per (src, dst).
class Builder {
 public:
  /// `store_bytes`: NVLink write size of every transfer (GPU-initiated kernels), 0 = bulk.
  /// `merge`: add up transfers between the same pair (off when they are distinct already).
  Builder(bool detail, double store_bytes, bool merge = true)
      : detail_(detail), merge_(merge), store_(store_bytes) {
    s_.phases.emplace_back();
  }
  void reserve(size_t transfers) { s_.phases.back().transfers.reserve(transfers); }

  void add(int src, int dst, double bytes, int64_t item, bool reduce, bool switch_reduced = false) {
    if (src == dst || bytes <= 0) return;
    Phase& p = s_.phases.back();
    if (detail_ || !merge_) {
      p.transfers.push_back(Transfer{src, dst, bytes, detail_ ? item : -1, detail_ && reduce, switch_reduced, store_});
      return;
    }
    uint64_t key = (uint64_t(uint32_t(src)) << 33) | (uint64_t(uint32_t(dst)) << 1) | switch_reduced;
    auto [it, fresh] = merged_.try_emplace(key, p.transfers.size());
    if (fresh)
      p.transfers.push_back(Transfer{src, dst, bytes, -1, false, switch_reduced, store_});
    else
      p.transfers[it->second].bytes += bytes;
  }
  /// Ends an algorithm step: a new phase in detail, one more step in a pipelined plan.
  void end_step() {
    if (detail_) {
      if (!s_.phases.back().transfers.empty()) s_.phases.emplace_back();
    } else {
      ++steps_;
    }
  }
  /// What was added so far becomes a phase of its own that lands before anything after it (a
  /// handshake), paying `steps` message latencies.
  void phase_break(int steps) {
    if (s_.phases.back().transfers.empty()) return;
    s_.phases.back().steps = std::max(1, detail_ ? 1 : steps);
    s_.phases.emplace_back();
    merged_.clear();
    steps_ = 0;
  }
  Schedule finish(CollectiveAlgorithm a) {
    if (!detail_) s_.phases.back().steps = std::max(1, steps_);
    if (s_.phases.back().transfers.empty()) s_.phases.pop_back();
    s_.algorithm = a;
    return std::move(s_);
  }

 private:
  bool detail_, merge_;
  double store_;
  int steps_ = 0;
  Schedule s_;
  std::unordered_map<uint64_t, size_t> merged_;
};

bool reducing(CollectiveKind k) {
  return k == CollectiveKind::all_reduce || k == CollectiveKind::reduce_scatter;
}
bool gathering(CollectiveKind k) {
  return k == CollectiveKind::all_reduce || k == CollectiveKind::all_gather;
}
bool by_size(CollectiveKind k) {
  return k == CollectiveKind::all_reduce || k == CollectiveKind::reduce_scatter ||
         k == CollectiveKind::all_gather || k == CollectiveKind::broadcast;
}

std::map<int, int> index_of(const std::vector<int>& ranks) {
  std::map<int, int> idx;
  for (size_t i = 0; i < ranks.size(); ++i) idx[ranks[i]] = static_cast<int>(i);
  return idx;
}

/// Ring reduce-scatter and/or all-gather; chunk j of a channel belongs to ranks[j].
void ring(const Collective& c, const Topology& t, bool detail, Builder& b) {
  const int n = static_cast<int>(c.ranks.size());
  std::vector<std::vector<int>> orders = ring_channels(c.ranks, t);
  const int k = static_cast<int>(orders.size());
  std::map<int, int> idx = index_of(c.ranks);
  const double chunk = c.bytes / (double(n) * k);
  const int rs = reducing(c.kind) ? n - 1 : 0, ag = gathering(c.kind) ? n - 1 : 0;
  auto item = [&](int ch, int rank) { return int64_t(ch) * n + idx[rank]; };
  if (!detail) {
    for (const auto& o : orders)
      for (int i = 0; i < n; ++i) b.add(o[i], o[(i + 1) % n], chunk * (rs + ag), -1, false);
    for (int s = 0; s < rs + ag; ++s) b.end_step();
    return;
  }
  // Reduce-scatter: at step s position i passes on chunk (i - s - 1), which the next adds to;
  // after n - 1 steps position i holds the sum of its own chunk.
  for (int s = 0; s < rs; ++s) {
    for (int ch = 0; ch < k; ++ch)
      for (int i = 0; i < n; ++i)
        b.add(orders[ch][i], orders[ch][(i + 1) % n], chunk,
              item(ch, orders[ch][((i - s - 1) % n + n) % n]), true);
    b.end_step();
  }
  // All-gather: position i passes on chunk (i - s), which the next stores.
  for (int s = 0; s < ag; ++s) {
    for (int ch = 0; ch < k; ++ch)
      for (int i = 0; i < n; ++i)
        b.add(orders[ch][i], orders[ch][(i + 1) % n], chunk, item(ch, orders[ch][((i - s) % n + n) % n]),
              false);
    b.end_step();
  }
}

/// Pipelined chain from the root: every hop carries the whole buffer.
void chain(const Collective& c, bool detail, Builder& b) {
  const int n = static_cast<int>(c.ranks.size());
  int start = static_cast<int>(std::find(c.ranks.begin(), c.ranks.end(), c.root) - c.ranks.begin());
  for (int s = 0; s < n - 1; ++s) {
    b.add(c.ranks[(start + s) % n], c.ranks[(start + s + 1) % n], c.bytes, 0, false);
    if (detail) b.end_step();
  }
  if (!detail)
    for (int s = 0; s < n - 1; ++s) b.end_step();
}

/// Double binary tree all-reduce: half the buffer on a heap-shaped tree over the ranks, half on
/// its mirror image; sums flow to the roots level by level, results flow back down.
void tree(const Collective& c, Builder& b) {
  const int n = static_cast<int>(c.ranks.size());
  auto depth = [](int p) {
    int d = 0;
    for (int x = p + 1; x > 1; x >>= 1) ++d;
    return d;
  };
  auto rank = [&](int tr, int p) { return c.ranks[tr == 0 ? p : n - 1 - p]; };
  const int max_depth = depth(n - 1);
  const double half = c.bytes / 2;
  for (int d = max_depth; d >= 1; --d) {
    for (int tr = 0; tr < 2; ++tr)
      for (int p = 1; p < n; ++p)
        if (depth(p) == d) b.add(rank(tr, p), rank(tr, (p - 1) / 2), half, tr, true);
    b.end_step();
  }
  for (int d = 1; d <= max_depth; ++d) {
    for (int tr = 0; tr < 2; ++tr)
      for (int p = 1; p < n; ++p)
        if (depth(p) == d) b.add(rank(tr, (p - 1) / 2), rank(tr, p), half, tr, false);
    b.end_step();
  }
}

/// NVLink SHARP: ranks pull their chunk's sum from the switch (multimem.ld_reduce), then store
/// it to the multicast address, which the switch copies to every rank (multimem.st).
void nvls(const Collective& c, const Topology& t, Builder& b) {
  const int n = static_cast<int>(c.ranks.size());
  const int sw = reduction_switch(c.ranks, t);
  const double chunk = c.bytes / n;
  if (reducing(c.kind)) {
    for (int i : c.ranks)
      for (int j = 0; j < n; ++j) b.add(i, sw, chunk, j, true);
    b.end_step();
    for (int j = 0; j < n; ++j) b.add(sw, c.ranks[j], chunk, j, false, true);
    b.end_step();
  }
  if (gathering(c.kind)) {
    for (int j = 0; j < n; ++j) b.add(c.ranks[j], sw, chunk, j, false);
    b.end_step();
    for (int j = 0; j < n; ++j)
      for (int i : c.ranks) b.add(sw, i, chunk, j, false);
    b.end_step();
  }
}

void direct(const Collective& c, Builder& b) {
  const std::vector<workloads::Flow> flows =
      token_routed(c.kind) ? workloads::token_flows(*c.tokens, c.token_bytes, c.kind == CollectiveKind::ep_combine)
                           : c.flows;
  for (size_t i = 0; i < flows.size(); ++i)
    b.add(flows[i].src, flows[i].dst, flows[i].bytes, int64_t(i), c.kind == CollectiveKind::ep_combine);
  b.end_step();
}

/// A transfer of token traffic given in dispatch direction; a combine runs it backwards,
/// summing at the receiver.
void token_leg(Builder& b, bool combine, int from, int to, double bytes, int64_t item) {
  if (combine)
    b.add(to, from, bytes, item, true);
  else
    b.add(from, to, bytes, item, false);
}

/// DeepEP normal kernels. Dispatch: a token crosses the network once per destination NVLink
/// domain, to the GPU there at the sender's position (same rail), which forwards it over NVLink
/// to each destination GPU. Combine: the reverse, summed at the forwarder, then at the source.
/// In detail token by token (the routing keeps its tokens); pipelined from the routing's counts:
/// network copies from the tokens per destination node set, NVLink legs from the pair counts.
void node_forwarded(const Collective& c, const Topology& t, bool detail, Builder& b) {
  const workloads::TokenRouting& tr = *c.tokens;
  const bool combine = c.kind == CollectiveKind::ep_combine;
  const int gpd = t.gpus_per_domain();
  const double bytes = c.token_bytes;
  auto forwarder = [&](int src, int dest) {
    int d = dest / gpd;
    return d == src / gpd ? src : d * gpd + src % gpd;
  };
  // The notify before the data: every rank signals its rail peer in each other domain over the
  // network, then its domain's GPUs over NVLink (counts in normal dispatch, a barrier in the
  // cached mode the others use); two handshakes before a byte of payload moves.
  {
    constexpr double kSignalBytes = 64;  // one cache line per peer
    const int first = tr.first_rank(), n = tr.ranks();
    for (bool network : {true, false}) {
      for (int s = first; s < first + n; ++s)
        for (int d = first; d < first + n; ++d)
          if (d != s && (network ? d % gpd == s % gpd && d / gpd != s / gpd : d / gpd == s / gpd))
            b.add(s, d, kSignalBytes, -1, false);
      b.phase_break(1);
    }
  }
  auto leg = [&](int from, int to, double b_, int64_t item) { token_leg(b, combine, from, to, b_, item); };
  bool remote = false;
  if (!detail) {
    // Each sender visits its peers starting after itself (rank s + 1, s + 2, ...), as kernels
    // that do not synchronise their destinations do; senders never all start on one receiver.
    const int first = tr.first_rank(), n = tr.ranks();
    const int first_domain = first / gpd, domains = (first + n - 1) / gpd - first_domain + 1;
    const int gpn = tr.gpus_per_node(), domain_nodes = gpd / gpn;
    auto network_legs = [&] {
      // One copy per token and destination domain other than the sender's.
      std::vector<double> per_domain(domains, 0.0);
      const auto& sets = tr.node_sets();
      for (size_t i = 0; i < sets.size();) {
        const int src = sets[i].src;
        std::fill(per_domain.begin(), per_domain.end(), 0.0);
        for (; i < sets.size() && sets[i].src == src; ++i) {
          int last = -1;
          for (uint64_t m = sets[i].nodes; m; m &= m - 1) {
            int domain = (tr.first_node() + __builtin_ctzll(m)) / domain_nodes - first_domain;
            if (domain != last) per_domain[domain] += sets[i].tokens;  // set bits ascend
            last = domain;
          }
        }
        const int own = src / gpd - first_domain;
        for (int k = 1; k < domains; ++k) {
          int d = (own + k) % domains;
          if (per_domain[d] == 0) continue;
          remote = true;
          leg(src, (first_domain + d) * gpd + src % gpd, per_domain[d] * bytes, -1);
        }
      }
    };
    auto nvlink_legs = [&] {
      // Forwarder (or the sender itself inside its domain) to each destination GPU.
      for (int s = first; s < first + n; ++s)
        for (int k = 1; k < n; ++k) {
          int d = first + (s - first + k) % n;
          double tokens = tr.pair_tokens(s, d);
          int f = forwarder(s, d);
          if (tokens > 0 && d != f) leg(f, d, tokens * bytes, -1);
        }
    };
    // In the order the kernels move data: dispatch crosses the network first, combine last.
    if (combine) nvlink_legs(), network_legs();
    else network_legs(), nvlink_legs();
    b.end_step();
    if (remote) b.end_step();
    return;
  }
  // Stage 0: network legs (source -> forwarder); stage 1: NVLink legs (forwarder -> GPU).
  // Combine runs the stages in reverse.
  for (int stage = 0; stage < 2; ++stage) {
    bool network_leg = (stage == 0) != combine;
    for (int i = 0; i < tr.tokens(); ++i) {
      int s = tr.source[i], last_f = -1;
      for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j) {
        int f = forwarder(s, tr.dests[j]);
        if (network_leg) {
          if (f != last_f && f != s) leg(s, f, bytes, i);
          last_f = f;
        } else if (tr.dests[j] != f) {
          leg(f, tr.dests[j], bytes, i);
        }
      }
    }
    b.end_step();
  }
}

/// DeepEP low-latency kernels: one message per token and expert, straight to the expert's GPU
/// (combine: straight back, summed at the source). Pipelined from the expert copies per pair.
void per_expert(const Collective& c, bool detail, Builder& b) {
  const workloads::TokenRouting& tr = *c.tokens;
  const bool combine = c.kind == CollectiveKind::ep_combine;
  auto message = [&](int src, int dst, double bytes, int64_t item) { token_leg(b, combine, src, dst, bytes, item); };
  if (!detail) {
    const int first = tr.first_rank(), n = tr.ranks();
    for (int s = first; s < first + n; ++s)  // each sender starts after itself, as above
      for (int k = 1; k < n; ++k) {
        int d = first + (s - first + k) % n;
        message(s, d, tr.pair_experts(s, d) * c.token_bytes, -1);
      }
  } else {
    for (int i = 0; i < tr.tokens(); ++i)
      for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j)
        for (int e = 0; e < tr.experts[j]; ++e) message(tr.source[i], tr.dests[j], c.token_bytes, int64_t(j) * 64 + e);
  }
  b.end_step();
}

}  // namespace

int reduction_switch(const std::vector<int>& ranks, const Topology& t) {
  if (ranks.empty()) return -1;
  int node = t.node_of(ranks[0]), domain = t.domain_of(ranks[0]);
  bool one_node = true, one_domain = true;
  for (int r : ranks) {
    one_node = one_node && t.node_of(r) == node;
    one_domain = one_domain && t.domain_of(r) == domain;
  }
  int v = one_node ? t.node_switch(node) : one_domain ? t.nvlink_spine(domain) : -1;
  return v >= 0 && t.vertices()[v].reduction_rate > 0 ? v : -1;
}

std::vector<std::vector<int>> ring_channels(const std::vector<int>& ranks, const Topology& t) {
  std::vector<std::vector<int>> by_node;  // ranks grouped by node, in order of first appearance
  std::map<int, size_t> slot;
  for (int r : ranks) {
    auto [it, fresh] = slot.try_emplace(t.node_of(r), by_node.size());
    if (fresh) by_node.emplace_back();
    by_node[it->second].push_back(r);
  }
  const size_t k = by_node[0].size();
  bool even = std::all_of(by_node.begin(), by_node.end(), [&](const auto& v) { return v.size() == k; });
  if (by_node.size() < 2 || !even || t.nic_of(ranks[0]) < 0) return {ranks};
  // Channel ch enters even nodes at position ch and leaves at ch - 1; odd nodes run backwards
  // from ch - 1 to ch, so consecutive nodes meet on the same position (rail).
  std::vector<std::vector<int>> out(k);
  for (size_t ch = 0; ch < k; ++ch)
    for (size_t m = 0; m < by_node.size(); ++m)
      for (size_t i = 0; i < k; ++i) {
        size_t pos = m % 2 == 0 ? (ch + i) % k : (ch + k - 1 - i) % k;
        out[ch].push_back(by_node[m][pos]);
      }
  return out;
}

std::string unsupported_reason(const Collective& c, CollectiveAlgorithm a, const Topology& t) {
  const CollectiveKind k = c.kind;
  const std::string what = std::string(workloads::collective_algorithm_name(a)) + " cannot carry " +
                           workloads::collective_kind_name(k);
  for (int r : c.ranks)
    if (r < 0 || r >= t.gpus()) return "rank " + std::to_string(r) + " is not a GPU of the cluster";
  if (by_size(k) && c.ranks.empty()) return "a collective given by size needs ranks";
  if (token_routed(k)) {
    if (!c.tokens) return std::string(workloads::collective_kind_name(k)) + " needs its token routing";
    const workloads::TokenRouting& tr = *c.tokens;
    if (tr.first_rank() + tr.ranks() > t.gpus())
      return "the token routing reaches rank " + std::to_string(tr.first_rank() + tr.ranks() - 1) +
             ", which is not a GPU of the cluster";
    if (tr.gpus_per_node() != t.gpus_per_node())
      return "the token routing counts nodes of " + std::to_string(tr.gpus_per_node()) + " GPUs; the cluster has " +
             std::to_string(t.gpus_per_node());
  }
  switch (a) {
    case CollectiveAlgorithm::automatic: return "";
    case CollectiveAlgorithm::ring:
      if (!by_size(k)) return what;
      if (k == CollectiveKind::broadcast &&
          std::find(c.ranks.begin(), c.ranks.end(), c.root) == c.ranks.end())
        return "the broadcast root " + std::to_string(c.root) + " is not among the ranks";
      return "";
    case CollectiveAlgorithm::tree:
      return k == CollectiveKind::all_reduce ? "" : what;
    case CollectiveAlgorithm::nvls:
      if (!reducing(k) && k != CollectiveKind::all_gather) return what;
      if (reduction_switch(c.ranks, t) < 0)
        return "nvls needs every rank on one switch that reduces in-network (NVLink SHARP)";
      return "";
    case CollectiveAlgorithm::direct:
      return by_size(k) ? what : "";
    case CollectiveAlgorithm::node_forwarded:
    case CollectiveAlgorithm::per_expert:
      return token_routed(k) ? "" : what + " (it needs per-token expert routing)";
  }
  return what;
}

std::vector<CollectiveAlgorithm> candidate_algorithms(const Collective& c, const Topology& t) {
  // Token-routed traffic runs on DeepEP's kernels; `direct` (rank totals, as an NCCL
  // all-to-all would send them) only when asked for.
  if (token_routed(c.kind)) return {CollectiveAlgorithm::node_forwarded, CollectiveAlgorithm::per_expert};
  std::vector<CollectiveAlgorithm> out;
  for (CollectiveAlgorithm a : {CollectiveAlgorithm::ring, CollectiveAlgorithm::tree, CollectiveAlgorithm::nvls,
                                CollectiveAlgorithm::direct})
    if (unsupported_reason(c, a, t).empty()) out.push_back(a);
  return out;
}

Schedule plan_collective(const Collective& c, CollectiveAlgorithm a, const Topology& t, bool detail,
                         double ep_store_bytes) {
  std::string why = unsupported_reason(c, a, t);
  if (!why.empty()) throw std::invalid_argument(why);
  if (a == CollectiveAlgorithm::automatic)
    throw std::invalid_argument("plan_collective needs a concrete algorithm");
  if (detail && token_routed(c.kind) && a != CollectiveAlgorithm::direct && !c.tokens->keeps_tokens())
    throw std::invalid_argument("a detailed plan of DeepEP's kernels needs the routing of every token (keep_tokens)");
  const bool gpu_initiated =
      a == CollectiveAlgorithm::node_forwarded || a == CollectiveAlgorithm::per_expert;
  // Direct flows stay as given: merging millions of distinct pairs costs more than it saves.
  Builder b(detail, gpu_initiated ? ep_store_bytes : 0.0, a != CollectiveAlgorithm::direct);
  if (a == CollectiveAlgorithm::direct) b.reserve(c.flows.size());
  const bool empty = by_size(c.kind) && (c.ranks.size() < 2 || c.bytes <= 0);
  if (!empty) {
    switch (a) {
      case CollectiveAlgorithm::ring:
        if (c.kind == CollectiveKind::broadcast)
          chain(c, detail, b);
        else
          ring(c, t, detail, b);
        break;
      case CollectiveAlgorithm::tree: tree(c, b); break;
      case CollectiveAlgorithm::nvls: nvls(c, t, b); break;
      case CollectiveAlgorithm::direct: direct(c, b); break;
      case CollectiveAlgorithm::node_forwarded: node_forwarded(c, t, detail, b); break;
      case CollectiveAlgorithm::per_expert: per_expert(c, detail, b); break;
      case CollectiveAlgorithm::automatic: break;
    }
  }
  return b.finish(a);
}

}  // namespace strata::models
