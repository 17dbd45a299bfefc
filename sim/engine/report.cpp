#include "sim/engine/report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/engine/invariants.h"

namespace strata::sim {
using results::Column;
using results::Scalar;
using results::Table;
using workloads::OpClass;
using workloads::OpKind;
using workloads::Pass;
using workloads::Phase;

namespace {

struct Interval {
  double a, b;
};

/// Total length of the union of intervals sorted by start.
double union_length(const std::vector<Interval>& v) {
  double total = 0, cur_a = 0, cur_b = -1;
  for (const Interval& i : v) {
    if (i.a > cur_b) {
      if (cur_b > cur_a) total += cur_b - cur_a;
      cur_a = i.a, cur_b = i.b;
    } else {
      cur_b = std::max(cur_b, i.b);
    }
  }
  if (cur_b > cur_a) total += cur_b - cur_a;
  return total;
}

std::vector<Interval> sorted_by_start(std::vector<Interval> v) {
  std::sort(v.begin(), v.end(), [](const Interval& x, const Interval& y) { return x.a < y.a; });
  return v;
}

Table split_table(const std::string& name, const std::string& desc, const std::vector<std::string>& rows,
                  const std::vector<double>& times, double T) {
  std::vector<double> share;
  for (double v : times) share.push_back(T > 0 ? v / T : 0);
  Table t{name, desc, {}};
  t.columns = {Column{"class", "", "Part of the step", rows}, Column{"time", "s", "Time", times},
               Column{"share", "1", "time / step time", share}};
  return t;
}

}  // namespace

namespace {

/// Merged, sorted intervals.
std::vector<Interval> merged(std::vector<Interval> v) {
  v = sorted_by_start(std::move(v));
  std::vector<Interval> out;
  for (const Interval& i : v) {
    if (!out.empty() && i.a <= out.back().b) out.back().b = std::max(out.back().b, i.b);
    else out.push_back(i);
  }
  return out;
}

/// Time collectives alone keep the device busy (no compute runs), each moment charged to the
/// pass of the collective that started last among those in flight: what the device waits for.
void exposed_by_pass(const std::vector<std::pair<Interval, int>>& comm, const std::vector<Interval>& compute,
                     double* out) {
  std::vector<double> cuts;
  for (const auto& [iv, p] : comm) cuts.push_back(iv.a), cuts.push_back(iv.b);
  for (const Interval& iv : compute) cuts.push_back(iv.a), cuts.push_back(iv.b);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<std::pair<Interval, int>> by_start = comm;
  std::sort(by_start.begin(), by_start.end(), [](const auto& x, const auto& y) { return x.first.a < y.first.a; });
  size_t ci = 0, next = 0;
  std::vector<const std::pair<Interval, int>*> open;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    const double a = cuts[k], b = cuts[k + 1], mid = 0.5 * (a + b);
    while (ci < compute.size() && compute[ci].b <= mid) ++ci;
    const bool computing = ci < compute.size() && compute[ci].a <= mid;
    while (next < by_start.size() && by_start[next].first.a <= mid) open.push_back(&by_start[next++]);
    open.erase(std::remove_if(open.begin(), open.end(), [mid](const auto* c) { return c->first.b <= mid; }), open.end());
    if (computing || open.empty()) continue;
    out[open.back()->second] += b - a;  // the latest to start: `open` is in start order
  }
}

}  // namespace

TimeSplit split_device_time(const Timeline& t, const workloads::OpGraph& g, int device) {
  TimeSplit s;
  std::vector<Interval> compute, all;
  std::vector<std::pair<Interval, int>> comm;
  double compute_sum = 0;
  for (const OpRecord& rec : t.records) {
    if (rec.device != device) continue;
    const workloads::Op& op = g.op(rec.op);
    if (op.op_class == OpClass::host) continue;
    Interval iv{rec.start_s, rec.end_s};
    all.push_back(iv);
    if (op.kind != OpKind::collective) {
      s.compute_by_class[static_cast<int>(op.op_class)] += rec.end_s - rec.start_s;
      s.compute_by_pass[static_cast<int>(op.pass)] += rec.end_s - rec.start_s;
      compute_sum += rec.end_s - rec.start_s;
      compute.push_back(iv);
    } else {
      comm.push_back({iv, static_cast<int>(op.pass)});
    }
  }
  double busy = union_length(sorted_by_start(std::move(all)));
  compute = merged(std::move(compute));
  s.compute_busy_s = union_length(compute);
  s.concurrent_compute_s = s.compute_busy_s - compute_sum;
  s.exposed_comm_s = busy - s.compute_busy_s;
  exposed_by_pass(comm, compute, s.exposed_comm_by_pass);
  s.idle_s = t.makespan_s - busy;
  return s;
}

void add_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                const Timeline& t, const models::NetworkModel& net) {
  const workloads::OpGraph& g = w.graph;
  const int gpus = spec.gpus();
  const int steps = std::max(1, w.steps);
  const double span = t.makespan_s;
  const double T = span / steps;  // one step
  const hw::ChipSpec& chip = spec.hardware.chip;
  const double hbm_peak = spec.hardware.memory.peak_bandwidth();
  std::map<int, size_t> slot;  // simulated device -> row in the devices table
  for (size_t i = 0; i < w.devices.size(); ++i) slot[w.devices[i]] = i;
  const size_t nd = w.devices.size();

  // ---- per-device aggregates, and the critical (last-finishing) device. Compute busy time is
  // the union of a device's kernel intervals over its streams; per-class times are sums.
  std::vector<double> dev_flops(nd, 0), dev_bytes(nd, 0), dev_compute(nd, 0), dev_comm(nd, 0), dev_end(nd, 0);
  std::vector<std::vector<Interval>> dev_kernels(nd);
  double sum_time = 0, sum_bound = 0;
  for (const OpRecord& rec : t.records) {
    const workloads::Op& op = g.op(rec.op);
    double d = rec.end_s - rec.start_s;
    size_t i = slot.at(rec.device);
    if (op.kind == OpKind::collective) {
      dev_comm[i] += d;
    } else if (op.op_class != OpClass::host) {
      dev_flops[i] += op.flops;
      dev_bytes[i] += op.bytes;
      dev_kernels[i].push_back({rec.start_s, rec.end_s});
      sum_time += d;
      sum_bound += rec.bound_s;
    }
    dev_end[i] = std::max(dev_end[i], rec.end_s);
  }
  for (size_t i = 0; i < nd; ++i) dev_compute[i] = union_length(sorted_by_start(std::move(dev_kernels[i])));
  size_t critical = 0;
  for (size_t i = 1; i < nd; ++i)
    if (dev_end[i] > dev_end[critical]) critical = i;
  double unsized = 0, unsized_s = 0;  // on the critical device
  for (const OpRecord& rec : t.records)
    if (nd && rec.device == w.devices[critical] && kept_at_measured_time(g, g.op(rec.op)))
      ++unsized, unsized_s += rec.end_s - rec.start_s;

  // ---- ops table
  std::vector<std::string> name, kind, cls, stream, dtype, pass, phase;
  std::vector<int64_t> device, layer, m, n, k, batch, micro;
  std::vector<double> start, end, dur, bound, flops, bytes;
  const OpsTable rows = spec.output.ops_table;
  for (const OpRecord& rec : t.records) {
    if (rows == OpsTable::none || (rows == OpsTable::critical && rec.device != w.devices[critical])) continue;
    const workloads::Op& op = g.op(rec.op);
    bool coll = op.kind == OpKind::collective;
    name.push_back(op.name);
    kind.push_back(coll ? workloads::collective_kind_name(g.collectives()[op.collective].kind)
                        : workloads::op_kind_name(op.kind));
    cls.push_back(workloads::op_class_name(op.op_class));
    stream.push_back(workloads::stream_name(op.stream));
    dtype.push_back(hw::dtype_name(op.dtype));
    pass.push_back(workloads::pass_name(op.pass));
    phase.push_back(op.phase >= 0 ? g.phases()[op.phase] : "");
    device.push_back(rec.device);
    layer.push_back(op.layer);
    micro.push_back(op.micro_batch);
    m.push_back(op.m), n.push_back(op.n), k.push_back(op.k), batch.push_back(op.batch);
    start.push_back(rec.start_s), end.push_back(rec.end_s), dur.push_back(rec.end_s - rec.start_s);
    bound.push_back(rec.bound_s);
    // A collective's bytes are network bytes, split evenly over its participants' rows; NaN
    // (unknown) for one the trace gave no size for.
    double share = coll ? 1.0 / g.collectives()[op.collective].ranks.size() : 1.0;
    flops.push_back(op.flops * share);
    bytes.push_back(kept_at_measured_time(g, op) ? std::nan("") : op.bytes * share);
  }
  Table ops{"ops", "One row per op per simulated device (output.ops_table), sorted by device then start time", {}};
  ops.columns = {
      Column{"name", "", "Op name: L<layer>.<block>.<op>", name},
      Column{"kind", "", "Kernel kind (gemm, grouped_gemm, attention_decode, ..., all_to_all)", kind},
      Column{"op_class", "", "Class used in the time split", cls},
      Column{"stream", "", "Stream the op runs on (compute, comm, streamN)", stream},
      Column{"dtype", "", "Arithmetic or payload format", dtype},
      Column{"device", "1", "GPU rank", device},
      Column{"layer", "1", "Transformer layer (-1 outside layers)", layer},
      Column{"m", "1", "GEMM rows (grouped: all groups); attention: query tokens", m},
      Column{"n", "1", "GEMM columns", n},
      Column{"k", "1", "GEMM reduction depth", k},
      Column{"batch", "1", "Batched or grouped GEMM count; attention heads", batch},
      Column{"start", "s", "Start time", start},
      Column{"end", "s", "End time", end},
      Column{"duration", "s", "end - start", dur},
      Column{"bound", "s", "Roofline (or line-rate) lower bound of the duration", bound},
      Column{"flops", "FLOP", "Arithmetic of the op on this device", flops},
      Column{"bytes", "B",
             "HBM bytes (kernels) or network bytes sent by all ranks / ranks (collectives; NaN: size "
             "unknown, kept at its measured time)",
             bytes},
      Column{"pass", "", "forward, backward_input, backward_weight or optimizer", pass},
      Column{"micro_batch", "1", "Micro-batch (-1: none)", micro},
      Column{"phase", "", "Phase label (decode, prefill, mtp, forward, backward, ...; trace annotations)", phase},
  };

  // ---- devices table (simulated devices)
  std::vector<int64_t> d_id, d_node, d_rep;
  std::vector<double> d_flops_rate, d_bw, d_util, d_weights, d_kv, d_grad, d_opt, d_act, d_mem;
  for (size_t i = 0; i < nd; ++i) {
    const workloads::RankMemory& mem = w.memory[i];
    d_id.push_back(w.devices[i]);
    d_node.push_back(w.devices[i] / spec.hardware.gpus_per_node);
    d_rep.push_back(w.replicas);
    d_flops_rate.push_back(span > 0 ? dev_flops[i] / span : 0);
    d_bw.push_back(span > 0 ? dev_bytes[i] / span : 0);
    d_util.push_back(span > 0 ? dev_compute[i] / span : 0);
    d_weights.push_back(mem.weight_bytes);
    d_kv.push_back(mem.kv_cache_bytes);
    d_grad.push_back(mem.gradient_bytes);
    d_opt.push_back(mem.optimizer_bytes);
    d_act.push_back(mem.activation_bytes);
    d_mem.push_back(mem.total());
  }
  check_unit_interval("devices.compute_utilisation", d_util);
  Table devices{"devices", "One row per simulated GPU", {}};
  devices.columns = {
      Column{"device", "1", "GPU rank", d_id},
      Column{"node", "1", "Node the GPU sits in", d_node},
      Column{"compute_busy", "s", "Time the GPU computes: the union of its kernels' intervals over its streams", dev_compute},
      Column{"comm_busy", "s", "Time its collectives take", dev_comm},
      Column{"end", "s", "End of the device's last op", dev_end},
      Column{"flops", "FLOP", "Arithmetic done", dev_flops},
      Column{"hbm_bytes", "B", "HBM traffic", dev_bytes},
      Column{"achieved_flops", "FLOP/s", "flops / simulated time", d_flops_rate},
      Column{"hbm_bandwidth", "B/s", "hbm_bytes / simulated time", d_bw},
      Column{"compute_utilisation", "1", "compute_busy / simulated time", d_util},
      Column{"weight_bytes", "B", "Weights resident on the GPU", d_weights},
      Column{"kv_cache_bytes", "B", "KV cache resident on the GPU", d_kv},
      Column{"memory_required", "B", "Every resident byte: weights, KV cache, gradients, optimizer, activations", d_mem},
      Column{"replicas", "1", "Physical GPUs this simulated GPU stands for", d_rep},
      Column{"gradient_bytes", "B", "Training: weight gradients", d_grad},
      Column{"optimizer_bytes", "B", "Training: master weights and moments (ZeRO shard)", d_opt},
      Column{"activation_bytes", "B", "Training: activations kept for backward", d_act},
  };

  // ---- links table
  std::vector<std::string> l_name, l_kind, l_link;
  std::vector<int64_t> l_dev, l_links;
  std::vector<double> l_bw, l_bytes, l_busy, l_util, l_energy;
  double network_energy = 0;
  for (size_t i = 0; i < net.links().size(); ++i) {
    const models::LinkInfo& L = net.links()[i];
    l_name.push_back(L.name), l_kind.push_back(L.kind), l_dev.push_back(L.device);
    l_bw.push_back(L.bandwidth), l_bytes.push_back(t.link_bytes[i]), l_busy.push_back(t.link_busy_s[i]);
    l_util.push_back(span > 0 ? t.link_busy_s[i] / span : 0);
    l_link.push_back(L.link), l_links.push_back(L.links);
    l_energy.push_back(t.link_bytes[i] * 8 * L.energy_per_bit);
    network_energy += l_energy.back();
  }
  check_unit_interval("links.utilisation", l_util, l_name);
  Table links{"links", "One row per link direction", {}};
  links.columns = {
      Column{"name", "", "<from>><to>, e.g. gpu3>nvsw0, nic3>leaf.p0.0", l_name},
      Column{"kind", "", "scale_up (NVLink), host (PCIe to a NIC) or scale_out (network)", l_kind},
      Column{"device", "1", "GPU the link attaches to, -1 between switches", l_dev},
      Column{"bandwidth", "B/s", "Payload rate in this direction, whole bundle", l_bw},
      Column{"bytes", "B", "Payload bytes carried", l_bytes},
      Column{"busy", "s", "bytes / bandwidth", l_busy},
      Column{"utilisation", "1", "busy / simulated time", l_util},
      Column{"link", "", "Link kind (configs/links), e.g. NVLink4, IB NDR", l_link},
      Column{"links", "1", "Links in the bundle", l_links},
      Column{"energy", "J", "bytes x 8 x the link's energy per bit", l_energy},
  };

  // ---- time split on the critical device, per step
  TimeSplit split = split_device_time(t, g, nd ? w.devices[critical] : 0);
  std::vector<std::string> c_name, p_name;
  std::vector<double> c_time, p_time;
  for (int c = 0; c < workloads::kOpClassCount; ++c) {
    auto oc = static_cast<OpClass>(c);
    if (oc == OpClass::communication || oc == OpClass::host) continue;
    c_name.push_back(workloads::op_class_name(oc));
    c_time.push_back(split.compute_by_class[c] / steps);
  }
  // A pass's row counts its kernels and the communication it leaves exposed (the optimizer: its
  // gradient reduction and weight gather as well as AdamW).
  for (int p = 0; p < workloads::kPassCount; ++p) {
    p_name.push_back(workloads::pass_name(static_cast<Pass>(p)));
    p_time.push_back((split.compute_by_pass[p] + split.exposed_comm_by_pass[p]) / steps);
  }
  for (auto* v : {&c_name, &p_name}) v->push_back("concurrent_compute");
  for (auto* v : {&c_time, &p_time}) v->push_back(split.concurrent_compute_s / steps);
  c_name.push_back("communication_exposed");
  c_time.push_back(split.exposed_comm_s / steps);
  c_name.push_back("idle");
  p_name.push_back("bubble");
  for (auto* v : {&c_time, &p_time}) v->push_back(split.idle_s / steps);
  Table classes = split_table("op_classes",
                              "Step time of the critical GPU split by op class (each class counts its kernels "
                              "in full; concurrent_compute, <= 0, takes off the time compute streams overlapped); "
                              "communication hidden behind compute is not counted, so the rows add up to the "
                              "step time",
                              c_name, c_time, T);
  Table passes = split_table("passes",
                             "Step time of the critical GPU split by pass (training: forward, backward for "
                             "inputs, backward for weights, optimizer), each with the communication it leaves "
                             "exposed, and the bubble (idle time); the rows add up to the step time",
                             p_name, p_time, T);

  // ---- summary
  double mean_flops = 0, mean_bw = 0, max_mem = 0;
  for (size_t i = 0; i < nd; ++i) {
    mean_flops += d_flops_rate[i] / nd;
    mean_bw += d_bw[i] / nd;
    max_mem = std::max(max_mem, d_mem[i]);
  }
  const double capacity = spec.hardware.memory.capacity_bytes;
  const double tokens = w.tokens_per_step;
  const double nodes = spec.cluster.nodes;
  auto rate = [&](double x) { return T > 0 ? x / T : 0.0; };
  auto& S = r.summary;
  S = {
      {"step_time", T, "s", "Wall time of one step on the cluster"},
      {"tokens_per_s", rate(tokens), "tokens/s",
       "Tokens per second, whole cluster (decode: output, prefill: new input, training: trained)"},
      {"tokens_per_s_per_node", rate(tokens) / nodes, "tokens/s", "tokens_per_s per node"},
      {"tokens_per_s_per_gpu", rate(tokens) / gpus, "tokens/s", "tokens_per_s per GPU"},
      {"tokens_per_step", tokens, "tokens", "Tokens per step (see tokens_per_s)"},
      {"gpus", double(gpus), "1", "GPUs in the cluster"},
      {"nodes", nodes, "1", "Nodes in the cluster"},
      {"simulated_devices", double(nd), "1", "GPUs with a timeline (the rest are identical replicas)"},
      {"steps", double(steps), "1", "Steps the simulated graph covers (replayed traces may hold several)"},
      {"achieved_flops_per_gpu", mean_flops, "FLOP/s", "Mean over simulated GPUs of arithmetic / step time"},
      {"hbm_bandwidth_per_gpu", mean_bw, "B/s", "Mean over simulated GPUs of HBM bytes / step time"},
      {"peak_flops_fp8_per_gpu", chip.peak_flops(hw::DType::fp8), "FLOP/s", "Chip peak, dense FP8"},
      {"peak_flops_bf16_per_gpu", chip.peak_flops(hw::DType::bf16), "FLOP/s", "Chip peak, dense BF16"},
      {"peak_hbm_bandwidth_per_gpu", hbm_peak, "B/s", "Pins x pin rate of the active stacks"},
      {"memory_required_per_gpu", max_mem, "B", "Largest resident bytes on any GPU"},
      {"memory_capacity_per_gpu", capacity, "B", "HBM capacity of one GPU"},
      {"memory_fits", max_mem <= capacity ? 1.0 : 0.0, "1", "1 if every GPU's resident bytes fit in its HBM"},
      {"roofline_ratio", sum_bound > 0 ? sum_time / sum_bound : 1.0, "1", "Sum of kernel times / sum of their roofline bounds (>= 1)"},
      {"critical_device", nd ? double(w.devices[critical]) : 0.0, "1", "GPU whose last op ends the step"},
      {"network_energy", network_energy / steps, "J", "Energy of the step's link traffic (links table)"},
      {"unsized_collectives", unsized / steps, "1",
       "Critical GPU's collectives per step of unknown size (profiler traces: DeepEP's kernels give "
       "none), kept at their measured time: not priced by the network, no link traffic or energy"},
      {"unsized_collective_time", unsized_s / steps, "s", "Critical GPU's time per step in unsized_collectives"},
  };
  if (w.phase == Phase::decode && tokens > 0) {
    double requests = double(spec.workload.batch_per_gpu) * gpus;
    S.push_back({"time_per_output_token", tokens > 0 ? T * requests / tokens : T, "s",
                 "Decode: time between a request's tokens (TPOT; accepted MTP drafts shorten it)"});
  } else if (w.phase == Phase::prefill && tokens > 0) {
    S.push_back({"time_to_first_token", T * w.steps_to_first_token, "s",
                 "Prefill: time until a prompt's first token (steps per prompt x step time)"});
    S.push_back({"input_tokens_per_s_with_cache", rate(tokens + w.cached_tokens_per_step), "tokens/s",
                 "Prefill: prompt tokens per second including those served from the KV cache"});
  } else if (w.phase == Phase::training && tokens > 0) {
    S.push_back({"tokens_per_day", rate(tokens) * 86400.0, "tokens", "Training: tokens trained per day"});
    S.push_back({"model_flops_per_token", w.model_flops_per_token, "FLOP",
                 "Training: model FLOPs per token (forward + backward, no recomputation)"});
    double peak = chip.peak_flops(hw::DType::bf16) * gpus;
    S.push_back({"mfu", peak > 0 && T > 0 ? w.model_flops_per_step / T / peak : 0.0, "1",
                 "Training: model FLOPs per second / (GPUs x dense BF16 peak)"});
    S.push_back({"mfu_fp8", T > 0 ? w.model_flops_per_step / T / (chip.peak_flops(hw::DType::fp8) * gpus) : 0.0,
                 "1", "Training: model FLOPs per second / (GPUs x dense FP8 peak)"});
  }
  for (size_t i = 0; i < c_name.size(); ++i)
    S.push_back({"time_" + c_name[i], c_time[i], "s", "Critical GPU's step time in class " + c_name[i]});
  for (size_t i = 0; i < p_name.size(); ++i)
    if (p_name[i] != "communication_exposed" && p_name[i] != "concurrent_compute")
      S.push_back({"time_" + p_name[i], p_time[i], "s", "Critical GPU's step time in " + p_name[i]});
  r.tables = {std::move(ops), std::move(devices), std::move(links), std::move(classes), std::move(passes)};
}

}  // namespace strata::sim
