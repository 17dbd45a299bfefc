// The kernel library's entry point: the tiled kernel that runs an op on a chip with `sms` SMs
// (tile shapes chosen as the production kernels choose them).
#pragma once

#include <memory>

#include "hw/chip.h"
#include "models/kernels/tiled_kernel.h"
#include "workloads/op.h"

namespace strata::models {

/// Whether the library can tile `op` (collectives, host work and opaque measured kernels are
/// not kernels it knows).
bool is_kernel(const workloads::Op& op);

/// Throws std::invalid_argument for ops that are not kernels (see is_kernel).
std::unique_ptr<TiledKernel> kernel_for_op(const workloads::Op& op, const hw::ChipSpec& chip, int sms);

}  // namespace strata::models
