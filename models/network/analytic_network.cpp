#include "models/network/analytic_network.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "models/network/ring_algorithms.h"

namespace strata::models {

AnalyticNetwork::AnalyticNetwork(const hw::HardwareSpec& hw, int nodes)
    : gpus_per_node_(hw.gpus_per_node),
      up_latency_s_(hw.scale_up.latency_s),
      out_latency_s_(hw.scale_out.latency_s) {
  double up = hw.scale_up.kind == hw::ScaleUpKind::none ? 0.0 : hw.scale_up.gpu_bandwidth();
  // NICs are shared evenly by the GPUs of a node (one per GPU in rail-optimised HGX nodes).
  double out = hw.scale_out.nics_per_node * hw.scale_out.nic_rate_bytes_per_s / hw.gpus_per_node;
  const char* names[4] = {"scale_up.tx", "scale_up.rx", "scale_out.tx", "scale_out.rx"};
  for (int r = 0; r < nodes * hw.gpus_per_node; ++r)
    for (int p = 0; p < 4; ++p)
      links_.push_back(LinkInfo{"gpu" + std::to_string(r) + "." + names[p],
                                p < 2 ? "scale_up" : "scale_out", r, p < 2 ? up : out});
}

CollectiveCost AnalyticNetwork::cost(const workloads::Collective& c) const {
  RingTraffic traffic = ring_traffic(c);
  std::map<int, double> bytes;  // ordered, so loads come out in link order
  bool inter_node = false;
  for (const workloads::Flow& f : traffic.flows) {
    bool same_node = node_of(f.src) == node_of(f.dst);
    inter_node = inter_node || !same_node;
    bytes[link_index(f.src, same_node ? kUpTx : kOutTx)] += f.bytes;
    bytes[link_index(f.dst, same_node ? kUpRx : kOutRx)] += f.bytes;
  }
  CollectiveCost out;
  double slowest = 0;
  for (const auto& [link, b] : bytes) {
    double bw = links_.at(link).bandwidth;
    if (bw <= 0)
      throw std::invalid_argument("collective needs link " + links_[link].name +
                                  ", which has no bandwidth in this hardware description");
    double busy = b / bw;
    slowest = std::max(slowest, busy);
    out.loads.push_back(LinkLoad{link, b, busy});
  }
  if (traffic.steps == 0) return out;
  double hop_latency = inter_node ? std::max(up_latency_s_, out_latency_s_) : up_latency_s_;
  out.time_s = traffic.steps * hop_latency + slowest;
  return out;
}

}  // namespace strata::models
