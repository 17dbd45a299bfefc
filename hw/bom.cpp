#include "hw/bom.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* bom_item_kind_name(BomItemKind k) {
  switch (k) {
    case BomItemKind::none: return "none";
    case BomItemKind::copper_cable: return "copper_cable";
    case BomItemKind::active_copper_cable: return "active_copper_cable";
    case BomItemKind::fibre: return "fibre";
    case BomItemKind::transceiver: return "transceiver";
    case BomItemKind::linear_transceiver: return "linear_transceiver";
    case BomItemKind::optical_engine: return "optical_engine";
  }
  return "?";
}

const Schema<BomItemSpec>& BomItemSpec::schema() {
  static const Schema<BomItemSpec> s = [] {
    Schema<BomItemSpec> s("bom item", "A cable, transceiver or optical engine (configs/bom/)");
    s.choice("kind", &BomItemSpec::kind,
             {{"none", BomItemKind::none},
              {"copper_cable", BomItemKind::copper_cable},
              {"active_copper_cable", BomItemKind::active_copper_cable},
              {"fibre", BomItemKind::fibre},
              {"transceiver", BomItemKind::transceiver},
              {"linear_transceiver", BomItemKind::linear_transceiver},
              {"optical_engine", BomItemKind::optical_engine}},
             "What the item is (none: no item here)")
        .def("none");
    s.text("name", &BomItemSpec::name, "Item name, used in the bill of materials").def("\"\"");
    s.integer("ports", &BomItemSpec::ports, "Links one item serves (a twin-port module: 2)").def("1").min(1).max(64);
    s.boolean("per_pair", &BomItemSpec::per_pair,
              "Cables: one item per differential pair (lanes x 2 directions per link), not per link")
        .def("false");
    s.quantity("lane_rate", &BomItemSpec::lane_rate_bytes_per_s, Dim::data_rate,
               "Fastest lane signalling rate the item is built for (0: any)")
        .def("0 b/s").min(0);
    s.quantity("reach", &BomItemSpec::reach_m, Dim::length, "Longest link the item spans (0: not limited by it)")
        .def("0 m").range("0 m", "100 km");
    s.quantity("power", &BomItemSpec::power_w, Dim::power, "Power of one item").def("0 W").range("0 W", "10 kW");
    s.quantity("price", &BomItemSpec::price_usd, Dim::money, "Price of one item").def("$0").min(0);
    s.check([](const BomItemSpec& i, const config::Checker& k) {
      if (i.present() && i.name.empty()) k.fail("name", "a " + std::string(bom_item_kind_name(i.kind)) + " needs a name");
    });
    // `kind: none` removes an item a base file gave (a CPO link's NIC end): nothing of it stays.
    s.adjust([](BomItemSpec& i, const config::Checker&) {
      if (!i.present()) i = BomItemSpec{};
    });
    return s;
  }();
  return s;
}

const Schema<LinkBuildSpec>& LinkBuildSpec::schema() {
  static const Schema<LinkBuildSpec> s = [] {
    Schema<LinkBuildSpec> s("link build", "The items a link is made of (configs/bom/)");
    s.child("cable", &LinkBuildSpec::cable, "The cable, one per link (none: board traces)");
    s.child("switch_end", &LinkBuildSpec::switch_end,
            "Module or optical engine at an end that is a switch port (none: the switch drives the cable)");
    s.child("nic_end", &LinkBuildSpec::nic_end, "Module at an end that is a NIC port");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
