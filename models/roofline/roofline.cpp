#include "models/roofline/roofline.h"

#include <algorithm>
#include <stdexcept>

namespace strata::models {

Roofline::Roofline(const hw::ChipSpec& chip, const hw::MemorySpec& memory)
    : chip_(chip), hbm_bandwidth_(memory.peak_bandwidth()) {}

double Roofline::compute_time(const workloads::Op& op) const {
  if (op.flops <= 0) return 0.0;
  double peak = chip_.peak_flops(op.dtype);
  if (peak <= 0)
    throw std::invalid_argument("op '" + op.name + "' needs " + hw::dtype_name(op.dtype) +
                                " arithmetic, which chip '" + chip_.name + "' does not have");
  return op.flops / peak;
}

double Roofline::memory_time(const workloads::Op& op) const { return op.bytes / hbm_bandwidth_; }

double Roofline::bound(const workloads::Op& op) const {
  return std::max(compute_time(op), memory_time(op));
}

OpCost Roofline::cost(const workloads::Op& op) const {
  double b = bound(op);
  return OpCost{b, b};
}

}  // namespace strata::models
