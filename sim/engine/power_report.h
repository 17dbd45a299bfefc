// Energy, power and cost of a simulated run: per device and component from the timeline, the
// power over time of the hottest GPU, and what the hardware costs to build and to run.
#pragma once

#include <vector>

#include "models/network_model.h"
#include "models/power/dvfs.h"
#include "models/power/energy.h"
#include "sim/engine/executor.h"
#include "sim/engine/scenario.h"
#include "sim/results/result.h"
#include "workloads/workload.h"

namespace strata::sim {

/// Energy of one run at one clock.
struct PowerAccount {
  double clock_hz = 0;
  double span_s = 0;                       ///< simulated time (all steps)
  std::vector<models::Energy> devices;     ///< per simulated device, over span_s
  std::vector<double> clock_bound;         ///< per device: share of span_s that scales with 1 / clock
  double fabric_links_j = 0;               ///< links not attached to a GPU (switch to switch)
  size_t hottest = 0;                      ///< device with the highest average power

  /// The hottest device's step, for the power cap.
  models::StepPower step_power() const;
};

/// `nominal`: the hardware at its nominal clock (energies and leakage refer to it); the
/// timeline was simulated at `clock_hz`.
PowerAccount account_power(const hw::HardwareSpec& nominal, double clock_hz, const workloads::Workload& w,
                           const Timeline& t, const models::NetworkModel& net);

/// Adds the power, power_timeline (and retarget) tables, energy and power columns of the
/// devices table and the power, energy and cost scalars. Throws std::logic_error when the
/// energy of the whole differs from the sum of its parts.
void add_power_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                      const Timeline& t, const PowerAccount& a, int simulations);

}  // namespace strata::sim
