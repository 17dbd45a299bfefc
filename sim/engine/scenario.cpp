#include "sim/engine/scenario.h"

#include <memory>

#include "models/network/bill_of_materials.h"
#include "models/network/topology.h"
#include "sim/config/loader.h"

namespace strata::sim {
using config::Schema;

const char* fidelity_name(Fidelity f) {
  switch (f) {
    case Fidelity::cycle: return "cycle";
    case Fidelity::cached: return "cached";
    case Fidelity::analytical: return "analytical";
  }
  return "?";
}

const Schema<OutputSpec>& OutputSpec::schema() {
  static const Schema<OutputSpec> s = [] {
    Schema<OutputSpec> s("output", "What a run writes besides the summary");
    s.choice("ops_table", &OutputSpec::ops_table,
             {{"simulated", OpsTable::simulated}, {"critical", OpsTable::critical}, {"none", OpsTable::none}},
             "Rows of the per-op table: every simulated GPU, only the critical one, or none")
        .def("simulated");
    return s;
  }();
  return s;
}

const Schema<ScenarioSpec>& ScenarioSpec::schema() {
  static const Schema<ScenarioSpec> s = [] {
    Schema<ScenarioSpec> s("scenario", "One simulation");
    s.text("name", &ScenarioSpec::name, "Short name, used in reports and result files");
    s.text("description", &ScenarioSpec::description, "One line on what the scenario shows").def("\"\"");
    s.integer("seed", &ScenarioSpec::seed, "Seed of every random draw (expert routing)")
        .def("1").min(0);
    s.choice("fidelity", &ScenarioSpec::fidelity,
             {{"cycle", Fidelity::cycle}, {"cached", Fidelity::cached}, {"analytical", Fidelity::analytical}},
             "Level that prices ops: cycle = cycle-level chip model (through the kernel cost cache), "
             "cached = cached cycle-level costs else roofline, analytical = roofline bound")
        .def("cycle");
    s.child("hardware", &ScenarioSpec::hardware, "Node hardware (usually base: ../hw/NAME.yaml)");
    s.child("cluster", &ScenarioSpec::cluster,
            "Nodes and their wiring (usually base: ../clusters/NAME.yaml)");
    s.child("network", &ScenarioSpec::network, "How the network is simulated");
    s.child("workload", &ScenarioSpec::workload, "What runs");
    s.child("parallel", &ScenarioSpec::parallel, "How the model is split over the GPUs");
    s.child("output", &ScenarioSpec::output, "What the result file holds");
    s.child("economics", &ScenarioSpec::economics, "Prices, depreciation and electricity for cost per token");
    s.boolean("power_cap", &ScenarioSpec::power_cap,
              "Lower the chip clock (DVFS) when its power would exceed the TDP").def("true");
    s.choice("power_control", &ScenarioSpec::power_control, power_control_options(),
             "How the power cap acts: windowed = each GPU's clock per window of hardware.chip.dvfs.power_window "
             "(the highest whose average power fits the TDP); step_average = one clock for every GPU, set by "
             "the hottest GPU's average over the step (for comparison)")
        .def("windowed");
    s.check([](const ScenarioSpec& sc, const config::Checker& k) {
      int gpus = sc.gpus();
      auto plural = [](int n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
      };
      std::string count = std::to_string(gpus) + " (" + plural(sc.cluster.nodes, "node") + " x " +
                          plural(sc.hardware.gpus_per_node, "GPU") + ")";
      workloads::check_parallel(sc.workload, sc.parallel, gpus, sc.hardware.gpus_per_node, count, k);
      // The wiring must build: enough ports, reachable planes (the network models need it), and
      // every link within its reach, built from its items (the bill of materials).
      std::unique_ptr<models::Topology> topology;
      try {
        topology = std::make_unique<models::Topology>(sc.hardware, sc.cluster);
      } catch (const std::invalid_argument& e) {
        k.fail("cluster.nodes", e.what());
      }
      try {
        models::bill_of_materials(*topology, sc.hardware, sc.cluster);
      } catch (const models::BomError& e) {
        k.fail(e.key, e.what());
      }
      if (sc.parallel.comm_sms >= sc.hardware.chip.sm_count)
        k.fail("parallel.comm_sms", std::to_string(sc.parallel.comm_sms) +
                                        " leaves no SMs for compute (the chip has " +
                                        std::to_string(sc.hardware.chip.sm_count) + ")");
    });
    return s;
  }();
  return s;
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return bind_scenario(config::load_tree(path, overrides), path);
}

LoadedScenario bind_scenario(const config::Node& tree, const std::string& path) {
  LoadedScenario out;
  out.path = path;
  out.spec = ScenarioSpec::schema().bind(tree);
  config::Node resolved = config::Node::make_map();
  resolved.set("version", config::Node::make_scalar(std::to_string(config::kConfigVersion)),
               config::Origin());
  for (config::Entry& e : ScenarioSpec::schema().dump(out.spec).entries)
    resolved.entries.push_back(std::move(e));
  out.resolved_yaml = config::to_yaml(resolved);
  out.resolved = std::move(resolved);
  return out;
}

}  // namespace strata::sim
