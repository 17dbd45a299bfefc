// Seam between the cluster executor and whatever prices a kernel: the roofline here, the
// cycle-level chip model and its cost cache later. Implementations must be deterministic.
#pragma once

#include <vector>

#include "workloads/op.h"

namespace strata::models {

struct OpCost {
  double time_s = 0;   ///< predicted duration
  double bound_s = 0;  ///< roofline lower bound; time_s below it is a model bug
};

class OpCostModel {
 public:
  virtual ~OpCostModel() = default;
  /// Called once with every op of a run before any cost(); a model that simulates can price
  /// all distinct kernels together here.
  virtual void prepare(const std::vector<workloads::Op>& /*ops*/) {}
  virtual OpCost cost(const workloads::Op& op) const = 0;
  /// False when cost() only fell back to a bound for `op` (a cache-only model that never
  /// measured the kernel): its time at another clock is then better scaled from one measured.
  virtual bool measured(const workloads::Op& /*op*/) const { return true; }
  /// "roofline", "cycle", ...; recorded in results.
  virtual const char* name() const = 0;
};

}  // namespace strata::models
