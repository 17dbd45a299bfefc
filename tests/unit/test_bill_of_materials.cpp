// The network's bill of materials against counts worked by hand: a two-tier fat tree of 64 GPUs,
// one GB200 NVL72 rack, DeepSeek's 8-plane fat trees (closed form), an NVL576 spine; every link
// of the topology counted once; and the links the hardware cannot build refused with the config
// key of their link kind (reach, energy per bit, a missing module).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "hw/cluster.h"
#include "models/network/bill_of_materials.h"
#include "sim/config/error.h"
#include "sim/config/loader.h"
#include "sim/engine/scenario.h"
#include "test_support.h"

using namespace strata;
using models::BillOfMaterials;
using models::BomRow;

namespace {

hw::ClusterPreset load(const std::string& name) {
  return hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + name + ".yaml");
}

BillOfMaterials bom_of(const hw::ClusterPreset& p) {
  models::Topology t(p.hardware, p.cluster);
  return models::bill_of_materials(t, p.hardware, p.cluster);
}

/// Items of one category at one place (summed over rows).
int64_t count(const BillOfMaterials& b, const std::string& category, const std::string& place) {
  int64_t n = 0;
  for (const BomRow& r : b.rows)
    if (r.category == category && r.place == place) n += r.count;
  return n;
}

}  // namespace

// Eight H800 nodes (64 GPUs, one 400G NIC each) on a rail-optimised two-tier NDR fat tree of
// 64-port switches with 32 ports down: each rail's 8 NICs take one leaf (8 leaves); a leaf's 32 up
// ports are all wired (the tree is built for its switches' ports), so 8 x 32 uplinks fill 4
// spines in bundles of 8. Modules: one per NIC; at the switches a twin-port module per two ports:
// each leaf's 8 + 32 ports take 20, each spine's 64 take 32.
TEST(BillOfMaterials, TwoTierFatTreeOf64GpusByHand) {
  hw::ClusterPreset p = load("h800-ib-rail-fat-tree");
  p.cluster.nodes = 8;
  BillOfMaterials b = bom_of(p);
  EXPECT_EQ(count(b, "switch_chip", "leaf"), 8);
  EXPECT_EQ(count(b, "switch_chip", "spine"), 4);
  EXPECT_EQ(count(b, "switch_box", "leaf"), 8);
  EXPECT_EQ(count(b, "switch_chip", "node_switch"), 8 * 4);  // HGX: four NVSwitch chips per node
  EXPECT_EQ(b.network_switch_chips, 12);
  EXPECT_EQ(b.nics, 64);
  EXPECT_EQ(count(b, "link", "gpu-node_switch"), 64 * 8);  // H800: 8 NVLinks per GPU
  EXPECT_EQ(count(b, "link", "gpu-nic"), 64);
  EXPECT_EQ(count(b, "link", "nic-leaf"), 64);
  EXPECT_EQ(count(b, "link", "leaf-spine"), 8 * 32);
  EXPECT_EQ(b.links, 512 + 64 + 64 + 256);
  EXPECT_EQ(b.fibres, 64 + 256);
  EXPECT_EQ(b.transceivers, 64 + 8 * 20 + 4 * 32);
  EXPECT_EQ(b.copper_cables, 0);
  // Power: 12 switches x 141 W, 64 NIC modules x 9 W, 288 twin-port modules x 17 W.
  EXPECT_DOUBLE_EQ(b.power_w, 12 * 141.0 + 64 * 9.0 + 288 * 17.0);
  // Capital: switches $36,000, modules $700 and $1,250, fibres $100.
  EXPECT_DOUBLE_EQ(b.capital_usd, 12 * 36000.0 + 64 * 700.0 + 288 * 1250.0 + 320 * 100.0);
  // NIC-to-leaf links run along the row (a leaf serves its row's 8 racks), leaf-to-spine between rows.
  for (const BomRow& r : b.rows) {
    if (r.place == "nic-leaf") {
      EXPECT_EQ(r.length_class, "in_row");
    }
    if (r.place == "leaf-spine") {
      EXPECT_EQ(r.length_class, "between_rows");
    }
    if (r.place == "gpu-node_switch") {
      EXPECT_TRUE(r.in_node);
    }
  }
}

// One node on the same preset (the demo): each rail's leaf takes one NIC and sends all 32 uplinks,
// one module per two ports: 17 per leaf (the NIC's port shares the 17th), 32 per spine.
TEST(BillOfMaterials, OneNodeOnTheRailFatTree) {
  hw::ClusterPreset p = load("h800-ib-rail-fat-tree");
  p.cluster.nodes = 1;
  BillOfMaterials b = bom_of(p);
  EXPECT_EQ(b.network_switch_chips, 8 + 4);
  EXPECT_EQ(b.transceivers, 8 + 8 * 17 + 4 * 32);
}

// One NVL72 rack: 72 GPUs x 18 NVLink5 links into 18 NVSwitch chips in 9 trays, each link 2 pairs
// per direction, every pair a cable: 72 x 18 x 4 = 5,184 copper cables (hardware.md: >5,000).
// Everything is inside the node: nothing is added to the network's power or capital.
TEST(BillOfMaterials, OneNvl72RackByHand) {
  BillOfMaterials b = bom_of(load("gb200-nvl72"));
  EXPECT_EQ(b.links, 72 * 18);
  EXPECT_EQ(b.copper_cables, 72 * 18 * 2 * 2);
  EXPECT_EQ(b.switch_chips, 18);
  EXPECT_EQ(b.switch_boxes, 9);
  EXPECT_EQ(b.network_switch_chips, 0);
  EXPECT_EQ(b.transceivers, 0);
  EXPECT_EQ(b.power_w, 0);
  EXPECT_EQ(b.capital_usd, 0);
  for (const BomRow& r : b.rows) EXPECT_TRUE(r.in_node) << r.item;
}

// DeepSeek's multi-plane fat trees: 8 planes, each a two-tier fat tree of one rail's NICs with
// 64-port switches (ISCA'25). Per plane with N NICs: N / 32 leaves and N / 64 spines; per GPU one
// NIC module and 3 x 1/2 twin-port modules (leaf down, leaf up, spine): 2.5 transceivers.
TEST(BillOfMaterials, MultiPlaneFatTreesClosedForm) {
  for (auto [name, gpus] : {std::pair{"deepseek-v3-2048-mpft", 2048}, {"deepseek-mpft-16384", 16384}}) {
    BillOfMaterials b = bom_of(load(name));
    const int per_plane = gpus / 8;
    EXPECT_EQ(count(b, "switch_chip", "leaf"), 8 * per_plane / 32) << name;
    EXPECT_EQ(count(b, "switch_chip", "spine"), 8 * per_plane / 64) << name;
    EXPECT_EQ(count(b, "link", "nic-leaf"), gpus) << name;
    EXPECT_EQ(count(b, "link", "leaf-spine"), gpus) << name;  // non-blocking: as many up as down
    EXPECT_EQ(b.transceivers, gpus * 5 / 2) << name;
    EXPECT_EQ(b.fibres, 2 * gpus) << name;
  }
  EXPECT_EQ(bom_of(load("deepseek-v3-2048-mpft")).network_switch_chips, 96);
  EXPECT_EQ(bom_of(load("deepseek-mpft-16384")).network_switch_chips, 768);
}

// NVL576: each rack's 36 NVSwitch chips send 1,296 links up; 8 racks x 1,296 = 10,368 links fill
// 144 spine chips (72 trays). Every rack-to-spine link is optical, two per 800G module at each
// end: 10,368 modules, 18 per GPU.
TEST(BillOfMaterials, Nvl576SpineByHand) {
  BillOfMaterials b = bom_of(load("gb200-nvl576"));
  EXPECT_EQ(count(b, "switch_chip", "nvlink_spine"), 144);
  EXPECT_EQ(count(b, "switch_box", "nvlink_spine"), 72);
  EXPECT_EQ(count(b, "link", "node_switch-nvlink_spine"), 8 * 1296);
  EXPECT_EQ(b.transceivers, 2 * 8 * 1296 / 2);
  EXPECT_EQ(b.copper_cables, 8 * 72 * 18 * 4);
}

// Every link of the topology is in exactly one link row, and its cable and end modules serve it.
TEST(BillOfMaterials, EveryLinkOnce) {
  for (const char* name : {"hgx-h100", "gb200-nvl72", "gb200-nvl576", "h800-ib-rail-fat-tree", "deepseek-v3-2048-mpft"}) {
    hw::ClusterPreset p = load(name);
    models::Topology t(p.hardware, p.cluster);
    BillOfMaterials b = models::bill_of_materials(t, p.hardware, p.cluster);
    std::map<std::string, int64_t> topo, rows, served;
    for (const models::TopoEdge& e : t.edges())
      topo[std::string(models::vertex_kind_name(t.vertices()[e.a].kind)) + "-" +
           models::vertex_kind_name(t.vertices()[e.b].kind)] += e.links;
    int64_t total = 0;
    for (const models::TopoEdge& e : t.edges()) total += e.links;
    for (const BomRow& r : b.rows) {
      if (r.category == "link") {
        rows[r.place] += r.count;
        EXPECT_EQ(r.count, r.links);
      }
      if (r.category == "fibre" || r.category == "copper_cable") served[r.place] += r.links;
    }
    EXPECT_EQ(rows, topo) << name;
    EXPECT_EQ(b.links, total) << name;
    for (auto [place, links] : served) EXPECT_EQ(links, topo[place]) << name << " " << place;
  }
}

TEST(BillOfMaterials, IsDeterministic) {
  hw::ClusterPreset p = load("deepseek-v3-2048-mpft");
  BillOfMaterials a = bom_of(p), b = bom_of(p);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_EQ(a.rows[i].item, b.rows[i].item);
    EXPECT_EQ(a.rows[i].place, b.rows[i].place);
    EXPECT_EQ(a.rows[i].count, b.rows[i].count);
  }
  EXPECT_EQ(a.power_w, b.power_w);
  EXPECT_EQ(a.capital_usd, b.capital_usd);
}

TEST(BillOfMaterials, PortSpeeds) {
  EXPECT_EQ(models::port_speed(50e9), "400G");
  EXPECT_EQ(models::port_speed(100e9), "800G");
  EXPECT_EQ(models::port_speed(200e9), "1.6T");
}

namespace {

/// Binds a scenario on `cluster_yaml` (the text under `cluster:` of a cluster preset file written
/// beside it) and returns the config error.
config::ConfigError bind_error(const strata::testing::ScratchDir& dir, const std::string& preset_text, int gpus) {
  std::ofstream(dir.file("c.yaml")) << preset_text;
  std::ofstream(dir.file("s.yaml")) << "version: 1\nname: s\nbase: c.yaml\nfidelity: analytical\n"
                                       "workload:\n  model: {base: " STRATA_SOURCE_DIR
                                       "/configs/workloads/deepseek-v3.yaml, layers: 4}\n"
                                       "  batch_per_gpu: 8\n  kv_len: 256\n"
                                       "parallel: {attention_dp: " + std::to_string(gpus) + ", ep: 8}\n";
  try {
    sim::load_scenario(dir.file("s.yaml"), {});
  } catch (const config::ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "the scenario bound";
  return config::ConfigError(config::Origin{}, "", "");
}

const std::string kCfg = STRATA_SOURCE_DIR "/configs";

/// Eight nodes of the rail-optimised fat tree with the given leaf and spine link lines.
std::string fat_tree(const std::string& leaf_link, const std::string& spine_link) {
  return "version: 1\nbase: " + kCfg + "/clusters/h800-ib-rail-fat-tree.yaml\n" +
         "cluster:\n  nodes: 8\n  fabric:\n    tiers:\n"
         "      - switch: {base: " + kCfg + "/switches/ib-quantum2-ndr.yaml}\n"
         "        link: " + leaf_link + "\n        down_ports: 32\n"
         "      - switch: {base: " + kCfg + "/switches/ib-quantum2-ndr.yaml}\n"
         "        link: " + spine_link + "\n";
}

}  // namespace

// NVL576 with the rack-to-spine links on copper: 200G-lane copper reaches 1 m, the spine stands
// 30 m along the row. The error names the link, its medium, and the line of its link kind.
TEST(BillOfMaterials, LinkBeyondItsReachIsAnError) {
  strata::testing::ScratchDir dir("bom_reach_");
  config::ConfigError e = bind_error(dir,
                                     "version: 1\nbase: " + kCfg + "/clusters/gb200-nvl576.yaml\ncluster:\n"
                                     "  nvlink_domain:\n    tiers:\n"
                                     "      - switch: {base: " + kCfg + "/switches/nvswitch-gen4.yaml}\n"
                                     "        link: {base: " + kCfg + "/links/nvlink5.yaml}\n",
                                     576);
  EXPECT_EQ(e.key_path(), "cluster.nvlink_domain.tiers.0.link");
  EXPECT_EQ(e.origin().file, dir.file("c.yaml"));
  EXPECT_EQ(e.origin().line, 7);
  const std::string m = e.what();
  EXPECT_NE(m.find("nvsw0-nvspine0 (NVLink5, copper)"), std::string::npos) << m;
  EXPECT_NE(m.find("in_row, 30 m"), std::string::npos) << m;
  EXPECT_NE(m.find("beyond the 1 m reach"), std::string::npos) << m;
}

// A link kind whose energy per bit disagrees with its ends' power (the old 75 pJ/bit NDR figure,
// two module powers counted per bit each way) is refused at its energy_per_bit key.
TEST(BillOfMaterials, EnergyPerBitMustMatchItsEnds) {
  strata::testing::ScratchDir dir("bom_energy_");
  const std::string dsp = "{base: " + kCfg + "/links/ib-ndr-dsp.yaml}";
  config::ConfigError e =
      bind_error(dir, fat_tree("{base: " + kCfg + "/links/ib-ndr-dsp.yaml, energy_per_bit: 75 pJ/bit}", dsp), 64);
  EXPECT_EQ(e.key_path(), "cluster.fabric.tiers.0.link.energy_per_bit");
  EXPECT_EQ(e.origin().file, dir.file("c.yaml"));
  EXPECT_EQ(e.origin().line, 8);
  EXPECT_NE(std::string(e.what()).find("21.88 pJ/bit"), std::string::npos) << e.what();
}

// A co-packaged link kind between switches (no NIC module) cannot serve NIC-to-leaf links.
TEST(BillOfMaterials, OpticalEndWithoutAModuleIsAnError) {
  strata::testing::ScratchDir dir("bom_end_");
  const std::string cpo = "{base: " + kCfg + "/links/ib-ndr-cpo.yaml}";
  config::ConfigError e = bind_error(dir, fat_tree(cpo, cpo), 64);
  EXPECT_EQ(e.key_path(), "cluster.fabric.tiers.0.link");
  EXPECT_NE(std::string(e.what()).find("has no module at its nic end"), std::string::npos) << e.what();
}

// A medium that takes other items: a copper link given a fibre.
TEST(BillOfMaterials, ItemsMustSuitTheMedium) {
  strata::testing::ScratchDir dir("bom_medium_");
  std::ofstream(dir.file("l.yaml")) << "version: 1\nbase: " << kCfg
                                    << "/links/nvlink5.yaml\nbuild:\n  cable: {base: " << kCfg
                                    << "/bom/fibre-sm-mpo12.yaml}\n";
  try {
    hw::LinkSpec::schema().bind(config::load_tree(dir.file("l.yaml")));
    ADD_FAILURE() << "bound";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.key_path(), "build.cable.kind");
    EXPECT_NE(std::string(e.what()).find("a copper link takes a copper_cable or active_copper_cable"),
              std::string::npos);
  }
}
