// The bill of materials of a cluster's network, counted from the topology the simulator builds:
// switch chips and their boxes by tier, NICs, and for every link bundle its links, cables and
// the modules or optical engines at its ends, by medium, port speed and length class, with their
// power and price. Every link of the topology is counted exactly once.
//
// What a node holds (its GPUs' links to its switch chips and NICs, the chips, the NICs) is
// counted but not added: its power is in hardware.node_overhead_power and its price in the
// node's. Everything else (switches outside the nodes, every link that leaves a node with its
// cable and both end modules) is the network's: `power_w` and `capital_usd`.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw/cluster.h"
#include "hw/hardware.h"
#include "models/network/topology.h"

namespace strata::models {

struct BomRow {
  std::string item;          ///< "Quantum-2 NDR", "NDR 2x400G OSFP DR4 transceiver", "IB NDR"
  std::string category;      ///< link, switch_chip, switch_box, nic, or the item kind (fibre, transceiver, ...)
  std::string place;         ///< switch tier (node_switch, nvlink_spine, leaf, spine), or a link's ends (nic-leaf)
  std::string medium;        ///< medium of the link ("" for switches and NICs)
  std::string length_class;  ///< in_rack, in_row, between_rows ("" for switches and NICs)
  double length_m = 0;       ///< length of the class (0 for switches and NICs)
  std::string port_speed;    ///< one link's data rate, or a switch's or NIC's port rate: "400G", "1.6T"
  int64_t count = 0;         ///< items (links for category link)
  int64_t links = 0;         ///< links these items serve
  bool in_node = false;      ///< part of a node (power in the node's overhead, price in the node's)
  double unit_power_w = 0;
  double unit_price_usd = 0;
};

struct BillOfMaterials {
  std::vector<BomRow> rows;
  double power_w = 0;      ///< rated power of everything outside the nodes
  double capital_usd = 0;  ///< price of everything outside the nodes
  int64_t links = 0;
  int64_t switch_chips = 0, network_switch_chips = 0, switch_boxes = 0, nics = 0;
  int64_t transceivers = 0, optical_engines = 0, copper_cables = 0, fibres = 0;
};

/// A link the hardware cannot build: longer than its reach, items built for slower lanes, an
/// optical end without a module, or an energy per bit that disagrees with its ends' power.
struct BomError : std::invalid_argument {
  BomError(std::string config_key, const std::string& what)
      : std::invalid_argument(what), key(std::move(config_key)) {}
  std::string key;  ///< the key of the link kind at fault, e.g. "cluster.fabric.tiers.0.link"
};

/// Counts the network of `t`, built from `node` and `cluster`; throws BomError.
BillOfMaterials bill_of_materials(const Topology& t, const hw::HardwareSpec& node, const hw::ClusterSpec& cluster);

/// The config key of the link kind an edge was built from ("hardware.scale_up.link", ...).
std::string link_config_key(const Topology& t, const TopoEdge& e);

/// "400G", "800G", "1.6T": a data rate (bytes/s, one direction) as a port speed.
std::string port_speed(double bytes_per_s);

}  // namespace strata::models
