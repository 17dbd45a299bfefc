// The roofline's compute peak loses the SMs reserved for communication kernels.
#include <gtest/gtest.h>

#include "hw/hardware.h"
#include "models/roofline/roofline.h"
#include "sim/config/loader.h"
#include "workloads/kernels.h"

using namespace strata;

TEST(Roofline, CommunicationSmsAreLostToCompute) {
  hw::HardwareSpec h = hw::HardwareSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"));
  workloads::Op op = workloads::gemm("g", 0, 4096, 7168, 16384, hw::DType::fp8);  // compute-bound
  models::Roofline all(h.chip, h.memory), deepseek(h.chip, h.memory, 20);  // 20 of 132 SMs (TR 3.2)
  EXPECT_DOUBLE_EQ(deepseek.compute_time(op), all.compute_time(op) * 132.0 / 112.0);
  EXPECT_DOUBLE_EQ(deepseek.memory_time(op), all.memory_time(op));
  EXPECT_THROW(models::Roofline(h.chip, h.memory, 132), std::invalid_argument);
}
