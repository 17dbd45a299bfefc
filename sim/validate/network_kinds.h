// Validation kinds on the network: collectives timed as nccl-tests times them, single messages
// (latency, achievable bandwidth), and DeepEP's dispatch/combine benchmarks with their own byte
// counting.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind collective_bandwidth_kind();
CaseKind message_kind();
CaseKind deepep_kind();

}  // namespace strata::validate
