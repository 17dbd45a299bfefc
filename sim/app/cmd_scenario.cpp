// `strata run` and `strata check`: one scenario, simulated or only validated.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/app/summary_table.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "sim/engine/chrome_trace.h"
#include "sim/results/atomic_file.h"
#include "sim/results/hdf5_io.h"
#include "workloads/trace_io.h"

namespace strata::app {
namespace {

/// Progress as machine-readable lines, one per stage change or whole percent.
sim::RunProgress progress_lines(std::ostream& err) {
  auto last = std::make_shared<std::pair<std::string, int>>("", -1);
  return [&err, last](const std::string& stage, double fraction) {
    int percent = static_cast<int>(fraction * 100);
    if (stage == last->first && percent == last->second) return;
    *last = {stage, percent};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", fraction);
    err << "progress " << buf << " " << stage << std::endl;
  };
}

}  // namespace

Command run_command() {
  Command c;
  c.name = "run";
  c.positional = "SCENARIO.yaml";
  c.help = "simulate a scenario, print its summary and write an HDF5 result\n"
           "(default OUT: results/<scenario name>.h5)";
  c.options = {param_option(), output_option("result file, written atomically"), quiet_option(),
               {"--trace-json", "", "FILE", "also write the timeline as a Chrome/Perfetto trace"},
               {"--export-workload", "", "FILE", "also write the simulated op graph as a strata trace "
                                                  "(docs/trace-format.md)"},
               {"--progress", "", "",
                "report progress on stderr as lines 'progress FRACTION STAGE' (read by the Python module)"}};
  c.run = [](const Args& a, std::ostream& out, std::ostream& err) {
    sim::RunProgress progress;
    if (a.has("--progress")) progress = progress_lines(err);
    sim::LoadedScenario sc = sim::load_scenario(a.positional[0], a.all("--param"));
    std::string path = a.get("--output");
    if (path.empty()) {
      std::filesystem::create_directories("results");
      path = "results/" + sc.spec.name + ".h5";
    }
    std::string timeline = a.get("--trace-json"), graph = a.get("--export-workload");
    for (const std::string& p : {path, timeline, graph}) results::require_parent_directory(p);  // before the work
    sim::Simulation s = sim::simulate(sc, progress);
    const results::Result& r = s.result;
    results::write_hdf5(r, path, [&](const std::string&) {
      if (progress) progress("write", 0.95);
    });
    if (!timeline.empty())
      results::write_text_atomically(timeline, [&](std::ostream& o) { sim::write_chrome_trace(s.workload, s.timeline, o, s.power_windows); });
    if (!graph.empty()) results::write_text_atomically(graph, [&](std::ostream& o) { workloads::write_trace(s.workload, o); });
    if (progress) progress("done", 1.0);
    if (!a.has("--quiet")) {
      print_summary(r, out);
      out << "\nwrote " << path << "\n";
      if (!timeline.empty()) out << "wrote " << timeline << "\n";
      if (!graph.empty()) out << "wrote " << graph << "\n";
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
          << sc.spec.hardware.chip.name << ", "
          << (sc.spec.workload.source == workloads::Source::trace ? "trace " + sc.spec.workload.trace.file
                                                                   : sc.spec.workload.model.name)
          << ")\n";
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
