#include "sim/engine/cycle_cost_model.h"

#include <algorithm>
#include <cmath>

#include "models/kernels/gemm_kernel.h"
#include "workloads/kernels.h"
#include <cstdio>
#include <memory>
#include <sstream>

#include "models/kernels/kernel_for_op.h"
#include "models/tensor_core/kernel_batch.h"
#include "sim/engine/child_process.h"
#include "sim/engine/memory_characterization.h"

namespace strata::sim {

std::vector<KernelCost> simulate_ops(const hw::HardwareSpec& hw, int sms, const std::vector<workloads::Op>& ops,
                                     const models::MemoryFactory& memory) {
  std::vector<std::unique_ptr<models::TiledKernel>> kernels;
  std::vector<const models::TiledKernel*> ptrs;
  for (const workloads::Op& op : ops) {
    kernels.push_back(models::kernel_for_op(op, hw.chip, sms));
    ptrs.push_back(kernels.back().get());
  }
  std::vector<models::KernelResult> results = models::simulate_kernels(hw, sms, ptrs, memory);
  std::vector<KernelCost> out;
  for (const models::KernelResult& r : results)
    out.push_back(KernelCost{r.time_s, r.mma_flops, r.vector_flops, r.l2.hit_bytes, r.l2.miss_bytes,
                             r.store_bytes, r.smem_bytes});
  return out;
}

namespace {
/// x rounded up to a grid of 32 steps per octave (at most 3.2% up).
double on_stream_grid(double x) {
  if (x <= 0) return 0;
  const double step = std::ldexp(1.0, std::ilogb(x) - 5);
  return std::ceil(x / step) * step;
}
}  // namespace

workloads::Op canonical_kernel(const workloads::Op& op, const hw::ChipSpec& chip, int sms) {
  if (op.kind == workloads::OpKind::elementwise || op.kind == workloads::OpKind::norm) {
    // A streaming kernel's time is smooth in its sizes, and per-rank token counts (permutes,
    // expert activations) would otherwise make nearly every one distinct: price it on a grid.
    workloads::Op c = op;
    c.m = c.k = 0;  // a norm's rows and width: its bytes say all the kernel needs
    c.bytes_written = on_stream_grid(op.bytes_written);
    c.bytes = on_stream_grid(op.bytes - op.bytes_written) + c.bytes_written;
    c.flops = on_stream_grid(op.flops);
    return c;
  }
  if (op.kind != workloads::OpKind::grouped_gemm) return op;
  // The granule the kernel pays for whole: a tile's height, or for a weight gradient (which
  // reduces over the group's rows) one K step.
  const bool wgrad = op.pass == workloads::Pass::backward_weight;
  const int granule = wgrad ? static_cast<int>(128 / hw::dtype_bytes(op.dtype))
                            : models::choose_gemm_tiling(op.group_rows, op.n, op.k, op.dtype, sms, chip.smem_per_sm_bytes, 2, chip.gemm).bm;
  std::vector<int64_t> rows;
  for (int64_t r : op.group_rows)
    if (r > 0) rows.push_back((r + granule - 1) / granule * granule);
  std::sort(rows.rbegin(), rows.rend());
  workloads::Op c = wgrad ? workloads::grouped_gemm_wgrad(op.name, op.device, rows, op.n, op.k, op.dtype,
                                                          workloads::wgrad_dtype(op))
                          : workloads::grouped_gemm(op.name, op.device, rows, op.n, op.k, op.dtype);
  c.pass = op.pass;
  return c;
}

CycleCostModel::CycleCostModel(const hw::HardwareSpec& hw, int sms, KernelCache& cache, Mode mode)
    : hw_(hw), sms_(sms), cache_(cache), mode_(mode), roofline_(hw.chip, hw.memory, hw.chip.sm_count - sms),
      fingerprint_(hardware_fingerprint(hw, sms)) {}

void CycleCostModel::prepare(const std::vector<workloads::Op>& ops) {
  std::vector<workloads::Op> missing;
  std::vector<std::string> missing_sigs;
  simulated_ = 0;
  for (const workloads::Op& original : ops) {
    if (!models::is_kernel(original)) continue;
    const workloads::Op op = canonical_kernel(original, hw_.chip, sms_);
    std::string sig = kernel_signature(op);
    if (costs_.count(sig)) continue;
    if (auto c = cache_.get(fingerprint_, sig)) {
      costs_[sig] = *c;
    } else if (mode_ == Mode::simulate &&
               std::find(missing_sigs.begin(), missing_sigs.end(), sig) == missing_sigs.end()) {
      missing.push_back(op);
      missing_sigs.push_back(sig);
    }
  }
  if (missing.empty()) return;
  const hw::HardwareSpec hw = hw_;
  const int sms = sms_;
  const models::MemoryFactory memory = characterized_memory(characterize_memory(hw.memory, cache_));
  std::string text = run_in_child([&] {
    std::ostringstream out;
    char buf[64];
    for (const KernelCost& c : simulate_ops(hw, sms, missing, memory)) {
      for (double v : {c.time_s, c.mma_flops, c.vector_flops, c.l2_hit_bytes, c.l2_miss_bytes, c.store_bytes, c.smem_bytes}) {
        std::snprintf(buf, sizeof buf, "%.17g ", v);
        out << buf;
      }
      out << "\n";
    }
    return out.str();
  });
  std::istringstream in(text);
  for (const std::string& sig : missing_sigs) {
    KernelCost c;
    if (!(in >> c.time_s >> c.mma_flops >> c.vector_flops >> c.l2_hit_bytes >> c.l2_miss_bytes >> c.store_bytes >>
          c.smem_bytes))
      throw std::runtime_error("cycle-level simulation returned too few results");
    costs_[sig] = c;
    cache_.put(fingerprint_, sig, c);
  }
  simulated_ = static_cast<int>(missing.size());
}

const KernelCost* CycleCostModel::counters(const workloads::Op& op) const {
  if (!models::is_kernel(op)) return nullptr;
  auto it = costs_.find(kernel_signature(canonical_kernel(op, hw_.chip, sms_)));
  return it == costs_.end() ? nullptr : &it->second;
}

models::OpCost CycleCostModel::cost(const workloads::Op& op) const {
  double bound = roofline_.bound(op);
  if (!models::is_kernel(op)) return models::OpCost{bound, bound};  // nothing to tile
  auto it = costs_.find(kernel_signature(canonical_kernel(op, hw_.chip, sms_)));
  if (it == costs_.end()) {
    if (mode_ == Mode::simulate)
      throw std::logic_error("op '" + op.name + "' was not prepared for cycle-level costing");
    return models::OpCost{bound, bound};  // cache_only: roofline for kernels never measured
  }
  return models::OpCost{it->second.time_s, bound};
}

}  // namespace strata::sim
