// Validation kinds for power, process nodes and manufacturing: the clock a power-capped chip
// settles at under sustained GEMMs, the power a node change saves, and die yields.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind power_capped_gemm_kind();
CaseKind node_power_ratio_kind();
CaseKind die_yield_kind();

}  // namespace strata::validate
