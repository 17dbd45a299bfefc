#include "sim/engine/power_control.h"

#include <algorithm>
#include <limits>
#include <map>

#include "models/power/dvfs.h"

namespace strata::sim {

namespace {

/// Free iterations before the clocks may only fall: re-timing moves ops between windows, which
/// can make two clock plans alternate; falling clocks end that on a finite grid.
constexpr int kFreeIterations = 6;
/// Timelines simulated at most.
constexpr int kMaxIterations = 40;

constexpr size_t kNoOp = std::numeric_limits<size_t>::max();

/// Records of `device` (Timeline::records is sorted by device first).
std::pair<size_t, size_t> records_of(const Timeline& t, int device) {
  auto lo = std::lower_bound(t.records.begin(), t.records.end(), device,
                             [](const OpRecord& r, int d) { return r.device < d; });
  auto hi = std::upper_bound(lo, t.records.end(), device, [](int d, const OpRecord& r) { return d < r.device; });
  return {size_t(lo - t.records.begin()), size_t(hi - t.records.begin())};
}

std::vector<models::PowerSegment> segments(const workloads::Workload& w, const Timeline& t, size_t slot,
                                           const std::vector<models::Energy>& op_energy, double links_j,
                                           const std::vector<double>& op_clock, std::vector<size_t>* ids) {
  const workloads::OpGraph& g = w.graph;
  const auto [lo, hi] = records_of(t, w.devices[slot]);
  double comm_time = 0;
  for (size_t r = lo; r < hi; ++r)
    if (g.op(t.records[r].op).kind == workloads::OpKind::collective) comm_time += t.records[r].end_s - t.records[r].start_s;
  std::vector<models::PowerSegment> out;
  for (size_t r = lo; r < hi; ++r) {
    const OpRecord& rec = t.records[r];
    const workloads::Op& op = g.op(rec.op);
    models::PowerSegment s;
    s.start_s = rec.start_s, s.end_s = rec.end_s, s.stream = static_cast<int>(op.stream);
    if (op.kind == workloads::OpKind::collective) {
      if (comm_time <= 0) continue;
      s.nominal[models::Component::links] = links_j * (rec.end_s - rec.start_s) / comm_time;
    } else {
      s.nominal = op_energy[rec.op];
      s.clock_hz = op_clock[rec.op];
    }
    out.push_back(s);
    if (ids) ids->push_back(op.kind == workloads::OpKind::collective ? kNoOp : rec.op);
  }
  if (comm_time <= 0 && links_j > 0) {
    models::PowerSegment s;
    s.end_s = t.makespan_s, s.stream = -1;
    s.nominal[models::Component::links] = links_j;
    out.push_back(s);
    if (ids) ids->push_back(kNoOp);
  }
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, PowerControl>>& power_control_options() {
  static const std::vector<std::pair<std::string, PowerControl>> o = {{"windowed", PowerControl::windowed},
                                                                      {"step_average", PowerControl::step_average}};
  return o;
}

LinkEnergy link_energy(const workloads::Workload& w, const Timeline& t, const models::NetworkModel& net) {
  std::map<int, size_t> slot;
  for (size_t i = 0; i < w.devices.size(); ++i) slot[w.devices[i]] = i;
  LinkEnergy e;
  e.device_j.assign(w.devices.size(), 0.0);
  for (size_t i = 0; i < net.links().size(); ++i) {
    const double j = t.link_bytes[i] * 8 * net.links()[i].energy_per_bit;
    auto it = slot.find(net.links()[i].device);
    if (it != slot.end()) e.device_j[it->second] += j;
  }
  return e;
}

std::vector<models::PowerSegment> device_segments(const workloads::Workload& w, const Timeline& t, size_t slot,
                                                  const std::vector<models::Energy>& op_energy, double links_j,
                                                  const std::vector<double>& op_clock) {
  return segments(w, t, slot, op_energy, links_j, op_clock, nullptr);
}

PowerPlan control_power(const workloads::Workload& w, const hw::HardwareSpec& nominal, ClockedCosts& costs,
                        const models::NetworkModel& net, const std::vector<models::Energy>& op_energy,
                        PowerControl mode, bool cap, const ExecuteProgress& progress) {
  const workloads::OpGraph& g = w.graph;
  const double f0 = nominal.chip.clock_hz;
  std::vector<double> clock(g.size(), 0.0);
  for (size_t id = 0; id < g.size(); ++id)
    if (costs.clocked(id)) clock[id] = f0;
  CollectivePrices prices;
  auto run = [&] {
    return execute_timed(
        g, [&](workloads::OpGraph::OpId id) { return costs.cost(id, clock[id] > 0 ? clock[id] : f0); },
        costs.nominal_model().name(), net, prices, progress);
  };
  PowerPlan p;
  p.timeline = run();
  p.iterations = 1;
  auto window = [&] {
    return mode == PowerControl::windowed ? nominal.chip.dvfs.power_window_s : p.timeline.makespan_s;
  };
  p.window_s = window();
  if (!cap) {
    p.op_clock = clock;
    p.status = CapStatus::off;
    return p;
  }
  const LinkEnergy links = link_energy(w, p.timeline, net);  // collectives keep their prices
  bool settled = false;
  for (int it = 0; it < kMaxIterations; ++it) {
    p.window_s = window();
    std::vector<double> next = clock;
    for (size_t slot = 0; slot < w.devices.size(); ++slot) {
      std::vector<size_t> ids;
      const auto segs = segments(w, p.timeline, slot, op_energy, links.device_j[slot], clock, &ids);
      const auto plan = models::plan_clocks(nominal, p.window_s, p.timeline.makespan_s, segs,
                                            [&](size_t i, double f) { return costs.estimate(ids[i], f); });
      for (size_t i = 0; i < segs.size(); ++i)
        if (segs[i].clocked()) next[ids[i]] = plan[i];
    }
    if (mode == PowerControl::step_average) {  // one clock for every GPU: the hottest GPU's
      double f = f0;
      for (double c : next)
        if (c > 0) f = std::min(f, c);
      for (double& c : next)
        if (c > 0) c = f;
    }
    if (it >= kFreeIterations)
      for (size_t id = 0; id < g.size(); ++id) next[id] = std::min(next[id], clock[id]);
    if (next == clock) {
      settled = true;
      break;
    }
    if (p.iterations >= kMaxIterations) break;
    std::vector<std::pair<size_t, double>> wanted;
    for (size_t id = 0; id < g.size(); ++id)
      if (next[id] > 0 && next[id] < f0) wanted.push_back({id, next[id]});
    costs.prepare(wanted);
    clock = std::move(next);
    p.timeline = run();
    ++p.iterations;
  }
  p.window_s = window();
  p.op_clock = clock;
  bool lowered = false, over = false, at_floor = false;
  for (double c : clock) lowered = lowered || (c > 0 && c < f0);
  for (const auto& windows : plan_windows(w, nominal, p, net, op_energy))
    for (const models::PowerWindow& pw : windows)
      if (pw.power_w() > nominal.chip.tdp_w * (1 + 1e-9)) {
        over = true;
        at_floor = at_floor || pw.at_floor;
      }
  p.status = !over ? (lowered ? CapStatus::holds : CapStatus::nominal)
                   : (at_floor && settled ? CapStatus::floor : CapStatus::unsettled);
  return p;
}

std::vector<std::vector<models::PowerWindow>> plan_windows(const workloads::Workload& w, const hw::HardwareSpec& nominal,
                                                           const PowerPlan& plan, const models::NetworkModel& net,
                                                           const std::vector<models::Energy>& op_energy) {
  const LinkEnergy links = link_energy(w, plan.timeline, net);
  std::vector<std::vector<models::PowerWindow>> out;
  for (size_t slot = 0; slot < w.devices.size(); ++slot)
    out.push_back(models::account_windows(
        nominal, plan.window_s, plan.timeline.makespan_s,
        segments(w, plan.timeline, slot, op_energy, links.device_j[slot], plan.op_clock, nullptr)));
  return out;
}

}  // namespace strata::sim
