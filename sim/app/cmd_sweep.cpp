// `strata sweep`: expands a sweep file and runs its points. Points run in the Python package
// (strata._sweep: local worker processes or a Dask cluster, resumable, merged summary), so this
// command validates the file, then replaces itself with `python3 -m strata sweep`; `--list`
// only prints the points.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "sim/app/commands_list.h"
#include "sim/sweep/plan.h"

namespace strata::app {
namespace {

void print_points(const sweep::SweepPlan& plan, std::ostream& out) {
  out << plan.file << ": " << plan.points.size() << " points (grid " << plan.grid_points << ", "
      << plan.skipped << " ruled out by constraints), base scenario " << plan.scenario << "\n";
  out << "point";
  for (const sweep::AxisColumn& a : plan.axes) out << "\t" << a.name;
  out << "\tstatus\n";
  for (const sweep::Point& p : plan.points) {
    out << p.index;
    for (const std::string& t : p.texts) out << "\t" << t;
    out << "\t" << (p.error.empty() ? "ok" : "invalid: " + p.error) << "\n";
  }
}

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

Command sweep_command() {
  Command c;
  c.name = "sweep";
  c.positional = "SWEEP.yaml";
  c.help = "run every point of a sweep file: one HDF5 file per point in OUT/points, a merged\n"
           "summary (OUT/summary.h5, OUT/summary.csv); resumes an interrupted sweep in OUT";
  c.options = {output_option("sweep directory (created; reused to resume)"),
               {"--workers", "-j", "N", "local worker processes (default: CPU count)"},
               {"--scheduler", "", "ADDRESS", "run the points on a Dask cluster, e.g. tcp://host:8786"},
               {"--retry-failed", "", "", "run again the points that failed last time"},
               {"--list", "", "", "print the points and exit"},
               quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream& err) {
    const std::string& file = a.positional[0];
    sweep::SweepPlan plan = sweep::plan_sweep(file);  // bad input exits 2 here, before Python
    if (a.has("--list")) {
      print_points(plan, out);
      return kExitOk;
    }
    if (!a.has("--output")) throw UsageError("sweep needs an output directory: -o DIR");
    if (a.has("--workers")) {
      const std::string w = a.get("--workers");
      char* end = nullptr;
      long n = std::strtol(w.c_str(), &end, 10);
      if (w.empty() || *end != '\0' || n < 1 || n > 4096)
        throw UsageError("--workers takes a whole number from 1 to 4096, not '" + w + "'");
    }
    std::string python = env_or("STRATA_PYTHON", STRATA_PYTHON_EXECUTABLE);
    std::string package = env_or("STRATA_PYTHON_DIR", STRATA_PYTHON_DIR);
    if (python.empty() || !std::filesystem::exists(package + "/strata/__init__.py")) {
      err << "strata: failed: sweeps run in the strata Python package, which this build lacks ("
          << package << "/strata); configure with -DSTRATA_PYTHON=ON\n";
      return kExitFailure;
    }
    std::vector<std::string> args = {python, "-m", "strata", "sweep", file, "-o", a.get("--output")};
    for (const char* opt : {"--workers", "--scheduler"})
      if (a.has(opt)) args.insert(args.end(), {opt, a.get(opt)});
    for (const char* flag : {"--retry-failed", "--quiet"})
      if (a.has(flag)) args.push_back(flag);
    const char* old = std::getenv("PYTHONPATH");
    setenv("PYTHONPATH", (package + (old && *old ? ":" + std::string(old) : "")).c_str(), 1);
    setenv("STRATA_EXECUTABLE", self_path().c_str(), 1);  // points run with this very binary
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    out.flush();
    std::cout.flush();
    execv(python.c_str(), argv.data());
    err << "strata: failed: cannot start " << python << ": " << std::strerror(errno) << "\n";
    return kExitFailure;
  };
  return c;
}

}  // namespace strata::app
