// The power cap on a simulated step: each GPU's clock set per window of its timeline by the
// windowed controller (models/power/power_controller), the ops re-timed at their clocks and the
// step run again, until the clocks stop moving; or, for comparison, one clock for the whole
// step on every GPU, set by the hottest GPU's step average (the model before issue 20).
#pragma once

#include <vector>

#include "hw/hardware.h"
#include "models/network_model.h"
#include "models/power/energy.h"
#include "models/power/power_controller.h"
#include "sim/config/schema.h"
#include "sim/engine/clocked_costs.h"
#include "sim/engine/executor.h"
#include "workloads/workload.h"

namespace strata::sim {

/// How the power cap acts: per window of each GPU's timeline (`windowed`), or on the hottest
/// GPU's step average with one clock for every GPU (`step_average`).
enum class PowerControl { windowed, step_average };
const std::vector<std::pair<std::string, PowerControl>>& power_control_options();

/// Whether the cap held (results: `power_cap_status`).
enum class CapStatus {
  nominal = 0,      ///< no window over the TDP at the nominal clock
  holds = 1,        ///< clocks lowered; every window within the TDP
  floor = 2,        ///< some window over the TDP with its ops at dvfs.min_clock: the cap cannot hold
  unsettled = 3,    ///< the iteration limit came first; some window is over the TDP
  off = 4,          ///< power_cap: false; windows may exceed the TDP
};

/// A step as the power cap leaves it.
struct PowerPlan {
  Timeline timeline;
  std::vector<double> op_clock;  ///< per op: the clock it ran at (0: a collective or host op)
  int iterations = 0;            ///< timelines simulated
  CapStatus status = CapStatus::nominal;
  double window_s = 0;           ///< the controller's window (the step's span for step_average)
};

/// Energy of each simulated GPU's own link directions in a step (the network beyond them draws
/// its bill of materials' rated power: bom_report.h).
struct LinkEnergy {
  std::vector<double> device_j;  ///< per entry of Workload::devices
};
LinkEnergy link_energy(const workloads::Workload& w, const Timeline& t, const models::NetworkModel& net);

/// The controller's view of w.devices[slot]: its kernels with their energy at nominal voltage
/// (`op_energy`, per op) and clock, and its collectives carrying its link energy in proportion
/// to their time (over the whole span when it ran none).
std::vector<models::PowerSegment> device_segments(const workloads::Workload& w, const Timeline& t, size_t slot,
                                                  const std::vector<models::Energy>& op_energy, double links_j,
                                                  const std::vector<double>& op_clock);

/// Runs the step under the power cap (`cap` false: at the nominal clock, status off).
PowerPlan control_power(const workloads::Workload& w, const hw::HardwareSpec& nominal, ClockedCosts& costs,
                        const models::NetworkModel& net, const std::vector<models::Energy>& op_energy,
                        PowerControl mode, bool cap, const ExecuteProgress& progress = {});

/// The windows of every simulated GPU of a planned step (per entry of w.devices).
std::vector<std::vector<models::PowerWindow>> plan_windows(const workloads::Workload& w, const hw::HardwareSpec& nominal,
                                                           const PowerPlan& plan, const models::NetworkModel& net,
                                                           const std::vector<models::Energy>& op_energy);

}  // namespace strata::sim
