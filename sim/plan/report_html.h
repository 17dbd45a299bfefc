// The plan report: one self-contained HTML file (tables, inline SVG charts, no scripts or
// external files) with the headline table first, then the charts, the method, the assumptions
// with their sources and every simulated unit linked to its scenario file. The headline table
// is also written as Markdown (docs/plan.md quotes it).
#pragma once

#include <string>

#include "sim/plan/run_plan.h"
#include "sim/results/result.h"

namespace strata::plan {

/// `tables` is plan_result(run) (its assumptions table is shown).
std::string report_html(const PlanRun& run, const results::Result& tables);
std::string headline_markdown(const PlanRun& run);

}  // namespace strata::plan
