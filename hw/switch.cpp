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
    s.quantity("power", &SwitchSpec::power_w, Dim::power,
               "One chip as installed, its share of the box's fans and power conversion, without pluggable "
               "modules (0: not counted)")
        .def("0 W").range("0 W", "100 kW");
    s.quantity("price", &SwitchSpec::price_usd, Dim::money, "One chip's share of the price of its box (0: not priced)")
        .def("$0").min(0);
    s.integer("chips_per_box", &SwitchSpec::chips_per_box, "Chips in one box or tray (an NVLink switch tray: 2)")
        .def("1").min(1).max(64);
    s.text("box", &SwitchSpec::box, "What one box or tray is called, in the bill of materials").def("\"\"");
    s.check([](const SwitchSpec& w, const config::Checker& k) {
      if (w.in_network_reduction && w.reduction_rate_bytes_per_s <= 0)
        k.fail("reduction_rate", "a switch with in_network_reduction needs reduction_rate > 0");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
