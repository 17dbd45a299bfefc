// Building blocks of generators. A Chain is one stream of work (a micro-batch, a pipeline
// chunk) run in lockstep by a set of simulated ranks: it stamps its ops with a Tag and carries
// data dependencies across streams (a kernel that needs a collective's result waits for it).
// A Program is a chain's work cut into steps at the points where it waits for communication;
// interleaving the steps of two programs on the same ranks overlaps one's communication with
// the other's computation (DeepSeek's two micro-batches, DualPipe's forward/backward pairs).
#pragma once

#include <functional>
#include <vector>

#include "workloads/op_graph.h"
#include "workloads/workload_spec.h"

namespace strata::workloads {

/// Attributes stamped on every op a chain emits.
struct Tag {
  int layer = -1;
  int micro_batch = -1;
  Pass pass = Pass::forward;
  int phase = -1;
  bool recompute = false;  ///< recomputation: model_flops are 0
  /// Transformer block of a layer's ops ("attn", "mlp", "dispatch", "combine"); when set, an op's
  /// phase is "<block>(F)", "(B)" or "(W)" by its pass, as DeepSeek annotates its profiles.
  const char* block = nullptr;
};

class Chain {
 public:
  using OpId = OpGraph::OpId;
  static constexpr OpId kNone = static_cast<OpId>(-1);

  Chain(OpGraph& g, std::vector<int> devices);

  OpGraph& graph() { return *g_; }
  const std::vector<int>& devices() const { return devices_; }
  size_t size() const { return devices_.size(); }
  Tag tag;

  /// Adds `op` on devices()[i], stamped with the tag; it waits for what device i awaits.
  OpId emit(size_t i, Op op);
  /// Adds stored collective `index` simulated on `members` (indices into devices()) after each
  /// member's last op; the members' next ops do not wait for it until await().
  OpId issue(Op op, int index, const std::vector<size_t>& members, bool ordered = true);
  /// Every device's next op waits for the collectives it issued and has not awaited.
  void await();
  /// Device i's next op waits for `id` (a transfer from another chain).
  void wait_on(size_t i, OpId id);
  /// Work a step leaves to the chain's next step (the MoE reduce after the combine).
  void owe(std::function<void()> fn) { owed_.push_back(std::move(fn)); }
  /// Start of a step: await the issued collectives, then emit what is owed.
  void resume();
  /// Phase of an op of pass `p` in the current block (tag.phase when no block is set).
  int block_phase(Pass p) const;
  /// Last op emitted or issued on device i by this chain (kNone before any).
  OpId last(size_t i) const { return last_[i]; }
  /// Activations its forward ops on the first device keep for backward (bytes), for the
  /// memory estimate of a training step.
  double saved_bytes = 0;
  Recompute recompute = Recompute::none;  ///< what saved_bytes counts (see chain.cpp)

 private:
  void stamp(Op& op) const;

  OpGraph* g_;
  std::vector<int> devices_;
  std::vector<OpId> last_;
  std::vector<std::vector<OpId>> waits_;
  std::vector<std::vector<OpId>> issued_;
  std::vector<std::function<void()>> owed_;
};

/// A chain's work cut into steps at communication waits.
class Program {
 public:
  void step(std::function<void()> fn) { steps_.push_back(std::move(fn)); }
  /// Appends `other`'s steps.
  void append(Program&& other);
  size_t size() const { return steps_.size(); }
  void run_step(size_t i) const { steps_[i](); }
  void run() const;

 private:
  std::vector<std::function<void()>> steps_;
};

/// Collects a chain's work into the steps of a program: add() to the open step, cut() to close
/// it where the chain must wait for communication.
class StepBuilder {
 public:
  explicit StepBuilder(Program& p) : prog_(p) {}
  ~StepBuilder() { cut(); }
  void add(std::function<void()> fn) { cur_.push_back(std::move(fn)); }
  void cut();

 private:
  Program& prog_;
  std::vector<std::function<void()>> cur_;
};

/// Runs step 0 of each program, then step 1 of each, and so on.
void run_interleaved(const std::vector<const Program*>& programs);

}  // namespace strata::workloads
