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

double voltage(const hw::ChipSpec& c, double clock_hz) { return c.dvfs.voltage_fraction(clock_hz, c.clock_hz); }

}  // namespace

PowerAccount account_power(const hw::HardwareSpec& nominal, const workloads::Workload& w, const PowerPlan& plan,
                           const models::NetworkModel& net, const std::vector<Energy>& op_energy) {
  PowerAccount a;
  a.span_s = plan.timeline.makespan_s;
  a.windows = plan_windows(w, nominal, plan, net, op_energy);
  const LinkEnergy links = link_energy(w, plan.timeline, net);
  for (size_t slot = 0; slot < w.devices.size(); ++slot) {
    Energy total, parts;
    for (const models::PowerWindow& pw : a.windows[slot]) total += pw.energy;
    // Energy conservation: the windows hold the device's ops and links at their clocks'
    // voltage, and leakage and HBM background over the span, nothing more or less.
    double busy = 0, clock_time = 0;
    for (const models::PowerSegment& s :
         device_segments(w, plan.timeline, slot, op_energy, links.device_j[slot], plan.op_clock)) {
      parts += models::at_voltage(s.nominal, s.clocked() ? voltage(nominal.chip, s.clock_hz) : 1.0);
      if (s.clocked()) busy += s.end_s - s.start_s, clock_time += (s.end_s - s.start_s) * s.clock_hz;
    }
    parts[Component::chip_static] = total[Component::chip_static];
    parts[Component::hbm_background] = models::hbm_background_power(nominal.memory) * a.span_s;
    for (int c = 0; c < kComponentCount; ++c)
      if (std::fabs(parts.j[c] - total.j[c]) > 1e-9 * std::max(1.0, std::fabs(parts.j[c])))
        throw std::logic_error(std::string("invariant violated: energy conservation: the power timeline of GPU ") +
                               std::to_string(w.devices[slot]) + " holds " + std::to_string(total.j[c]) + " J of " +
                               models::component_name(static_cast<Component>(c)) + " but its ops, links and " +
                               "background draw " + std::to_string(parts.j[c]) + " J");
    a.devices.push_back(total);
    a.busy_clock_hz.push_back(busy > 0 ? clock_time / busy : nominal.chip.clock_hz);
    if (total.total() > a.devices[a.hottest].total()) a.hottest = slot;
  }
  return a;
}

void add_power_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                      const PowerPlan& plan, const PowerAccount& a) {
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
                              "hbm_io, hbm_background, links (the GPU's own link directions), die_to_die", c_name},
      Column{"energy", "J", "Energy per step", c_energy},
      Column{"power", "W", "Average power over the run", c_power},
      Column{"share", "1", "energy / the GPU's total", c_share},
  };

  // ---- power and clock over time: every simulated GPU, one row per controller window
  Table timeline{"power_timeline", "Clock and power of every simulated GPU per window of the power controller", {}};
  {
    std::vector<int64_t> dev;
    std::vector<double> start, end, clock, total;
    std::vector<std::vector<double>> comp(kComponentCount);
    for (size_t slot = 0; slot < nd; ++slot)
      for (const models::PowerWindow& pw : a.windows[slot]) {
        dev.push_back(w.devices[slot]);
        start.push_back(pw.start_s), end.push_back(pw.end_s), clock.push_back(pw.clock_hz);
        const double len = pw.end_s - pw.start_s;
        for (int c = 0; c < kComponentCount; ++c) comp[c].push_back(len > 0 ? pw.energy.j[c] / len : 0);
        total.push_back(pw.power_w());
      }
    timeline.columns = {Column{"device", "1", "GPU rank", dev}, Column{"start", "s", "Window start", start},
                        Column{"end", "s", "Window end", end},
                        Column{"clock", "Hz", "Clock of the window: its kernels' mean, weighted by their time in it", clock}};
    for (int c = 0; c < kComponentCount; ++c)
      timeline.columns.push_back(Column{models::component_name(static_cast<Component>(c)), "W",
                                        "Average power in the window", comp[c]});
    timeline.columns.push_back(Column{"total", "W", "Sum of the components", total});
  }

  // ---- devices table: energy and power per GPU
  std::vector<double> d_energy, d_power, d_window_max;
  double window_max = 0;
  for (size_t slot = 0; slot < nd; ++slot) {
    d_energy.push_back(a.devices[slot].total() / steps);
    d_power.push_back(span > 0 ? a.devices[slot].total() / span : 0);
    double m = 0;
    for (const models::PowerWindow& pw : a.windows[slot]) m = std::max(m, pw.power_w());
    d_window_max.push_back(m);
    window_max = std::max(window_max, m);
  }
  for (results::Table& tab : r.tables)
    if (tab.name == "devices" && tab.rows() == nd) {
      tab.columns.push_back(Column{"energy", "J", "Energy per step, every component", d_energy});
      tab.columns.push_back(Column{"power", "W", "Average power over the run", d_power});
      tab.columns.push_back(Column{"power_window_max", "W", "Highest power of a power-controller window", d_window_max});
      tab.columns.push_back(Column{"clock", "Hz", "Mean clock of the GPU's kernels, weighted by their time", a.busy_clock_hz});
    }

  // ---- clocks: mean over every simulated GPU's kernel time, lowest, share below nominal
  double busy = 0, clock_time = 0, throttled = 0, clock_min = hw.chip.clock_hz;
  for (const OpRecord& rec : plan.timeline.records) {
    const double c = plan.op_clock[rec.op];
    if (c <= 0) continue;
    const double d = rec.end_s - rec.start_s;
    busy += d, clock_time += d * c, clock_min = std::min(clock_min, c);
    if (c < hw.chip.clock_hz) throttled += d;
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
      {"clock", busy > 0 ? clock_time / busy : hw.chip.clock_hz, "Hz",
       "Mean clock of the simulated GPUs' kernels under the power cap, weighted by their time"},
      {"clock_min", clock_min, "Hz", "Lowest clock any kernel ran at"},
      {"clock_nominal", hw.chip.clock_hz, "Hz", "Nominal chip clock"},
      {"throttled_share", busy > 0 ? throttled / busy : 0, "1", "Share of kernel time below the nominal clock"},
      {"power_cap_status", double(static_cast<int>(plan.status)), "1",
       "0 under the TDP at nominal clock, 1 throttled and within the TDP, 2 over the TDP at the clock floor, "
       "3 over the TDP: did not settle, 4 power cap off"},
      {"power_cap_iterations", double(plan.iterations), "1", "Timelines the power cap simulated"},
      {"power_window", plan.window_s, "s", "Window the power cap averages over (the step for step_average)"},
      {"power_window_max", window_max, "W", "Highest power of any simulated GPU's window"},
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
  r.tables.push_back(std::move(timeline));
  if (!hw.retarget_changes.empty())
    r.tables.push_back(Table{"retarget", "What moving the chip to another node changed, and why",
                             {Column{"change", "", "One change per row", hw.retarget_changes}}});
}

}  // namespace strata::sim
