#include "workloads/expert_traffic.h"

#include <map>
#include <stdexcept>

#include "workloads/routing.h"

namespace strata::workloads {

void add_routed_tokens(TokenRouting& t, int src, const std::vector<int>& picks, int top_k,
                       int first_rank, int experts_per_rank) {
  std::map<int, int> per_rank;  // destination rank -> experts there, ascending
  std::vector<int> dests, counts;
  for (size_t i = 0; i < picks.size(); i += size_t(top_k)) {
    per_rank.clear();
    for (int j = 0; j < top_k; ++j) ++per_rank[first_rank + picks[i + size_t(j)] / experts_per_rank];
    dests.clear(), counts.clear();
    for (auto [rank, n] : per_rank) dests.push_back(rank), counts.push_back(n);
    t.add(src, dests, counts);
  }
}

TokenRouting route_tokens(const MoeSpec& moe, int first_rank, int ranks, int tokens_per_rank,
                          double bytes_per_token, uint64_t seed, uint64_t stream) {
  if (ranks < 1 || moe.routed_experts % ranks != 0)
    throw std::invalid_argument("the ranks must divide the routed experts evenly");
  TokenRouting t;
  t.bytes_per_token = bytes_per_token;
  for (int r = 0; r < ranks; ++r) {
    ExpertRouter router(moe, derive_seed(seed, stream, uint64_t(first_rank + r)));
    add_routed_tokens(t, first_rank + r, router.route(tokens_per_rank), moe.top_k, first_rank,
                      moe.routed_experts / ranks);
  }
  return t;
}

}  // namespace strata::workloads
