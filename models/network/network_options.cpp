#include "models/network/network_options.h"

namespace strata::models {
using config::Dim;
using workloads::CollectiveAlgorithm;

const char* network_backend_name(NetworkBackend b) {
  return b == NetworkBackend::flow ? "flow" : "packet";
}

const config::Schema<NetworkOptions>& NetworkOptions::schema() {
  static const config::Schema<NetworkOptions> s = [] {
    config::Schema<NetworkOptions> s("network", "How the network is simulated");
    s.choice("backend", &NetworkOptions::backend,
             {{"flow", NetworkBackend::flow}, {"packet", NetworkBackend::packet}},
             "flow: max-min fair sharing of routed flows (any size); packet: SystemC packet "
             "trains with credit flow control (small clusters, slower)")
        .def("flow");
    s.choice("all_reduce", &NetworkOptions::all_reduce,
             {{"automatic", CollectiveAlgorithm::automatic},
              {"ring", CollectiveAlgorithm::ring},
              {"tree", CollectiveAlgorithm::tree},
              {"nvls", CollectiveAlgorithm::nvls}},
             "Algorithm of all-reduce, reduce-scatter and all-gather (automatic: the fastest)")
        .def("automatic");
    s.choice("expert_parallel", &NetworkOptions::expert_parallel,
             {{"automatic", CollectiveAlgorithm::automatic},
              {"node_forwarded", CollectiveAlgorithm::node_forwarded},
              {"per_expert", CollectiveAlgorithm::per_expert},
              {"direct", CollectiveAlgorithm::direct}},
             "Expert dispatch/combine: node_forwarded = DeepEP normal kernels, per_expert = "
             "DeepEP low-latency kernels, direct = one copy per rank (automatic: the fastest)")
        .def("automatic");
    s.quantity("ep_store_bytes", &NetworkOptions::ep_store_bytes, Dim::bytes,
               "Expert-parallel kernels: payload of each NVLink write their warps issue (NCCL's "
               "bulk copies fill whole packets); calibrated on DeepEP intranode EP8")
        .def("128 B").range("16 B", "4 KiB");
    s.quantity("ep_kernel_overhead", &NetworkOptions::ep_kernel_overhead_s, Dim::time,
               "Expert-parallel kernels: fixed cost of one dispatch or combine call (launch, "
               "waiting for every peer's completion flags); calibrated on DeepEP low-latency EP64")
        .def("24 us").range("0 s", "1 ms");
    s.number("flow_batching", &NetworkOptions::flow_batching,
             "Flow backend: flows finishing within this fraction of the elapsed time are "
             "retired together (bounds the error, from above)")
        .def("0.01").range("0", "0.1");
    s.quantity("packet_train", &NetworkOptions::packet_train_bytes, Dim::bytes,
               "Packet backend: payload of one packet train, the unit of arbitration")
        .def("64 KiB").range("64 B", "16 MiB");
    s.quantity("packet_quantum", &NetworkOptions::packet_quantum_s, Dim::time,
               "Packet backend: how far a sender may run ahead of the others (TLM quantum)")
        .def("1 us").range("1 ns", "1 ms");
    return s;
  }();
  return s;
}

}  // namespace strata::models
