#include "sim/engine/report.h"

#include <algorithm>

namespace strata::sim {
using results::Column;
using results::Scalar;
using results::Table;
using workloads::OpClass;
using workloads::OpKind;

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

template <class T>
Column col(const std::string& name, const std::string& unit, const std::string& desc,
           std::vector<T> data) {
  return Column{name, unit, desc, std::move(data)};
}

}  // namespace

TimeSplit split_device_time(const Timeline& t, const workloads::OpGraph& g, int device) {
  TimeSplit s;
  std::vector<Interval> compute, all;
  for (const OpRecord& rec : t.records) {
    if (rec.device != device) continue;
    const workloads::Op& op = g.op(rec.op);
    Interval iv{rec.start_s, rec.end_s};
    all.push_back(iv);
    if (op.kind != OpKind::collective) {
      s.compute_by_class[static_cast<int>(op.op_class)] += rec.end_s - rec.start_s;
      compute.push_back(iv);
    }
  }
  auto by_start = [](const Interval& x, const Interval& y) { return x.a < y.a; };
  std::sort(compute.begin(), compute.end(), by_start);
  std::sort(all.begin(), all.end(), by_start);
  double busy = union_length(all);
  s.exposed_comm_s = busy - union_length(compute);
  s.idle_s = t.makespan_s - busy;
  return s;
}

void add_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                const Timeline& t, const models::NetworkModel& net) {
  const workloads::OpGraph& g = w.graph;
  const int gpus = spec.gpus();
  const double T = t.makespan_s;
  const hw::ChipSpec& chip = spec.hardware.chip;
  const double hbm_peak = spec.hardware.memory.peak_bandwidth();

  // ---- ops table
  std::vector<std::string> name, kind, cls, stream, dtype;
  std::vector<int64_t> device, layer, m, n, k, batch;
  std::vector<double> start, end, dur, bound, flops, bytes;
  std::vector<double> dev_flops(gpus, 0), dev_bytes(gpus, 0), dev_compute(gpus, 0),
      dev_comm(gpus, 0), dev_end(gpus, 0);
  double sum_time = 0, sum_bound = 0;
  for (const OpRecord& rec : t.records) {
    const workloads::Op& op = g.op(rec.op);
    bool coll = op.kind == OpKind::collective;
    double d = rec.end_s - rec.start_s;
    name.push_back(op.name);
    kind.push_back(coll ? workloads::collective_kind_name(g.collectives()[op.collective].kind)
                        : workloads::op_kind_name(op.kind));
    cls.push_back(workloads::op_class_name(op.op_class));
    stream.push_back(workloads::stream_name(op.stream));
    dtype.push_back(hw::dtype_name(op.dtype));
    device.push_back(rec.device);
    layer.push_back(op.layer);
    m.push_back(op.m), n.push_back(op.n), k.push_back(op.k), batch.push_back(op.batch);
    start.push_back(rec.start_s), end.push_back(rec.end_s), dur.push_back(d);
    bound.push_back(rec.bound_s);
    // A collective's bytes are network bytes, split evenly over its participants' rows.
    double share = coll ? 1.0 / g.collectives()[op.collective].ranks.size() : 1.0;
    flops.push_back(op.flops * share);
    bytes.push_back(op.bytes * share);
    if (coll) {
      dev_comm[rec.device] += d;
    } else {
      dev_flops[rec.device] += op.flops;
      dev_bytes[rec.device] += op.bytes;
      dev_compute[rec.device] += d;
      sum_time += d;
      sum_bound += rec.bound_s;
    }
    dev_end[rec.device] = std::max(dev_end[rec.device], rec.end_s);
  }
  Table ops{"ops", "One row per op per device, sorted by device then start time", {}};
  ops.columns = {
      col("name", "", "Op name: L<layer>.<block>.<op>", name),
      col("kind", "", "Kernel kind (gemm, grouped_gemm, attention_decode, ..., all_to_all)", kind),
      col("op_class", "", "Class used in the time split", cls),
      col("stream", "", "Stream the op runs on (compute or comm)", stream),
      col("dtype", "", "Arithmetic or payload format", dtype),
      col("device", "1", "GPU rank", device),
      col("layer", "1", "Transformer layer (-1 outside layers)", layer),
      col("m", "1", "GEMM rows (grouped: all groups); attention: requests", m),
      col("n", "1", "GEMM columns", n),
      col("k", "1", "GEMM reduction depth", k),
      col("batch", "1", "Batched or grouped GEMM count; attention heads", batch),
      col("start", "s", "Start time", start),
      col("end", "s", "End time", end),
      col("duration", "s", "end - start", dur),
      col("bound", "s", "Roofline (or line-rate) lower bound of the duration", bound),
      col("flops", "FLOP", "Arithmetic of the op on this device", flops),
      col("bytes", "B", "HBM bytes (kernels) or network bytes sent by all ranks / ranks (collectives)", bytes),
  };

  // ---- devices table
  std::vector<int64_t> d_id, d_node;
  std::vector<double> d_flops_rate, d_bw, d_util, d_weights, d_kv, d_mem;
  for (int d = 0; d < gpus; ++d) {
    d_id.push_back(d);
    d_node.push_back(d / spec.hardware.gpus_per_node);
    d_flops_rate.push_back(T > 0 ? dev_flops[d] / T : 0);
    d_bw.push_back(T > 0 ? dev_bytes[d] / T : 0);
    d_util.push_back(T > 0 ? dev_compute[d] / T : 0);
    d_weights.push_back(w.memory[d].weight_bytes);
    d_kv.push_back(w.memory[d].kv_cache_bytes);
    d_mem.push_back(w.memory[d].weight_bytes + w.memory[d].kv_cache_bytes);
  }
  Table devices{"devices", "One row per GPU", {}};
  devices.columns = {
      col("device", "1", "GPU rank", d_id),
      col("node", "1", "Node the GPU sits in", d_node),
      col("compute_busy", "s", "Time the compute stream is busy", dev_compute),
      col("comm_busy", "s", "Time the comm stream is busy", dev_comm),
      col("end", "s", "End of the device's last op", dev_end),
      col("flops", "FLOP", "Arithmetic done", dev_flops),
      col("hbm_bytes", "B", "HBM traffic", dev_bytes),
      col("achieved_flops", "FLOP/s", "flops / step time", d_flops_rate),
      col("hbm_bandwidth", "B/s", "hbm_bytes / step time", d_bw),
      col("compute_utilisation", "1", "compute_busy / step time", d_util),
      col("weight_bytes", "B", "Weights resident on the GPU", d_weights),
      col("kv_cache_bytes", "B", "KV cache resident on the GPU", d_kv),
      col("memory_required", "B", "weight_bytes + kv_cache_bytes", d_mem),
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
    l_util.push_back(T > 0 ? t.link_busy_s[i] / T : 0);
    l_link.push_back(L.link), l_links.push_back(L.links);
    l_energy.push_back(t.link_bytes[i] * 8 * L.energy_per_bit);
    network_energy += l_energy.back();
  }
  Table links{"links", "One row per link direction", {}};
  links.columns = {
      col("name", "", "<from>><to>, e.g. gpu3>nvsw0, nic3>leaf.p0.0", l_name),
      col("kind", "", "scale_up (NVLink), host (PCIe to a NIC) or scale_out (network)", l_kind),
      col("device", "1", "GPU the link attaches to, -1 between switches", l_dev),
      col("bandwidth", "B/s", "Payload rate in this direction, whole bundle", l_bw),
      col("bytes", "B", "Payload bytes carried", l_bytes),
      col("busy", "s", "bytes / bandwidth", l_busy),
      col("utilisation", "1", "busy / step time", l_util),
      col("link", "", "Link kind (configs/links), e.g. NVLink4, IB NDR", l_link),
      col("links", "1", "Links in the bundle", l_links),
      col("energy", "J", "bytes x 8 x the link's energy per bit", l_energy),
  };

  // ---- time split on the critical (last-finishing) device
  int critical = 0;
  for (int d = 1; d < gpus; ++d)
    if (dev_end[d] > dev_end[critical]) critical = d;
  TimeSplit split = split_device_time(t, g, critical);
  std::vector<std::string> c_name;
  std::vector<double> c_time, c_share;
  auto add_class = [&](const std::string& nm, double v) {
    c_name.push_back(nm);
    c_time.push_back(v);
    c_share.push_back(T > 0 ? v / T : 0);
  };
  for (int c = 0; c < workloads::kOpClassCount; ++c) {
    if (static_cast<OpClass>(c) == OpClass::communication) continue;
    add_class(workloads::op_class_name(static_cast<OpClass>(c)), split.compute_by_class[c]);
  }
  add_class("communication_exposed", split.exposed_comm_s);
  add_class("idle", split.idle_s);
  Table classes{"op_classes",
                "Step time of the critical GPU split by op class; communication hidden behind "
                "compute is not counted, so the rows add up to the step time",
                {}};
  classes.columns = {col("class", "", "Op class", c_name), col("time", "s", "Time", c_time),
                     col("share", "1", "time / step time", c_share)};

  // ---- summary
  double mean = [&](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
  }(d_flops_rate);
  double mean_bw = 0, max_mem = 0;
  for (int d = 0; d < gpus; ++d) {
    mean_bw += d_bw[d] / gpus;
    max_mem = std::max(max_mem, d_mem[d]);
  }
  double capacity = spec.hardware.memory.capacity_bytes;
  double tokens = w.tokens_per_step;
  auto& S = r.summary;
  S = {
      {"step_time", T, "s", "Wall time of one step on the cluster"},
      {"time_per_output_token", T, "s", "Decode: time between a request's tokens (TPOT)"},
      {"tokens_per_s", T > 0 ? tokens / T : 0, "tokens/s", "Output tokens per second, whole cluster"},
      {"tokens_per_s_per_node", T > 0 ? tokens / T / spec.cluster.nodes : 0, "tokens/s", "Output tokens per second per node"},
      {"tokens_per_s_per_gpu", T > 0 ? tokens / T / gpus : 0, "tokens/s", "Output tokens per second per GPU"},
      {"tokens_per_step", tokens, "tokens", "Output tokens produced per step"},
      {"gpus", double(gpus), "1", "GPUs simulated"},
      {"nodes", double(spec.cluster.nodes), "1", "Nodes simulated"},
      {"achieved_flops_per_gpu", mean, "FLOP/s", "Mean over GPUs of arithmetic / step time"},
      {"hbm_bandwidth_per_gpu", mean_bw, "B/s", "Mean over GPUs of HBM bytes / step time"},
      {"peak_flops_fp8_per_gpu", chip.peak_flops(hw::DType::fp8), "FLOP/s", "Chip peak, dense FP8"},
      {"peak_flops_bf16_per_gpu", chip.peak_flops(hw::DType::bf16), "FLOP/s", "Chip peak, dense BF16"},
      {"peak_hbm_bandwidth_per_gpu", hbm_peak, "B/s", "Pins x pin rate of the active stacks"},
      {"memory_required_per_gpu", max_mem, "B", "Largest weights + KV cache on any GPU"},
      {"memory_capacity_per_gpu", capacity, "B", "HBM capacity of one GPU"},
      {"memory_fits", max_mem <= capacity ? 1.0 : 0.0, "1", "1 if every GPU's weights and KV cache fit in its HBM"},
      {"roofline_ratio", sum_bound > 0 ? sum_time / sum_bound : 1.0, "1", "Sum of kernel times / sum of their roofline bounds (>= 1)"},
      {"critical_device", double(critical), "1", "GPU whose last op ends the step"},
      {"network_energy", network_energy, "J", "Energy of the step's link traffic (links table)"},
  };
  for (size_t i = 0; i < c_name.size(); ++i)
    S.push_back({"time_" + c_name[i], c_time[i], "s", "Critical GPU's step time in class " + c_name[i]});
  r.tables = {std::move(ops), std::move(devices), std::move(links), std::move(classes)};
}

}  // namespace strata::sim
