// Validation kinds on the descriptions themselves: hardware presets and model configs against
// the figures their makers publish.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind hardware_figures_kind();
CaseKind model_figures_kind();

}  // namespace strata::validate
