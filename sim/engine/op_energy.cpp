#include "sim/engine/op_energy.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "workloads/kernels.h"

namespace strata::sim {

namespace {

bool opaque(const workloads::Op& op) {
  return op.kind == workloads::OpKind::kernel && op.flops == 0 && op.bytes == 0 && op.measured_s >= 0;
}

bool names_fp8(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name.find("fp8") != std::string::npos || name.find("e4m3") != std::string::npos ||
         name.find("e5m2") != std::string::npos;
}

}  // namespace

models::Activity counted_activity(const KernelCost& c, const workloads::Op& op, const hw::HardwareSpec& h) {
  models::Activity a;
  a.dtype = op.dtype;
  a.tensor_flops = c.mma_flops;
  a.vector_flops = c.vector_flops;
  const double loads = c.l2_hit_bytes + c.l2_miss_bytes;
  a.smem_bytes = 2 * loads + c.smem_bytes;  // staged in, read out, plus the epilogue's staging
  a.l2_bytes = loads + c.store_bytes;
  a.hbm_read_bytes = c.l2_miss_bytes;
  a.hbm_write_bytes = c.store_bytes;
  const double page = h.memory.organisation.page_bytes;
  a.hbm_activates = page > 0 ? (a.hbm_read_bytes + a.hbm_write_bytes) / page : 0;
  return a;
}

bool reference_kernel(const workloads::Op& op, workloads::Op& out) {
  using workloads::OpClass;
  switch (op.op_class) {
    case OpClass::dense_gemm:
    case OpClass::moe_gemm:
    case OpClass::attention:
      out = workloads::gemm("reference gemm", op.device, 4096, 7168, 16384,
                            names_fp8(op.name) ? hw::DType::fp8 : hw::DType::bf16);
      return true;
    case OpClass::elementwise:
    case OpClass::other: {
      const double gib = 1024.0 * 1024 * 1024;
      out = workloads::elementwise("reference stream", op.device, gib, gib, gib / 2);
      return true;
    }
    case OpClass::communication:
    case OpClass::host:
      break;
  }
  return false;
}

std::vector<models::Energy> op_energies(const workloads::OpGraph& g, const hw::HardwareSpec& nominal,
                                        models::OpCostModel& model, const KernelCounters& counters) {
  auto energy_of = [&](const workloads::Op& op) {
    const KernelCost* c = counters ? counters(op) : nullptr;
    const models::Activity a = c ? counted_activity(*c, op, nominal) : models::activity_of(op, nominal);
    return models::dynamic_energy(a, nominal, 1.0);
  };
  // The reference kernels the shapeless ones stand for, priced once each.
  std::map<std::string, workloads::Op> refs;
  for (const workloads::Op& op : g.ops()) {
    workloads::Op r;
    if (opaque(op) && reference_kernel(op, r)) refs.emplace(kernel_signature(r), r);
  }
  std::map<std::string, models::Energy> per_second;
  if (!refs.empty()) {
    std::vector<workloads::Op> list;
    for (const auto& entry : refs) list.push_back(entry.second);
    model.prepare(list);
    for (const auto& [sig, r] : refs) {
      const double t = model.cost(r).time_s;
      per_second[sig] = energy_of(r).scaled(t > 0 ? 1.0 / t : 0.0);
    }
  }
  std::vector<models::Energy> out(g.size());
  for (size_t id = 0; id < g.size(); ++id) {
    const workloads::Op& op = g.op(id);
    if (op.kind == workloads::OpKind::collective || op.op_class == workloads::OpClass::host) continue;
    workloads::Op r;
    if (opaque(op)) {
      if (reference_kernel(op, r)) out[id] = per_second.at(kernel_signature(r)).scaled(model.cost(op).time_s);
    } else {
      out[id] = energy_of(op);
    }
  }
  return out;
}

}  // namespace strata::sim
