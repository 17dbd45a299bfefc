// Op costs from the cycle-level chip model (models/tensor_core), through the kernel cost cache.
// prepare() collects the distinct kernels of a run; those not cached are simulated together in
// one child process (mode simulate, fidelity "cycle") or priced by the roofline (mode
// cache_only, fidelity "cached": fast sweeps over what earlier runs measured).
#pragma once

#include <map>
#include <string>

#include "hw/hardware.h"
#include "models/kernels/kernel_for_op.h"
#include "models/op_cost.h"
#include "models/roofline/roofline.h"
#include "models/tensor_core/kernel_batch.h"
#include "sim/engine/kernel_cache.h"

namespace strata::sim {

class CycleCostModel : public models::OpCostModel {
 public:
  enum class Mode { simulate, cache_only };

  CycleCostModel(const hw::HardwareSpec& hw, int sms, KernelCache& cache, Mode mode);

  void prepare(const std::vector<workloads::Op>& ops) override;
  models::OpCost cost(const workloads::Op& op) const override;
  bool measured(const workloads::Op& op) const override { return !models::is_kernel(op) || counters(op); }
  /// What the cycle-level model measured for `op` (after prepare); null when it never ran.
  const KernelCost* counters(const workloads::Op& op) const;
  const char* name() const override { return mode_ == Mode::simulate ? "cycle" : "cached"; }

  /// The measured costs behind each priced op (after prepare), by signature.
  const std::map<std::string, KernelCost>& measured() const { return costs_; }
  int simulated() const { return simulated_; }  ///< kernels simulated by the last prepare()

 private:
  hw::HardwareSpec hw_;
  int sms_;
  KernelCache& cache_;
  Mode mode_;
  models::Roofline roofline_;
  std::string fingerprint_;
  std::map<std::string, KernelCost> costs_;
  int simulated_ = 0;
};

/// The kernel an op is priced by. Tensor cores run whole tiles, so a grouped GEMM's time is
/// set by its tiles, not its exact rows: its groups are rounded up to the tile height chosen
/// for the real rows and sorted, which turns the thousands of row distributions a cluster's
/// expert routing produces into a few kernels (each slightly pessimistic: its partial tiles'
/// A and C bytes count in full). Streaming kernels (elementwise, norms) are priced with their
/// bytes and FLOPs rounded up to 32 steps per octave (at most 3.2% pessimistic).
workloads::Op canonical_kernel(const workloads::Op& op, const hw::ChipSpec& chip, int sms);

/// Simulates `ops` (kernels only) on the chip in this process, one after another, against
/// `memory`; one call per process (SystemC cannot restart).
std::vector<KernelCost> simulate_ops(const hw::HardwareSpec& hw, int sms, const std::vector<workloads::Op>& ops,
                                     const models::MemoryFactory& memory);

}  // namespace strata::sim
