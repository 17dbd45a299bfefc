#include "models/kernels/flash_attention_kernel.h"

#include <algorithm>

namespace strata::models {

namespace {
// Tensors: Q, K, V, O (and dO, LSE in the backward pass), all BF16 except LSE.
enum Tensor : uint32_t { kQ = 1, kK = 2, kV = 3, kO = 4, kDO = 5, kOut = 6 };
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

FlashAttentionKernel::FlashAttentionKernel(const FlashAttentionShape& s)
    : s_(s), prefix_(std::max<int64_t>(0, s.context - s.queries)) {
  const int64_t q_blocks = ceil_div(s.queries, kBlock), k_blocks = ceil_div(s.context, kBlock);
  for (int64_t seq = 0; seq < s.sequences; ++seq)
    for (int h = 0; h < s.heads; ++h) {
      if (!s.backward) {
        // Query block i sees keys up to prefix + (i + 1) * 128.
        for (int64_t i = 0; i < q_blocks; ++i) {
          const int64_t last = std::min(s.context, prefix_ + (i + 1) * kBlock);
          cta_seq_.push_back(int32_t(seq)), cta_head_.push_back(h), cta_block_.push_back(int32_t(i));
          cta_first_.push_back(0), cta_steps_.push_back(int32_t(ceil_div(last, kBlock)));
        }
      } else {
        // Key block j is seen by the query blocks from the first whose keys reach it.
        for (int64_t j = 0; j < k_blocks; ++j) {
          const int64_t first_q = std::max<int64_t>(0, (j * kBlock - prefix_) / kBlock);
          if (first_q >= q_blocks) continue;
          cta_seq_.push_back(int32_t(seq)), cta_head_.push_back(h), cta_block_.push_back(int32_t(j));
          cta_first_.push_back(int32_t(first_q)), cta_steps_.push_back(int32_t(q_blocks - first_q));
        }
      }
    }
}

std::string FlashAttentionKernel::describe() const {
  return std::string(s_.backward ? "flash_attention_bwd " : "flash_attention ") + std::to_string(s_.sequences) +
         " seqs x " + std::to_string(s_.queries) + " queries / " + std::to_string(s_.context) + " context x " +
         std::to_string(s_.heads) + " heads";
}

void FlashAttentionKernel::step(int64_t cta, int k, TileStep& out) const {
  const int64_t seq = cta_seq_[cta], h = cta_head_[cta];
  const int64_t kvh = s_.kv_heads > 0 ? h * s_.kv_heads / s_.heads : h;  // the head's KV head
  const double qk_row = s_.qk_dim * 2.0, v_row = s_.v_dim * 2.0;
  out = TileStep{};
  auto at = [&](int64_t row, int64_t heads, int64_t head, double width) {
    return uint64_t(((seq * s_.context + row) * heads + head) * width);
  };
  if (!s_.backward) {
    const int64_t kb = k;  // key block
    if (k == 0) out.add_load(kQ, at(prefix_ + cta_block_[cta] * int64_t(kBlock), s_.heads, h, qk_row), kBlock, qk_row, uint64_t(qk_row * s_.heads));
    out.add_load(kK, at(kb * kBlock, s_.kv_heads, kvh, qk_row), kBlock, qk_row, uint64_t(qk_row * s_.kv_heads));
    out.add_load(kV, at(kb * kBlock, s_.kv_heads, kvh, v_row), kBlock, v_row, uint64_t(v_row * s_.kv_heads));
    out.mma_flops = 2.0 * kBlock * kBlock * (s_.qk_dim + s_.v_dim);
  } else {
    const int64_t qb = cta_first_[cta] + k;  // query block
    if (k == 0) {
      const int64_t row = cta_block_[cta] * int64_t(kBlock);
      out.add_load(kK, at(row, s_.kv_heads, kvh, qk_row), kBlock, qk_row, uint64_t(qk_row * s_.kv_heads));
      out.add_load(kV, at(row, s_.kv_heads, kvh, v_row), kBlock, v_row, uint64_t(v_row * s_.kv_heads));
    }
    out.add_load(kQ, at(prefix_ + qb * kBlock, s_.heads, h, qk_row), kBlock, qk_row, uint64_t(qk_row * s_.heads));
    out.add_load(kDO, at(prefix_ + qb * kBlock, s_.heads, h, v_row), kBlock, v_row, uint64_t(v_row * s_.heads));
    // S = QK^T again, dP = dO V^T, dV += P^T dO, dK += dS^T Q, dQ += dS K: 2.5x the forward.
    out.mma_flops = 2.5 * 2.0 * kBlock * kBlock * (s_.qk_dim + s_.v_dim);
  }
  // Online softmax of the 128x128 scores (exp on the SFUs, max/sum/scale), and the output
  // rescale; the other warp group's products hide it (ping-pong), so it is not serial.
  out.vector_flops = 4.0 * kBlock * kBlock + 2.0 * kBlock * s_.v_dim;
  out.sfu_ops = double(kBlock) * kBlock;
}

TileLoad FlashAttentionKernel::output(int64_t cta) const {
  TileLoad t;
  t.tensor = kOut;
  t.offset = uint64_t(cta) * (1 << 20);
  t.rows = kBlock;
  // Forward: the O block; backward: the dK and dV blocks (dQ partials go out per step as FP32
  // atomics, counted here with them).
  t.row_bytes = s_.backward ? (s_.qk_dim + s_.v_dim) * 2.0 + cta_steps_[cta] * s_.qk_dim * 4.0 : s_.v_dim * 2.0 + 4.0;
  t.stride = uint64_t(t.row_bytes);
  return t;
}

double FlashAttentionKernel::total_flops() const {
  // Causal pairs, as the workload counts them.
  double pairs = 0;
  for (int64_t i = 0; i < s_.queries; ++i) pairs += double(prefix_ + i + 1);
  const double f = 2.0 * s_.heads * pairs * (s_.qk_dim + s_.v_dim) * s_.sequences;
  return s_.backward ? 2.5 * f : f;
}

double FlashAttentionKernel::unique_bytes() const {
  const double q = double(s_.queries) * s_.heads * s_.qk_dim * 2, o = double(s_.queries) * s_.heads * s_.v_dim * 2;
  const double kv = double(s_.context) * s_.kv_heads * (s_.qk_dim + s_.v_dim) * 2;
  return s_.sequences * (s_.backward ? 2 * (q + kv) + 2 * o : q + kv + o);
}

}  // namespace strata::models
