// `strata plan PLAN.yaml -o DIR`: a capacity plan (sim/plan): every hardware option's
// deployments simulated into DIR/scenarios, the cheapest that meets the targets sized for the
// peak, and the report (DIR/report.html, DIR/plan.h5, DIR/*.csv, DIR/headline.md).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <thread>

#include "sim/app/commands_list.h"
#include "sim/plan/plan_tables.h"
#include "sim/plan/report_html.h"
#include "sim/results/atomic_file.h"

namespace strata::app {
namespace fs = std::filesystem;

namespace {

/// A converter on PATH that turns HTML into PDF, or "".
std::string pdf_converter() {
  for (const char* name : {"wkhtmltopdf", "weasyprint"}) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (size_t start = 0; start <= dirs.size();) {
      size_t end = dirs.find(':', start);
      std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return "";
}

int parse_jobs(const std::string& w) {
  char* end = nullptr;
  long n = std::strtol(w.c_str(), &end, 10);
  if (w.empty() || *end != '\0' || n < 1 || n > 256)
    throw UsageError("--jobs takes a whole number from 1 to 256, not '" + w + "'");
  return int(n);
}

}  // namespace

Command plan_command() {
  Command c;
  c.name = "plan";
  c.positional = "PLAN.yaml";
  c.help = "capacity plan: search each hardware option's deployments by simulation, size the fleet\n"
           "for the peak, count wafers and price it; writes OUT/report.html, OUT/plan.h5, OUT/*.csv\n"
           "and every simulated scenario under OUT/scenarios (reused when run again)";
  c.options = {param_option(), output_option("plan directory (created)"),
               {"--jobs", "-j", "N", "scenarios simulated at once (default: CPU count)"},
               {"--pdf", "", "", "also write OUT/report.pdf (needs wkhtmltopdf or weasyprint)"},
               quiet_option()};
  c.run = [](const Args& a, std::ostream& out, std::ostream& err) {
    if (!a.has("--output")) throw UsageError("plan needs an output directory: -o DIR");
    const std::string dir = a.get("--output");
    int jobs = a.has("--jobs") ? parse_jobs(a.get("--jobs")) : int(std::max(1u, std::thread::hardware_concurrency()));
    std::string converter;
    if (a.has("--pdf")) {
      converter = pdf_converter();
      if (converter.empty())
        throw UsageError("--pdf needs an HTML-to-PDF converter on PATH (wkhtmltopdf or weasyprint; "
                         "Debian packages wkhtmltopdf, weasyprint); none is installed");
    }
    const bool quiet = a.has("--quiet");
    plan::PlanProgress progress = [&](size_t done, size_t total, const plan::ScenarioPoint& p, const plan::Outcome& o) {
      if (quiet) return;
      err << "[" << done << "/" << total << "] " << p.file << ": "
          << (!o.error.empty() ? "skipped (" + o.error.substr(0, o.error.find('\n')) + ")"
              : o.reused       ? std::string("reused")
                               : std::string("simulated"))
          << std::endl;
    };
    fs::create_directories(dir);
    plan::PlanRun run = plan::run_plan(a.positional[0], a.all("--param"), dir, jobs, progress);
    results::Result r = plan::plan_result(run);
    plan::write_plan_tables(r, dir);
    results::write_text_atomically(dir + "/headline.md", [&](std::ostream& o) { o << plan::headline_markdown(run); });
    results::write_text_atomically(dir + "/report.html", [&](std::ostream& o) { o << plan::report_html(run, r); });
    if (!converter.empty()) {
      std::string cmd = "'" + converter + "' '" + dir + "/report.html' '" + dir + "/report.pdf' >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) {
        err << "strata: failed: " << converter << " could not convert the report to PDF\n";
        return kExitFailure;
      }
    }
    if (!quiet) {
      out << plan::headline_markdown(run) << "\nwrote " << dir << "/report.html, plan.h5, options.csv, units.csv, "
          << "assumptions.csv, headline.md" << (converter.empty() ? "" : ", report.pdf") << "\n";
    }
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
