// How nodes are wired into a cluster: NVLink domains that span several nodes (NVL576), and the
// scale-out fabric (one- or two-tier fat trees, rail-optimised, one or several planes). Presets
// live in configs/clusters/; models/network/topology builds the graph from these structs.
#pragma once

#include <string>
#include <vector>

#include "hw/hardware.h"
#include "hw/layout.h"
#include "hw/link.h"
#include "hw/switch.h"
#include "sim/config/schema.h"

namespace strata::hw {

/// One tier of switches and the links that connect it to the tier below.
struct SwitchTierSpec {
  SwitchSpec switch_chip;  ///< key "switch"
  int count = 0;           ///< chips merged into one vertex of this tier (NVLink spines); 0 = derived
  LinkSpec link;           ///< links down to the tier below (NICs for a leaf tier)
  int down_ports = 0;      ///< ports facing down on a tier with a tier above; 0 = half the ports

  static const config::Schema<SwitchTierSpec>& schema();
};

/// Nodes whose NVSwitch chips are joined by a spine tier into one NVLink domain.
struct NvlinkDomainSpec {
  int nodes = 1;                      ///< nodes per domain (8 NVL72 racks = NVL576)
  std::vector<SwitchTierSpec> tiers;  ///< the spine tier above the nodes' switch chips (0 or 1)

  static const config::Schema<NvlinkDomainSpec>& schema();
};

enum class Ecmp {
  split,  ///< traffic spread over all equal-cost next hops in proportion to capacity (adaptive routing)
  hash,   ///< each flow pinned to one next hop by a hash of its endpoints (static ECMP)
};

/// The scale-out network: fat trees of NIC-facing leaves and spines.
struct FabricSpec {
  int planes = 1;             ///< disjoint fat trees; NIC rail r joins plane r % planes
  bool rail_optimised = true; ///< a leaf serves one rail (the same NIC index of many nodes)
  Ecmp ecmp = Ecmp::split;
  std::vector<SwitchTierSpec> tiers;  ///< leaf first; empty = no network between nodes

  static const config::Schema<FabricSpec>& schema();
};

struct ClusterSpec {
  int nodes = 1;
  NvlinkDomainSpec nvlink_domain;
  FabricSpec fabric;
  LayoutSpec layout;  ///< racks and rows: the length of every link

  static const config::Schema<ClusterSpec>& schema();
};

/// A preset of configs/clusters/: node hardware and its wiring (the `hardware` and `cluster`
/// sections a scenario takes with a top-level `base:`).
struct ClusterPreset {
  HardwareSpec hardware;
  ClusterSpec cluster;
};

/// Loads a cluster preset file; throws config::ConfigError.
ClusterPreset load_cluster_preset(const std::string& path);

}  // namespace strata::hw
