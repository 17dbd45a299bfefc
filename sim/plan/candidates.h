// Deployment choices of a hardware option as scenarios: every combination of the search's
// values for prefill (one scenario per prompt length of the demand) and for decode (one
// scenario at the demand's mean KV context), each a complete scenario tree that
// sim::bind_scenario validates and sim::run_scenario simulates.
#pragma once

#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/plan/plan_spec.h"
#include "workloads/workload_spec.h"

namespace strata::plan {

/// One deployment choice of a serving unit.
struct Choice {
  workloads::Phase phase = workloads::Phase::decode;
  int nodes = 1;
  int tp = 1;
  int batch_per_gpu = 0;     ///< decode
  int tokens_per_gpu = 0;    ///< prefill
  int micro_batches = 1;
  std::string id() const;    ///< "n4-tp1-t16384-mb2", "n18-tp1-b128-mb2"
  std::string text() const;  ///< "4 nodes, EP32/DP32, 16384 tokens/GPU, 2 micro-batches" (needs gpus)
};

/// One scenario to simulate: a choice at one prompt length (prefill) or at the decode context.
struct ScenarioPoint {
  size_t option = 0;
  Choice choice;
  double prompt_tokens = 0;   ///< prefill: this point's prompt length; decode: 0
  double request_share = 1;   ///< prefill: share of requests with this length
  std::string file;           ///< result path relative to the plan's output directory
  config::Node tree;          ///< the scenario, merged
  std::string resolved_yaml;  ///< the bound scenario; empty when invalid
  std::string invalid;        ///< why the scenario does not validate (ep does not divide, ...)
};

/// Every choice of `phase` in `search`, in a fixed order (nodes, tp, batch or tokens, micro-batches).
std::vector<Choice> enumerate_choices(const PhaseSearch& search, workloads::Phase phase);

/// The smallest number of redundant expert copies that lets `ep` ranks hold the experts evenly.
int redundant_experts_for(int routed_experts, int ep);

/// Scenarios of one option: every prefill choice at every prompt length, every decode choice
/// at the mean decode context. `cluster_tree` is the option's cluster file, loaded.
std::vector<ScenarioPoint> option_points(const LoadedPlan& plan, size_t option, const config::Node& cluster_tree);

}  // namespace strata::plan
