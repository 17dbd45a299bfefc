// Workload sanity against ../shared/reference/deepseek_v3.md.
#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "workloads/kernels.h"
#include "workloads/model_spec.h"

using namespace strata;
using workloads::ModelSpec;

namespace {
ModelSpec model(const std::string& name) {
  return ModelSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/workloads/" + name + ".yaml"));
}
}  // namespace

TEST(ModelSpec, DeepSeekV3ParameterCount) {
  ModelSpec m = model("deepseek-v3");
  // "Parameter count recomputed from the config: 671.0B" (deepseek_v3.md), +-0.2B.
  EXPECT_NEAR(m.total_params() / 1e9, 671.0, 0.2);
  // 37B activated per token (DeepSeek-V3 TR), within 2%.
  EXPECT_NEAR(m.active_params() / 1e9, 37.0, 37.0 * 0.02);
  // The released checkpoint is 685B: 671B main + the MTP module, stored with its own copies
  // of the embedding and output head (2 x 0.93B).
  double checkpoint = m.total_params() + m.mtp_params() + 2 * m.embedding_params();
  EXPECT_NEAR(checkpoint / 1e9, 685.0, 1.0);
}

TEST(ModelSpec, DeepSeekV3KvCache) {
  ModelSpec m = model("deepseek-v3");
  // ISCA'25 Table 1: 61 layers x (512 + 64) x 2 B = 70,272 B per token in BF16.
  EXPECT_EQ(m.kv_cache_bytes_per_token(hw::DType::bf16), 70272.0);
  // FlashMLA FP8 format: 512 FP8 + 16 B scales + 128 B RoPE in BF16 = 656 B per token per layer.
  EXPECT_EQ(workloads::kv_bytes_per_token_per_layer(m, hw::DType::fp8), 656.0);
}

TEST(ModelSpec, OtherModels) {
  EXPECT_NEAR(model("deepseek-v2").total_params() / 1e9, 236.0, 1.0);
  EXPECT_NEAR(model("deepseek-v2").active_params() / 1e9, 21.0, 21.0 * 0.02);
  EXPECT_NEAR(model("llama-2-70b").total_params() / 1e9, 69.0, 0.5);
  EXPECT_NEAR(model("mixtral-8x7b").total_params() / 1e9, 46.7, 0.2);
  EXPECT_NEAR(model("mixtral-8x7b").active_params() / 1e9, 12.9, 0.2);
  // GQA with 80 layers, 8 KV heads of 128 (the Qwen-2.5-72B shape in ISCA'25 Table 1): 327,680 B.
  EXPECT_EQ(model("llama-2-70b").kv_cache_bytes_per_token(hw::DType::bf16), 327680.0);
}

TEST(ModelSpec, Llama31_405bKvCacheFromTable1) {
  // ISCA'25 Table 1: LLaMA-3.1-405B, 126 layers, 8 KV heads x 128: 516,096 B per token.
  ModelSpec m = model("llama-2-70b");
  m.layers = m.dense_layers = 126;
  EXPECT_EQ(m.kv_cache_bytes_per_token(hw::DType::bf16), 516096.0);
}
