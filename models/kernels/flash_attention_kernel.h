// FlashAttention-3-style causal attention for prefill and training, BF16. Forward: a CTA owns
// 128 queries of one (sequence, head) and walks the 128-key blocks the causal mask admits,
// loading K and V tiles (shared through L2 by the heads of a KV group and by the sequence's
// other query blocks); the two math warp groups ping-pong, so one's softmax (exp on the SFUs)
// hides behind the other's matrix products. Backward: a CTA owns 128 keys and walks the query
// blocks that see them, recomputing the scores (2.5x the forward products), accumulating dK and
// dV and writing dQ partials.
#pragma once

#include <vector>

#include "models/kernels/tiled_kernel.h"

namespace strata::models {

struct FlashAttentionShape {
  int64_t sequences = 0;
  int64_t queries = 0;  ///< new tokens per sequence
  int64_t context = 0;  ///< tokens per sequence whose keys are read (cached prefix + new)
  int heads = 0;        ///< query heads on the device
  int kv_heads = 0;     ///< heads of K and V (MLA's naive form: one per query head)
  int qk_dim = 0, v_dim = 0;
  bool backward = false;
};

class FlashAttentionKernel : public TiledKernel {
 public:
  explicit FlashAttentionKernel(const FlashAttentionShape& s);

  std::string describe() const override;
  int64_t ctas() const override { return static_cast<int64_t>(cta_seq_.size()); }
  int steps(int64_t cta) const override { return cta_steps_[cta]; }
  void step(int64_t cta, int k, TileStep& out) const override;
  TileLoad output(int64_t cta) const override;
  int stages() const override { return 2; }
  hw::DType mma_dtype() const override { return hw::DType::bf16; }
  double total_flops() const override;
  double unique_bytes() const override;

  static constexpr int kBlock = 128;  ///< queries and keys per tile

 private:
  FlashAttentionShape s_;
  int64_t prefix_;  ///< cached tokens before the new ones
  // Per CTA: sequence, head, own block (queries forward, keys backward), first step's block.
  std::vector<int32_t> cta_seq_, cta_head_, cta_block_, cta_first_, cta_steps_;
};

}  // namespace strata::models
