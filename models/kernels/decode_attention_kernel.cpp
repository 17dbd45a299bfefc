#include "models/kernels/decode_attention_kernel.h"

#include <algorithm>


namespace strata::models {
using hw::DType;

DecodeAttentionKernel::DecodeAttentionKernel(const DecodeAttentionShape& s, int sms)
    : s_(s), pages_per_request_((s.kv_len + kPageTokens - 1) / kPageTokens) {
  row_tiles_ = (s.query_rows + kRowTile - 1) / kRowTile;
  const int64_t total_pages = s.requests * pages_per_request_;
  const int64_t tiles = int64_t(s.kv_groups) * row_tiles_;
  const int64_t parts = std::max<int64_t>(1, sms / std::max<int64_t>(1, tiles));
  // Row tiles of the same pages sit next to each other in launch order, so they run at once.
  for (int64_t p = 0; p < parts; ++p)
    for (int g = 0; g < s.kv_groups; ++g)
      for (int r = 0; r < row_tiles_; ++r) {
        int64_t first = total_pages * p / parts, last = total_pages * (p + 1) / parts;
        if (last == first) continue;
        cta_group_.push_back(g);
        cta_row_tile_.push_back(r);
        cta_first_.push_back(first);
        cta_steps_.push_back(static_cast<int32_t>(last - first));
      }
}

std::string DecodeAttentionKernel::describe() const {
  return "decode_attention " + std::to_string(s_.requests) + " requests x " + std::to_string(s_.kv_len) +
         " kv, " + std::to_string(s_.kv_groups) + " groups x " + std::to_string(s_.query_rows) +
         " rows, kv " + hw::dtype_name(s_.kv_dtype);
}

// Tensors: the paged KV cache (pages of 64 tokens, one request's pages contiguous, KV groups
// side by side), the queries, and the partial outputs.
enum Tensor : uint32_t { kKv = 1, kQ = 2, kPartial = 3 };

void DecodeAttentionKernel::step(int64_t cta, int k, TileStep& out) const {
  const int64_t page = cta_first_[cta] + k;
  const int64_t request = page / pages_per_request_, in_request = page % pages_per_request_;
  const int64_t tokens = std::min<int64_t>(kPageTokens, s_.kv_len - in_request * kPageTokens);
  const int g = cta_group_[cta];
  const double page_bytes = kPageTokens * s_.kv_bytes_per_token;
  out = TileStep{};
  out.add_load(kKv, uint64_t(((request * s_.kv_groups + g) * pages_per_request_ + in_request) * page_bytes), 1,
               tokens * s_.kv_bytes_per_token, 0);
  // The query tile is loaded whenever the CTA starts on a new request.
  if (k == 0 || in_request == 0) {
    const double q_row = s_.qk_dim * 2.0;
    const int64_t q0 = (request * s_.kv_groups + g) * s_.query_rows + int64_t(cta_row_tile_[cta]) * kRowTile;
    out.add_load(kQ, uint64_t(q0 * q_row), uint32_t(std::min(kRowTile, s_.query_rows)), q_row, uint64_t(q_row));
  }
  // Scores and values over the full 64-row tile (padding rows included).
  out.mma_flops = 2.0 * kRowTile * kPageTokens * (s_.qk_dim + s_.v_dim);
  // Online softmax between the two products: the scores' max, exp (on the SFUs), sum and scale,
  // then the output accumulator is rescaled by the new max before P.V can add to it. P.V
  // depends on all of it, so the tensor cores wait.
  out.serial_sfu_ops = double(kRowTile) * kPageTokens;
  out.serial_vector_flops = 4.0 * kRowTile * kPageTokens + 2.0 * kRowTile * s_.v_dim;
  // FP8 pages are dequantised to BF16 by the producer warps, overlapping the math.
  if (s_.kv_dtype == DType::fp8) out.vector_flops = 2.0 * kPageTokens * s_.qk_dim;
}

TileLoad DecodeAttentionKernel::output(int64_t cta) const {
  // Partial outputs (FP32 accumulator and log-sum-exp) per request touched, merged afterwards
  // by the small combine kernel.
  const int64_t first = cta_first_[cta], last = first + cta_steps_[cta] - 1;
  const int64_t touched = last / pages_per_request_ - first / pages_per_request_ + 1;
  const int rows = std::min(kRowTile, s_.query_rows);
  TileLoad t;
  t.tensor = kPartial;
  t.offset = uint64_t(cta) * 1024 * 1024;
  t.rows = uint32_t(touched * rows);
  t.row_bytes = (s_.v_dim + 1) * 4.0;
  t.stride = uint64_t(t.row_bytes);
  return t;
}

double DecodeAttentionKernel::total_flops() const {
  return 2.0 * s_.requests * s_.kv_groups * s_.query_rows * s_.kv_len * (s_.qk_dim + s_.v_dim);
}

double DecodeAttentionKernel::unique_bytes() const {
  return double(s_.requests) * s_.kv_groups *
         (s_.kv_len * s_.kv_bytes_per_token + double(s_.query_rows) * (s_.qk_dim + s_.v_dim) * 2.0);
}

}  // namespace strata::models
