#include "hw/interconnect.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* scale_up_name(ScaleUpKind k) {
  switch (k) {
    case ScaleUpKind::none: return "none";
    case ScaleUpKind::nvlink3: return "nvlink3";
    case ScaleUpKind::nvlink4: return "nvlink4";
    case ScaleUpKind::nvlink5: return "nvlink5";
  }
  return "?";
}

const Schema<ScaleUpSpec>& ScaleUpSpec::schema() {
  static const Schema<ScaleUpSpec> s = [] {
    Schema<ScaleUpSpec> s("scale_up", "Each GPU's links into the node's switch fabric");
    s.choice("kind", &ScaleUpSpec::kind,
             {{"none", ScaleUpKind::none},
              {"nvlink3", ScaleUpKind::nvlink3},
              {"nvlink4", ScaleUpKind::nvlink4},
              {"nvlink5", ScaleUpKind::nvlink5}},
             "Link generation");
    s.integer("links", &ScaleUpSpec::links, "Links per GPU").min(0).max(1024);
    s.quantity("link_bandwidth", &ScaleUpSpec::link_bandwidth_bytes_per_s, Dim::data_rate,
               "Bandwidth of one link in one direction")
        .min(0);
    s.quantity("latency", &ScaleUpSpec::latency_s, Dim::time,
               "Small-message end-to-end latency through the fabric")
        .range("0 s", "1 ms");
    s.check([](const ScaleUpSpec& u, const config::Checker& k) {
      if (u.kind != ScaleUpKind::none && (u.links == 0 || u.link_bandwidth_bytes_per_s <= 0))
        k.fail("links", "a scale-up fabric needs links > 0 and link_bandwidth > 0 (or kind: none)");
    });
    return s;
  }();
  return s;
}

const Schema<ScaleOutSpec>& ScaleOutSpec::schema() {
  static const Schema<ScaleOutSpec> s = [] {
    Schema<ScaleOutSpec> s("scale_out", "Network adapters for traffic between nodes");
    s.integer("nics_per_node", &ScaleOutSpec::nics_per_node, "NICs in one node").min(0).max(256);
    s.quantity("nic_rate", &ScaleOutSpec::nic_rate_bytes_per_s, Dim::data_rate,
               "Line rate of one NIC in one direction")
        .min(0);
    s.quantity("latency", &ScaleOutSpec::latency_s, Dim::time,
               "Small-message end-to-end latency between nodes")
        .range("0 s", "1 ms");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
