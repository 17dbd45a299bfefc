// Seam between the cluster executor and the network: given a collective's flows, how long it
// takes and how much each link carries. Analytical and packet-level backends plug in here.
#pragma once

#include <string>
#include <vector>

#include "workloads/op.h"

namespace strata::models {

struct LinkInfo {
  std::string name;       ///< "gpu3.scale_up.tx"
  std::string kind;       ///< "scale_up" or "scale_out"
  int device = -1;        ///< GPU the link attaches to
  double bandwidth = 0;   ///< bytes/s in its direction
};

struct LinkLoad {
  int link = 0;       ///< index into NetworkModel::links()
  double bytes = 0;
  double busy_s = 0;  ///< time the link spends serialising those bytes
};

struct CollectiveCost {
  double time_s = 0;
  std::vector<LinkLoad> loads;
};

class NetworkModel {
 public:
  virtual ~NetworkModel() = default;
  virtual CollectiveCost cost(const workloads::Collective& c) const = 0;
  virtual const std::vector<LinkInfo>& links() const = 0;
  virtual const char* name() const = 0;
};

}  // namespace strata::models
