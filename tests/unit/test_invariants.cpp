// The invariants every simulation checks: each holds on real traffic and trips on a broken input
// with a std::logic_error that names it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "hw/cluster.h"
#include "models/hbm/memory_system.h"
#include "models/network/collective_algorithms.h"
#include "models/network/flow_conservation.h"
#include "models/network/flow_network.h"
#include "sim/engine/executor.h"
#include "sim/engine/invariants.h"

using namespace strata;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

/// The message of the logic_error `f` throws ("" if none).
template <class F>
std::string invariant_error(F&& f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::shared_ptr<models::Topology> two_node_h800() {
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/h800-ib-rail-fat-tree.yaml");
  p.cluster.nodes = 2;
  return std::make_shared<models::Topology>(p.hardware, p.cluster);
}

/// 16 ranks over two nodes, each sending a different amount to every other (NVLink, PCIe, IB).
Collective all_to_all_16() {
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  for (int r = 0; r < 16; ++r) c.ranks.push_back(r);
  for (int s = 0; s < 16; ++s)
    for (int d = 0; d < 16; ++d)
      if (s != d) c.flows.push_back({s, d, 1e6 * (1 + (s * 7 + d) % 5)});
  return c;
}

/// A backend that prices like the flow backend but loses a byte on one channel: what a
/// misrouted or dropped packet train would look like.
class LeakyNetwork : public models::FlowNetwork {
 public:
  using FlowNetwork::FlowNetwork;
  models::ScheduleCost price(const models::Schedule& s) const override {
    models::ScheduleCost c = FlowNetwork::price(s);
    for (double& b : c.channel_bytes)
      if (b > 0) {
        b -= 1;
        break;
      }
    return c;
  }
};

}  // namespace

TEST(Invariants, FlowConservationHoldsOnEveryAlgorithm) {
  auto topo = two_node_h800();
  models::FlowNetwork net(topo, {});
  Collective a2a = all_to_all_16();
  Collective ar;
  ar.kind = CollectiveKind::all_reduce;
  ar.ranks = a2a.ranks;
  ar.bytes = 64e6;
  for (const Collective& c : {a2a, ar})
    for (CollectiveAlgorithm alg : models::candidate_algorithms(c, *topo)) {
      models::Schedule plan = models::plan_collective(c, alg, *topo, false, 0);
      models::ScheduleCost sc = net.price(plan);
      EXPECT_NO_THROW(models::check_flow_conservation(*topo, plan, sc.channel_bytes))
          << workloads::collective_algorithm_name(alg);
    }
  EXPECT_GT(net.cost(a2a).time_s, 0);  // cost() checks the chosen algorithm too
}

TEST(Invariants, FlowConservationTripsOnALostByte) {
  auto topo = two_node_h800();
  Collective c = all_to_all_16();
  models::Schedule plan = models::plan_collective(c, CollectiveAlgorithm::direct, *topo, false, 0);
  models::ScheduleCost sc = models::FlowNetwork(topo, {}).price(plan);
  // A byte carried twice on one channel, or a channel load that is not a number.
  for (double delta : {1e3, std::numeric_limits<double>::quiet_NaN()}) {
    std::vector<double> bytes = sc.channel_bytes;
    for (double& b : bytes)
      if (b > 0) {
        b += delta;
        break;
      }
    EXPECT_TRUE(starts_with(invariant_error([&] { models::check_flow_conservation(*topo, plan, bytes); }),
                            "invariant violated: flow conservation: "));
  }
  std::string e = invariant_error([&] { LeakyNetwork(topo, {}).cost(c); });
  EXPECT_TRUE(starts_with(e, "invariant violated: flow conservation: at gpu")) << e;
}

TEST(Invariants, HbmReportWithAViolationOrALateRequestIsRefused) {
  hbm::MemoryReport r;
  EXPECT_NO_THROW(r.check_invariants());
  r.violations = 2;
  r.first_violations = {"RD to bank 3 of pc 0 at clock 12: tRCD_RD needs 14 clocks after ACT"};
  EXPECT_EQ(invariant_error([&] { r.check_invariants(); }),
            "invariant violated: no HBM timing violation: the protocol checker found 2 violations; first: "
            "RD to bank 3 of pc 0 at clock 12: tRCD_RD needs 14 clocks after ACT");
  r.violations = 0;
  r.late_arrivals = 1;
  EXPECT_EQ(invariant_error([&] { r.check_invariants(); }),
            "invariant violated: simulated time advances monotonically: 1 HBM requests arrived behind a "
            "controller's clock");
}

namespace {

/// Duration = op.flops seconds, bound = op.bytes seconds: tests set both.
class FixedCost : public models::OpCostModel {
 public:
  models::OpCost cost(const workloads::Op& op) const override { return {op.flops, op.bytes}; }
  const char* name() const override { return "fixed"; }
};

/// No links; a collective takes 1 s.
class NoNetwork : public models::NetworkModel {
 public:
  models::CollectiveCost cost(const Collective&) const override { return {1.0, {}, {}}; }
  const std::vector<models::LinkInfo>& links() const override { return links_; }
  const char* name() const override { return "none"; }

 private:
  std::vector<models::LinkInfo> links_;
};

std::string execute_one(double seconds, double bound) {
  workloads::OpGraph g;
  workloads::Op op;
  op.name = "k";
  op.device = 0;
  op.flops = seconds;
  op.bytes = bound;
  g.add(op);
  FixedCost cost;
  return invariant_error([&] { sim::execute(g, cost, NoNetwork()); });
}

}  // namespace

TEST(Invariants, ExecutorRefusesTimeThatRunsBackwardsOrBeatsTheBound) {
  EXPECT_EQ(execute_one(2.0, 1.0), "");
  EXPECT_EQ(execute_one(-1.0, 0.0),
            "invariant violated: simulated time advances monotonically: op 'k' priced at -1 s");
  EXPECT_TRUE(starts_with(execute_one(std::nan(""), 0.0), "invariant violated: simulated time advances"));
  EXPECT_TRUE(starts_with(execute_one(std::numeric_limits<double>::infinity(), 0.0),
                          "invariant violated: simulated time advances"));
  EXPECT_EQ(execute_one(1.0, 2.0),
            "invariant violated: no op beats its bound: op 'k' priced at 1 s, below its bound of 2 s (fixed op "
            "costs)");
}

TEST(Invariants, UtilisationsLieInTheUnitInterval) {
  EXPECT_NO_THROW(sim::check_unit_interval("links.utilisation", {0.0, 0.5, 1.0, 1.0 + 1e-12}));
  EXPECT_EQ(invariant_error([] { sim::check_unit_interval("links.utilisation", {0.5, 1.25}, {"a", "gpu0>nvsw0"}); }),
            "invariant violated: utilisations within [0, 1]: links.utilisation of gpu0>nvsw0 is 1.25");
  EXPECT_EQ(invariant_error([] { sim::check_unit_interval("devices.compute_utilisation", {-0.5}); }),
            "invariant violated: utilisations within [0, 1]: devices.compute_utilisation of row 0 is -0.5");
  EXPECT_TRUE(starts_with(invariant_error([] { sim::check_unit_interval("x", {std::nan("")}); }),
                          "invariant violated: utilisations within [0, 1]: x of row 0 is "));
}
