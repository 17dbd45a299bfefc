// Validation kinds on the network: collectives timed as nccl-tests times them, single messages
// (latency, achievable bandwidth), DeepEP's dispatch/combine benchmarks with their own byte
// counting, and the counts of a cluster's bill of materials.
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind collective_bandwidth_kind();
CaseKind message_kind();
CaseKind deepep_kind();
/// Counts of a cluster preset's bill of materials (models/network/bill_of_materials).
CaseKind network_bom_kind();

}  // namespace strata::validate
