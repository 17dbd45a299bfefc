// Seam between the cluster executor and the network: given a collective, how long it takes and
// how much each link carries. The flow-level and packet-level backends plug in here.
#pragma once

#include <string>
#include <vector>

#include "workloads/op.h"

namespace strata::models {

/// One direction of one link bundle.
struct LinkInfo {
  std::string name;           ///< "gpu3>nvsw0"
  std::string kind;           ///< "scale_up" (NVLink), "host" (PCIe to a NIC) or "scale_out"
  std::string link;           ///< link kind, e.g. "NVLink4"
  int device = -1;            ///< GPU the link attaches to, or -1
  int links = 1;              ///< links in the bundle
  double bandwidth = 0;       ///< payload bytes/s in this direction, whole bundle
  double energy_per_bit = 0;  ///< J per payload bit carried
};

struct LinkLoad {
  int link = 0;       ///< index into NetworkModel::links()
  double bytes = 0;
  double busy_s = 0;  ///< time the link spends carrying those bytes at its bandwidth
};

struct CollectiveCost {
  double time_s = 0;
  std::vector<LinkLoad> loads;
  workloads::CollectiveAlgorithm algorithm = workloads::CollectiveAlgorithm::direct;
};

class NetworkModel {
 public:
  virtual ~NetworkModel() = default;
  virtual CollectiveCost cost(const workloads::Collective& c) const = 0;
  virtual const std::vector<LinkInfo>& links() const = 0;
  virtual const char* name() const = 0;
};

}  // namespace strata::models
