#include "hw/switch.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<SwitchSpec>& SwitchSpec::schema() {
  static const Schema<SwitchSpec> s = [] {
    Schema<SwitchSpec> s("switch", "One switch chip or box (configs/switches/)");
    s.text("name", &SwitchSpec::name, "Switch kind, used in reports");
    s.integer("ports", &SwitchSpec::ports, "Link ports").min(2).max(4096);
    s.quantity("port_rate", &SwitchSpec::port_rate_bytes_per_s, Dim::data_rate,
               "Fastest link one port takes, one direction")
        .positive();
    s.quantity("latency", &SwitchSpec::latency_s, Dim::time, "Port-to-port forwarding latency")
        .range("0 s", "100 us");
    s.quantity("buffer_per_port", &SwitchSpec::buffer_per_port_bytes, Dim::bytes,
               "Input buffer of one port: the credits it grants its upstream link")
        .positive();
    s.boolean("in_network_reduction", &SwitchSpec::in_network_reduction,
              "Sums data arriving on several ports (NVLink SHARP / InfiniBand SHARP)")
        .def("false");
    s.quantity("reduction_rate", &SwitchSpec::reduction_rate_bytes_per_s, Dim::data_rate,
               "Reduced output the chip produces per second (0 when it cannot reduce)")
        .def("0 B/s").min(0);
    s.quantity("energy_per_bit", &SwitchSpec::energy_per_bit_j, Dim::energy_per_bit,
               "Energy per bit switched, one direction (0: the chip's power is counted elsewhere: node "
               "switches are part of hardware.node_overhead_power)")
        .def("0 J/bit").range("0 J/bit", "1 nJ/bit");
    s.check([](const SwitchSpec& w, const config::Checker& k) {
      if (w.in_network_reduction && w.reduction_rate_bytes_per_s <= 0)
        k.fail("reduction_rate", "a switch with in_network_reduction needs reduction_rate > 0");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
