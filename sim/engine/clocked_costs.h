// Op times at any clock of the DVFS grid, for the power controller. The op-cost model is built
// at "anchor" clocks and asked only about the ops that run near them; between two anchors a
// kernel's time is interpolated linearly in 1 / clock, which is exact for a kernel made of work
// that scales with the clock (tensor cores, shared memory, L2) plus work that does not (HBM,
// launch), and close for the max() of the two. Cheap models (roofline, measured replays) anchor
// on every grid clock, so they are exact; the cycle-level model every `anchor_steps` steps
// (tests/unit/test_power_controller.cpp holds the interpolation against simulating at the clock).
#pragma once

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "hw/hardware.h"
#include "models/op_cost.h"
#include "models/roofline/roofline.h"
#include "workloads/op_graph.h"

namespace strata::sim {

class ClockedCosts {
 public:
  using OpId = workloads::OpGraph::OpId;
  /// Builds the op-cost model of the hardware at `clock_hz`.
  using ModelAt = std::function<std::unique_ptr<models::OpCostModel>(double clock_hz)>;

  /// `nominal`: the hardware at its nominal clock; `comm_sms`: SMs reserved for communication.
  ClockedCosts(const workloads::OpGraph& g, const hw::HardwareSpec& nominal, int comm_sms, ModelAt make,
               int anchor_steps);

  /// The model at the nominal clock, prepared with every op.
  models::OpCostModel& nominal_model() { return *anchors_.front().model; }

  /// True when op `id`'s time depends on the chip clock: a GPU kernel (not a collective or a
  /// host-side op).
  bool clocked(OpId id) const;

  /// Prices at their anchors every (op, clock) it has not priced yet, one prepare() per anchor.
  void prepare(const std::vector<std::pair<OpId, double>>& wanted);

  /// Time and roofline bound of op `id` at grid clock `clock_hz`; its anchors must be prepared.
  models::OpCost cost(OpId id, double clock_hz) const;

  /// Op `id`'s time at `clock_hz` from what is priced so far, for the controller's search over
  /// clocks: cost() where both anchors are priced; else linear in 1 / clock through the two
  /// priced anchors nearest to it; else the nominal time with its roofline clock-bound share
  /// scaled by the clock.
  double estimate(OpId id, double clock_hz) const;

  /// Anchors priced so far (the nominal one included).
  int anchors_used() const;

 private:
  struct Anchor {
    double clock_hz = 0;
    std::unique_ptr<models::OpCostModel> model;  ///< built when first needed
    std::vector<double> time;                    ///< per op; negative: not priced
  };
  /// Indices of the anchors at and above / at and below `clock_hz`.
  std::pair<size_t, size_t> bracket(double clock_hz) const;
  double anchor_time(size_t a, OpId id) const;
  bool priced(size_t a, OpId id) const { return !anchors_[a].time.empty() && anchors_[a].time[id] >= 0; }

  const workloads::OpGraph& g_;
  hw::HardwareSpec nominal_;
  ModelAt make_;
  models::Roofline roofline_;
  std::vector<Anchor> anchors_;  ///< highest clock first; anchors_[0] is nominal
};

}  // namespace strata::sim
