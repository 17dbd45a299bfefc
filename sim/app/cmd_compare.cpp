// `strata compare`: a measured PyTorch profiler trace against a simulated result.
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/engine/compare.h"
#include "sim/engine/run.h"
#include "sim/results/hdf5_io.h"

namespace strata::app {

Command compare_command() {
  Command c;
  c.name = "compare";
  c.positional = "TRACE.json RESULT.h5";
  c.help = "compare a PyTorch profiler trace (file, or folder with one per rank) with a simulated\n"
           "result of the same configuration: span, compute busy time, time per op class, per phase\n"
           "(matched by name), small kernels per family and DeepEP; warns when the two describe\n"
           "different configurations";
  c.options = {output_option("also write the comparison as HDF5 (table compare)")};
  c.run = [](const Args& a, std::ostream& out, std::ostream&) {
    if (a.positional.size() != 2) throw UsageError("compare needs TRACE.json and RESULT.h5");
    results::Result r = results::read_hdf5_isolated(a.positional[1]);
    sim::Comparison cmp = sim::compare_trace(a.positional[0], r);
    out << sim::format_compare(cmp);
    std::string path = a.get("--output");
    if (!path.empty()) {
      results::Result cr = sim::compare_result(cmp);
      cr.provenance.strata_version = sim::strata_version();
      cr.provenance.git_describe = sim::strata_git_describe();
      results::write_hdf5(cr, path);
      out << "wrote " << path << "\n";
    }
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
