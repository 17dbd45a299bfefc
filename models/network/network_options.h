// How the network is simulated: the backend, the algorithms collectives use, and the accuracy
// knobs of each backend. Read from a scenario's `network:` section.
#pragma once

#include "sim/config/schema.h"
#include "workloads/op.h"

namespace strata::models {

enum class NetworkBackend {
  flow,    ///< fluid max-min sharing of routed flows (cluster scale)
  packet,  ///< SystemC packet trains with credits (validation, small runs)
};
const char* network_backend_name(NetworkBackend b);

struct NetworkOptions {
  NetworkBackend backend = NetworkBackend::flow;
  /// all_reduce, reduce_scatter and all_gather: automatic = the fastest the fabric supports.
  workloads::CollectiveAlgorithm all_reduce = workloads::CollectiveAlgorithm::automatic;
  /// ep_dispatch and ep_combine: automatic = the fastest of node_forwarded and per_expert.
  workloads::CollectiveAlgorithm expert_parallel = workloads::CollectiveAlgorithm::automatic;
  /// Expert-parallel kernels (DeepEP): NVLink write size of their warp stores, and the fixed
  /// cost of one kernel call (launch, waiting for every peer's flags).
  double ep_store_bytes = 128;         ///< calibrated: deepep-normal-ep8-dispatch
  double ep_kernel_overhead_s = 24e-6;  ///< calibrated: deepep-ll-ep64-dispatch-latency
  double flow_batching = 1e-2;       ///< flow: completions taken together within this fraction
  double packet_train_bytes = 65536; ///< packet: payload of one train (one event per hop)
  double packet_quantum_s = 1e-6;    ///< packet: temporal-decoupling quantum of each sender

  static const config::Schema<NetworkOptions>& schema();
};

}  // namespace strata::models
