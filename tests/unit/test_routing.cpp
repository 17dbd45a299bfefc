#include <gtest/gtest.h>

#include <set>

#include "workloads/routing.h"

using namespace strata::workloads;

namespace {
MoeSpec deepseek_moe() {
  MoeSpec m;
  m.routed_experts = 256;
  m.top_k = 8;
  m.groups = 8;
  m.groups_per_token = 4;
  m.expert_intermediate = 2048;
  return m;
}
}  // namespace

TEST(Routing, TopKDistinctWithinAtMostGroupsPerToken) {
  MoeSpec m = deepseek_moe();
  ExpertRouter r(m, 42);
  std::vector<int> picks = r.route(1000);
  ASSERT_EQ(picks.size(), 8000u);
  for (int t = 0; t < 1000; ++t) {
    std::set<int> experts, groups;
    for (int j = 0; j < 8; ++j) {
      int e = picks[t * 8 + j];
      ASSERT_GE(e, 0);
      ASSERT_LT(e, 256);
      experts.insert(e);
      groups.insert(e / 32);
    }
    EXPECT_EQ(experts.size(), 8u);
    EXPECT_LE(groups.size(), 4u);  // a token reaches at most 4 groups (nodes in DeepSeek-V3)
  }
}

TEST(Routing, UniformLoadAndDeterminism) {
  MoeSpec m = deepseek_moe();
  ExpertRouter a(m, 7), b(m, 7), c(m, 8);
  std::vector<int> pa = a.route(4096), pb = b.route(4096), pc = c.route(4096);
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, pc);
  std::vector<int> load(256, 0);
  for (int e : pa) load[e]++;
  // 4096 x 8 / 256 = 128 per expert; a binomial spread of ~11, so every expert within 6 sigma.
  for (int l : load) {
    EXPECT_GT(l, 128 - 66);
    EXPECT_LT(l, 128 + 66);
  }
}

TEST(Routing, DerivedSeedsDifferPerStream) {
  EXPECT_NE(derive_seed(1, 0, 0), derive_seed(1, 0, 1));
  EXPECT_NE(derive_seed(1, 0, 1), derive_seed(1, 1, 0));
  EXPECT_EQ(derive_seed(5, 3, 2), derive_seed(5, 3, 2));
}
