#include "sim/app/cli.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <stdexcept>

#include "sim/app/summary_table.h"
#include "sim/config/error.h"
#include "sim/engine/parameters_reference.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "sim/results/hdf5_io.h"
#include "sim/validate/case_kind.h"
#include "sim/validate/suite.h"
#include "sim/version.h"

namespace strata::app {
namespace {

const char* kUsage =
    "usage: strata <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml [-o OUT.h5] [-p key.path=value]... [-q]\n"
    "        simulate a scenario, print its summary and write an HDF5 result\n"
    "        (default OUT: results/<scenario name>.h5)\n"
    "  check SCENARIO.yaml [-p key.path=value]... [--print]\n"
    "        validate a scenario without running it; --print shows the resolved config\n"
    "  validate [--filter TEXT] [-o OUT.h5] [--docs FILE] [--check-docs FILE] [--cases DIR]\n"
    "        run the validation cases (tests/validation/*.yaml): predictions against published\n"
    "        figures; exit 1 if any falls outside its tolerance. --docs writes the table as\n"
    "        markdown (docs/validation.md); --check-docs fails if that file is stale\n"
    "  validate --kinds\n"
    "        list the experiment kinds cases can use, with their metrics\n"
    "  params\n"
    "        print the reference of every config key (docs/parameters.md)\n"
    "\n"
    "options:\n"
    "  -p, --param key.path=value   override one key after bases are merged, e.g.\n"
    "                               -p hardware.chip.clock='1600 MHz' -p workload.batch_per_gpu=64\n"
    "  -o, --output OUT.h5          result file (written atomically)\n"
    "  -q, --quiet                  print nothing on success\n"
    "  -h, --help                   this text\n"
    "  --version                    version and git revision\n"
    "\n"
    "exit codes: 0 success, 1 the simulation failed, 2 bad input (usage or config)\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string command;
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  bool quiet = false;
  bool print = false;
  // validate
  std::string filter, docs, check_docs, cases;
  bool kinds = false;
};

Options parse(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) {
      if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "-p" || a == "--param") {
      o.overrides.push_back(value("-p"));
    } else if (a.rfind("--param=", 0) == 0) {
      o.overrides.push_back(a.substr(8));
    } else if (a == "-o" || a == "--output") {
      o.output = value("-o");
    } else if (a == "-q" || a == "--quiet") {
      o.quiet = true;
    } else if (a == "--print") {
      o.print = true;
    } else if (a == "--filter") {
      o.filter = value("--filter");
    } else if (a == "--docs") {
      o.docs = value("--docs");
    } else if (a == "--check-docs") {
      o.check_docs = value("--check-docs");
    } else if (a == "--cases") {
      o.cases = value("--cases");
    } else if (a == "--kinds") {
      o.kinds = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "'");
    } else if (o.command.empty()) {
      o.command = a;
    } else if (o.scenario.empty()) {
      o.scenario = a;
    } else {
      throw UsageError("unexpected argument '" + a + "'");
    }
  }
  return o;
}

std::string default_output(const sim::ScenarioSpec& spec) {
  std::filesystem::create_directories("results");
  return "results/" + spec.name + ".h5";
}

int run(const Options& o, std::ostream& out) {
  sim::LoadedScenario sc = sim::load_scenario(o.scenario, o.overrides);
  results::Result r = sim::run_scenario(sc);
  std::string path = o.output.empty() ? default_output(sc.spec) : o.output;
  results::write_hdf5(r, path);
  if (!o.quiet) {
    print_summary(r, out);
    out << "\nwrote " << path << "\n";
  }
  return kExitOk;
}

int check(const Options& o, std::ostream& out) {
  sim::LoadedScenario sc = sim::load_scenario(o.scenario, o.overrides);
  if (o.print)
    out << sc.resolved_yaml;
  else if (!o.quiet)
    out << o.scenario << ": OK (" << sc.spec.name << ", " << sc.spec.gpus() << " x "
        << sc.spec.hardware.chip.name << ", " << sc.spec.workload.model.name << ")\n";
  return kExitOk;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int validate_cmd(const Options& o, std::ostream& out, std::ostream& err) {
  if (o.kinds) {
    for (const validate::CaseKind& k : validate::case_kinds()) {
      out << k.name << ": " << k.description << "\n";
      for (const validate::MetricDef& m : k.metrics)
        out << "    " << m.name << " (" << config::dim_name(m.dim) << "): " << m.description << "\n";
    }
    return kExitOk;
  }
  std::string dir = o.cases;
  if (dir.empty())
    dir = std::filesystem::is_directory("tests/validation") ? "tests/validation"
                                                            : std::string(STRATA_SOURCE_DIR) + "/tests/validation";
  validate::Suite suite = validate::load_suite(dir);
  std::vector<validate::Outcome> outcomes = validate::run_suite(suite, o.filter);
  if (outcomes.empty()) throw UsageError("no validation case matches '" + o.filter + "'");
  out << validate::format_table(outcomes);
  int failed = 0, known = 0;
  for (const validate::Outcome& x : outcomes) {
    if (!x.failure.empty() || (!x.ok && x.c.known_outside.empty())) ++failed;
    if (!x.ok && x.failure.empty() && !x.c.known_outside.empty()) ++known;
  }
  out << "\n" << outcomes.size() - failed - known << " OK, " << known << " outside (known findings), "
      << failed << " failed\n";
  std::string path = o.output.empty() ? (std::filesystem::create_directories("results"), "results/validation.h5")
                                      : o.output;
  results::Result r = validate::to_result(outcomes);
  r.provenance.strata_version = sim::strata_version();
  r.provenance.git_describe = sim::strata_git_describe();
  results::write_hdf5(r, path);
  out << "wrote " << path << "\n";
  std::string md = validate::validation_markdown(suite, outcomes);
  if (!o.docs.empty()) {
    if (!o.filter.empty()) throw UsageError("--docs needs the whole suite; drop --filter");
    std::ofstream(o.docs, std::ios::binary) << md;
    out << "wrote " << o.docs << "\n";
  }
  if (!o.check_docs.empty() && read_file(o.check_docs) != md) {
    err << "strata: " << o.check_docs << " is stale; regenerate it with `make validate`\n";
    return kExitFailure;
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

int main_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options o;
  try {
    for (const std::string& a : args) {
      if (a == "-h" || a == "--help") {
        out << kUsage;
        return kExitOk;
      }
      if (a == "--version") {
        out << "strata " << sim::strata_version() << " (" << sim::strata_git_describe() << ")\n";
        return kExitOk;
      }
    }
    o = parse(args);
    if (o.command.empty()) throw UsageError("no command given");
    if (o.command == "params") {
      out << sim::parameters_reference();
      return kExitOk;
    }
    if (o.command == "validate") return validate_cmd(o, out, err);
    if (o.command != "run" && o.command != "check") {
      std::string msg = "unknown command '" + o.command + "'";
      if (auto g = config::did_you_mean(o.command, {"run", "check", "validate", "params"}))
        msg += "; did you mean '" + *g + "'?";
      throw UsageError(msg);
    }
    if (o.scenario.empty()) throw UsageError(o.command + " needs a SCENARIO.yaml");
    return o.command == "run" ? run(o, out) : check(o, out);
  } catch (const UsageError& e) {
    err << "strata: " << e.what() << "\n\n" << kUsage;
    return kExitBadInput;
  } catch (const config::ConfigError& e) {
    err << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    err << "strata: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "strata: simulation failed: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace strata::app
