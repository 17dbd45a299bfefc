// Validation kinds on the cycle-level HBM model.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

/// A request stream on a memory (an HBM preset or a node preset's memory), run cycle by cycle
/// with the protocol checker on; a violation makes the case fail to run.
CaseKind hbm_stream_kind();

}  // namespace strata::validate
