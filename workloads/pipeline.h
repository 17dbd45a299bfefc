// Pipeline schedules as per-rank action lists, and a driver that emits them into an op graph
// in dataflow order with the point-to-point transfers between stages.
//
// 1F1B: warm-up forwards, alternating forward/backward, cool-down backwards.
// DualPipe (DeepSeek-V3): each rank holds stage r of direction 0 and stage pp-1-r of direction
// 1; micro-batches enter from both ends; overlapped forward/backward pairs and zero-bubble
// weight chunks. The action lists follow the step structure of deepseek-ai/DualPipe's
// dualpipe.py (steps 1-8), including where each send is posted.
#pragma once

#include <vector>

#include "workloads/op_graph.h"

namespace strata::workloads {

struct ChunkId {
  int dir = 0;  ///< direction: 0 enters at rank 0, 1 enters at rank pp-1 (DualPipe)
  int mb = 0;   ///< micro-batch index within its direction
};

struct PipeAction {
  enum Kind { forward, backward, forward_backward, weight, send_forward, send_backward } kind;
  int dir = 0;        ///< forward (and sends): direction
  int dir_b = 0;      ///< forward_backward: direction of the backward half
  bool zb = false;    ///< backward: defer weight gradients to a later `weight` action
  bool overlap = true;  ///< forward_backward: overlapped (false: forward, then backward)
};

using Schedule = std::vector<std::vector<PipeAction>>;  ///< per pipeline rank

/// `micro` micro-batches through `pp` stages.
Schedule schedule_1f1b(int pp, int micro);
/// `micro` micro-batches in total (half per direction); needs even pp, even micro >= 2 pp.
Schedule schedule_dualpipe(int pp, int micro);

/// Position of pipeline rank r along direction d (0 = the direction's first stage).
inline int stage_position(int pp, int r, int d) { return d == 0 ? r : pp - 1 - r; }

/// What a workload does for each action. Ids hold one op per simulated device of a stage.
class PipelineEmitter {
 public:
  using Ids = std::vector<OpGraph::OpId>;
  virtual ~PipelineEmitter() = default;
  /// Compute of a chunk on pipeline rank r; `wait` lists ops its first op on each device
  /// must follow (transfers received, sends the rank posted before).
  virtual void forward(int r, ChunkId c, const std::vector<Ids>& wait) = 0;
  virtual void backward(int r, ChunkId c, bool defer_weights, const std::vector<Ids>& wait) = 0;
  virtual void forward_backward(int r, ChunkId f, ChunkId b, bool overlap, const std::vector<Ids>& wait) = 0;
  virtual void weight(int r, const std::vector<Ids>& wait) = 0;
  /// Transfer of a chunk's activations (gradient = false) or input gradients from rank `from`
  /// to rank `to`, posted after the last op emitted so far on `from`.
  virtual Ids transfer(int from, int to, ChunkId c, bool gradient) = 0;
};

/// Emits every rank's actions in an order where each transfer exists before it is awaited;
/// throws std::logic_error if the schedule deadlocks.
void run_pipeline(const Schedule& s, PipelineEmitter& e);

}  // namespace strata::workloads
