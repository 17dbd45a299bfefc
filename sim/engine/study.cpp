#include "sim/engine/study.h"

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vector>

#include "sim/config/loader.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "sim/results/hdf5_io.h"

namespace strata::sim {
using config::Schema;

const Schema<StudyEntry>& StudyEntry::schema() {
  static const Schema<StudyEntry> s = [] {
    Schema<StudyEntry> s("study entry", "One hardware or scenario file of a study");
    s.text("label", &StudyEntry::label, "Name in the table");
    s.path("file", &StudyEntry::file, "Config file, relative to the study file");
    s.raw("overrides", &StudyEntry::overrides, "Mapping of dotted keys to values for this entry's runs").def("{}");
    s.text("group", &StudyEntry::group, "Entries of one group compare with its first (change columns); \"\": its label")
        .def("\"\"");
    return s;
  }();
  return s;
}

namespace {

/// The format is user input: exactly one conversion, of a double ("%%" is a literal percent).
bool one_number_conversion(const std::string& f) {
  int conversions = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    if (i + 1 < f.size() && f[i + 1] == '%') {
      ++i;
      continue;
    }
    const size_t q = f.find_first_not_of("0123456789.+- #", i + 1);
    if (q == std::string::npos || std::string("eEfgG").find(f[q]) == std::string::npos) return false;
    ++conversions;
    i = q;
  }
  return conversions == 1;
}

}  // namespace

const Schema<StudyColumn>& StudyColumn::schema() {
  static const Schema<StudyColumn> s = [] {
    Schema<StudyColumn> s("study column", "One column of a study's table: a summary scalar of every run");
    s.text("label", &StudyColumn::label, "Column heading");
    s.text("metric", &StudyColumn::metric, "Summary scalar (results/README.md)");
    s.text("divide_by", &StudyColumn::divide_by, "A summary scalar the metric is divided by (\"\": none)").def("\"\"");
    s.number("scale", &StudyColumn::scale, "The value shown is metric (/ divide_by) x scale (1e6: s -> us)").def("1");
    s.text("format", &StudyColumn::format, "printf format of the value").def("\"%.3g\"");
    s.boolean("change", &StudyColumn::change,
              "Show the change from the first run of the entry's group, in percent, instead of the value")
        .def("false");
    s.check([](const StudyColumn& c, const config::Checker& k) {
      if (!one_number_conversion(c.format)) k.fail("format", "one conversion of a number, e.g. \"%.2f\" or \"%.3g\"");
    });
    return s;
  }();
  return s;
}

const Schema<StudySpec>& StudySpec::schema() {
  static const Schema<StudySpec> s = [] {
    Schema<StudySpec> s("study", "Scenarios run on several hardware descriptions, side by side");
    s.text("name", &StudySpec::name, "Short name (result folder)");
    s.text("title", &StudySpec::title, "Title of the report");
    s.text("description", &StudySpec::description, "What the study asks").def("\"\"");
    s.list("hardware", &StudySpec::hardware,
           "Hardware descriptions (configs/hw files), or cluster presets (configs/clusters files: hardware and cluster)");
    s.list("scenarios", &StudySpec::scenarios, "Scenarios (configs/scenarios files)");
    s.list("columns", &StudySpec::columns, "The table's columns (empty: the chip study's node, dies, clock and cost)")
        .def("[]");
    s.raw("overrides", &StudySpec::overrides, "Mapping of dotted keys to values applied to every run").def("{}");
    return s;
  }();
  return s;
}

StudySpec load_study(const std::string& path) { return StudySpec::schema().bind(config::load_tree(path)); }

namespace {

/// Sets each `dotted.key: value` of the mapping `overrides` in `tree`.
void apply(config::Node& tree, const config::Node& overrides) {
  if (!overrides.is_map()) return;
  for (const config::Entry& e : overrides.entries) config::set_at_path(tree, e.key, e.value, e.key_origin);
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

std::vector<StudyRun> run_study(const StudySpec& s, const std::string& out_dir,
                                const std::function<void(const std::string&)>& progress) {
  std::vector<StudyRun> runs;
  std::filesystem::create_directories(out_dir);
  for (const StudyEntry& sc : s.scenarios) {
    for (size_t h = 0; h < s.hardware.size(); ++h) {
      const StudyEntry& hw = s.hardware[h];
      if (progress) progress(sc.label + " on " + hw.label);
      config::Node tree = config::load_tree(sc.file);
      config::Origin o;
      o.file = hw.file;
      config::Node given = config::load_tree(hw.file);
      if (const config::Node* cluster = given.find("cluster")) {  // a cluster preset: hardware and wiring
        config::set_at_path(tree, "cluster", *cluster, o);
        if (const config::Node* h = given.find("hardware")) config::set_at_path(tree, "hardware", *h, o);
      } else {
        config::set_at_path(tree, "hardware", given, o);
      }
      for (const config::Node* m : {&sc.overrides, &hw.overrides, &s.overrides}) apply(tree, *m);
      LoadedScenario loaded = bind_scenario(tree, sc.file);
      StudyRun run{sc.label, hw.label, hw.group.empty() ? hw.label : hw.group,
                   out_dir + "/" + sc.label + "-" + std::to_string(h) + ".h5", loaded.spec.hardware,
                   run_scenario(loaded)};
      results::write_hdf5(run.result, run.result_file);
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

namespace {

/// The study's own columns: each a summary scalar, or its change from the group's first run.
void column_table(std::ostringstream& md, const StudySpec& s, const std::vector<StudyRun>& runs) {
  md << "| scenario | hardware |";
  for (const StudyColumn& c : s.columns) md << " " << c.label << " |";
  md << "\n|---|---|";
  for (size_t i = 0; i < s.columns.size(); ++i) md << "---|";
  md << "\n";
  for (const StudyRun& r : runs) {
    const StudyRun* first = &r;
    for (const StudyRun& q : runs)
      if (q.scenario == r.scenario && q.group == r.group) {
        first = &q;
        break;
      }
    md << "| " << r.scenario << " | " << r.hardware << " |";
    for (const StudyColumn& c : s.columns) {
      auto value = [&](const results::Result& x) {
        const double d = c.divide_by.empty() ? 1.0 : x.value(c.divide_by);
        return d != 0 ? x.value(c.metric) / d * c.scale : 0.0;
      };
      const double v = value(r.result), v0 = value(first->result);
      if (!c.change) md << " " << fmt(c.format.c_str(), v) << " |";
      else if (first == &r) md << " - |";
      else md << " " << fmt(c.format.c_str(), v0 != 0 ? 100 * (v / v0 - 1) : 0.0) << "% |";
    }
    md << "\n";
  }
}

}  // namespace

std::string study_markdown(const std::string& path, const StudySpec& s, const std::vector<StudyRun>& runs) {
  std::ostringstream md;
  md << "# " << s.title << "\n\n";
  md << "<!-- generated by `build/strata study " << path << " --docs THIS_FILE`; do not edit -->\n\n";
  if (!s.description.empty()) md << s.description << "\n\n";
  if (!s.columns.empty()) {
    column_table(md, s, runs);
    md << "\nReproduce: `build/strata study " << path << " --docs <this file>` (results in results/studies/" << s.name
       << "/, one HDF5 file per run; each run's /network/bom table lists what its network is built from).\n";
    return md.str();
  }
  md << "| scenario | hardware | node | dies x area | die yield | clock | tokens/s per GPU | W per GPU | "
        "tokens/J | cost to build | price | $ per M tokens |\n";
  md << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const StudyRun& r : runs) {
    const results::Result& x = r.result;
    const hw::ChipSpec& chip = r.hardware_spec.chip;
    md << "| " << r.scenario << " | " << r.hardware << " | " << chip.node.name << " | " << chip.compute_dies
       << " x " << fmt("%.0f mm2", chip.die_area_m2 / chip.compute_dies * 1e6)
       << " | " << fmt("%.1f%%", 100 * x.value("die_yield")) << " | " << fmt("%.0f MHz", x.value("clock") / 1e6)
       << " | " << fmt("%.0f", x.value("tokens_per_s_per_gpu")) << " | " << fmt("%.0f", x.value("power_per_gpu"))
       << " | " << fmt("%.2f", x.value("tokens_per_joule")) << " | " << fmt("$%.0f", x.value("accelerator_cost"))
       << " | " << fmt("$%.0f", x.value("accelerator_price")) << " | "
       << fmt("$%.3f", x.value("usd_per_million_tokens")) << " |\n";
  }
  md << "\nClock: the kernels' mean clock (weighted by their time) under the power cap, which holds every "
        "power-controller window of each GPU within the TDP (DVFS; docs/power.md). Cost to build: one good package "
        "(dies at the node's wafer price and yield, HBM, interposer, assembly). Price and $ per M tokens: "
        "see each run's economics (configs) and hw/economics.h.\n";
  md << "\n## The designs\n";
  for (size_t h = 0; h < s.hardware.size() && h < runs.size(); ++h) {
    const results::Result& x = runs[h].result;
    md << "\n**" << s.hardware[h].label << "** (" << std::filesystem::relative(s.hardware[h].file).string() << "): "
       << runs[h].hardware_spec.chip.sm_count << " SMs, nominal " << fmt("%.0f MHz", x.value("clock_nominal") / 1e6) << ", "
       << fmt("%.0f mm2", x.value("die_area") * 1e6) << " of logic, TDP " << fmt("%.0f W", x.value("tdp")) << ".\n";
    const std::vector<std::string>& changes = runs[h].hardware_spec.retarget_changes;
    if (!changes.empty()) {
      md << "\n```\n";
      for (const std::string& line : changes) md << line << "\n";
      md << "```\n";
    }
  }
  md << "\nReproduce: `build/strata study " << path << " --docs <this file>` (results in results/studies/" << s.name
     << "/, one HDF5 file per run).\n";
  return md.str();
}

}  // namespace strata::sim
