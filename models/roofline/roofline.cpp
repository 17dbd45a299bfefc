#include "models/roofline/roofline.h"

#include <algorithm>
#include <stdexcept>

namespace strata::models {

Roofline::Roofline(const hw::ChipSpec& chip, const hw::MemorySpec& memory, int comm_sms)
    : chip_(chip),
      hbm_bandwidth_(memory.peak_bandwidth()),
      compute_share_(double(chip.sm_count - comm_sms) / chip.sm_count) {
  if (comm_sms < 0 || comm_sms >= chip.sm_count)
    throw std::invalid_argument("comm_sms must leave at least one SM of " + chip.name + " for compute");
}

double Roofline::compute_time(const workloads::Op& op) const {
  if (op.flops <= 0) return 0.0;
  double peak = chip_.peak_flops(op.dtype) * compute_share_;
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
