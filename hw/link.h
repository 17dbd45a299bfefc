// One kind of point-to-point link (one cable, board trace or die-to-die interface): its lanes,
// signalling rate, line coding, packet framing, per-hop latency, energy per bit, reach and the
// items it is built from. Presets live in configs/links/; every rate is per direction (links are
// full duplex).
#pragma once

#include <string>

#include "hw/bom.h"
#include "sim/config/schema.h"

namespace strata::hw {

enum class LinkMedium {
  copper,             ///< electrical cable or backplane (NVLink spine, DAC)
  board,              ///< PCB traces (PCIe to a NIC)
  dsp_optics,         ///< pluggable optical module with a DSP retimer at each end
  linear_optics,      ///< linear pluggable optics (LPO): no DSP in the module
  copackaged_optics,  ///< optical engine in the switch or GPU package (CPO)
  die_to_die,         ///< in-package (NV-HBI, UCIe, NVLink-C2C)
};

const char* link_medium_name(LinkMedium m);

struct LinkSpec {
  std::string name;                     ///< "NVLink4"
  LinkMedium medium = LinkMedium::copper;
  int lanes = 1;                        ///< lanes (differential pairs) per direction
  double lane_rate_bytes_per_s = 0;     ///< signalling rate of one lane (written "106.25 Gb/s")
  double encoding_efficiency = 1;       ///< data bits per signalled bit (line code and FEC)
  double max_payload_bytes = 256;       ///< payload of one full packet (MTU)
  double protocol_efficiency = 1;       ///< payload share of the wire bytes of full packets
  double latency_s = 0;                 ///< one hop: PHY, FEC, retimers and propagation
  double energy_per_bit_j = 0;          ///< both ends of the link, per payload bit carried
  double reach_m = 0;                   ///< longest run of the medium at this lane rate (0: set by the items)
  LinkBuildSpec build;                  ///< cable and end modules of one link (bill of materials)

  /// Signalled bytes per second, one direction.
  double raw_rate() const { return lanes * lane_rate_bytes_per_s; }
  /// Bytes per second after line coding and FEC, one direction: the headline "link bandwidth".
  double data_rate() const { return raw_rate() * encoding_efficiency; }
  /// Payload bytes per second with full packets: data_rate x protocol_efficiency.
  double payload_rate() const { return data_rate() * protocol_efficiency; }
  /// Framing bytes every packet carries (header, CRC, flow-control share).
  double header_bytes() const { return max_payload_bytes * (1 / protocol_efficiency - 1); }
  /// Wire bytes of a `bytes` payload cut into packets of at most `packet` payload (0 = full
  /// packets) and one partial packet.
  double wire_bytes(double bytes, double packet = 0) const;
  /// Wire bytes per payload byte in packets of `packet` payload, relative to full packets
  /// (>= 1): how much more of the link smaller writes take.
  double packet_penalty(double packet) const;

  static const config::Schema<LinkSpec>& schema();
};

}  // namespace strata::hw
