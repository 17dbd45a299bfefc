#include "hw/chip.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

double TensorRates::of(DType d) const {
  switch (d) {
    case DType::fp8: return fp8;
    case DType::bf16: return bf16;
    case DType::fp16: return fp16;
    case DType::fp32: return fp32;
  }
  return 0.0;
}

const Schema<TensorRates>& TensorRates::schema() {
  static const Schema<TensorRates> s = [] {
    Schema<TensorRates> s("tensor_rates", "Dense FLOP per clock per SM for each format");
    s.number("fp8", &TensorRates::fp8, "FP8 tensor-core FLOP per clock per SM (dense)").min(0);
    s.number("bf16", &TensorRates::bf16, "BF16 tensor-core FLOP per clock per SM (dense)").min(0);
    s.number("fp16", &TensorRates::fp16, "FP16 tensor-core FLOP per clock per SM (dense)").min(0);
    s.number("fp32", &TensorRates::fp32, "FP32 vector FLOP per clock per SM (FMA = 2)").min(0);
    return s;
  }();
  return s;
}

const Schema<OnChipSpec>& OnChipSpec::schema() {
  static const Schema<OnChipSpec> s = [] {
    Schema<OnChipSpec> s("onchip", "On-chip timing used by the cycle-level kernel model");
    s.number("l2_bytes_per_clock", &OnChipSpec::l2_bytes_per_clock,
             "L2 -> SM read bandwidth of the whole chip, bytes per clock")
        .positive();
    s.number("l2_hit_cycles", &OnChipSpec::l2_hit_cycles, "Load-to-use latency of an L2 hit, clocks")
        .min(0);
    s.number("smem_bytes_per_clock", &OnChipSpec::smem_bytes_per_clock,
             "Shared-memory bandwidth of one SM, bytes per clock")
        .positive();
    s.number("sfu_ops_per_clock", &OnChipSpec::sfu_ops_per_clock,
             "Special-function (exp2, rcp) operations per clock of one SM")
        .positive();
    s.quantity("fabric_latency", &OnChipSpec::fabric_latency_s, Dim::time,
               "L2 miss path to the memory controller and back, beyond DRAM core timing")
        .range("0 s", "10 us");
    s.quantity("kernel_start", &OnChipSpec::kernel_start_s, Dim::time,
               "Kernel launch to its first CTA running (grid launch and prologue)")
        .range("0 s", "100 us");
    return s;
  }();
  return s;
}

const Schema<GemmLibrarySpec>& GemmLibrarySpec::schema() {
  static const Schema<GemmLibrarySpec> s = [] {
    Schema<GemmLibrarySpec> s("gemm", "The GEMM kernel library run on the chip (base: configs/kernels/NAME.yaml)");
    s.text("name", &GemmLibrarySpec::name, "Library name, used in reports").def("DeepGEMM");
    s.integer("block_m_min", &GemmLibrarySpec::block_m_min, "Smallest tile height (64 is taken only by groups of <= 64 rows)")
        .def("64").min(16).max(1024);
    s.integer("block_m_max", &GemmLibrarySpec::block_m_max, "Largest tile height (powers of two from block_m_min)")
        .def("128").min(16).max(1024);
    s.integer("block_n_min", &GemmLibrarySpec::block_n_min, "Narrowest tile width").def("16").min(8).max(1024);
    s.integer("block_n_max", &GemmLibrarySpec::block_n_max, "Widest tile width").def("256").min(8).max(1024);
    s.integer("block_n_step", &GemmLibrarySpec::block_n_step, "Tile widths from block_n_min in these steps")
        .def("8").min(1).max(1024);
    s.boolean("multicast", &GemmLibrarySpec::multicast,
              "CTA pairs share one operand tile by TMA multicast (B across M, or A across N)")
        .def("true");
    s.check([](const GemmLibrarySpec& g, const config::Checker& k) {
      if (g.block_m_max < g.block_m_min) k.fail("block_m_max", "is below block_m_min");
      if (g.block_n_max < g.block_n_min) k.fail("block_n_max", "is below block_n_min");
    });
    return s;
  }();
  return s;
}

const Schema<ChipSpec>& ChipSpec::schema() {
  static const Schema<ChipSpec> s = [] {
    Schema<ChipSpec> s("chip", "One accelerator chip");
    s.text("name", &ChipSpec::name, "Product name, used in reports");
    s.integer("sm_count", &ChipSpec::sm_count, "Streaming multiprocessors (or cores) usable by kernels")
        .min(1)
        .max(1000000);
    s.quantity("clock", &ChipSpec::clock_hz, Dim::frequency, "Sustained tensor-core clock")
        .range("1 MHz", "20 GHz");
    s.child("flops_per_clock_per_sm", &ChipSpec::flops_per_clock_per_sm,
            "Dense arithmetic per clock per SM, by format");
    s.quantity("smem_per_sm", &ChipSpec::smem_per_sm_bytes, Dim::bytes,
               "Shared memory (scratchpad) per SM")
        .min(0);
    s.quantity("l2", &ChipSpec::l2_bytes, Dim::bytes, "Last-level on-chip cache capacity").min(0);
    s.child("onchip", &ChipSpec::onchip, "On-chip timing for the cycle-level kernel model");
    s.quantity("tdp", &ChipSpec::tdp_w, Dim::power, "Thermal design power of the package")
        .positive();
    s.quantity("die_area", &ChipSpec::die_area_m2, Dim::area, "Total logic die area").min(0);
    s.number("transistors", &ChipSpec::transistors, "Transistor count of the logic dies").min(0);
    s.integer("compute_dies", &ChipSpec::compute_dies, "Logic dies sharing die_area").def("1").min(1).max(64);
    s.integer("hbm_sites", &ChipSpec::hbm_sites, "HBM sites on the package, populated or not").min(0).max(64);
    s.quantity("list_price", &ChipSpec::list_price_usd, Dim::money, "Street price of one accelerator; 0 if unknown")
        .def("$0")
        .min(0);
    s.child("node", &ChipSpec::node, "Process node of the logic dies (base: configs/nodes/NAME.yaml)");
    s.child("energy", &ChipSpec::energy, "Energy per action at the node's nominal voltage");
    s.child("dvfs", &ChipSpec::dvfs, "Clock and voltage scaling under the power cap");
    s.child("gemm", &ChipSpec::gemm, "The GEMM kernel library run on the chip (base: configs/kernels/NAME.yaml)");
    s.check([](const ChipSpec& c, const config::Checker& k) {
      if (c.flops_per_clock_per_sm.bf16 <= 0 && c.flops_per_clock_per_sm.fp8 <= 0)
        k.fail("flops_per_clock_per_sm", "a chip needs a positive bf16 or fp8 tensor rate");
      if (c.dvfs.min_clock_hz > c.clock_hz)
        k.fail("dvfs", "min_clock is above the chip's clock");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
