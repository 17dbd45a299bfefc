#include "models/hbm/pc_stats.h"

#include <algorithm>
#include <cmath>

namespace strata::hbm {

void LatencyHistogram::add(Cycle c) {
  if (c < 0) c = 0;
  if (size_t(c) >= bins_.size()) bins_.resize(size_t(c) + 1, 0);
  ++bins_[size_t(c)];
  ++count_;
  sum_ += c;
  max_ = std::max(max_, c);
}

void LatencyHistogram::merge(const LatencyHistogram& o) {
  if (o.bins_.size() > bins_.size()) bins_.resize(o.bins_.size(), 0);
  for (size_t i = 0; i < o.bins_.size(); ++i) bins_[i] += o.bins_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
}

Cycle LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  uint64_t need = uint64_t(std::ceil(q * double(count_)));
  if (need == 0) need = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < bins_.size(); ++i) {
    seen += bins_[i];
    if (seen >= need) return Cycle(i);
  }
  return max_;
}

}  // namespace strata::hbm
