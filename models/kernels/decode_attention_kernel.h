// FlashMLA / FlashDecoding-style decode attention over a paged KV cache: each request's new
// query rows attend over its cached tokens. A CTA holds up to 64 query rows of one KV group
// (MLA: all heads share one latent cache, so one group of heads x s_q rows; GQA: the heads of
// one KV head) and walks 64-token pages; the (request, page) work of each row tile is split
// evenly over SM partitions (FlashMLA's metadata split), so row tiles of one request read the
// same pages at the same time and the second read hits L2.
#pragma once

#include <vector>

#include "models/kernels/tiled_kernel.h"

namespace strata::models {

struct DecodeAttentionShape {
  int64_t requests = 0;
  int64_t kv_len = 0;       ///< cached tokens per request
  int kv_groups = 1;        ///< KV heads (1 for MLA's shared latent)
  int query_rows = 0;       ///< query rows per group: heads per KV head x new tokens
  int qk_dim = 0, v_dim = 0;
  double kv_bytes_per_token = 0;  ///< per group
  hw::DType kv_dtype = hw::DType::bf16;
};

class DecodeAttentionKernel : public TiledKernel {
 public:
  DecodeAttentionKernel(const DecodeAttentionShape& s, int sms);

  std::string describe() const override;
  int64_t ctas() const override { return static_cast<int64_t>(cta_first_.size()); }
  int steps(int64_t cta) const override { return cta_steps_[cta]; }
  void step(int64_t cta, int k, TileStep& out) const override;
  TileLoad output(int64_t cta) const override;
  int stages() const override { return 2; }  ///< two KV pages beside the query tile in smem
  hw::DType mma_dtype() const override { return hw::DType::bf16; }
  double total_flops() const override;
  double unique_bytes() const override;

  static constexpr int kPageTokens = 64;  ///< FlashMLA's paged-KV block
  static constexpr int kRowTile = 64;     ///< query rows per CTA

 private:
  DecodeAttentionShape s_;
  int64_t pages_per_request_;
  int row_tiles_;
  // Per CTA: KV group, row tile, first (request, page) index, page count.
  std::vector<int32_t> cta_group_, cta_row_tile_, cta_steps_;
  std::vector<int64_t> cta_first_;
};

}  // namespace strata::models
