// A plan's numbers as a strata result (plan.h5, results/README.md "strata plan files") and as
// CSV: the `options` table (one row per hardware option: the headline), `units` (every
// deployment choice simulated, with its scenario files) and `assumptions` (with sources).
#pragma once

#include <ostream>
#include <string>

#include "sim/plan/run_plan.h"
#include "sim/results/result.h"

namespace strata::plan {

results::Result plan_result(const PlanRun& run);

/// One table as CSV: a header of column names (with units in brackets), numbers in full precision.
void write_csv(const results::Table& t, std::ostream& out);

/// Writes DIR/plan.h5, DIR/options.csv, DIR/units.csv and DIR/assumptions.csv atomically.
void write_plan_tables(const results::Result& r, const std::string& dir);

}  // namespace strata::plan
