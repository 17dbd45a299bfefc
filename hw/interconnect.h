// Links of one node: the scale-up fabric (NVLink through NVSwitch) and the scale-out NICs.
#pragma once

#include <string>

#include "sim/config/schema.h"

namespace strata::hw {

enum class ScaleUpKind { none, nvlink3, nvlink4, nvlink5 };

/// Each GPU's links into the node's switch fabric.
struct ScaleUpSpec {
  ScaleUpKind kind = ScaleUpKind::nvlink4;
  int links = 0;                            ///< links per GPU
  double link_bandwidth_bytes_per_s = 0;    ///< per link, per direction
  double latency_s = 0;                     ///< small-message end-to-end latency

  /// Per direction, all links of one GPU.
  double gpu_bandwidth() const { return links * link_bandwidth_bytes_per_s; }

  static const config::Schema<ScaleUpSpec>& schema();
};

/// Network adapters for traffic between nodes.
struct ScaleOutSpec {
  int nics_per_node = 0;
  double nic_rate_bytes_per_s = 0;  ///< per NIC, per direction
  double latency_s = 0;             ///< small-message end-to-end latency between nodes

  static const config::Schema<ScaleOutSpec>& schema();
};

const char* scale_up_name(ScaleUpKind k);

}  // namespace strata::hw
