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
    return s;
  }();
  return s;
}

}  // namespace strata::hw
