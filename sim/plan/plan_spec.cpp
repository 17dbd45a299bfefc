#include "sim/plan/plan_spec.h"

#include <cctype>
#include <cmath>

#include "sim/config/loader.h"

namespace strata::plan {
using config::Dim;
using config::Schema;

const Schema<LengthPoint>& LengthPoint::schema() {
  static const Schema<LengthPoint> s = [] {
    Schema<LengthPoint> s("length_point", "One point of a length distribution");
    s.number("tokens", &LengthPoint::tokens, "Length in tokens").range("1", "16777216");
    s.number("share", &LengthPoint::share, "Share of the requests with this length").range("0", "1");
    return s;
  }();
  return s;
}

namespace {

/// Length distributions need at least one point and shares that add up to 1.
void check_lengths(const std::vector<LengthPoint>& v, const std::string& key, const config::Checker& k) {
  if (v.empty()) k.fail(key, "needs at least one {tokens, share} point");
  double sum = 0;
  for (const LengthPoint& p : v) sum += p.share;
  if (std::fabs(sum - 1) > 1e-6)
    k.fail(key, "shares add up to " + config::format_number(sum) + "; they must add up to 1");
}

void check_positive_integers(const std::vector<double>& v, const std::string& key, const config::Checker& k) {
  for (double x : v)
    if (x < 1 || x != std::floor(x) || x > 1e7)
      k.fail(key, "values are whole numbers from 1 to 10000000, not " + config::format_number(x));
}

}  // namespace

const Schema<DemandSpec>& DemandSpec::schema() {
  static const Schema<DemandSpec> s = [] {
    Schema<DemandSpec> s("demand", "The traffic to serve");
    s.number("input_tokens_per_day", &DemandSpec::input_tokens_per_day,
             "Prompt tokens per day, KV-cache hits included")
        .min(0);
    s.number("output_tokens_per_day", &DemandSpec::output_tokens_per_day, "Generated tokens per day").min(0);
    s.number("peak_to_average", &DemandSpec::peak_to_average,
             "Peak-hour load over the daily mean (used when profile is empty)")
        .def("1").range("1", "100");
    s.quantities("profile", &DemandSpec::profile, Dim::none,
                 "24 hourly loads (any scale); when given, its peak over its mean replaces peak_to_average")
        .def("[]");
    s.number("kv_hit_rate", &DemandSpec::kv_hit_rate,
             "Share of prompt tokens served from the KV cache (prefix reuse), not recomputed")
        .def("0").range("0", "0.99");
    s.list("prompt_lengths", &DemandSpec::prompt_lengths,
           "Prompt length distribution: {tokens, share} points, shares of requests");
    s.list("output_lengths", &DemandSpec::output_lengths,
           "Output length distribution: {tokens, share} points, shares of requests");
    s.check([](const DemandSpec& d, const config::Checker& k) {
      if (d.input_tokens_per_day + d.output_tokens_per_day <= 0)
        k.fail("output_tokens_per_day", "the demand needs input or output tokens");
      if (!d.profile.empty()) {
        if (d.profile.size() != 24) k.fail("profile", "needs 24 hourly values, has " + std::to_string(d.profile.size()));
        double sum = 0;
        for (double v : d.profile) {
          if (v < 0) k.fail("profile", "loads cannot be negative");
          sum += v;
        }
        if (sum <= 0) k.fail("profile", "needs a positive load in some hour");
      }
      check_lengths(d.prompt_lengths, "prompt_lengths", k);
      check_lengths(d.output_lengths, "output_lengths", k);
    });
    return s;
  }();
  return s;
}

const Schema<TargetsSpec>& TargetsSpec::schema() {
  static const Schema<TargetsSpec> s = [] {
    Schema<TargetsSpec> s("targets", "Service-level targets every deployment must meet");
    s.quantity("ttft", &TargetsSpec::ttft_s, Dim::time, "Time to first token at the percentile")
        .range("1 ms", "1 h");
    s.quantity("tpot", &TargetsSpec::tpot_s, Dim::time, "Time per output token").range("10 us", "10 s");
    s.number("percentile", &TargetsSpec::percentile, "Share of requests that must meet the TTFT target")
        .def("0.9").range("0.01", "1");
    s.number("peak_utilisation", &TargetsSpec::peak_utilisation,
             "Load the fleet carries in the peak hour, as a share of its simulated capacity (headroom)")
        .def("1").range("0.05", "1");
    return s;
  }();
  return s;
}

const Schema<PhaseSearch>& PhaseSearch::schema() {
  static const Schema<PhaseSearch> s = [] {
    Schema<PhaseSearch> s("phase_search", "Deployment choices of one phase (every combination is simulated)");
    s.quantities("nodes", &PhaseSearch::nodes, Dim::none,
                 "Nodes of one serving unit; routed experts (EP) and attention DP span all its GPUs")
        .def("[1]");
    s.quantities("tp", &PhaseSearch::tp, Dim::none, "Attention tensor parallelism (attention DP = GPUs / tp)")
        .def("[1]");
    s.quantities("batch_per_gpu", &PhaseSearch::batch_per_gpu, Dim::none, "Decode: requests per GPU")
        .def("[64]");
    s.quantities("tokens_per_gpu", &PhaseSearch::tokens_per_gpu, Dim::none,
                 "Prefill: new prompt tokens per GPU per step")
        .def("[16384]");
    s.quantities("micro_batches", &PhaseSearch::micro_batches, Dim::none,
                 "Micro-batches overlapped (one computes while the other communicates)")
        .def("[1, 2]");
    s.check([](const PhaseSearch& p, const config::Checker& k) {
      check_positive_integers(p.nodes, "nodes", k);
      check_positive_integers(p.tp, "tp", k);
      check_positive_integers(p.batch_per_gpu, "batch_per_gpu", k);
      check_positive_integers(p.tokens_per_gpu, "tokens_per_gpu", k);
      check_positive_integers(p.micro_batches, "micro_batches", k);
      for (const auto* v : {&p.nodes, &p.tp, &p.batch_per_gpu, &p.tokens_per_gpu, &p.micro_batches})
        if (v->empty()) k.fail("nodes", "every choice needs at least one value");
    });
    return s;
  }();
  return s;
}

const Schema<SearchSpec>& SearchSpec::schema() {
  static const Schema<SearchSpec> s = [] {
    Schema<SearchSpec> s("search", "Deployment choices searched for every option");
    s.child("prefill", &SearchSpec::prefill, "Prefill units (disaggregated from decode)");
    s.child("decode", &SearchSpec::decode, "Decode units");
    return s;
  }();
  return s;
}

const Schema<OptionSpec>& OptionSpec::schema() {
  static const Schema<OptionSpec> s = [] {
    Schema<OptionSpec> s("option", "One hardware option");
    s.text("name", &OptionSpec::name, "Short name (letters, digits, '-', '_'), used in file names");
    s.path("cluster", &OptionSpec::cluster,
           "File giving hardware: and cluster: (configs/clusters/*.yaml or a scenario), relative to the plan");
    s.raw("overrides", &OptionSpec::overrides,
          "Scenario keys set for every point of this option (key.path: value), e.g. hardware.chip.clock")
        .def("{}");
    s.quantity("price", &OptionSpec::price_usd, Dim::money,
               "Price of one accelerator; $0 = the scenario's economics (cost model and margin)")
        .def("$0").min(0);
    s.integer("nodes_per_rack", &OptionSpec::nodes_per_rack, "Nodes in one rack (NVL72: 1 node of 72 GPUs)")
        .def("1").range("1", "1024");
    s.raw("search", &OptionSpec::search, "Keys of the plan's search: that this option replaces").def("{}");
    s.text("note", &OptionSpec::note, "One line for the report: what the option is, its sources").def("\"\"");
    s.check([](const OptionSpec& o, const config::Checker& k) {
      if (o.name.empty()) k.fail("name", "needs a name");
      for (char c : o.name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
          k.fail("name", "'" + o.name + "': use letters, digits, '-' and '_' (it names files)");
      if (!o.overrides.is_map()) k.fail("overrides", "expected a mapping of key.path: value");
      if (!o.search.is_map()) k.fail("search", "expected a mapping like the plan's search:");
    });
    return s;
  }();
  return s;
}

const Schema<LogicCapacity>& LogicCapacity::schema() {
  static const Schema<LogicCapacity> s = [] {
    Schema<LogicCapacity> s("logic_capacity", "Foundry capacity of one logic process");
    s.raw("processes", &LogicCapacity::process_list,
          "Chip process names (hardware.chip.node.name) this capacity serves, e.g. [TSMC N4, TSMC N5]");
    s.number("wafers_per_month", &LogicCapacity::wafers_per_month, "300 mm wafer starts per month").positive();
    s.text("source", &LogicCapacity::source, "Where the figure comes from");
    s.check([](const LogicCapacity& c, const config::Checker& k) {
      bool ok = c.process_list.is_seq() && !c.process_list.items.empty();
      for (const config::Node& n : c.process_list.items) ok = ok && n.is_scalar() && !n.scalar.empty();
      if (!ok) k.fail("processes", "expected a list of process names, e.g. [TSMC N4, TSMC N5]");
    });
    return s;
  }();
  return s;
}

const Schema<SupplySpec>& SupplySpec::schema() {
  static const Schema<SupplySpec> s = [] {
    Schema<SupplySpec> s("supply", "Foundry and memory capacity the fleet is compared with");
    s.list("logic", &SupplySpec::logic, "Logic wafer capacity per process").def("[]");
    s.number("cowos_wafers_per_month", &SupplySpec::cowos_wafers_per_month,
             "CoWoS interposer wafer capacity per month (0: not compared)")
        .def("0").min(0);
    s.text("cowos_source", &SupplySpec::cowos_source, "Where the CoWoS figure comes from").def("\"\"");
    s.number("hbm_stacks_per_month", &SupplySpec::hbm_stacks_per_month,
             "HBM stacks supplied per month (0: not compared)")
        .def("0").min(0);
    s.text("hbm_source", &SupplySpec::hbm_source, "Where the HBM figure comes from").def("\"\"");
    return s;
  }();
  return s;
}

const Schema<TokenPrices>& TokenPrices::schema() {
  static const Schema<TokenPrices> s = [] {
    Schema<TokenPrices> s("token_prices", "What customers pay per million tokens (revenue)");
    s.quantity("input_cache_hit", &TokenPrices::input_cache_hit_usd, Dim::money,
               "Per million prompt tokens served from the KV cache")
        .def("$0").min(0);
    s.quantity("input_cache_miss", &TokenPrices::input_cache_miss_usd, Dim::money,
               "Per million prompt tokens computed")
        .def("$0").min(0);
    s.quantity("output", &TokenPrices::output_usd, Dim::money, "Per million generated tokens").def("$0").min(0);
    s.text("source", &TokenPrices::source, "Where the prices come from").def("\"\"");
    return s;
  }();
  return s;
}

const Schema<PlanSpec>& PlanSpec::schema() {
  static const Schema<PlanSpec> s = [] {
    Schema<PlanSpec> s("plan", "A capacity plan (strata plan)");
    s.text("name", &PlanSpec::name, "Short name, used in the report");
    s.text("description", &PlanSpec::description, "One line on what the plan compares").def("\"\"");
    s.choice("fidelity", &PlanSpec::fidelity,
             {{"cycle", sim::Fidelity::cycle}, {"cached", sim::Fidelity::cached},
              {"analytical", sim::Fidelity::analytical}},
             "Fidelity of every simulated scenario (analytical or cached keep a plan fast)")
        .def("analytical");
    s.integer("seed", &PlanSpec::seed, "Seed of every scenario").def("1").min(0);
    s.raw("model", &PlanSpec::model, "The model served (usually base: ../workloads/NAME.yaml)");
    s.raw("workload", &PlanSpec::workload,
          "Further workload keys of every scenario (mtp, precision, moe_load), as in a scenario")
        .def("{}");
    s.child("demand", &PlanSpec::demand, "The traffic to serve");
    s.child("targets", &PlanSpec::targets, "Service-level targets");
    s.child("search", &PlanSpec::search, "Deployment choices searched for every option");
    s.list("options", &PlanSpec::options, "Hardware options compared");
    s.child("economics", &PlanSpec::economics, "Prices, lifetime, electricity and PUE (every scenario's economics:)");
    s.child("token_prices", &PlanSpec::token_prices, "What customers pay (revenue)");
    s.child("supply", &PlanSpec::supply, "Foundry and memory capacity");
    s.check([](const PlanSpec& p, const config::Checker& k) {
      if (!p.model.is_map()) k.fail("model", "expected a model mapping (base: ../workloads/NAME.yaml)");
      if (!p.workload.is_map()) k.fail("workload", "expected a mapping of workload keys");
      for (const char* key : {"model", "phase", "batch_per_gpu", "kv_len", "prefill"})
        if (p.workload.find(key))
          k.fail(std::string("workload.") + key, "is set by the plan (model:, demand: and search:)");
      if (p.options.empty()) k.fail("options", "needs at least one hardware option");
      for (size_t i = 0; i < p.options.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          if (p.options[i].name == p.options[j].name)
            k.fail("options." + std::to_string(i) + ".name", "'" + p.options[i].name + "' is used twice");
    });
    return s;
  }();
  return s;
}

config::DocRoot plan_doc_root() {
  return {"Plan files (configs/plans/, `strata plan`)",
          "A capacity plan: demand, targets, the model, hardware options (each a cluster file plus "
          "overrides), the deployment choices searched, economics, token prices and foundry supply "
          "(docs/plan.md).",
          &PlanSpec::schema()};
}

LoadedPlan load_plan(const std::string& path, const std::vector<std::string>& overrides) {
  LoadedPlan out;
  out.path = path;
  out.tree = config::load_tree(path, overrides);
  out.spec = PlanSpec::schema().bind(out.tree);
  for (LogicCapacity& c : out.spec.supply.logic)
    for (const config::Node& n : c.process_list.items) c.processes.push_back(n.scalar);
  const config::Node* search = out.tree.find("search");
  const config::Node* options = out.tree.find("options");
  for (size_t i = 0; i < out.spec.options.size(); ++i) {
    config::Node merged = search ? *search : config::Node::make_map();
    if (merged.is_null()) merged = config::Node::make_map();
    config::merge_into(merged, out.spec.options[i].search);
    const config::Node* at = options->items[i].find("search");
    std::string key = at ? "options." + std::to_string(i) + ".search" : "search";
    out.searches.push_back(SearchSpec::schema().bind(merged, key));
  }
  config::Node resolved = config::Node::make_map();
  resolved.set("version", config::Node::make_scalar(std::to_string(config::kConfigVersion)), config::Origin());
  for (config::Entry& e : PlanSpec::schema().dump(out.spec).entries) resolved.entries.push_back(std::move(e));
  out.resolved_yaml = config::to_yaml(resolved);
  return out;
}

}  // namespace strata::plan
