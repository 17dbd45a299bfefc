#include "models/replay/measured_cost.h"

#include <stdexcept>
#include <string>

namespace strata::models {

MeasuredCost::MeasuredCost(OpCostModel& base, double clock_scale, bool all_measured)
    : base_(base), scale_(clock_scale), all_(all_measured) {}

MeasuredCost::MeasuredCost(std::unique_ptr<OpCostModel> base, double clock_scale, bool all_measured)
    : owned_(std::move(base)), base_(*owned_), scale_(clock_scale), all_(all_measured) {}

bool MeasuredCost::keeps_measured(const workloads::Op& op) const {
  const bool opaque = op.flops == 0 && op.bytes == 0;
  return op.measured_s >= 0 && (all_ || opaque);
}

OpCost MeasuredCost::cost(const workloads::Op& op) const {
  const bool opaque = op.flops == 0 && op.bytes == 0;
  if (!keeps_measured(op)) return base_.cost(op);
  double bound = opaque ? 0.0 : base_.cost(op).bound_s;
  double t = op.op_class == workloads::OpClass::host ? op.measured_s : op.measured_s * scale_;
  if (t < bound * (1 - 1e-9))
    throw std::invalid_argument("op '" + op.name + "' was measured at " + std::to_string(t * 1e6) +
                                " us, faster than the simulated chip's roofline bound of " +
                                std::to_string(bound * 1e6) +
                                " us: the trace comes from faster hardware, or its flops/bytes are wrong");
  return OpCost{t, bound};
}

}  // namespace strata::models
