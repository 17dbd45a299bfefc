// Every cluster preset builds; degree, diameter and bisection bandwidth match the wiring the
// preset describes (figures from ../shared/reference/hardware.md and the DeepSeek papers).
#include <gtest/gtest.h>

#include <memory>

#include "models/network/topology.h"
#include "hw/cluster.h"

using namespace strata;
using models::Topology;
using models::VertexKind;

namespace {

using Preset = hw::ClusterPreset;

Preset load(const std::string& name) {
  return hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + name + ".yaml");
}

int count(const Topology& t, VertexKind k) {
  int n = 0;
  for (const auto& v : t.vertices()) n += v.kind == k;
  return n;
}

// Payload rate of one NVLink4 / NVLink5 link and of one NDR port (NVLink: 0.825 of the data
// rate; NDR: 4096 / 4122 of 50 GB/s).
constexpr double kNvlink4 = 25e9 * 0.825, kNvlink5 = 50e9 * 0.825, kNdr = 50e9 * 0.993692;

}  // namespace

TEST(Topology, HgxH100IsOneNonBlockingSwitch) {
  Preset p = load("hgx-h100");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.gpus(), 8);
  EXPECT_EQ(count(t, VertexKind::node_switch), 1);
  EXPECT_EQ(count(t, VertexKind::nic), 0);  // no fabric: one node
  EXPECT_EQ(t.degree(0), 18);               // 18 NVLink4 links per GPU
  EXPECT_EQ(t.degree(t.node_switch(0)), 8 * 18);
  EXPECT_EQ(t.vertices()[t.node_switch(0)].chips, 4);
  EXPECT_EQ(t.diameter(), 2);
  // Four GPUs' links cross the middle: 4 x 18 x NVLink4.
  EXPECT_NEAR(t.bisection_bandwidth(), 4 * 18 * kNvlink4, 1e3);
}

TEST(Topology, H800HasItsCutNvlink) {
  Preset p = load("hgx-h800");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.degree(3), 8);
  EXPECT_NEAR(t.bisection_bandwidth(), 4 * 8 * kNvlink4, 1e3);
}

TEST(Topology, Gb200Nvl72IsOneDomainOf72) {
  Preset p = load("gb200-nvl72");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.gpus(), 72);
  EXPECT_EQ(t.degree(t.node_switch(0)), 72 * 18);  // all 18 x 72 ports of the 18 switch chips
  EXPECT_EQ(t.diameter(), 2);
  // hardware.md: 130 TB/s of NVLink in the rack = 72 GPUs x 1.8 TB/s.
  double total = 0;
  for (const auto& e : t.edges())
    if (e.tier == models::LinkTier::scale_up) total += 2 * e.data_rate();
  EXPECT_NEAR(total / 1e12, 129.6, 0.05);
  EXPECT_NEAR(t.bisection_bandwidth(), 36 * 18 * kNvlink5, 1e4);
}

TEST(Topology, Nvl576JoinsEightRacksThroughASpine) {
  Preset p = load("gb200-nvl576");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.gpus(), 576);
  EXPECT_EQ(t.gpus_per_domain(), 576);
  ASSERT_EQ(count(t, VertexKind::nvlink_spine), 1);
  int spine = t.nvlink_spine(0);
  EXPECT_EQ(t.vertices()[spine].chips, 144);             // 8 x 1296 uplinks / 72 ports
  EXPECT_EQ(t.degree(t.node_switch(0)), 1296 + 1296);    // half down, half up
  EXPECT_EQ(t.diameter(), 4);                            // GPU, rack switch, spine, rack switch, GPU
  EXPECT_NEAR(t.bisection_bandwidth(), 288 * 18 * kNvlink5, 1e5);  // non-blocking
  // Every pair routes over NVLink, without a NIC.
  models::Route r = t.route(0, 575);
  EXPECT_FALSE(r.crosses_network);
  EXPECT_EQ(r.hops(), 4);
}

TEST(Topology, RailOptimisedFatTree) {
  Preset p = load("h800-ib-rail-fat-tree");
  Topology t(p.hardware, p.cluster);  // 32 nodes
  EXPECT_EQ(t.gpus(), 256);
  EXPECT_EQ(count(t, VertexKind::nic), 256);
  EXPECT_EQ(count(t, VertexKind::leaf), 8);   // one per rail: 32 NICs each
  EXPECT_EQ(count(t, VertexKind::spine), 4);  // 8 leaves x 32 uplinks / 64 ports
  EXPECT_EQ(t.degree(0), 8 + 1);              // NVLinks and the NIC's PCIe link
  for (int v = 0; v < static_cast<int>(t.vertices().size()); ++v) {
    if (t.vertices()[v].kind == VertexKind::leaf) {
      EXPECT_EQ(t.degree(v), 64);
    }
  }
  EXPECT_EQ(t.diameter(), 6);  // GPU, NIC, leaf, spine, leaf, NIC, GPU
  // Full bisection: 128 NICs cross at their payload rate.
  EXPECT_NEAR(t.bisection_bandwidth() / (128 * kNdr), 1.0, 1e-6);
  // Same rail stays on its leaf; another rail goes through a spine.
  EXPECT_EQ(t.route(0, 8).hops(), 4);
  EXPECT_EQ(t.route(0, 9).hops(), 6);
  EXPECT_TRUE(t.route(0, 9).crosses_network);
}

TEST(Topology, DeepSeekEightPlaneFatTree) {
  Preset p = load("deepseek-v3-2048-mpft");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.gpus(), 2048);
  EXPECT_EQ(t.planes(), 8);
  EXPECT_EQ(count(t, VertexKind::leaf), 8 * 8);    // 256 NICs per plane / 32 down ports
  EXPECT_EQ(count(t, VertexKind::spine), 8 * 4);
  EXPECT_EQ(t.diameter(), 8);  // across planes, one NVLink relay
  EXPECT_NEAR(t.bisection_bandwidth() / (1024 * kNdr), 1.0, 1e-6);
  // Between planes the route relays over NVLink to the GPU on the destination's rail (PXN).
  models::Route r = t.route(0, 8 + 3);
  EXPECT_EQ(r.forwarder, 3);
  EXPECT_TRUE(r.crosses_network);
  EXPECT_EQ(t.route(0, 8).forwarder, -1);
}

TEST(Topology, SixteenThousandGpusInEightPlanes) {
  Preset p = load("deepseek-mpft-16384");
  Topology t(p.hardware, p.cluster);
  EXPECT_EQ(t.gpus(), 16384);
  EXPECT_EQ(count(t, VertexKind::leaf), 8 * 64);
  EXPECT_EQ(count(t, VertexKind::spine), 8 * 32);
  EXPECT_EQ(t.diameter(), 8);
  EXPECT_NEAR(t.bisection_bandwidth() / (8192 * kNdr), 1.0, 1e-6);
}

TEST(Topology, TooFewPortsIsAClearError) {
  Preset p = load("deepseek-v3-2048-mpft");
  p.cluster.nodes = 4096;  // 4096 NICs per plane > 64 leaves x 32 ports of a two-tier tree
  try {
    Topology t(p.hardware, p.cluster);
    FAIL() << "built";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("a two-tier fat tree takes at most 2048 NICs per plane"),
              std::string::npos)
        << e.what();
  }
}

TEST(Topology, EcmpSplitSpreadsOverEverySpine) {
  Preset p = load("h800-ib-rail-fat-tree");
  Topology t(p.hardware, p.cluster);
  models::Route r = t.route(0, 9);  // rail 0 to rail 1: leaf, 4 spines, leaf
  int spread = 0;
  r.for_each_use([&](int c, double share) {
    if (t.vertices()[t.channel_to(c)].kind == VertexKind::spine) {
      EXPECT_DOUBLE_EQ(share, 0.25);
      ++spread;
    }
  });
  EXPECT_EQ(spread, 4);
  p.cluster.fabric.ecmp = hw::Ecmp::hash;
  Topology h(p.hardware, p.cluster);
  int pinned = 0;
  h.route(0, 9).for_each_use([&](int c, double share) {
    if (h.vertices()[h.channel_to(c)].kind == VertexKind::spine) {
      ++pinned;
      EXPECT_DOUBLE_EQ(share, 1.0);
    }
  });
  EXPECT_EQ(pinned, 1);
}
