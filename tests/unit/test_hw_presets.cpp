// Every hardware preset against the published figures in ../shared/reference/hardware.md.
#include <gtest/gtest.h>

#include "hw/hardware.h"
#include "sim/config/loader.h"

using namespace strata;
using hw::DType;

namespace {
hw::HardwareSpec preset(const std::string& name) {
  return hw::HardwareSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hw/" + name + ".yaml"));
}
// Published figures are rounded; presets must land within 0.5% of them.
void near(double got, double published, const char* what) {
  EXPECT_NEAR(got / published, 1.0, 0.005) << what << ": " << got << " vs " << published;
}
struct Published {
  const char* preset;
  double bf16_tflops, fp8_tflops, hbm_tb_s, capacity_gb, nvlink_gb_s_bidir, tdp_w;
  int gpus_per_node;
};
}  // namespace

TEST(HardwarePresets, MatchPublishedFigures) {
  const Published table[] = {
      {"h100-sxm", 989, 1979, 3.35, 85.9, 900, 700, 8},  // 80 GiB = 85.9 GB
      {"h800-sxm", 989, 1979, 3.35, 85.9, 400, 700, 8},
      {"h200-sxm", 989, 1979, 4.8, 141, 900, 700, 8},
      {"h20", 148, 296, 4.0, 96, 900, 400, 8},
      {"b200", 2250, 4500, 8.0, 192, 1800, 1000, 8},
      {"gb200", 2500, 5000, 8.0, 186, 1800, 1200, 72},
  };
  for (const Published& p : table) {
    SCOPED_TRACE(p.preset);
    hw::HardwareSpec h = preset(p.preset);
    near(h.chip.peak_flops(DType::bf16) / 1e12, p.bf16_tflops, "BF16 TFLOPS");
    near(h.chip.peak_flops(DType::fp8) / 1e12, p.fp8_tflops, "FP8 TFLOPS");
    near(h.memory.peak_bandwidth() / 1e12, p.hbm_tb_s, "HBM TB/s");
    near(h.memory.capacity_bytes / 1e9, p.capacity_gb, "HBM GB");
    near(2 * h.scale_up.gpu_bandwidth() / 1e9, p.nvlink_gb_s_bidir, "NVLink GB/s bidirectional");
    EXPECT_EQ(h.chip.tdp_w, p.tdp_w);
    EXPECT_EQ(h.gpus_per_node, p.gpus_per_node);
  }
}

TEST(HardwarePresets, H100ArithmeticMatchesTheSmCount) {
  // "132 SMs x 4096 BF16 FLOP/clk/SM at 1830 MHz" = 989.4 TFLOPS.
  hw::HardwareSpec h = preset("h100-sxm");
  EXPECT_EQ(h.chip.sm_count, 132);
  EXPECT_DOUBLE_EQ(h.chip.peak_flops(DType::bf16), 132 * 4096 * 1830e6);
  // 5 active HBM3 stacks of 1024 pins.
  EXPECT_EQ(h.memory.stacks * h.memory.bus_width_bits, 5120);
  // One 400G NIC per GPU: 50 GB/s.
  EXPECT_DOUBLE_EQ(h.scale_out.nic.port_rate_bytes_per_s, 50e9);
}
