#include "hw/nic.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<NicSpec>& NicSpec::schema() {
  static const Schema<NicSpec> s = [] {
    Schema<NicSpec> s("nic", "A network adapter (configs/nics/)");
    s.text("name", &NicSpec::name, "Adapter kind, used in reports");
    s.quantity("port_rate", &NicSpec::port_rate_bytes_per_s, Dim::data_rate,
               "Network port line rate, one direction")
        .positive();
    s.child("host_link", &NicSpec::host_link, "PCIe link to the GPU (base: ../links/NAME.yaml)");
    s.quantity("latency", &NicSpec::latency_s, Dim::time, "NIC pipeline latency, per crossing")
        .range("0 s", "100 us");
    s.quantity("message_overhead", &NicSpec::message_overhead_s, Dim::time,
               "Fixed cost of one message: posting, doorbell, completion, issuing software")
        .range("0 s", "1 ms");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
