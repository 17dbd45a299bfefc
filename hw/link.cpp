#include "hw/link.h"

#include <algorithm>
#include <cmath>

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* link_medium_name(LinkMedium m) {
  switch (m) {
    case LinkMedium::copper: return "copper";
    case LinkMedium::board: return "board";
    case LinkMedium::dsp_optics: return "dsp_optics";
    case LinkMedium::linear_optics: return "linear_optics";
    case LinkMedium::copackaged_optics: return "copackaged_optics";
    case LinkMedium::die_to_die: return "die_to_die";
  }
  return "?";
}

double LinkSpec::wire_bytes(double bytes, double packet) const {
  if (bytes <= 0) return 0;
  double size = packet > 0 ? std::min(packet, max_payload_bytes) : max_payload_bytes;
  return bytes + std::ceil(bytes / size) * header_bytes();
}

double LinkSpec::packet_penalty(double packet) const {
  if (packet <= 0 || packet >= max_payload_bytes) return 1.0;
  return (packet + header_bytes()) / packet * protocol_efficiency;
}

namespace {

bool optical(LinkMedium m) {
  return m == LinkMedium::dsp_optics || m == LinkMedium::linear_optics || m == LinkMedium::copackaged_optics;
}

/// The items a medium is built from: copper takes a (possibly active) copper cable and no end
/// modules; optics take a fibre and modules of its kind (CPO: engines in the switch package,
/// pluggables at a NIC, which has no CPO); board and die-to-die links have no items.
void check_build(const LinkSpec& l, const config::Checker& k) {
  using K = BomItemKind;
  const LinkBuildSpec& b = l.build;
  const std::string medium = link_medium_name(l.medium);
  auto refuse = [&](const char* key, const BomItemSpec& item, const std::string& wants) {
    k.fail(std::string("build.") + key + ".kind",
           "a " + medium + " link takes " + wants +
               (item.present() ? std::string(", not a ") + bom_item_kind_name(item.kind) + " (" + item.name + ")"
                               : std::string(" (base: ../bom/NAME.yaml)")));
  };
  if (l.medium == LinkMedium::board || l.medium == LinkMedium::die_to_die) {
    for (auto [key, item] : {std::pair{"cable", &b.cable}, {"switch_end", &b.switch_end}, {"nic_end", &b.nic_end}})
      if (item->present()) refuse(key, *item, "no cable or modules (traces)");
    return;
  }
  if (l.medium == LinkMedium::copper) {
    if (b.cable.present() && b.cable.kind != K::copper_cable && b.cable.kind != K::active_copper_cable)
      refuse("cable", b.cable, "a copper_cable or active_copper_cable");
    for (auto [key, item] : {std::pair{"switch_end", &b.switch_end}, {"nic_end", &b.nic_end}})
      if (item->present()) refuse(key, *item, "no end modules (the SerDes drive the copper)");
    if (l.reach_m <= 0 && b.cable.reach_m <= 0)
      k.fail("reach", "a copper link states how far it reaches at its lane rate (reach, or build.cable.reach)");
    return;
  }
  if (!optical(l.medium)) return;
  if (b.cable.kind != K::fibre) refuse("cable", b.cable, "a fibre");
  const K wants = l.medium == LinkMedium::dsp_optics      ? K::transceiver
                  : l.medium == LinkMedium::linear_optics ? K::linear_transceiver
                                                          : K::optical_engine;
  if (b.switch_end.present() && b.switch_end.kind != wants)
    refuse("switch_end", b.switch_end, std::string("a ") + bom_item_kind_name(wants) + " in a switch port");
  if (b.nic_end.present() && !is_transceiver(b.nic_end.kind) && b.nic_end.kind != wants)
    refuse("nic_end", b.nic_end, "a pluggable module in a NIC port");
}

}  // namespace

const Schema<LinkSpec>& LinkSpec::schema() {
  static const Schema<LinkSpec> s = [] {
    Schema<LinkSpec> s("link", "One kind of full-duplex link (configs/links/)");
    s.text("name", &LinkSpec::name, "Link kind, used in reports");
    s.choice("medium", &LinkSpec::medium,
             {{"copper", LinkMedium::copper},
              {"board", LinkMedium::board},
              {"dsp_optics", LinkMedium::dsp_optics},
              {"linear_optics", LinkMedium::linear_optics},
              {"copackaged_optics", LinkMedium::copackaged_optics},
              {"die_to_die", LinkMedium::die_to_die}},
             "Physical medium (sets what the energy per bit covers)");
    s.integer("lanes", &LinkSpec::lanes, "Lanes (differential pairs) per direction").min(1).max(4096);
    s.quantity("lane_rate", &LinkSpec::lane_rate_bytes_per_s, Dim::data_rate,
               "Signalling rate of one lane, one direction")
        .positive();
    s.number("encoding_efficiency", &LinkSpec::encoding_efficiency,
             "Data bits per signalled bit after line coding and FEC (1 = rate is a data rate)")
        .range("0.01", "1");
    s.quantity("max_payload", &LinkSpec::max_payload_bytes, Dim::bytes,
               "Payload of one full packet (MTU)")
        .range("1 B", "1 MiB");
    s.number("protocol_efficiency", &LinkSpec::protocol_efficiency,
             "Payload share of the wire bytes of full packets (headers, CRC, flow control)")
        .range("0.01", "1");
    s.quantity("latency", &LinkSpec::latency_s, Dim::time,
               "One hop: PHY, FEC, retimers and propagation")
        .range("0 s", "1 ms");
    s.quantity("energy_per_bit", &LinkSpec::energy_per_bit_j, Dim::energy_per_bit,
               "Energy of both ends per bit carried")
        .range("0 pJ/bit", "1 nJ/bit");
    s.quantity("reach", &LinkSpec::reach_m, Dim::length,
               "Longest run the medium carries at this lane rate (0: set by the items under build)")
        .def("0 m").range("0 m", "100 km");
    s.child("build", &LinkSpec::build, "What one link is made of: its cable and end modules (configs/bom/)");
    s.check(check_build);
    return s;
  }();
  return s;
}

}  // namespace strata::hw
