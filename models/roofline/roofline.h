// The analytical bound: an op takes at least its arithmetic at peak rate and at least its
// off-chip bytes at peak bandwidth. Used as the cost model at fidelity "analytical", and as
// the floor every other cost model is checked against.
#pragma once

#include "hw/chip.h"
#include "hw/memory.h"
#include "models/op_cost.h"

namespace strata::models {

class Roofline : public OpCostModel {
 public:
  /// `comm_sms` SMs are reserved for communication kernels: compute peaks scale by the rest.
  Roofline(const hw::ChipSpec& chip, const hw::MemorySpec& memory, int comm_sms = 0);

  double compute_time(const workloads::Op& op) const;
  double memory_time(const workloads::Op& op) const;
  /// max(compute, memory): the time no implementation can beat.
  double bound(const workloads::Op& op) const;

  OpCost cost(const workloads::Op& op) const override;
  const char* name() const override { return "roofline"; }

 private:
  hw::ChipSpec chip_;
  double hbm_bandwidth_;
  double compute_share_;  ///< SMs left for compute / all SMs
};

}  // namespace strata::models
