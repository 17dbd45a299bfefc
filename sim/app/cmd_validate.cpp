// `strata validate`: predictions against published figures (tests/validation/*.yaml).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/engine/run.h"
#include "sim/results/hdf5_io.h"
#include "sim/validate/case_kind.h"
#include "sim/validate/suite.h"
#include "sim/version.h"

namespace strata::app {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int list_kinds(std::ostream& out) {
  for (const validate::CaseKind& k : validate::case_kinds()) {
    out << k.name << ": " << k.description << "\n";
    for (const validate::MetricDef& m : k.metrics)
      out << "    " << m.name << " (" << config::dim_name(m.dim) << "): " << m.description << "\n";
  }
  return kExitOk;
}

int run_validate(const Args& a, std::ostream& out, std::ostream& err) {
  if (a.has("--kinds")) return list_kinds(out);
  std::string dir = a.get("--cases");
  if (dir.empty())
    dir = std::filesystem::is_directory("tests/validation") ? "tests/validation"
                                                            : std::string(STRATA_SOURCE_DIR) + "/tests/validation";
  std::string filter = a.get("--filter");
  std::string docs = a.get("--docs");
  if (!docs.empty() && !filter.empty()) throw UsageError("--docs needs the whole suite; drop --filter");
  validate::Suite suite = validate::load_suite(dir);
  std::vector<validate::Outcome> outcomes = validate::run_suite(suite, filter);
  if (outcomes.empty()) throw UsageError("no validation case matches '" + filter + "'");
  out << validate::format_table(outcomes);
  int failed = 0, known = 0, skipped = 0;
  for (const validate::Outcome& x : outcomes) {
    if (!x.skipped.empty()) ++skipped;
    else if (!x.failure.empty() || (!x.ok && x.c.known_outside.empty())) ++failed;
    else if (!x.ok && !x.c.known_outside.empty()) ++known;
  }
  out << "\n" << outcomes.size() - failed - known - skipped << " OK, " << known
      << " outside (known findings), " << failed << " failed";
  if (skipped) out << ", " << skipped << " skipped (input absent)";
  out << "\n";
  std::string path = a.get("--output");
  if (path.empty()) {
    std::filesystem::create_directories("results");
    path = "results/validation.h5";
  }
  results::Result r = validate::to_result(outcomes);
  r.provenance.strata_version = sim::strata_version();
  r.provenance.git_describe = sim::strata_git_describe();
  results::write_hdf5(r, path);
  out << "wrote " << path << "\n";
  std::string md = validate::validation_markdown(suite, outcomes);
  if (!docs.empty()) {
    std::ofstream(docs, std::ios::binary) << md;
    out << "wrote " << docs << "\n";
  }
  std::string check = a.get("--check-docs");
  if (!check.empty() && read_file(check) != md) {
    err << "strata: " << check << " is stale; regenerate it with `make validate`\n";
    return kExitFailure;
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

Command validate_command() {
  Command c;
  c.name = "validate";
  c.help = "run the validation cases (tests/validation/*.yaml): predictions against published\n"
           "figures; exit 1 if any falls outside its tolerance";
  c.options = {{"--filter", "", "TEXT", "only cases whose name, kind or area contains TEXT"},
               output_option("validation table as HDF5 (default results/validation.h5)"),
               {"--docs", "", "FILE", "write the table as markdown (docs/validation.md)"},
               {"--check-docs", "", "FILE", "fail if FILE differs from the markdown this run gives"},
               {"--cases", "", "DIR", "case files (default tests/validation)"},
               {"--kinds", "", "", "list the experiment kinds cases can use, with their metrics"}};
  c.run = run_validate;
  return c;
}

}  // namespace strata::app
