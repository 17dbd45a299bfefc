// Energy accounting: what each op makes the hardware do (activity), what that costs in joules
// per component, and the power that flows whether or not anything runs (leakage, HBM standby
// and refresh). activity_of() counts actions from an op's shape; a kernel that ran on the
// cycle-level model is counted from what that model measured (sim/engine/op_energy).
#pragma once

#include <array>
#include <string>

#include "hw/hardware.h"
#include "workloads/op.h"

namespace strata::models {

/// Where energy goes. Chip components scale with the DVFS voltage; HBM and links do not.
enum class Component { tensor, vector, smem, l2, chip_static, hbm_core, hbm_io, hbm_background, links, die_to_die, count };
constexpr int kComponentCount = static_cast<int>(Component::count);
const char* component_name(Component c);
/// True for the components whose energy per action follows the chip's supply voltage.
bool follows_chip_voltage(Component c);

/// Joules by component.
struct Energy {
  std::array<double, kComponentCount> j{};
  double& operator[](Component c) { return j[static_cast<int>(c)]; }
  double operator[](Component c) const { return j[static_cast<int>(c)]; }
  Energy& operator+=(const Energy& o);
  Energy scaled(double factor) const;
  double total() const;
  /// Sum over the chip-voltage components.
  double chip_dynamic() const;
};

/// Actions one kernel makes the hardware do.
struct Activity {
  double tensor_flops = 0;   ///< tensor-core arithmetic in `dtype`
  hw::DType dtype = hw::DType::bf16;
  double vector_flops = 0;   ///< FP32 vector-lane arithmetic
  double smem_bytes = 0;     ///< shared-memory traffic (operands staged for the tensor cores)
  double l2_bytes = 0;       ///< L2 -> SM traffic (operand panels and all HBM traffic)
  double hbm_read_bytes = 0;
  double hbm_write_bytes = 0;
  double hbm_activates = 0;  ///< rows opened (streaming: one per page of traffic)
};

/// Output tile edge of the operand-traffic estimate: a 128 x 128 tile reads 128-row panels of
/// A and B, so operands cross L2 and shared memory at dtype_bytes / 128 bytes per FLOP.
constexpr double kOperandTile = 128;

Activity activity_of(const workloads::Op& op, const hw::HardwareSpec& h);

/// Joules of `a` at supply `voltage_fraction` of nominal (chip parts scale with its square).
/// On a chip of several compute dies, the L2 traffic that crosses between them (addresses are
/// spread evenly over every die's L2 and HBM, so (dies - 1) / dies of it) costs the die-to-die
/// link's energy per bit.
Energy dynamic_energy(const Activity& a, const hw::HardwareSpec& h, double voltage_fraction);

/// Dynamic power of the chip running dense BF16 MMA at its full rate and nominal clock,
/// operand traffic included: the "busy chip" the node's leakage share refers to.
double busy_dynamic_power(const hw::ChipSpec& c);

/// Leakage of the chip (`nominal`: its spec at the nominal clock) at `clock_hz`, through its DVFS voltage: the node's leakage share of a busy
/// chip's power at nominal voltage, scaled with V^2 (leakage current ~ V through DIBL, times V).
double chip_static_power(const hw::ChipSpec& nominal, double clock_hz);

/// HBM standby and refresh power of all active stacks.
double hbm_background_power(const hw::MemorySpec& m);

}  // namespace strata::models
