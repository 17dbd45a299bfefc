// Op costs of a replayed trace: kernels keep their measured durations (scaled by the ratio of
// the trace's clock to the simulated chip's), so a replay varies only what the user changes
// (network, overlap, clock). Ops without a measurement are priced by the base model.
#pragma once

#include <memory>

#include "models/op_cost.h"

namespace strata::models {

class MeasuredCost : public OpCostModel {
 public:
  /// `all_measured`: every measured op keeps its time; otherwise only ops with neither FLOPs
  /// nor bytes (opaque kernels) do and the rest are priced by `base`. Measured times of host
  /// (CPU) ops are never scaled.
  MeasuredCost(OpCostModel& base, double clock_scale, bool all_measured);
  /// The same, owning its base model.
  MeasuredCost(std::unique_ptr<OpCostModel> base, double clock_scale, bool all_measured);

  void prepare(const std::vector<workloads::Op>& ops) override { base_.prepare(ops); }

  /// Throws std::invalid_argument when a measured time beats the base model's bound: the trace
  /// was taken on faster hardware than the one simulated, or its FLOPs or bytes are wrong.
  OpCost cost(const workloads::Op& op) const override;
  bool measured(const workloads::Op& op) const override { return keeps_measured(op) || base_.measured(op); }
  const char* name() const override { return "measured"; }
  /// True when `op` keeps its measured time (scaled by clock).
  bool keeps_measured(const workloads::Op& op) const;

 private:
  std::unique_ptr<OpCostModel> owned_;  ///< set when the base model is owned
  OpCostModel& base_;
  double scale_;
  bool all_;
};

}  // namespace strata::models
