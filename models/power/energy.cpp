#include "models/power/energy.h"

#include <algorithm>

namespace strata::models {

const char* component_name(Component c) {
  switch (c) {
    case Component::tensor: return "tensor";
    case Component::vector: return "vector";
    case Component::smem: return "smem";
    case Component::l2: return "l2";
    case Component::chip_static: return "chip_static";
    case Component::hbm_core: return "hbm_core";
    case Component::hbm_io: return "hbm_io";
    case Component::hbm_background: return "hbm_background";
    case Component::links: return "links";
    case Component::die_to_die: return "die_to_die";
    case Component::count: break;
  }
  return "?";
}

bool follows_chip_voltage(Component c) {
  return c == Component::tensor || c == Component::vector || c == Component::smem || c == Component::l2;
}

Energy& Energy::operator+=(const Energy& o) {
  for (int i = 0; i < kComponentCount; ++i) j[i] += o.j[i];
  return *this;
}

Energy Energy::scaled(double factor) const {
  Energy e = *this;
  for (double& x : e.j) x *= factor;
  return e;
}

double Energy::total() const {
  double t = 0;
  for (double x : j) t += x;
  return t;
}

double Energy::chip_dynamic() const {
  double t = 0;
  for (int i = 0; i < kComponentCount; ++i)
    if (follows_chip_voltage(static_cast<Component>(i))) t += j[i];
  return t;
}

Activity activity_of(const workloads::Op& op, const hw::HardwareSpec& h) {
  using workloads::OpKind;
  Activity a;
  a.dtype = op.dtype;
  if (op.kind == OpKind::collective) return a;  // links are priced from the network's loads
  a.hbm_write_bytes = op.bytes_written;
  a.hbm_read_bytes = op.bytes - op.bytes_written;
  const double page = h.memory.organisation.page_bytes;
  a.hbm_activates = page > 0 ? op.bytes / page : 0;
  a.l2_bytes = op.bytes;  // everything to and from HBM passes through L2
  switch (op.kind) {
    case OpKind::gemm:
    case OpKind::batched_gemm:
    case OpKind::grouped_gemm:
    case OpKind::attention_decode:
    case OpKind::attention_prefill:
    case OpKind::attention_backward:
      if (op.dtype == hw::DType::fp32) {
        a.vector_flops = op.flops;
      } else {
        a.tensor_flops = op.flops;
        const double operands = op.flops * hw::dtype_bytes(op.dtype) / kOperandTile;
        a.smem_bytes = operands + op.bytes;
        a.l2_bytes += operands;
      }
      break;
    case OpKind::norm:
    case OpKind::elementwise:
    case OpKind::kernel:
      a.vector_flops = op.flops;
      break;
    case OpKind::collective:
      break;
  }
  return a;
}

Energy dynamic_energy(const Activity& a, const hw::HardwareSpec& h, double voltage_fraction) {
  const hw::ChipEnergySpec& c = h.chip.energy;
  const hw::HbmEnergySpec& m = h.memory.energy;
  const double v2 = voltage_fraction * voltage_fraction;
  Energy e;
  e[Component::tensor] = a.tensor_flops * c.tensor_j(a.dtype) * v2;
  e[Component::vector] = a.vector_flops * c.vector_fp32_j * v2;
  e[Component::smem] = a.smem_bytes * 8 * c.smem_j_per_bit * v2;
  e[Component::l2] = a.l2_bytes * 8 * c.l2_j_per_bit * v2;
  e[Component::hbm_core] = a.hbm_activates * m.activate_j + a.hbm_read_bytes * 8 * m.read_j_per_bit +
                           a.hbm_write_bytes * 8 * m.write_j_per_bit;
  e[Component::hbm_io] = (a.hbm_read_bytes + a.hbm_write_bytes) * 8 * m.io_j_per_bit;
  const int dies = std::max(1, h.chip.compute_dies);
  e[Component::die_to_die] = a.l2_bytes * (dies - 1.0) / dies * 8 * c.die_to_die_j_per_bit;
  return e;
}

double busy_dynamic_power(const hw::ChipSpec& c) {
  const double flops_per_s = c.peak_flops(hw::DType::bf16);
  const double operand_bits_per_flop = hw::dtype_bytes(hw::DType::bf16) / kOperandTile * 8;
  return flops_per_s * (c.energy.tensor_bf16_j + operand_bits_per_flop * (c.energy.smem_j_per_bit + c.energy.l2_j_per_bit));
}

double chip_static_power(const hw::ChipSpec& nominal, double clock_hz) {
  const double share = nominal.node.leakage_fraction;
  const double at_nominal = share / (1.0 - share) * busy_dynamic_power(nominal);
  const double v = nominal.dvfs.voltage_fraction(clock_hz, nominal.clock_hz);
  return at_nominal * v * v;
}

double hbm_background_power(const hw::MemorySpec& m) { return m.stacks * m.energy.background_w; }

}  // namespace strata::models
