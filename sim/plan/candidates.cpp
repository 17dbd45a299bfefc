#include "sim/plan/candidates.h"

#include <cmath>

#include "sim/config/loader.h"
#include "sim/plan/demand.h"

namespace strata::plan {
using config::Node;
using workloads::Phase;

std::string Choice::id() const {
  std::string s = "n" + std::to_string(nodes) + "-tp" + std::to_string(tp);
  s += phase == Phase::prefill ? "-t" + std::to_string(tokens_per_gpu) : "-b" + std::to_string(batch_per_gpu);
  return s + "-mb" + std::to_string(micro_batches);
}

std::string Choice::text() const {
  std::string s = std::to_string(nodes) + (nodes == 1 ? " node" : " nodes");
  if (tp > 1) s += ", TP" + std::to_string(tp);
  s += phase == Phase::prefill ? ", " + std::to_string(tokens_per_gpu) + " tokens/GPU"
                               : ", batch " + std::to_string(batch_per_gpu) + "/GPU";
  if (micro_batches > 1) s += ", " + std::to_string(micro_batches) + " micro-batches";
  return s;
}

std::vector<Choice> enumerate_choices(const PhaseSearch& s, Phase phase) {
  std::vector<Choice> out;
  const std::vector<double>& sizes = phase == Phase::prefill ? s.tokens_per_gpu : s.batch_per_gpu;
  for (double n : s.nodes)
    for (double tp : s.tp)
      for (double size : sizes)
        for (double mb : s.micro_batches) {
          Choice c;
          c.phase = phase;
          c.nodes = int(n);
          c.tp = int(tp);
          (phase == Phase::prefill ? c.tokens_per_gpu : c.batch_per_gpu) = int(size);
          c.micro_batches = int(mb);
          out.push_back(c);
        }
  return out;
}

int redundant_experts_for(int routed_experts, int ep) {
  if (routed_experts <= 0 || ep <= 1) return 0;
  return (ep - routed_experts % ep) % ep;
}

namespace {

Node scalar(const std::string& text) { return Node::make_scalar(text); }
Node integer(long long v) { return Node::make_scalar(std::to_string(v)); }

void set(Node& tree, const std::string& key, Node value) {
  config::set_at_path(tree, key, std::move(value), config::Origin());
}

/// `economics:` is a scenario key once the power and cost model (issue 7) is in the build.
bool scenarios_have_economics() {
  for (const config::FieldInfo& f : sim::ScenarioSpec::schema().field_infos())
    if (f.key == "economics") return true;
  return false;
}

}  // namespace

std::vector<ScenarioPoint> option_points(const LoadedPlan& plan, size_t option, const Node& cluster_tree) {
  const PlanSpec& p = plan.spec;
  const OptionSpec& o = p.options[option];
  const int routed = int(workloads::ModelSpec::schema().bind(p.model, "model").moe.routed_experts);
  // GPUs per node as the option's overrides leave them (an override may swap the hardware).
  Node base = cluster_tree;
  for (const config::Entry& e : o.overrides.entries) config::set_at_path(base, e.key, e.value, e.value.origin);
  const Node* gpn = base.find("hardware") ? base.find("hardware")->find("gpus_per_node") : nullptr;
  const int gpus_per_node = gpn && gpn->is_scalar() ? std::atoi(gpn->scalar.c_str()) : 0;
  const double context = decode_context(p.demand.prompt_lengths, p.demand.output_lengths);
  const bool economics = scenarios_have_economics();

  std::vector<ScenarioPoint> out;
  for (Phase phase : {Phase::prefill, Phase::decode}) {
    const PhaseSearch& search = phase == Phase::prefill ? plan.searches[option].prefill : plan.searches[option].decode;
    for (const Choice& c : enumerate_choices(search, phase)) {
      std::vector<const LengthPoint*> lengths;
      if (phase == Phase::prefill)
        for (const LengthPoint& l : p.demand.prompt_lengths) lengths.push_back(&l);
      else
        lengths.push_back(nullptr);
      for (const LengthPoint* len : lengths) {
        ScenarioPoint pt;
        pt.option = option;
        pt.choice = c;
        std::string id = c.id();
        if (len) {
          pt.prompt_tokens = len->tokens;
          pt.request_share = len->share;
          id += "-p" + std::to_string(static_cast<long long>(len->tokens));
        }
        const char* phase_text = workloads::phase_name(phase);
        pt.file = "scenarios/" + o.name + "/" + phase_text + "-" + id + ".h5";
        Node t = cluster_tree;
        const int gpus = c.nodes * gpus_per_node;
        set(t, "name", scalar(p.name + "-" + o.name + "-" + phase_text + "-" + id));
        set(t, "description", scalar("plan " + p.name + ", option " + o.name + ": " + phase_text + " unit, " + c.text()));
        set(t, "seed", integer(p.seed));
        set(t, "fidelity", scalar(sim::fidelity_name(p.fidelity)));
        set(t, "cluster.nodes", integer(c.nodes));
        if (economics) {
          set(t, "economics", hw::EconomicsSpec::schema().dump(p.economics));
          if (o.price_usd > 0)
            set(t, "economics.accelerator_price", scalar(config::format_quantity(o.price_usd, config::Dim::money)));
        }
        Node workload = p.workload;
        set(workload, "model", p.model);
        set(workload, "phase", scalar(phase_text));
        if (phase == Phase::prefill) {
          set(workload, "prefill.prompt_len", integer(std::llround(len->tokens)));
          set(workload, "prefill.tokens_per_gpu", integer(c.tokens_per_gpu));
          set(workload, "prefill.kv_hit_rate", scalar(config::format_number(p.demand.kv_hit_rate)));
          // A prompt longer than a micro-batch's share of the step is chunked (continuous batching).
          const long long tokens = std::llround(len->tokens);
          const long long fresh = tokens - static_cast<long long>(std::floor(tokens * p.demand.kv_hit_rate));
          const long long share = static_cast<long long>(c.tokens_per_gpu) * c.tp / c.micro_batches;
          if (fresh > share) set(workload, "prefill.chunk", integer(std::max(1LL, share)));
        } else {
          set(workload, "batch_per_gpu", integer(c.batch_per_gpu));
          set(workload, "kv_len", integer(std::max<long long>(1, std::llround(context))));
        }
        set(t, "workload", workload);
        set(t, "parallel.tp", integer(c.tp));
        set(t, "parallel.attention_dp", integer(gpus_per_node > 0 ? gpus / c.tp : 1));
        set(t, "parallel.ep", integer(routed > 0 ? gpus : 1));
        set(t, "parallel.redundant_experts", integer(redundant_experts_for(routed, gpus)));
        set(t, "parallel.micro_batches", integer(c.micro_batches));
        set(t, "output.ops_table", scalar("none"));
        for (const config::Entry& e : o.overrides.entries) config::set_at_path(t, e.key, e.value, e.value.origin);
        try {
          pt.resolved_yaml = sim::bind_scenario(t, o.cluster).resolved_yaml;
        } catch (const config::ConfigError& e) {
          pt.invalid = e.what();
        }
        pt.tree = std::move(t);
        out.push_back(std::move(pt));
      }
    }
  }
  return out;
}

}  // namespace strata::plan
