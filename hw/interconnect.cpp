#include "hw/interconnect.h"

#include <string>

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<ScaleUpSpec>& ScaleUpSpec::schema() {
  static const Schema<ScaleUpSpec> s = [] {
    Schema<ScaleUpSpec> s("scale_up", "Each GPU's links into the node's switch chips");
    s.integer("links", &ScaleUpSpec::links, "Links per GPU").min(1).max(1024);
    s.child("link", &ScaleUpSpec::link, "Kind of every GPU-to-switch link (base: ../links/NAME.yaml)");
    s.child("switch", &ScaleUpSpec::switch_chip,
            "The switch chip (base: ../switches/NAME.yaml)");
    s.integer("switches", &ScaleUpSpec::switches,
              "Switch chips in the node; each GPU spreads its links over all of them")
        .min(1).max(1024);
    s.quantity("message_overhead", &ScaleUpSpec::message_overhead_s, Dim::time,
               "GPU-side software cost of one message over NVLink (kernel, flags, completion)")
        .range("0 s", "1 ms");
    s.check([](const ScaleUpSpec& u, const config::Checker& k) {
      if (u.link.data_rate() > u.switch_chip.port_rate_bytes_per_s * (1 + 1e-9))
        k.fail("link", "a " + u.link.name + " link is faster than a " + u.switch_chip.name +
                           " port (" + config::format_quantity(u.switch_chip.port_rate_bytes_per_s,
                                                               Dim::data_rate) + ")");
    });
    return s;
  }();
  return s;
}

const Schema<ScaleOutSpec>& ScaleOutSpec::schema() {
  static const Schema<ScaleOutSpec> s = [] {
    Schema<ScaleOutSpec> s("scale_out", "Network adapters for traffic between nodes");
    s.integer("nics_per_node", &ScaleOutSpec::nics_per_node, "NICs in one node").min(0).max(1024);
    s.child("nic", &ScaleOutSpec::nic, "The adapter (base: ../nics/NAME.yaml)");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
