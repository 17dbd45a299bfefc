// Validation kinds on generated workloads: FLOPs per token counted from a generator's ops, and
// whole scenarios run end to end against published throughput figures.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind training_flops_kind();
CaseKind scenario_kind();
CaseKind profile_kind();

}  // namespace strata::validate
