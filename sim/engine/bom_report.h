// The network's bill of materials in a result: the /network/bom table and the counts, power and
// capital scalars that IT power, energy per token and capital add (power_report.cpp).
#pragma once

#include "models/network/bill_of_materials.h"
#include "sim/results/result.h"

namespace strata::sim {

/// Adds the network/bom table and the network scalars for a cluster of `gpus` GPUs.
void add_bom_report(results::Result& r, const models::BillOfMaterials& bom, int gpus);

}  // namespace strata::sim
