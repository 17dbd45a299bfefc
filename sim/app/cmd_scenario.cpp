// `strata run` and `strata check`: one scenario, simulated or only validated.
#include <filesystem>
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/app/summary_table.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "sim/results/hdf5_io.h"

namespace strata::app {

Command run_command() {
  Command c;
  c.name = "run";
  c.positional = "SCENARIO.yaml";
  c.help = "simulate a scenario, print its summary and write an HDF5 result\n"
           "(default OUT: results/<scenario name>.h5)";
  c.options = {param_option(), output_option("result file, written atomically"), quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream&) {
    sim::LoadedScenario sc = sim::load_scenario(a.positional[0], a.all("--param"));
    results::Result r = sim::run_scenario(sc);
    std::string path = a.get("--output");
    if (path.empty()) {
      std::filesystem::create_directories("results");
      path = "results/" + sc.spec.name + ".h5";
    }
    results::write_hdf5(r, path);
    if (!a.has("--quiet")) {
      print_summary(r, out);
      out << "\nwrote " << path << "\n";
    }
    return kExitOk;
  };
  return c;
}

Command check_command() {
  Command c;
  c.name = "check";
  c.positional = "SCENARIO.yaml";
  c.help = "validate a scenario without running it; --print shows the resolved config";
  c.options = {param_option(), {"--print", "", "", "print the resolved config (every key, defaults included)"},
               quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream&) {
    const std::string& path = a.positional[0];
    sim::LoadedScenario sc = sim::load_scenario(path, a.all("--param"));
    if (a.has("--print"))
      out << sc.resolved_yaml;
    else if (!a.has("--quiet"))
      out << path << ": OK (" << sc.spec.name << ", " << sc.spec.gpus() << " x "
          << sc.spec.hardware.chip.name << ", " << sc.spec.workload.model.name << ")\n";
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
