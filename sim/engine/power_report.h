// Energy, power and cost of a simulated run: per device, component and power-controller window
// (with its clock), and what the hardware costs to build and to run.
#pragma once

#include <vector>

#include "models/network_model.h"
#include "models/power/energy.h"
#include "models/power/power_controller.h"
#include "sim/engine/executor.h"
#include "sim/engine/power_control.h"
#include "sim/engine/scenario.h"
#include "sim/results/result.h"
#include "workloads/workload.h"

namespace strata::sim {

/// Energy of one run under the power cap.
struct PowerAccount {
  double span_s = 0;                                     ///< simulated time (all steps)
  std::vector<std::vector<models::PowerWindow>> windows;  ///< per simulated device
  std::vector<models::Energy> devices;                   ///< per simulated device: its windows' sum
  std::vector<double> busy_clock_hz;   ///< per device: mean clock of its kernels, weighted by time
  size_t hottest = 0;                  ///< device with the highest average power
};

/// Throws std::logic_error when a device's windows do not hold exactly the energy of its ops,
/// links, leakage and HBM background (energy conservation).
PowerAccount account_power(const hw::HardwareSpec& nominal, const workloads::Workload& w, const PowerPlan& plan,
                           const models::NetworkModel& net, const std::vector<models::Energy>& op_energy);

/// Adds the power and power_timeline (and retarget) tables, energy, power and clock columns of
/// the devices table and the power, clock, energy and cost scalars.
void add_power_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                      const PowerPlan& plan, const PowerAccount& a);

}  // namespace strata::sim
