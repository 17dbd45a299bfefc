#include "models/kernels/stream_kernel.h"

#include <algorithm>
#include <cmath>

namespace strata::models {

StreamKernel::StreamKernel(double read_bytes, double write_bytes, double flops, int sms)
    : read_(read_bytes), write_(write_bytes), flops_(flops) {
  const int64_t chunks = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(read_ / kChunkBytes)));
  // Up to four resident CTAs per SM, each walking its share of the chunks.
  ctas_ = std::min<int64_t>(chunks, 4 * int64_t(sms));
  steps_ = static_cast<int>((chunks + ctas_ - 1) / ctas_);
}

std::string StreamKernel::describe() const {
  return "stream read " + std::to_string(read_) + " B write " + std::to_string(write_) + " B";
}

// Tensors: the input (read in order, each CTA a contiguous share) and the output.
enum Tensor : uint32_t { kIn = 1, kOut = 2 };

void StreamKernel::step(int64_t cta, int k, TileStep& out) const {
  const double per_step = read_ / (double(ctas_) * steps_);
  out = TileStep{};
  out.add_load(kIn, uint64_t((cta * steps_ + k) * per_step), 1, per_step, 0);
  out.vector_flops = flops_ / (double(ctas_) * steps_);
}

TileLoad StreamKernel::output(int64_t cta) const {
  TileLoad t;
  t.tensor = kOut;
  t.row_bytes = write_ / ctas_;
  t.offset = uint64_t(cta * t.row_bytes);
  t.rows = t.row_bytes > 0 ? 1 : 0;
  return t;
}

}  // namespace strata::models
