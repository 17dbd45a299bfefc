// A study: the same scenarios run on several hardware descriptions, side by side. Each run is
// an ordinary scenario (its hardware replaced by the study's, then the study's overrides), its
// result written as HDF5; the study's table compares them (docs/studies/*.md).
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
  static const config::Schema<StudyEntry>& schema();
};

struct StudySpec {
  std::string name;
  std::string title;
  std::string description;
  std::vector<StudyEntry> hardware;   ///< configs/hw files
  std::vector<StudyEntry> scenarios;  ///< configs/scenarios files
  config::Node overrides;  ///< mapping of dotted keys to values, applied to every run last
  static const config::Schema<StudySpec>& schema();
};

struct StudyRun {
  std::string scenario, hardware;  ///< labels
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
