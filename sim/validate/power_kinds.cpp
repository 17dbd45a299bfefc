#include "sim/validate/power_kinds.h"

#include "hw/hardware.h"
#include "hw/yield.h"
#include "models/power/dvfs.h"
#include "models/power/energy.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/op_energy.h"
#include "workloads/kernels.h"

namespace strata::validate {
using config::Dim;
using config::Schema;

namespace {

struct CappedGemmParams {
  hw::HardwareSpec hardware;
  int64_t m = 0, n = 0, k = 0;
  hw::DType dtype = hw::DType::bf16;
  static const Schema<CappedGemmParams>& schema() {
    static const Schema<CappedGemmParams> s = [] {
      Schema<CappedGemmParams> s("capped gemm params", "One GEMM run back to back under the power cap");
      s.child("hardware", &CappedGemmParams::hardware, "Node hardware (base: configs/hw/NAME.yaml)");
      s.integer("m", &CappedGemmParams::m, "Rows").min(1);
      s.integer("n", &CappedGemmParams::n, "Columns").min(1);
      s.integer("k", &CappedGemmParams::k, "Reduction depth").min(1);
      s.choice("dtype", &CappedGemmParams::dtype, hw::dtype_options(), "Operand format").def("bf16");
      return s;
    }();
    return s;
  }
};

struct NodeRatioParams {
  hw::HardwareSpec hardware;
  hw::ProcessNodeSpec from, to;
  hw::RetargetMode mode = hw::RetargetMode::iso_frequency;
  int64_t m = 0, n = 0, k = 0;
  hw::DType dtype = hw::DType::bf16;
  static const Schema<NodeRatioParams>& schema() {
    static const Schema<NodeRatioParams> s = [] {
      Schema<NodeRatioParams> s("node ratio params",
                                "A chip moved to node `from`, then to `to`, running one GEMM at an unchanged clock");
      s.child("hardware", &NodeRatioParams::hardware, "Node hardware (base: configs/hw/NAME.yaml)");
      s.child("from", &NodeRatioParams::from, "First node (base: configs/nodes/NAME.yaml)");
      s.child("to", &NodeRatioParams::to, "Second node");
      s.choice("mode", &NodeRatioParams::mode, hw::retarget_mode_options(), "How the gain is spent")
          .def("iso_frequency");
      s.integer("m", &NodeRatioParams::m, "GEMM rows").min(1);
      s.integer("n", &NodeRatioParams::n, "GEMM columns").min(1);
      s.integer("k", &NodeRatioParams::k, "GEMM reduction depth").min(1);
      s.choice("dtype", &NodeRatioParams::dtype, hw::dtype_options(), "Operand format").def("bf16");
      return s;
    }();
    return s;
  }
};

struct YieldParams {
  double area_m2 = 0, d0_per_cm2 = 0, alpha = 3;
  hw::YieldModel model = hw::YieldModel::negative_binomial;
  static const Schema<YieldParams>& schema() {
    static const Schema<YieldParams> s = [] {
      Schema<YieldParams> s("yield params", "One die on a 300 mm wafer");
      s.quantity("area", &YieldParams::area_m2, Dim::area, "Die area").positive();
      s.number("defect_density_per_cm2", &YieldParams::d0_per_cm2, "Killer defects per cm2").min(0);
      s.choice("model", &YieldParams::model, hw::yield_model_options(), "Yield model");
      s.number("alpha", &YieldParams::alpha, "Negative-binomial clustering parameter").def("3").positive();
      return s;
    }();
    return s;
  }
};

/// The GEMM of `op` on `h` at `clock_hz`, repeated: its time on the cycle-level chip model
/// (through the kernel cache; each simulation in a child process) and the energy it draws.
models::StepPower gemm_step(const hw::HardwareSpec& h, const workloads::Op& op, double clock_hz) {
  hw::HardwareSpec at = h;
  at.chip.clock_hz = clock_hz;
  sim::KernelCache cache(sim::KernelCache::default_dir());
  sim::CycleCostModel model(at, at.chip.sm_count, cache, sim::CycleCostModel::Mode::simulate);
  model.prepare({op});
  const double time = model.cost(op).time_s;
  // Actions as the cycle-level model counted them (the kernel ran there).
  const sim::KernelCost* counted = model.counters(op);
  const models::Activity act = counted ? sim::counted_activity(*counted, op, h) : models::activity_of(op, h);
  const models::Energy e = models::dynamic_energy(act, h, h.chip.dvfs.voltage_fraction(clock_hz, h.chip.clock_hz));
  models::StepPower s;
  s.clock_hz = clock_hz;
  s.step_s = time;
  s.chip_dynamic_j = e.chip_dynamic();
  s.other_dynamic_j = e.total() - e.chip_dynamic();
  s.clock_bound_fraction = models::clock_bound_share(op, h);
  return s;
}

}  // namespace

CaseKind power_capped_gemm_kind() {
  return make_kind<CappedGemmParams>(
      "power_capped_gemm", "A GEMM run back to back; the power cap lowers the clock until the chip fits its TDP",
      {{"clock", Dim::frequency, "Clock the chip settles at"},
       {"power", Dim::power, "Chip power at that clock (chip, HBM)"},
       {"tflops", Dim::flop_rate, "GEMM arithmetic per second at that clock"}},
      [](const CappedGemmParams& p) {
        const workloads::Op op = workloads::gemm("gemm", 0, p.m, p.n, p.k, p.dtype);
        models::SettledClock s =
            models::settle_clock(p.hardware, [&](double f) { return gemm_step(p.hardware, op, f); });
        return Metrics{{"clock", s.clock_hz},
                       {"power", models::predicted_power(p.hardware, s.step, s.clock_hz)},
                       {"tflops", op.flops / s.step.step_s}};
      });
}

CaseKind node_power_ratio_kind() {
  return make_kind<NodeRatioParams>(
      "node_power_ratio", "Power of one chip design on two nodes running the same GEMM at the same clock",
      {{"power_ratio", Dim::none, "Chip power on `to` / on `from` (dynamic, leakage and HBM)"}},
      [](const NodeRatioParams& p) {
        const workloads::Op op = workloads::gemm("gemm", 0, p.m, p.n, p.k, p.dtype);
        auto power_on = [&](const hw::ProcessNodeSpec& node, const hw::ChipSpec& chip) {
          hw::HardwareSpec h = p.hardware;
          h.chip = hw::retarget(chip, node, p.mode, {}).chip;
          return models::predicted_power(h, gemm_step(h, op, h.chip.clock_hz), h.chip.clock_hz);
        };
        const hw::ChipSpec on_from = hw::retarget(p.hardware.chip, p.from, p.mode, {}).chip;
        return Metrics{{"power_ratio", power_on(p.to, on_from) / power_on(p.from, on_from)}};
      });
}

CaseKind die_yield_kind() {
  return make_kind<YieldParams>("die_yield", "Die yield and dies per 300 mm wafer",
                                {{"yield", Dim::none, "Fraction of dies without a killer defect"},
                                 {"dies_per_wafer", Dim::none, "Gross dies per wafer"}},
                                [](const YieldParams& p) {
                                  return Metrics{{"yield", hw::die_yield(p.area_m2, p.d0_per_cm2 * 1e4, p.model, p.alpha)},
                                                 {"dies_per_wafer", hw::dies_per_wafer(p.area_m2)}};
                                });
}

}  // namespace strata::validate
