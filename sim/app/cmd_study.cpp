// `strata study`: the same scenarios on several hardware descriptions, one result file per run
// and a comparison table (configs/studies/*.yaml -> docs/studies/*.md).
#include <filesystem>
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/engine/study.h"
#include "sim/results/atomic_file.h"

namespace strata::app {

Command study_command() {
  Command c;
  c.name = "study";
  c.positional = "STUDY.yaml";
  c.help = "run a study's scenarios on each of its hardware descriptions: OUT/<scenario>-<n>.h5 per\n"
           "run and a markdown comparison table (stdout, or --docs FILE)";
  c.options = {output_option("result directory (default results/studies/NAME)"),
               {"--docs", "", "FILE", "write the comparison as markdown (docs/studies/NAME.md)"},
               quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream& err) {
    const std::string& path = a.positional[0];
    sim::StudySpec s = sim::load_study(path);
    std::string dir = a.get("--output");
    if (dir.empty()) dir = "results/studies/" + s.name;
    const bool quiet = a.has("--quiet");
    std::vector<sim::StudyRun> runs =
        sim::run_study(s, dir, [&](const std::string& what) { if (!quiet) err << "running " << what << "\n"; });
    const std::string md = sim::study_markdown(path, s, runs);
    const std::string docs = a.get("--docs");
    if (docs.empty()) {
      out << md;
    } else {
      results::write_text_atomically(docs, [&](std::ostream& o) { o << md; });
      if (!quiet) out << "wrote " << docs << "\n";
    }
    if (!quiet) out << "wrote " << runs.size() << " results in " << dir << "\n";
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
