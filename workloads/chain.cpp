#include "workloads/chain.h"

#include <algorithm>

#include "hw/dtype.h"

namespace strata::workloads {

Chain::Chain(OpGraph& g, std::vector<int> devices)
    : g_(&g),
      devices_(std::move(devices)),
      last_(devices_.size(), kNone),
      waits_(devices_.size()),
      issued_(devices_.size()) {}

int Chain::block_phase(Pass p) const {
  if (!tag.block) return tag.phase;
  const char* suffix = p == Pass::forward ? "(F)" : p == Pass::backward_weight ? "(W)" : "(B)";
  return g_->phase_id(std::string(tag.block) + suffix);
}

void Chain::stamp(Op& op) const {
  if (op.layer < 0) op.layer = tag.layer;
  op.micro_batch = tag.micro_batch;
  if (op.pass == Pass::forward) op.pass = tag.pass;
  if (op.phase < 0) op.phase = block_phase(op.pass);
  if (tag.recompute) op.model_flops = 0;
}

namespace {
/// Bytes of an op's inputs a training step keeps for backward: gemm inputs, attention's Q, K,
/// V and O, norm inputs. Under selective recomputation norms and the MLA up-projections'
/// outputs (attention's Q, K, V) are rebuilt in backward, so only attention's O is kept; under
/// full recomputation only each layer's input (its attention norm's input) is kept.
double saved_for_backward(const Op& op, Recompute mode) {
  if (mode == Recompute::full)
    return op.kind == OpKind::norm && op.name.find(".attn_norm") != std::string::npos ? op.bytes / 4 : 0.0;
  const bool selective = mode == Recompute::selective;
  switch (op.kind) {
    case OpKind::gemm:
    case OpKind::grouped_gemm: return double(op.m) * op.k * hw::dtype_bytes(op.dtype);
    case OpKind::attention_prefill:
      return selective ? double(op.m) * op.n * op.batch * hw::dtype_bytes(hw::DType::bf16) : op.bytes;
    case OpKind::norm: return selective ? 0.0 : op.bytes / 4;  // one of its four activation streams
    default: return 0;
  }
}
}  // namespace

Chain::OpId Chain::emit(size_t i, Op op) {
  op.device = devices_[i];
  stamp(op);
  if (i == 0 && op.pass == Pass::forward && !tag.recompute) saved_bytes += saved_for_backward(op, recompute);
  OpId id = g_->add(std::move(op));
  for (OpId w : waits_[i]) g_->depend(w, id);
  waits_[i].clear();
  last_[i] = id;
  return id;
}

Chain::OpId Chain::issue(Op op, int index, const std::vector<size_t>& members, bool ordered) {
  stamp(op);
  std::vector<int> devs;
  for (size_t i : members) devs.push_back(devices_[i]);
  OpId id = g_->add_collective_ref(std::move(op), index, devs, ordered);
  for (size_t i : members) {
    if (last_[i] != kNone) g_->depend(last_[i], id);
    for (OpId w : waits_[i]) g_->depend(w, id);  // kept: the next kernel still needs them
    issued_[i].push_back(id);
  }
  return id;
}

void Chain::await() {
  for (size_t i = 0; i < devices_.size(); ++i) {
    for (OpId id : issued_[i]) waits_[i].push_back(id);
    issued_[i].clear();
  }
}

void Chain::wait_on(size_t i, OpId id) { waits_[i].push_back(id); }

void Chain::resume() {
  await();
  std::vector<std::function<void()>> owed;
  owed.swap(owed_);
  for (auto& fn : owed) fn();
}

void StepBuilder::cut() {
  if (cur_.empty()) return;
  prog_.step([fns = std::move(cur_)] {
    for (const auto& f : fns) f();
  });
  cur_.clear();
}

void Program::append(Program&& other) {
  for (auto& s : other.steps_) steps_.push_back(std::move(s));
  other.steps_.clear();
}

void Program::run() const {
  for (const auto& s : steps_) s();
}

void run_interleaved(const std::vector<const Program*>& programs) {
  size_t longest = 0;
  for (const Program* p : programs) longest = std::max(longest, p->size());
  for (size_t i = 0; i < longest; ++i)
    for (const Program* p : programs)
      if (i < p->size()) p->run_step(i);
}

}  // namespace strata::workloads
