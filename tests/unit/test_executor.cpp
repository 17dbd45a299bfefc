// The cluster executor on small hand-built graphs with fixed-cost models.
#include <gtest/gtest.h>

#include <map>

#include "sim/engine/executor.h"
#include "sim/engine/report.h"

using namespace strata;
using namespace strata::workloads;

namespace {

/// Duration = op.flops seconds; bound = op.bytes seconds (so tests can provoke a violation).
class FixedCost : public models::OpCostModel {
 public:
  models::OpCost cost(const Op& op) const override { return {op.flops, op.bytes}; }
  const char* name() const override { return "fixed"; }
};

/// A collective takes 1 s per flow.
class CountingNetwork : public models::NetworkModel {
 public:
  models::CollectiveCost cost(const Collective& c) const override {
    models::CollectiveCost cc;
    cc.time_s = double(c.flows.size());
    return cc;
  }
  const std::vector<models::LinkInfo>& links() const override { return links_; }
  const char* name() const override { return "counting"; }

 private:
  std::vector<models::LinkInfo> links_;
};

FixedCost fixed;

Op kernel(const std::string& name, int device, double seconds, Stream s = Stream::compute) {
  Op op;
  op.name = name;
  op.device = device;
  op.flops = seconds;
  op.stream = s;
  return op;
}

std::map<std::string, std::pair<double, double>> times(const OpGraph& g, const sim::Timeline& t) {
  std::map<std::string, std::pair<double, double>> out;
  for (const auto& r : t.records)
    out[g.op(r.op).name + "@" + std::to_string(r.device)] = {r.start_s, r.end_s};
  return out;
}

}  // namespace

TEST(Executor, StreamOrderSerialisesOneDevice) {
  OpGraph g;
  g.add(kernel("a", 0, 1));
  g.add(kernel("b", 0, 2));
  g.add(kernel("c", 1, 5));
  auto t = sim::execute(g, fixed, CountingNetwork());
  auto at = times(g, t);
  EXPECT_EQ(at["b@0"], std::make_pair(1.0, 3.0));
  EXPECT_EQ(at["c@1"], std::make_pair(0.0, 5.0));
  EXPECT_EQ(t.makespan_s, 5.0);
}

TEST(Executor, CollectiveWaitsForEveryParticipant) {
  OpGraph g;
  auto a = g.add(kernel("a", 0, 1));
  auto b = g.add(kernel("b", 1, 3));
  Collective c;
  c.ranks = {0, 1};
  c.flows = {{0, 1, 10}, {1, 0, 10}};
  Op cop;
  cop.name = "x";
  auto x = g.add_collective(cop, c);
  g.depend(a, x);
  g.depend(b, x);
  auto after = g.add(kernel("after", 0, 1));
  g.depend(x, after);
  auto t = sim::execute(g, fixed, CountingNetwork());
  auto at = times(g, t);
  EXPECT_EQ(at["x@0"], std::make_pair(3.0, 5.0));  // starts when the slower rank is ready
  EXPECT_EQ(at["x@1"], std::make_pair(3.0, 5.0));  // one record per participant
  EXPECT_EQ(at["after@0"], std::make_pair(5.0, 6.0));
}

TEST(Executor, CommStreamOverlapsCompute) {
  OpGraph g;
  auto a = g.add(kernel("a", 0, 1));
  Collective c;
  c.ranks = {0};
  c.flows = {{0, 1, 1}, {0, 1, 1}};
  Op cop;
  cop.name = "send";
  auto x = g.add_collective(cop, c);
  g.depend(a, x);
  g.add(kernel("b", 0, 4));  // compute stream, independent of the send
  auto t = sim::execute(g, fixed, CountingNetwork());
  auto at = times(g, t);
  EXPECT_EQ(at["send@0"], std::make_pair(1.0, 3.0));
  EXPECT_EQ(at["b@0"], std::make_pair(1.0, 5.0));
  sim::TimeSplit s = sim::split_device_time(t, g, 0);
  EXPECT_DOUBLE_EQ(s.compute_by_class[static_cast<int>(OpClass::elementwise)], 5.0);
  EXPECT_DOUBLE_EQ(s.exposed_comm_s, 0.0);  // hidden behind b
  EXPECT_DOUBLE_EQ(s.idle_s, 0.0);
}

TEST(Executor, TimeSplitAddsUpWithExposedCommAndIdle) {
  OpGraph g;
  auto a = g.add(kernel("a", 0, 2));
  Collective c;
  c.ranks = {0, 1};
  c.flows = {{0, 1, 1}, {1, 0, 1}, {0, 1, 1}};
  Op cop;
  cop.name = "x";
  auto x = g.add_collective(cop, c);
  g.depend(a, x);
  g.add(kernel("late", 1, 6));
  auto t = sim::execute(g, fixed, CountingNetwork());
  sim::TimeSplit s = sim::split_device_time(t, g, 0);
  double compute = 0;
  for (double v : s.compute_by_class) compute += v;
  EXPECT_DOUBLE_EQ(compute, 2.0);
  EXPECT_DOUBLE_EQ(s.exposed_comm_s, 3.0);
  EXPECT_DOUBLE_EQ(s.idle_s, 1.0);  // device 1 ends at 6
  EXPECT_DOUBLE_EQ(compute + s.exposed_comm_s + s.idle_s, t.makespan_s);
}

TEST(Executor, ExposedCommunicationCountsToThePassWaitedFor) {
  // Device 0 computes over [0, 1.5] on two streams. A forward collective (2 flows: 2 s) runs on
  // the comm stream from 0.5 s, then an optimizer one (3 s) after it: [1.5, 2.5] is the forward
  // one's exposed time, [2.5, 5.5] the optimizer's.
  OpGraph g;
  g.add(kernel("compute", 0, 1));
  auto wait = g.add(kernel("wait", 0, 0.5, Stream::comm));
  auto gap = g.add(kernel("gap", 0, 1.0, Stream(2)));
  auto coll = [&](const char* name, Pass pass, int flows, OpGraph::OpId after) {
    Collective c;
    c.ranks = {0, 1};
    for (int f = 0; f < flows; ++f) c.flows.push_back({0, 1, 1});
    Op op;
    op.name = name;
    op.pass = pass;
    auto id = g.add_collective(op, c);
    g.depend(after, id);
    return id;
  };
  coll("fwd", Pass::forward, 2, wait);
  auto late = g.add(kernel("later", 0, 0.5, Stream(2)));
  g.depend(gap, late);
  coll("opt", Pass::optimizer, 3, late);
  auto t = sim::execute(g, fixed, CountingNetwork());
  sim::TimeSplit s = sim::split_device_time(t, g, 0);
  EXPECT_DOUBLE_EQ(s.compute_busy_s, 1.5);
  EXPECT_DOUBLE_EQ(s.exposed_comm_by_pass[int(Pass::forward)], 1.0);
  EXPECT_DOUBLE_EQ(s.exposed_comm_by_pass[int(Pass::optimizer)], 3.0);
  double by_pass = 0;
  for (double v : s.exposed_comm_by_pass) by_pass += v;
  EXPECT_DOUBLE_EQ(by_pass, s.exposed_comm_s);
}

TEST(Executor, CycleIsReported) {
  OpGraph g;
  auto a = g.add(kernel("a", 0, 1));
  auto b = g.add(kernel("b", 0, 1));
  g.depend(b, a);
  EXPECT_THROW(sim::execute(g, fixed, CountingNetwork()), std::runtime_error);
}

TEST(Executor, TimeBelowBoundIsABug) {
  OpGraph g;
  Op op = kernel("too_fast", 0, 1.0);
  op.bytes = 2.0;  // bound 2 s > duration 1 s
  g.add(op);
  try {
    sim::execute(g, fixed, CountingNetwork());
    FAIL() << "no error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("too_fast"), std::string::npos);
  }
}
