#include "sim/plan/plan_tables.h"

#include <cmath>
#include <limits>

#include "sim/config/units.h"
#include "sim/engine/run.h"
#include "sim/results/atomic_file.h"
#include "sim/results/hdf5_io.h"

namespace strata::plan {
using results::Column;
using results::Table;
using workloads::Phase;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string files_of(const PlanRun& run, const Unit& u) {
  std::string s;
  for (size_t i : u.points) s += (s.empty() ? "" : ";") + run.points[i].file;
  return s;
}

std::string choice_text(const PlanRun& run, const std::vector<Unit>& units, const std::optional<size_t>& i) {
  (void)run;
  return i ? units[*i].choice.text() : "";
}

Table options_table(const PlanRun& run) {
  std::vector<std::string> name, chip, feasible, why, pre_choice, dec_choice, pre_files, dec_files, process;
  std::vector<int64_t> pre_units, dec_units;
  std::vector<double> pre_gpus, dec_gpus, gpus, nodes, racks, ttft, tpot, pre_cap, dec_cap, it, facility, capital,
      price, in_m, out_m, all_m, cost_day, rev_day, logic, logic_share, cowos, cowos_share, hbm, hbm_share,
      pre_per_node, dec_per_node, net_switches, net_xcvr, net_engines, net_copper, net_fibres, net_power, net_power_share,
      net_capital, net_capital_share, xcvr_per_gpu;
  for (size_t i = 0; i < run.options.size(); ++i) {
    const OptionPlan& p = run.options[i];
    const OptionUnits& u = run.units[i];
    name.push_back(p.option);
    chip.push_back(run.chips[i]);
    feasible.push_back(p.feasible ? "yes" : "no");
    why.push_back(p.why_not);
    pre_choice.push_back(choice_text(run, u.prefill, p.prefill));
    dec_choice.push_back(choice_text(run, u.decode, p.decode));
    pre_files.push_back(p.prefill ? files_of(run, u.prefill[*p.prefill]) : "");
    dec_files.push_back(p.decode ? files_of(run, u.decode[*p.decode]) : "");
    const bool ok = p.feasible;
    const Unit* pu = ok ? &u.prefill[*p.prefill] : nullptr;
    const Unit* du = ok ? &u.decode[*p.decode] : nullptr;
    auto v = [&](double x) { return ok ? x : kNaN; };
    pre_units.push_back(p.prefill_fleet.units);
    dec_units.push_back(p.decode_fleet.units);
    pre_gpus.push_back(v(p.prefill_fleet.gpus));
    dec_gpus.push_back(v(p.decode_fleet.gpus));
    gpus.push_back(v(p.gpus));
    nodes.push_back(v(p.nodes));
    racks.push_back(v(p.racks));
    ttft.push_back(ok ? pu->latency_s : kNaN);
    tpot.push_back(ok ? du->latency_s : kNaN);
    pre_cap.push_back(ok ? pu->capacity_tokens_per_s : kNaN);
    dec_cap.push_back(ok ? du->capacity_tokens_per_s : kNaN);
    pre_per_node.push_back(ok ? pu->capacity_tokens_per_s / pu->nodes : kNaN);
    dec_per_node.push_back(ok ? du->capacity_tokens_per_s / du->nodes : kNaN);
    it.push_back(v(p.it_power_w));
    facility.push_back(v(p.facility_power_w));
    capital.push_back(v(p.capital_usd));
    price.push_back(ok ? du->price_usd : kNaN);
    in_m.push_back(v(p.input_cost.usd_per_million_tokens));
    out_m.push_back(v(p.output_cost.usd_per_million_tokens));
    all_m.push_back(v(p.total_cost.usd_per_million_tokens));
    cost_day.push_back(v(p.cost_usd_per_day));
    rev_day.push_back(v(p.revenue_usd_per_day));
    process.push_back(p.supply.process);
    logic.push_back(v(p.supply.logic_wafers));
    logic_share.push_back(v(p.supply.logic_share));
    cowos.push_back(v(p.supply.cowos_wafers));
    cowos_share.push_back(v(p.supply.cowos_share));
    hbm.push_back(v(p.supply.hbm_stacks));
    hbm_share.push_back(v(p.supply.hbm_share));
    const NetworkCounts& n = p.network;
    net_switches.push_back(v(n.switch_chips));
    net_xcvr.push_back(v(n.transceivers));
    net_engines.push_back(v(n.optical_engines));
    net_copper.push_back(v(n.copper_cables));
    net_fibres.push_back(v(n.fibres));
    net_power.push_back(v(n.power_w));
    net_power_share.push_back(v(p.it_power_w > 0 ? n.power_w / p.it_power_w : kNaN));
    net_capital.push_back(v(n.capital_usd));
    net_capital_share.push_back(v(p.capital_usd > 0 ? n.capital_usd / p.capital_usd : kNaN));
    xcvr_per_gpu.push_back(v(p.gpus > 0 ? n.transceivers / p.gpus : kNaN));
  }
  Table t{"options", "One row per hardware option: the chosen deployment, the fleet for the peak hour, supply and cost", {}};
  t.columns = {
      Column{"option", "", "Option name", name},
      Column{"chip", "", "Accelerator", chip},
      Column{"feasible", "", "yes when some prefill and some decode choice meet the targets", feasible},
      Column{"why_not", "", "Which target no choice meets, and the best latency found", why},
      Column{"prefill_choice", "", "Chosen prefill unit", pre_choice},
      Column{"decode_choice", "", "Chosen decode unit", dec_choice},
      Column{"ttft", "s", "Time to first token at the percentile, chosen prefill unit", ttft},
      Column{"tpot", "s", "Time per output token, chosen decode unit", tpot},
      Column{"prefill_unit_capacity", "tokens/s", "Prompt tokens/s of one prefill unit (cache hits included)", pre_cap},
      Column{"decode_unit_capacity", "tokens/s", "Output tokens/s of one decode unit", dec_cap},
      Column{"prefill_tokens_per_s_per_node", "tokens/s", "Prompt tokens/s per prefill node", pre_per_node},
      Column{"decode_tokens_per_s_per_node", "tokens/s", "Output tokens/s per decode node", dec_per_node},
      Column{"prefill_units", "1", "Prefill units for the peak hour", pre_units},
      Column{"decode_units", "1", "Decode units for the peak hour", dec_units},
      Column{"prefill_accelerators", "1", "Accelerators in prefill units", pre_gpus},
      Column{"decode_accelerators", "1", "Accelerators in decode units", dec_gpus},
      Column{"accelerators", "1", "All accelerators", gpus},
      Column{"nodes", "1", "All nodes", nodes},
      Column{"racks", "1", "Racks (nodes / nodes_per_rack, rounded up)", racks},
      Column{"it_power", "W", "IT power of the fleet, every unit busy", it},
      Column{"facility_power", "W", "it_power x PUE", facility},
      Column{"accelerator_price", "USD", "Price of one accelerator", price},
      Column{"capital", "USD", "Accelerators and systems (price + system_cost_per_gpu, per accelerator) and the network",
             capital},
      Column{"usd_per_million_input", "USD", "Prefill fleet's cost per million prompt tokens at the daily mean load", in_m},
      Column{"usd_per_million_output", "USD", "Decode fleet's cost per million output tokens at the daily mean load", out_m},
      Column{"usd_per_million_tokens", "USD", "Whole fleet's cost per million tokens (input + output)", all_m},
      Column{"cost_per_day", "USD", "Capital (depreciated) and energy per day", cost_day},
      Column{"revenue_per_day", "USD", "Tokens per day at token_prices", rev_day},
      Column{"process", "", "Logic process of the accelerator", process},
      Column{"logic_wafers", "1", "Logic wafers started for the fleet's accelerators", logic},
      Column{"logic_wafer_share", "1", "logic_wafers / a month of the process's capacity (NaN: capacity not given)", logic_share},
      Column{"cowos_wafers", "1", "CoWoS interposer wafers for the fleet", cowos},
      Column{"cowos_wafer_share", "1", "cowos_wafers / a month of CoWoS capacity", cowos_share},
      Column{"hbm_stacks", "1", "HBM stacks on the fleet's accelerators", hbm},
      Column{"hbm_share", "1", "hbm_stacks / a month of HBM supply (NaN: not given)", hbm_share},
      Column{"network_switch_chips", "1", "Switch chips outside the nodes (the fleet's share of its cluster preset's fabric)", net_switches},
      Column{"transceivers", "1", "Pluggable optical modules of the fleet's networks", net_xcvr},
      Column{"optical_engines", "1", "Co-packaged optical engines of the fleet's networks", net_engines},
      Column{"copper_cables", "1", "Copper cables, in the nodes included (NVLink copper spine: one per pair)", net_copper},
      Column{"fibres", "1", "Optical fibre cables", net_fibres},
      Column{"network_power", "W", "Rated power of the networks outside the nodes (a part of it_power)", net_power},
      Column{"network_power_share", "1", "network_power / it_power", net_power_share},
      Column{"network_capital", "USD", "Price of the networks outside the nodes (a part of capital)", net_capital},
      Column{"network_capital_share", "1", "network_capital / capital", net_capital_share},
      Column{"transceivers_per_gpu", "1", "transceivers / accelerators", xcvr_per_gpu},
      Column{"prefill_scenarios", "", "Result files of the chosen prefill unit (one per prompt length)", pre_files},
      Column{"decode_scenarios", "", "Result file of the chosen decode unit", dec_files},
  };
  return t;
}

Table units_table(const PlanRun& run) {
  const PlanSpec& spec = run.plan.spec;
  std::vector<std::string> option, phase, choice, status, files, error;
  std::vector<int64_t> chosen, meets, fits;
  std::vector<double> gpus, nodes, cap, per_gpu, latency, step, power, usd;
  for (size_t i = 0; i < run.options.size(); ++i)
    for (Phase ph : {Phase::prefill, Phase::decode}) {
      const std::vector<Unit>& us = ph == Phase::prefill ? run.units[i].prefill : run.units[i].decode;
      const std::optional<size_t>& pick = ph == Phase::prefill ? run.options[i].prefill : run.options[i].decode;
      const double target = ph == Phase::prefill ? spec.targets.ttft_s : spec.targets.tpot_s;
      for (size_t k = 0; k < us.size(); ++k) {
        const Unit& u = us[k];
        option.push_back(spec.options[i].name);
        phase.push_back(workloads::phase_name(ph));
        choice.push_back(u.choice.text());
        status.push_back(u.simulated ? "ok" : "failed");
        files.push_back(files_of(run, u));
        error.push_back(u.error);
        chosen.push_back(pick && *pick == k);
        meets.push_back(u.simulated && u.latency_s <= target);
        fits.push_back(u.fits);
        auto v = [&](double x) { return u.simulated ? x : kNaN; };
        gpus.push_back(v(u.gpus));
        nodes.push_back(v(u.nodes));
        cap.push_back(v(u.capacity_tokens_per_s));
        per_gpu.push_back(v(u.capacity_tokens_per_s / u.gpus));
        latency.push_back(v(u.latency_s));
        step.push_back(v(u.step_time_s));
        power.push_back(v(u.it_power_w));
        usd.push_back(v(u.usd_per_million_tokens(spec.economics)));
      }
    }
  Table t{"units", "Every deployment choice simulated: one serving unit each", {}};
  t.columns = {
      Column{"option", "", "Hardware option", option},
      Column{"phase", "", "prefill or decode", phase},
      Column{"choice", "", "Nodes, attention TP, batch (decode) or tokens per GPU (prefill), micro-batches", choice},
      Column{"status", "", "ok, or failed (see error)", status},
      Column{"chosen", "1", "1 for the unit the plan picked", chosen},
      Column{"meets_target", "1", "1 when its latency meets the target (TTFT for prefill, TPOT for decode)", meets},
      Column{"fits", "1", "1 when weights and KV cache fit in HBM", fits},
      Column{"gpus", "1", "Accelerators in the unit", gpus},
      Column{"nodes", "1", "Nodes in the unit", nodes},
      Column{"capacity", "tokens/s", "Prefill: prompt tokens/s (cache hits included); decode: output tokens/s", cap},
      Column{"capacity_per_gpu", "tokens/s", "capacity / gpus", per_gpu},
      Column{"latency", "s", "Prefill: TTFT at the percentile; decode: TPOT", latency},
      Column{"step_time", "s", "Step time (prefill: of the prompt mix)", step},
      Column{"it_power", "W", "IT power of the unit, busy", power},
      Column{"usd_per_million_tokens", "USD", "Cost per million tokens at the unit's capacity (how units are ranked)", usd},
      Column{"scenarios", "", "Result files of the unit, relative to the plan directory", files},
      Column{"error", "", "Why the unit could not be simulated", error},
  };
  return t;
}

Table assumptions_table(const PlanRun& run) {
  const PlanSpec& s = run.plan.spec;
  std::vector<std::string> name, value, source;
  auto add = [&](const std::string& n, const std::string& v, const std::string& src) {
    name.push_back(n), value.push_back(v), source.push_back(src);
  };
  using config::Dim;
  using config::format_display;
  add("input tokens per day", format_display(s.demand.input_tokens_per_day, Dim::none), "plan demand");
  add("output tokens per day", format_display(s.demand.output_tokens_per_day, Dim::none), "plan demand");
  add("peak / average", format_display(run.peak_factor, Dim::none), s.demand.profile.empty() ? "plan demand.peak_to_average" : "plan demand.profile (24 h)");
  add("KV-cache hit rate", format_display(s.demand.kv_hit_rate, Dim::none), "plan demand");
  add("mean prompt length", format_display(mean_length(s.demand.prompt_lengths), Dim::none) + " tokens", "plan demand.prompt_lengths");
  add("mean output length", format_display(mean_length(s.demand.output_lengths), Dim::none) + " tokens", "plan demand.output_lengths");
  add("decode KV context (mean over output tokens)", format_display(run.decode_context, Dim::none) + " tokens",
      "E[P] + E[O(O-1)]/(2E[O]) of the length distributions");
  add("TTFT target", format_display(s.targets.ttft_s, Dim::time) + " at p" + format_display(s.targets.percentile * 100, Dim::none), "plan targets");
  add("TPOT target", format_display(s.targets.tpot_s, Dim::time), "plan targets");
  add("peak utilisation", format_display(s.targets.peak_utilisation, Dim::none), "plan targets");
  add("fidelity", sim::fidelity_name(s.fidelity), "plan");
  for (const config::Entry& e : hw::EconomicsSpec::schema().dump(s.economics).entries)
    add("economics." + e.key, e.value.scalar, "plan economics");
  add("token price: input (cache hit)", format_display(s.token_prices.input_cache_hit_usd, Dim::money) + " / M", s.token_prices.source);
  add("token price: input (cache miss)", format_display(s.token_prices.input_cache_miss_usd, Dim::money) + " / M", s.token_prices.source);
  add("token price: output", format_display(s.token_prices.output_usd, Dim::money) + " / M", s.token_prices.source);
  for (const LogicCapacity& c : s.supply.logic) {
    std::string procs;
    for (const std::string& p : c.processes) procs += (procs.empty() ? "" : ", ") + p;
    add("logic wafers/month: " + procs, format_display(c.wafers_per_month, Dim::none), c.source);
  }
  if (s.supply.cowos_wafers_per_month > 0)
    add("CoWoS wafers/month", format_display(s.supply.cowos_wafers_per_month, Dim::none), s.supply.cowos_source);
  if (s.supply.hbm_stacks_per_month > 0)
    add("HBM stacks/month", format_display(s.supply.hbm_stacks_per_month, Dim::none), s.supply.hbm_source);
  for (const OptionSpec& o : s.options)
    add("option " + o.name, o.cluster + (o.price_usd > 0 ? ", price " + format_display(o.price_usd, Dim::money) : ""), o.note);
  Table t{"assumptions", "Inputs of the plan with their sources", {}};
  t.columns = {Column{"name", "", "What", name}, Column{"value", "", "Value with units", value},
               Column{"source", "", "Where it comes from", source}};
  return t;
}

}  // namespace

results::Result plan_result(const PlanRun& run) {
  const PlanSpec& s = run.plan.spec;
  results::Result r;
  r.title = "capacity plan " + s.name + ": " + s.description;
  r.config_yaml = run.plan.resolved_yaml;
  r.provenance = {sim::strata_version(), sim::strata_git_describe(), s.seed, s.name, sim::fidelity_name(s.fidelity),
                  "", ""};
  r.summary = {
      {"input_tokens_per_s", run.rates.input_avg, "tokens/s", "Prompt tokens per second, daily mean"},
      {"output_tokens_per_s", run.rates.output_avg, "tokens/s", "Output tokens per second, daily mean"},
      {"peak_input_tokens_per_s", run.rates.input_peak, "tokens/s", "Prompt tokens per second, peak hour"},
      {"peak_output_tokens_per_s", run.rates.output_peak, "tokens/s", "Output tokens per second, peak hour"},
      {"peak_factor", run.peak_factor, "1", "Peak hour over the daily mean"},
      {"decode_context", run.decode_context, "tokens", "Mean KV context of a decode step's output tokens"},
      {"ttft_target", s.targets.ttft_s, "s", "Time-to-first-token target"},
      {"tpot_target", s.targets.tpot_s, "s", "Time-per-output-token target"},
      {"percentile", s.targets.percentile, "1", "Share of requests the TTFT target covers"},
      {"scenarios", double(run.points.size()), "1", "Scenarios of the plan (simulated, reused or invalid)"},
  };
  r.tables = {options_table(run), units_table(run), assumptions_table(run)};
  return r;
}

void write_csv(const Table& t, std::ostream& out) {
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const Column& col = t.columns[c];
    out << (c ? "," : "") << quote(col.unit.empty() || col.unit == "1" ? col.name : col.name + " [" + col.unit + "]");
  }
  out << "\n";
  for (size_t row = 0; row < t.rows(); ++row) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      out << (c ? "," : "");
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v[0])>;
            if constexpr (std::is_same_v<T, std::string>) out << quote(v[row]);
            else if constexpr (std::is_same_v<T, double>) { if (std::isfinite(v[row])) out << config::format_number(v[row]); }
            else out << v[row];
          },
          t.columns[c].data);
    }
    out << "\n";
  }
}

void write_plan_tables(const results::Result& r, const std::string& dir) {
  results::write_hdf5(r, dir + "/plan.h5");
  for (const Table& t : r.tables) results::write_text_atomically(dir + "/" + t.name + ".csv", [&](std::ostream& o) { write_csv(t, o); });
}

}  // namespace strata::plan
