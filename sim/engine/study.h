// A study: the same scenarios run on several hardware descriptions (or cluster presets), side by
// side. Each run is an ordinary scenario (its hardware, or hardware and cluster, replaced by the
// study's, then the study's overrides), its result written as HDF5; the study's table compares
// them (docs/studies/*.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hw/hardware.h"
#include "sim/config/schema.h"
#include "sim/results/result.h"

namespace strata::sim {

struct StudyEntry {
  std::string label;
  std::string file;        ///< resolved relative to the study file
  config::Node overrides;  ///< mapping of dotted keys to values, applied to this entry's runs
  std::string group;       ///< entries of one group compare with its first (a change column); "" = its label
  static const config::Schema<StudyEntry>& schema();
};

/// One column of a study's table: a summary scalar of every run.
struct StudyColumn {
  std::string label;
  std::string metric;   ///< summary scalar
  std::string divide_by;  ///< another summary scalar the metric is divided by ("" = none)
  double scale = 1;     ///< the value shown is metric (/ divide_by) x scale
  std::string format;   ///< printf format of the value, e.g. "%.2f"
  bool change = false;  ///< show the change from the group's first run (in percent) instead
  static const config::Schema<StudyColumn>& schema();
};

struct StudySpec {
  std::string name;
  std::string title;
  std::string description;
  std::vector<StudyEntry> hardware;   ///< configs/hw files, or configs/clusters files (hardware and cluster)
  std::vector<StudyEntry> scenarios;  ///< configs/scenarios files
  std::vector<StudyColumn> columns;   ///< the table; empty = the chip study's (node, dies, clock, cost)
  config::Node overrides;  ///< mapping of dotted keys to values, applied to every run last
  static const config::Schema<StudySpec>& schema();
};

struct StudyRun {
  std::string scenario, hardware;  ///< labels
  std::string group;               ///< the hardware entry's group (its label when not given)
  std::string result_file;
  hw::HardwareSpec hardware_spec;  ///< the design simulated (after any retarget)
  results::Result result;
};

StudySpec load_study(const std::string& path);

/// Runs every scenario on every hardware, writing OUT_DIR/<scenario>-<n>.h5 (n: hardware index).
/// `progress` is told each run as it starts.
std::vector<StudyRun> run_study(const StudySpec& s, const std::string& out_dir,
                                const std::function<void(const std::string&)>& progress);

/// The comparison table, what each retarget changed, and how to reproduce it, as markdown.
std::string study_markdown(const std::string& path, const StudySpec& s, const std::vector<StudyRun>& runs);

}  // namespace strata::sim
