// `strata hbm`: one request stream on the cycle-level HBM model, its statistics per
// pseudo-channel written to HDF5.
#include <filesystem>
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/config/loader.h"
#include "sim/config/units.h"
#include "sim/engine/hbm_experiment.h"
#include "sim/engine/run.h"
#include "sim/results/hdf5_io.h"

namespace strata::app {

Command hbm_command() {
  Command c;
  c.name = "hbm";
  c.positional = "EXPERIMENT.yaml";
  c.help = "run a request stream on the cycle-level HBM model: the file names a memory\n"
           "(memory: {base: configs/hbm/hbm3.yaml} or hardware: {base: configs/hw/h800-sxm.yaml})\n"
           "and a traffic: pattern; prints the summary and writes per-pseudo-channel statistics\n"
           "(default OUT: results/hbm.h5)";
  c.options = {param_option(), output_option("result file, written atomically"), quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream&) {
    config::Node tree = config::load_tree(a.positional[0], a.all("--param"));
    sim::HbmExperimentSpec spec = sim::bind_hbm_experiment(tree);
    hbm::StreamRun run = hbm::run_stream(spec.memory, spec.traffic);
    results::Result r = sim::hbm_result(spec, run);
    r.provenance.strata_version = sim::strata_version();
    r.provenance.git_describe = sim::strata_git_describe();
    std::string path = a.get("--output");
    if (path.empty()) {
      std::filesystem::create_directories("results");
      path = "results/hbm.h5";
    }
    results::write_hdf5(r, path);
    if (!a.has("--quiet")) {
      out << r.title << "\n";
      for (size_t i = 0; i < sim::hbm_metric_defs().size(); ++i) {
        const sim::HbmMetricDef& d = sim::hbm_metric_defs()[i];
        out << "  " << d.name << std::string(24 - std::string(d.name).size(), ' ')
            << config::format_display(r.summary[i].value, d.dim) << "\n";
      }
      out << "\nwrote " << path << "\n";
    }
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
