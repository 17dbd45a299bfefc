// The validation suite: loads cases, runs each in its own child process, compares predictions
// with published figures, and reports them as a table, an HDF5 result and docs/validation.md.
#pragma once

#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/results/result.h"

namespace strata::validate {

enum class Check { within, at_most, at_least };

struct Case {
  std::string file;      ///< tests/validation/NAME.yaml
  std::string area;      ///< the file's `area:` (e.g. "HBM", "Hardware descriptions")
  std::string name;
  std::string kind;
  config::Node params;
  std::string params_path;  ///< key path of params, for errors
  std::string metric;
  double published = 0;
  std::string published_text;  ///< as written in the case file
  std::string source;
  double tolerance = 0;  ///< relative
  Check check = Check::within;
  std::string known_outside;  ///< a finding: why the model misses, so the miss reports but passes
  std::string calibrates;     ///< the constant this case set (then it is not an independent check)
};

struct Outcome {
  Case c;
  double predicted = 0;
  double error = 0;  ///< (predicted - published) / published
  bool ok = false;
  std::string failure;  ///< set when the case could not run
  std::string skipped;  ///< set when its input is absent here (case_kind.h: Unavailable)
};

struct AreaNotes {
  std::string area;
  std::string notes;  ///< calibration constants and their sources, from the case file
};

struct Suite {
  std::vector<Case> cases;
  std::vector<AreaNotes> notes;
};

/// Loads every *.yaml under `dir` (sorted by name); throws config::ConfigError on a bad case.
Suite load_suite(const std::string& dir);

/// Runs the cases whose name, kind or area contains `filter` (all when empty).
std::vector<Outcome> run_suite(const Suite& s, const std::string& filter);

/// Fixed-width table of predicted, published, error and OK/OUTSIDE per case.
std::string format_table(const std::vector<Outcome>& outcomes);
/// The validation table as a strata result (table "validation").
results::Result to_result(const std::vector<Outcome>& outcomes);
/// docs/validation.md: the table per area and the calibration notes.
std::string validation_markdown(const Suite& s, const std::vector<Outcome>& outcomes);

}  // namespace strata::validate
