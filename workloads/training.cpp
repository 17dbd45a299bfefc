// One training step: micro-batches of micro_batch x seq_len tokens per data-parallel rank flow
// through pp pipeline stages under 1F1B or DualPipe; each chunk runs its stage's layers forward
// or backward (weight gradients deferred to zero-bubble W chunks where DualPipe says so);
// DualPipe's forward/backward pairs interleave so one's all-to-all hides behind the other's
// compute. After the last chunk, gradients are reduced over data-parallel ranks (ZeRO-1:
// reduce-scatter, sharded AdamW, all-gather of the new weights).
#include <algorithm>
#include <map>

#include "workloads/layer_ops.h"
#include "workloads/pipeline.h"
#include "workloads/rank_params.h"
#include "workloads/stage_split.h"
#include "workloads/workload.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

class TrainingEmitter : public PipelineEmitter {
 public:
  /// `per_direction`: micro-batches entering from each end (numbers direction 1's after 0's).
  /// `middle`: the stages hold only layers (a chunk pair profiled on a middle stage).
  TrainingEmitter(Gen& G, const PassShape& shape, int depth, int per_direction, bool middle = false)
      : G_(G), s_(shape), depth_(depth), pp_(G.lay.pp()), per_direction_(per_direction), middle_(middle),
        layers_(split_stages(G.m, G.lay.pp(), G.w.training.seq_len, depth, G.p.pp_split)),
        deferred_(pp_), ends_(pp_) {}

  void forward(int r, ChunkId c, const std::vector<Ids>& wait) override {
    Program prog;
    Chain& ch = chain(r, c, Pass::forward, wait);
    build_forward(prog, ch, stage(r, c.dir));
    prog.run();
    ends_[r] = {&ch};
  }

  void backward(int r, ChunkId c, bool defer, const std::vector<Ids>& wait) override {
    Program prog;
    Chain& ch = chain(r, c, Pass::backward_input, wait);
    build_backward(prog, ch, stage(r, c.dir), defer ? &deferred_[r].emplace_back() : nullptr);
    prog.run();
    ends_[r] = {&ch};
  }

  void forward_backward(int r, ChunkId f, ChunkId b, bool overlap, const std::vector<Ids>& wait) override {
    Program pf, pb;
    Chain& cf = chain(r, f, Pass::forward, wait);
    Chain& cb = chain(r, b, Pass::backward_input, wait);
    build_forward(pf, cf, stage(r, f.dir));
    build_backward(pb, cb, stage(r, b.dir), nullptr);
    if (overlap) {
      run_interleaved({&pf, &pb});
    } else {
      pf.run();
      pb.run();
    }
    ends_[r] = {&cf, &cb};
  }

  void weight(int r, const std::vector<Ids>& wait) override {
    if (deferred_[r].empty()) throw std::logic_error("pipeline: weight chunk without deferred gradients");
    Chain& ch = chain(r, {0, -1}, Pass::backward_weight, wait);
    ch.tag.phase = G_.phase("weight_grad");
    for (auto& [i, op] : deferred_[r].front()) ch.emit(i, op);
    deferred_[r].pop_front();
    ends_[r] = {&ch};
  }

  Ids transfer(int from, int to, ChunkId c, bool gradient) override {
    const std::vector<int>& src = G_.lay.simulated(from);
    const std::vector<int>& dst = G_.lay.simulated(to);
    const double bytes = double(s_.tokens) * G_.m.hidden * dtype_bytes(DType::bf16);
    Ids out;
    for (size_t i = 0; i < src.size(); ++i) {
      int idx = p2p(src[i], dst[i], bytes);
      Op op = collective_op(gradient ? "pp.send_grad" : "pp.send_activation", -1, DType::bf16,
                            G_.g.collectives()[idx]);
      op.micro_batch = c.mb + c.dir * per_direction_;
      op.phase = G_.phase(gradient ? "backward" : "forward");
      op.pass = gradient ? Pass::backward_input : Pass::forward;
      auto id = G_.g.add_collective_ref(op, idx, {src[i], dst[i]}, false);
      for (Chain* ch : ends_[from])
        if (ch->last(i) != Chain::kNone) G_.g.depend(ch->last(i), id);
      out.push_back(id);
    }
    return out;
  }

  /// After the pipeline: gradient reduction, optimizer, weight all-gather on every rank.
  void finish(int r, const RankParams& params, double dense_dp, double expert_dp) {
    Chain& ch = chain(r, {0, -1}, Pass::optimizer, {});
    ch.tag.phase = G_.phase("optimizer");
    for (Chain* e : ends_[r])
      for (size_t i = 0; i < ch.size(); ++i)
        if (e->last(i) != Chain::kNone) ch.wait_on(i, e->last(i));
    const bool zero = G_.p.zero >= 1;
    const PrecisionSpec& pr = G_.w.precision;
    const double dense = params.dense + params.bf16, experts = params.experts;
    auto reduce = zero ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce;
    G_.issue_grouped(ch, "grad_sync.dense", pr.gradients, reduce, dense * dtype_bytes(pr.gradients),
                     &Layout::dense_dp_group);
    if (experts > 0)
      G_.issue_grouped(ch, "grad_sync.experts", pr.gradients, reduce, experts * dtype_bytes(pr.gradients),
                       &Layout::expert_dp_group);
    ch.await();
    double shard = zero ? dense / dense_dp + experts / expert_dp : dense + experts;
    emit_all(ch, {optimizer_step("optimizer.adamw", -1, shard, pr.master_weights, pr.optimizer_states,
                                 pr.gradients)});
    if (zero) {
      G_.issue_grouped(ch, "param_gather.dense", DType::bf16, CollectiveKind::all_gather,
                       dense * dtype_bytes(DType::bf16), &Layout::dense_dp_group);
      if (experts > 0)
        G_.issue_grouped(ch, "param_gather.experts", DType::bf16, CollectiveKind::all_gather,
                         experts * dtype_bytes(DType::bf16), &Layout::expert_dp_group);
    }
  }

  double saved_per_chunk(int r) const { return saved_.count(r) ? saved_.at(r) : 0.0; }
  const std::vector<std::pair<int, int>>& layers() const { return layers_; }

 private:
  int stage(int r, int dir) const { return dir == 0 ? r : pp_ - 1 - r; }

  Chain& chain(int r, ChunkId c, Pass pass, const std::vector<Ids>& wait) {
    Chain& ch = chains_.emplace_back(G_.g, G_.lay.simulated(r));
    ch.recompute = G_.w.training.recompute;
    ch.tag.pass = pass;
    ch.tag.micro_batch = c.mb < 0 ? -1 : c.mb + c.dir * per_direction_;
    ch.tag.phase = G_.phase(pass == Pass::forward ? "forward" : "backward");
    for (const Ids& ids : wait)
      for (size_t i = 0; i < ids.size() && i < ch.size(); ++i) ch.wait_on(i, ids[i]);
    return ch;
  }

  void build_forward(Program& prog, Chain& ch, int k) {
    StepBuilder sb(prog);
    const int64_t T = s_.tokens;
    Chain* c = &ch;
    if (k == 0 && !middle_) sb.add([this, c, T] { embedding_forward(G_, *c, T); });
    layers_forward(G_, sb, ch, layers_[k].first, layers_[k].second, s_);
    if (k == pp_ - 1 && !middle_) {
      sb.add([this, c, T] {
        c->resume();
        head_forward(G_, *c, T, "");
      });
      for (int d = 1; d <= depth_; ++d) {
        sb.add([this, c, T, d] { mtp_projection_forward(G_, *c, d, T); });
        layers_forward(G_, sb, ch, G_.m.layers + d - 1, G_.m.layers + d, s_);
        sb.add([this, c, T, d] {
          c->resume();
          head_forward(G_, *c, T, "MTP" + std::to_string(d) + ".");
        });
      }
    }
    sb.add([this, c, k] {
      c->resume();
      if (!saved_.count(k)) saved_[k] = c->saved_bytes;
    });
  }

  void build_backward(Program& prog, Chain& ch, int k, WeightGrads* deferred) {
    StepBuilder sb(prog);
    const int64_t T = s_.tokens;
    Chain* c = &ch;
    auto local = std::make_shared<WeightGrads>();
    WeightGrads* wg = deferred ? deferred : local.get();
    if (k == pp_ - 1 && !middle_) {
      for (int d = depth_; d >= 1; --d) {
        sb.add([this, c, T, d, wg] {
          c->resume();
          head_backward(G_, *c, T, "MTP" + std::to_string(d) + ".", *wg);
        });
        layers_backward(G_, sb, ch, G_.m.layers + d - 1, G_.m.layers + d, s_, deferred);
        sb.add([this, c, T, d, wg] {
          c->resume();
          mtp_projection_backward(G_, *c, d, T, *wg);
        });
      }
      sb.add([this, c, T, wg] {
        c->resume();
        head_backward(G_, *c, T, "", *wg);
      });
    }
    layers_backward(G_, sb, ch, layers_[k].first, layers_[k].second, s_, deferred);
    sb.add([this, c, T, k, wg, local, deferred] {
      c->resume();
      if (k == 0 && !middle_) embedding_backward(G_, *c, T, *wg);
      if (!deferred)
        for (auto& [i, op] : *local) c->emit(i, op);
    });
  }

  int p2p(int src, int dst, double bytes) {
    auto key = std::make_pair(src, dst);
    auto it = p2p_.find(key);
    if (it != p2p_.end()) return it->second;
    Collective c;
    c.kind = CollectiveKind::send_recv;
    c.ranks = {src, dst};
    c.flows = {{src, dst, bytes}};
    return p2p_[key] = G_.g.intern_collective(std::move(c));
  }

  Gen& G_;
  const PassShape& s_;
  int depth_, pp_, per_direction_;
  bool middle_;
  std::vector<std::pair<int, int>> layers_;
  std::deque<Chain> chains_;
  std::vector<std::deque<WeightGrads>> deferred_;
  std::vector<std::vector<Chain*>> ends_;
  std::map<std::pair<int, int>, int> p2p_;
  std::map<int, double> saved_;
};

PassShape training_shape(const WorkloadSpec& w, const Gen& G) {
  const TrainingSpec& t = w.training;
  PassShape s;
  s.tokens = int64_t(t.micro_batch) * t.seq_len;
  s.kv_tokens = s.tokens;
  s.requests = t.micro_batch;
  AttentionWork a;
  const AttentionSpec& at = G.m.attention;
  a.heads = at.heads / G.lay.tp();
  a.kv_heads = at.kind == AttentionKind::gqa ? std::max(1, at.kv_heads / G.lay.tp()) : 0;
  a.requests = t.micro_batch;
  a.queries = s.tokens;
  a.context = double(s.tokens);
  a.pairs = double(t.micro_batch) * t.seq_len * (t.seq_len + 1.0) / 2;
  s.attention.assign(G.lay.simulated(0).size(), a);
  return s;
}

}  // namespace

namespace {

/// Memory of a training rank holding `params` (ZeRO-1 shards the optimizer over the data-parallel
/// ranks of the dense weights and of each expert) with `activations` bytes kept for backward.
RankMemory training_memory(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, const RankParams& params,
                           double activations) {
  const PrecisionSpec& pr = w.precision;
  const double dense_dp = lay.stage_size() / lay.tp(), expert_dp = lay.stage_size() / lay.ep();
  const double opt = dtype_bytes(pr.master_weights) + 2 * dtype_bytes(pr.optimizer_states);
  const double shard = p.zero >= 1 ? (params.dense + params.bf16) / dense_dp + params.experts / expert_dp
                                   : params.total();
  RankMemory mem;
  mem.weight_bytes = params.total() * dtype_bytes(DType::bf16);
  mem.gradient_bytes = params.total() * dtype_bytes(pr.gradients);
  mem.optimizer_bytes = shard * opt;
  mem.activation_bytes = activations;
  return mem;
}

/// One forward chunk (micro-batch 1) overlapped with one backward chunk (micro-batch 0) of every
/// layer of the model on one stage, weight gradients in place: DeepSeek's published profile of
/// DualPipe's steady state. Memory counts the two chunks' activations.
Workload build_chunk_pair(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed) {
  Workload out;
  out.phase = Phase::training;
  Gen G(w, p, lay, out.graph, seed);
  G.reuse_routing = true;
  const ModelSpec& m = w.model;
  const TrainingSpec& t = w.training;
  PassShape shape = training_shape(w, G);
  TrainingEmitter em(G, shape, 0, 2, true);
  em.forward_backward(0, {0, 1}, {0, 0}, true, {});

  out.replicas = lay.replicas();
  const RankParams params = rank_params(m, p, 0, m.layers, false, false);
  for (int d : lay.simulated(0)) {
    out.devices.push_back(d);
    out.memory.push_back(training_memory(w, p, lay, params, 2 * em.saved_per_chunk(0)));
  }
  // Every GPU trains one micro-batch (its forward here, its backward in the next pair).
  const double tokens_per_gpu = double(t.micro_batch) * t.seq_len;
  double flops = 0;
  const int first = lay.simulated(0).front();
  for (const Op& op : out.graph.ops())
    if (op.device == first) flops += op.model_flops;
  out.tokens_per_step = tokens_per_gpu * p.attention_dp;
  out.model_flops_per_token = flops / tokens_per_gpu;
  out.model_flops_per_step = out.model_flops_per_token * out.tokens_per_step;
  out.description = m.name + " training chunk pair: forward and backward of " + std::to_string(m.layers) +
                    " layers, " + std::to_string(t.micro_batch) + " x " + std::to_string(t.seq_len) +
                    " tokens per GPU on " + std::to_string(lay.gpus()) + " GPUs" +
                    (lay.tp() > 1 ? ", TP" + std::to_string(lay.tp()) : "") +
                    (lay.ep() > 1 ? ", EP" + std::to_string(lay.ep()) : "");
  return out;
}

}  // namespace

Workload build_training(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed) {
  if (w.training.scope == TrainingScope::chunk_pair) return build_chunk_pair(w, p, lay, seed);
  Workload out;
  out.phase = Phase::training;
  Gen G(w, p, lay, out.graph, seed);
  G.reuse_routing = true;
  const ModelSpec& m = w.model;
  const TrainingSpec& t = w.training;
  const int pp = lay.pp();
  const int depth = w.mtp.enabled ? m.mtp_depth : 0;
  const int64_t micro = t.global_batch / (int64_t(p.attention_dp) * t.micro_batch);
  const bool dualpipe = p.pp_schedule == PipelineSchedule::dualpipe && pp > 1;

  PassShape shape = training_shape(w, G);
  TrainingEmitter em(G, shape, depth, static_cast<int>(dualpipe ? micro / 2 : micro));
  Schedule sched = dualpipe ? schedule_dualpipe(pp, static_cast<int>(micro))
                            : schedule_1f1b(pp, static_cast<int>(micro));
  run_pipeline(sched, em);

  // Parameters each rank holds (DualPipe: its stage in both directions) and memory.
  const auto& layers = em.layers();
  out.replicas = lay.replicas();
  for (int r = 0; r < pp; ++r) {
    std::vector<int> stages = {r};
    if (dualpipe) stages.push_back(pp - 1 - r);
    RankParams params;
    for (int k : stages) {
      RankParams x = rank_params(m, p, layers[k].first, layers[k].second, k == 0, k == pp - 1);
      if (k == pp - 1 && depth > 0) {
        RankParams mtp = rank_params(m, p, m.layers, m.layers + depth, false, false);
        x.dense += mtp.dense, x.experts += mtp.experts, x.bf16 += mtp.bf16;
      }
      params.dense += x.dense, params.experts += x.experts, params.bf16 += x.bf16;
    }
    const double dense_dp = lay.stage_size() / lay.tp();
    const double expert_dp = lay.stage_size() / lay.ep();
    em.finish(r, params, dense_dp, expert_dp);

    double in_flight = dualpipe ? pp + 1 : std::min<double>(pp - r, double(micro));
    double saved = 0;
    for (int k : stages) saved += em.saved_per_chunk(k);
    saved /= stages.size();
    for (int d : lay.simulated(r)) {
      out.devices.push_back(d);
      out.memory.push_back(training_memory(w, p, lay, params, in_flight * saved));
    }
  }

  out.tokens_per_step = double(t.global_batch) * t.seq_len;
  out.model_flops_per_token = training_model_flops_per_token(w);
  out.model_flops_per_step = out.model_flops_per_token * out.tokens_per_step;
  out.description = m.name + " training step: " + std::to_string(t.global_batch) + " x " +
                    std::to_string(t.seq_len) + " tokens on " + std::to_string(lay.gpus()) + " GPUs, " +
                    std::to_string(micro) + " micro-batches of " + std::to_string(t.micro_batch) +
                    " per DP" + std::to_string(p.attention_dp) + " rank" +
                    (pp > 1 ? ", PP" + std::to_string(pp) + (dualpipe ? " DualPipe" : " 1F1B") : "") +
                    (lay.tp() > 1 ? ", TP" + std::to_string(lay.tp()) : "") +
                    (lay.ep() > 1 ? ", EP" + std::to_string(lay.ep()) : "") +
                    (p.zero ? ", ZeRO-1" : "") + (depth > 0 ? ", MTP" + std::to_string(depth) : "");
  return out;
}

double training_model_flops_per_token(const WorkloadSpec& w) {
  // One micro-batch forward and backward on one rank holding every expert: routing then sums
  // to exactly top_k rows per token, so the count carries no sampling bias.
  WorkloadSpec one = w;
  one.training.global_batch = one.training.micro_batch;
  one.simulate_ranks = RankScope::all;
  ParallelSpec p1;
  Layout lay(one, p1, 1, 1);
  Workload x;
  Gen G(one, p1, lay, x.graph, 1);
  G.reuse_routing = true;
  PassShape shape = training_shape(one, G);
  TrainingEmitter em(G, shape, one.mtp.enabled ? one.model.mtp_depth : 0, 1);
  run_pipeline(schedule_1f1b(1, 1), em);
  double flops = 0;
  for (const Op& op : x.graph.ops())
    if (op.device == 0) flops += op.model_flops;
  return flops / double(shape.tokens);
}

}  // namespace strata::workloads
