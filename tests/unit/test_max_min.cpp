// The fluid max-min solver on hand-checkable cases.
#include <gtest/gtest.h>

#include "models/network/max_min.h"

using strata::models::MaxMinSolver;

TEST(MaxMin, FlowsShareABottleneckEqually) {
  MaxMinSolver s;
  int link = s.add_resource(10.0);
  for (int i = 0; i < 2; ++i) {
    s.add_flow(10.0);
    s.use(link);
  }
  std::vector<double> done = s.run();
  EXPECT_DOUBLE_EQ(s.initial_rates()[0], 5.0);
  EXPECT_DOUBLE_EQ(done[0], 2.0);
  EXPECT_DOUBLE_EQ(done[1], 2.0);
}

TEST(MaxMin, ProgressiveFillingGivesLeftoverCapacityToOthers) {
  // a: link A (cap 4) and B (cap 10); b: only B. Max-min: a gets 4, b gets 6.
  MaxMinSolver s;
  int A = s.add_resource(4.0), B = s.add_resource(10.0);
  s.add_flow(8.0);
  s.use(A);
  s.use(B);
  s.add_flow(12.0);
  s.use(B);
  std::vector<double> done = s.run();
  EXPECT_DOUBLE_EQ(s.initial_rates()[0], 4.0);
  EXPECT_DOUBLE_EQ(s.initial_rates()[1], 6.0);
  EXPECT_DOUBLE_EQ(done[0], 2.0);
  EXPECT_DOUBLE_EQ(done[1], 2.0);
}

TEST(MaxMin, FinishedFlowsReleaseTheirShare) {
  // Two flows on one link of 10: the small one (5 B) ends at 1 s, the big one (15 B) then runs
  // alone at 10 B/s: 5 B by 1 s, 10 B more by 2 s. Bytes in = capacity x time.
  MaxMinSolver s;
  int link = s.add_resource(10.0);
  s.add_flow(5.0);
  s.use(link);
  s.add_flow(15.0);
  s.use(link);
  std::vector<double> done = s.run();
  EXPECT_DOUBLE_EQ(done[0], 1.0);
  EXPECT_DOUBLE_EQ(done[1], 2.0);
  EXPECT_EQ(s.rounds(), 2);
}

TEST(MaxMin, WeightsScaleAFlowsUseOfAResource) {
  // A flow that puts twice its rate on the link gets half the rate.
  MaxMinSolver s;
  int link = s.add_resource(10.0);
  s.add_flow(5.0);
  s.use(link, 2.0);
  std::vector<double> done = s.run();
  EXPECT_DOUBLE_EQ(s.initial_rates()[0], 5.0);
  EXPECT_DOUBLE_EQ(done[0], 1.0);
}

TEST(MaxMin, BatchingErrsSlowByAtMostItsFraction) {
  // Flows of slightly different sizes finish within 1% of each other; batched they share
  // one round and the last finish is not earlier than the exact one, nor over 1% later.
  auto build = [](double batching) {
    MaxMinSolver s(batching);
    int link = s.add_resource(1.0);
    for (int i = 0; i < 50; ++i) {
      s.add_flow(1.0 + i * 1e-4);
      s.use(link);
    }
    return s;
  };
  MaxMinSolver exact = build(0), batched = build(0.01);
  std::vector<double> e = exact.run(), b = batched.run();
  EXPECT_EQ(exact.rounds(), 50);
  EXPECT_LT(batched.rounds(), 5);
  double le = *std::max_element(e.begin(), e.end()), lb = *std::max_element(b.begin(), b.end());
  EXPECT_GE(lb, le * (1 - 1e-12));
  EXPECT_LE(lb, le * 1.01);
}

TEST(MaxMin, FlowsWithoutResourcesFinishAtOnce) {
  MaxMinSolver s;
  s.add_flow(1e9);  // a local copy crosses no link
  EXPECT_DOUBLE_EQ(s.run()[0], 0.0);
}
