// What a collective algorithm asks of the network: phases run one after another; the transfers
// of a phase run concurrently (pipelined algorithm steps share one phase). Both network backends
// price schedules, so they are compared on identical traffic.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/op.h"

namespace strata::models {

struct Transfer {
  int src = 0, dst = 0;  ///< topology vertices: GPU ranks, or a switch that reduces in-network
  double bytes = 0;
  int64_t item = -1;     ///< detailed plans: the chunk or token carried
  bool reduce = false;   ///< detailed plans: dst sums it into its copy of `item` (else stores it)
  bool switch_reduced = false;  ///< produced by the source switch's reduction engine
  /// Payload of each NVLink write the sending GPU's threads issue (GPU-initiated kernels move
  /// tokens with warp stores); 0 = full packets (bulk copies). Scale-up links carry one header
  /// per write.
  double store_bytes = 0;
};

struct Phase {
  std::vector<Transfer> transfers;
  int steps = 1;  ///< sequential algorithm steps merged in this phase; each pays one message latency
};

struct Schedule {
  workloads::CollectiveAlgorithm algorithm = workloads::CollectiveAlgorithm::direct;
  std::vector<Phase> phases;
};

}  // namespace strata::models
