#include "hw/cluster.h"

#include "sim/config/loader.h"

namespace strata::hw {
using config::Schema;

const Schema<SwitchTierSpec>& SwitchTierSpec::schema() {
  static const Schema<SwitchTierSpec> s = [] {
    Schema<SwitchTierSpec> s("switch tier", "One tier of switches and its links to the tier below");
    s.child("switch", &SwitchTierSpec::switch_chip, "Switch chip or box (base: ../switches/NAME.yaml)");
    s.integer("count", &SwitchTierSpec::count,
              "Switches in the tier (per plane); 0 = as many as the links below need")
        .def("0").min(0).max(1 << 20);
    s.child("link", &SwitchTierSpec::link,
            "Links down to the tier below: NIC cables for a leaf tier (base: ../links/NAME.yaml)");
    s.integer("down_ports", &SwitchTierSpec::down_ports,
              "Ports facing down when a tier sits above (0 = half: non-blocking)")
        .def("0").min(0).max(4096);
    return s;
  }();
  return s;
}

const Schema<NvlinkDomainSpec>& NvlinkDomainSpec::schema() {
  static const Schema<NvlinkDomainSpec> s = [] {
    Schema<NvlinkDomainSpec> s("nvlink_domain", "Nodes joined into one NVLink domain");
    s.integer("nodes", &NvlinkDomainSpec::nodes,
              "Nodes per NVLink domain (1 = each node is its own domain)")
        .def("1").min(1).max(1 << 16);
    s.list("tiers", &NvlinkDomainSpec::tiers,
           "Spine switch tier above the nodes' own switch chips (needed when nodes > 1)")
        .def("[]");
    s.check([](const NvlinkDomainSpec& d, const config::Checker& k) {
      if (d.nodes > 1 && d.tiers.size() != 1)
        k.fail("tiers", "an NVLink domain of several nodes needs exactly one spine tier");
      if (d.nodes == 1 && !d.tiers.empty())
        k.fail("tiers", "a spine tier joins several nodes; set nodes > 1 or remove it");
    });
    return s;
  }();
  return s;
}

const Schema<FabricSpec>& FabricSpec::schema() {
  static const Schema<FabricSpec> s = [] {
    Schema<FabricSpec> s("fabric", "Scale-out network between nodes");
    s.integer("planes", &FabricSpec::planes,
              "Disjoint fat trees; NIC rail r joins plane r mod planes (DeepSeek: 8)")
        .def("1").min(1).max(64);
    s.boolean("rail_optimised", &FabricSpec::rail_optimised,
              "Each leaf serves one rail (the same NIC index of many nodes)")
        .def("true");
    s.choice("ecmp", &FabricSpec::ecmp, {{"split", Ecmp::split}, {"hash", Ecmp::hash}},
             "split: spread over equal-cost paths by capacity (adaptive routing); hash: one path "
             "per flow")
        .def("split");
    s.list("tiers", &FabricSpec::tiers, "Switch tiers, leaf first (at most 2); empty = none")
        .def("[]");
    s.check([](const FabricSpec& f, const config::Checker& k) {
      if (f.tiers.size() > 2)
        k.fail("tiers", "fat trees of one or two tiers are supported (leaf, spine)");
    });
    return s;
  }();
  return s;
}

const Schema<ClusterSpec>& ClusterSpec::schema() {
  static const Schema<ClusterSpec> s = [] {
    Schema<ClusterSpec> s("cluster", "Nodes and how they are wired (base: ../clusters/NAME.yaml)");
    s.integer("nodes", &ClusterSpec::nodes, "Nodes in the cluster").def("1").min(1).max(1 << 16);
    s.child("nvlink_domain", &ClusterSpec::nvlink_domain, "NVLink domains spanning several nodes");
    s.child("fabric", &ClusterSpec::fabric, "Scale-out network between NVLink domains");
    s.child("layout", &ClusterSpec::layout, "Racks and rows the nodes and switches stand in (sets link lengths)");
    s.check([](const ClusterSpec& c, const config::Checker& k) {
      if (c.nodes % c.nvlink_domain.nodes != 0)
        k.fail("nvlink_domain.nodes", std::to_string(c.nvlink_domain.nodes) +
                                          " must divide the node count, " + std::to_string(c.nodes));
      if (c.nodes > c.nvlink_domain.nodes && c.fabric.tiers.empty())
        k.fail("fabric.tiers", std::to_string(c.nodes) +
                                   " nodes need a scale-out fabric between their NVLink domains "
                                   "(base: a preset from configs/clusters/)");
    });
    return s;
  }();
  return s;
}

ClusterPreset load_cluster_preset(const std::string& path) {
  config::Node tree = config::load_tree(path);
  config::Node empty = config::Node::make_map(tree.origin);
  const config::Node* hw = tree.find("hardware");
  const config::Node* cl = tree.find("cluster");
  return {HardwareSpec::schema().bind(hw ? *hw : empty, "hardware"),
          ClusterSpec::schema().bind(cl ? *cl : empty, "cluster")};
}

}  // namespace strata::hw
