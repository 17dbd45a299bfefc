#include "sim/engine/power_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "hw/economics.h"

namespace strata::sim {
using models::Component;
using models::Energy;
using models::kComponentCount;
using results::Column;
using results::Scalar;
using results::Table;

namespace {

constexpr int kTimelineBins = 100;

std::map<int, size_t> device_slots(const workloads::Workload& w) {
  std::map<int, size_t> slot;
  for (size_t i = 0; i < w.devices.size(); ++i) slot[w.devices[i]] = i;
  return slot;
}

/// Energy of one kernel at the clock's voltage.
Energy op_energy(const workloads::Op& op, const hw::HardwareSpec& nominal, double voltage) {
  return models::dynamic_energy(models::activity_of(op, nominal), nominal, voltage);
}

/// Power of `device` over time in kTimelineBins bins: kernels spread over their duration,
/// its links' energy over its collectives, leakage and HBM background evenly.
std::vector<Energy> power_timeline(const hw::HardwareSpec& nominal, const PowerAccount& a, const workloads::Workload& w,
                                   const Timeline& t, int device) {
  const double span = a.span_s, dt = span / kTimelineBins;
  const double v = nominal.chip.dvfs.voltage_fraction(a.clock_hz, nominal.chip.clock_hz);
  std::vector<Energy> bins(kTimelineBins);
  auto spread = [&](const Energy& e, double start, double end) {
    if (end <= start) {  // an instant: all in its bin
      int b = std::min(kTimelineBins - 1, int(start / dt));
      bins[b] += e;
      return;
    }
    for (int b = std::max(0, int(start / dt)); b < kTimelineBins && b * dt < end; ++b) {
      const double overlap = std::min(end, (b + 1) * dt) - std::max(start, b * dt);
      if (overlap > 0) bins[b] += e.scaled(overlap / (end - start));
    }
  };
  const Energy& total = a.devices[device_slots(w).at(device)];
  double comm_time = 0;
  for (const OpRecord& rec : t.records)
    if (rec.device == device && w.graph.op(rec.op).kind == workloads::OpKind::collective)
      comm_time += rec.end_s - rec.start_s;
  Energy links, steady;
  links[Component::links] = total[Component::links];
  for (Component c : {Component::chip_static, Component::hbm_background}) steady[c] = total[c];
  for (const OpRecord& rec : t.records) {
    if (rec.device != device) continue;
    const workloads::Op& op = w.graph.op(rec.op);
    if (op.kind == workloads::OpKind::collective) {
      if (comm_time > 0) spread(links.scaled((rec.end_s - rec.start_s) / comm_time), rec.start_s, rec.end_s);
    } else {
      spread(op_energy(op, nominal, v), rec.start_s, rec.end_s);
    }
  }
  if (comm_time <= 0) spread(links, 0, span);
  spread(steady, 0, span);
  for (Energy& e : bins) e = e.scaled(1.0 / dt);
  return bins;
}

}  // namespace

models::StepPower PowerAccount::step_power() const {
  models::StepPower s;
  s.clock_hz = clock_hz;
  s.step_s = span_s;
  if (devices.empty()) return s;
  const Energy& e = devices[hottest];
  s.chip_dynamic_j = e.chip_dynamic();
  s.other_dynamic_j = e[Component::hbm_core] + e[Component::hbm_io] + e[Component::links];
  s.clock_bound_fraction = clock_bound[hottest];
  return s;
}

PowerAccount account_power(const hw::HardwareSpec& nominal, double clock_hz, const workloads::Workload& w,
                           const Timeline& t, const models::NetworkModel& net) {
  PowerAccount a;
  a.clock_hz = clock_hz;
  a.span_s = t.makespan_s;
  const size_t nd = w.devices.size();
  a.devices.assign(nd, Energy{});
  a.clock_bound.assign(nd, 0.0);
  const std::map<int, size_t> slot = device_slots(w);
  const double v = nominal.chip.dvfs.voltage_fraction(clock_hz, nominal.chip.clock_hz);
  for (const OpRecord& rec : t.records) {
    const workloads::Op& op = w.graph.op(rec.op);
    auto it = slot.find(rec.device);
    if (it == slot.end() || op.kind == workloads::OpKind::collective) continue;
    a.devices[it->second] += op_energy(op, nominal, v);
    a.clock_bound[it->second] += (rec.end_s - rec.start_s) * models::clock_bound_share(op, nominal);
  }
  for (size_t i = 0; i < net.links().size(); ++i) {
    const double j = t.link_bytes[i] * 8 * net.links()[i].energy_per_bit;
    auto it = slot.find(net.links()[i].device);
    if (it != slot.end())
      a.devices[it->second][Component::links] += j;
    else
      a.fabric_links_j += j;
  }
  const double leakage = models::chip_static_power(nominal.chip, clock_hz);
  const double background = models::hbm_background_power(nominal.memory);
  for (size_t i = 0; i < nd; ++i) {
    a.devices[i][Component::chip_static] = leakage * a.span_s;
    a.devices[i][Component::hbm_background] = background * a.span_s;
    a.clock_bound[i] = a.span_s > 0 ? std::min(1.0, a.clock_bound[i] / a.span_s) : 0.0;
    if (a.devices[i].total() > a.devices[a.hottest].total()) a.hottest = i;
  }
  return a;
}

void add_power_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                      const Timeline& t, const PowerAccount& a, int simulations) {
  const hw::HardwareSpec& hw = spec.hardware;
  const size_t nd = w.devices.size();
  const int steps = std::max(1, w.steps);
  const double span = a.span_s;
  const int gpus = spec.gpus();

  // ---- per component: mean over simulated GPUs
  Energy mean;
  for (const Energy& e : a.devices) mean += e.scaled(1.0 / std::max<size_t>(1, nd));
  std::vector<std::string> c_name;
  std::vector<double> c_energy, c_power, c_share;
  for (int c = 0; c < kComponentCount; ++c) {
    c_name.push_back(models::component_name(static_cast<Component>(c)));
    c_energy.push_back(mean.j[c] / steps);
    c_power.push_back(span > 0 ? mean.j[c] / span : 0);
    c_share.push_back(mean.total() > 0 ? mean.j[c] / mean.total() : 0);
  }
  Table power{"power", "Energy and average power of one GPU (mean over simulated GPUs) by component", {}};
  power.columns = {
      Column{"component", "", "tensor, vector, smem, l2 (chip dynamic), chip_static (leakage), hbm_core, "
                              "hbm_io, hbm_background, links (the GPU's own link directions)", c_name},
      Column{"energy", "J", "Energy per step", c_energy},
      Column{"power", "W", "Average power over the run", c_power},
      Column{"share", "1", "energy / the GPU's total", c_share},
  };

  // ---- power over time of the hottest GPU; its bins must add up to its energy
  const int hot_device = nd ? w.devices[a.hottest] : 0;
  std::vector<Energy> bins = nd ? power_timeline(hw, a, w, t, hot_device) : std::vector<Energy>{};
  Table timeline{"power_timeline",
                 "Power of the hottest GPU over time by component (" + std::to_string(kTimelineBins) + " bins)", {}};
  if (!bins.empty()) {
    const double dt = span / kTimelineBins;
    std::vector<double> start, end, total;
    double binned = 0;
    for (int b = 0; b < kTimelineBins; ++b) {
      start.push_back(b * dt), end.push_back((b + 1) * dt), total.push_back(bins[b].total());
      binned += bins[b].total() * dt;
    }
    const double whole = a.devices[a.hottest].total();
    if (std::fabs(binned - whole) > 1e-9 * std::max(1.0, whole))
      throw std::logic_error("energy conservation: the power timeline of GPU " + std::to_string(hot_device) +
                             " holds " + std::to_string(binned) + " J but its components sum to " +
                             std::to_string(whole) + " J");
    timeline.columns = {Column{"start", "s", "Bin start", start}, Column{"end", "s", "Bin end", end}};
    for (int c = 0; c < kComponentCount; ++c) {
      std::vector<double> p;
      for (const Energy& e : bins) p.push_back(e.j[c]);
      timeline.columns.push_back(Column{models::component_name(static_cast<Component>(c)), "W",
                                        "Average power in the bin", p});
    }
    timeline.columns.push_back(Column{"total", "W", "Sum of the components", total});
  }

  // ---- devices table: energy and power per GPU
  std::vector<double> d_energy, d_power;
  for (const Energy& e : a.devices) {
    d_energy.push_back(e.total() / steps);
    d_power.push_back(span > 0 ? e.total() / span : 0);
  }
  for (results::Table& tab : r.tables)
    if (tab.name == "devices" && tab.rows() == nd) {
      tab.columns.push_back(Column{"energy", "J", "Energy per step, every component", d_energy});
      tab.columns.push_back(Column{"power", "W", "Average power over the run", d_power});
    }

  // ---- cluster power, manufacturing and cost
  const double gpu_power = span > 0 ? mean.total() / span : 0;
  const double replicas = nd ? double(gpus) / nd : 0;
  double simulated_power = 0;
  for (double p : d_power) simulated_power += p;
  // The network outside the nodes draws its bill of materials' rated power (bom_report.h) whether
  // or not it carries traffic; the per-bit energy of its links is a part of that, not added again.
  const double it_power =
      simulated_power * replicas + r.value("network_power") + hw.node_overhead_power_w * spec.cluster.nodes;
  const double tokens_per_s = r.value("tokens_per_s");
  const hw::EconomicsSpec& econ = spec.economics;
  const hw::PackageReport pkg =
      hw::evaluate_package(hw.package, hw::package_contents(hw), hw.chip.node, econ.yield_model, econ.hbm_usd_per_gb);
  const double price = hw::accelerator_price(econ, hw.chip.list_price_usd, pkg.cost_per_good_package_usd);
  const hw::CostOfService cost = hw::cost_of_service(econ, gpus, price, it_power, tokens_per_s, r.value("network_capital"));

  std::vector<Scalar> add = {
      {"clock", a.clock_hz, "Hz", "Chip clock the power cap settled at (nominal when under the TDP)"},
      {"clock_nominal", hw.chip.clock_hz, "Hz", "Nominal chip clock"},
      {"power_cap_simulations", double(simulations), "1", "Simulations the power cap took to settle"},
      {"power_per_gpu", gpu_power, "W", "Average power of one GPU (chip, HBM, its links), mean over simulated GPUs"},
      {"power_per_gpu_max", nd ? a.devices[a.hottest].total() / span : 0, "W", "Average power of the hottest GPU"},
      {"tdp", hw.chip.tdp_w, "W", "Thermal design power of one GPU"},
      {"it_power", it_power, "W", "GPUs, node overhead (CPUs, NICs, fans) and the network's rated power, whole cluster"},
      {"facility_power", it_power * econ.pue, "W", "it_power x PUE"},
      {"energy_per_token", tokens_per_s > 0 ? it_power / tokens_per_s : 0, "J", "it_power / tokens_per_s"},
      {"tokens_per_joule", it_power > 0 ? tokens_per_s / it_power : 0, "tokens/J",
       "tokens_per_s / it_power (tokens per second per watt)"},
      {"die_area", hw.chip.die_area_m2, "m2", "Logic die area of one accelerator"},
      {"die_yield", pkg.die_yield, "1", "Yield of one compute die"},
      {"interposer_yield", pkg.interposer_yield, "1", "Yield of the interposer (its cost covers the losses)"},
      {"assembly_yield", pkg.assembly_yield, "1", "Bonding and substrate yield of a package (chip-last)"},
      {"accelerator_cost", pkg.cost_per_good_package_usd, "USD",
       "Manufactured cost of one good package: dies, HBM, interposer, assembly"},
      {"accelerator_price", price, "USD", "Price paid per accelerator"},
      {"logic_wafers_per_1000_gpus", pkg.logic_wafers_per_1000, "1",
       "Logic wafers started per 1,000 good accelerators"},
      {"cowos_wafers_per_1000_gpus", pkg.cowos_wafers_per_1000, "1", "Interposer wafers started per 1,000 good accelerators"},
      {"hbm_stacks_per_gpu", double(hw.memory.stacks), "1", "Active HBM stacks per accelerator"},
      {"capital_usd_per_hour", cost.capital_usd_per_s * 3600, "USD",
       "((price + system cost) x GPUs + network capital) / life, per hour"},
      {"energy_usd_per_hour", cost.energy_usd_per_s * 3600, "USD", "it_power x PUE x electricity price, per hour"},
      {"usd_per_million_tokens", cost.usd_per_million_tokens, "USD", "Capital and electricity per million tokens"},
  };
  for (int c = 0; c < kComponentCount; ++c)
    add.push_back({std::string("power_") + models::component_name(static_cast<Component>(c)), c_power[c], "W",
                   "Average power of one GPU in this component"});
  r.summary.insert(r.summary.end(), add.begin(), add.end());
  r.tables.push_back(std::move(power));
  if (!timeline.columns.empty()) r.tables.push_back(std::move(timeline));
  if (!hw.retarget_changes.empty())
    r.tables.push_back(Table{"retarget", "What moving the chip to another node changed, and why",
                             {Column{"change", "", "One change per row", hw.retarget_changes}}});
}

}  // namespace strata::sim
