#include "sim/engine/op_energy.h"

namespace strata::sim {

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

std::vector<models::Energy> op_energies(const workloads::OpGraph& g, const hw::HardwareSpec& nominal,
                                        const KernelCounters& counters) {
  std::vector<models::Energy> out(g.size());
  for (size_t id = 0; id < g.size(); ++id) {
    const workloads::Op& op = g.op(id);
    if (op.kind == workloads::OpKind::collective || op.op_class == workloads::OpClass::host) continue;
    const KernelCost* c = counters ? counters(op) : nullptr;
    const models::Activity a = c ? counted_activity(*c, op, nominal) : models::activity_of(op, nominal);
    out[id] = models::dynamic_energy(a, nominal, 1.0);
  }
  return out;
}

}  // namespace strata::sim
