#include "sim/plan/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/config/units.h"
#include "sim/engine/run.h"
#include "sim/plan/svg_chart.h"

namespace strata::plan {
using config::Dim;
using workloads::Phase;

namespace {

const double kNaN = std::nan("");

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

/// Thousands separators for counts ("12,345").
std::string count(double v) {
  if (!std::isfinite(v)) return "-";
  std::string s = fixed(v, 0), out;
  int n = 0;
  for (size_t i = s.size(); i-- > 0;) {
    out.insert(out.begin(), s[i]);
    if (++n % 3 == 0 && i > 0 && s[i - 1] != '-') out.insert(out.begin(), ',');
  }
  return out;
}

std::string ms(double s) { return fixed(s * 1e3, s < 0.1 ? 1 : 0) + " ms"; }
std::string usd(double v) { return "$" + fixed(v, v < 10 ? 3 : 2); }
std::string pct(double v) {
  if (!std::isfinite(v)) return "n/a";
  char b[32];
  std::snprintf(b, sizeof b, "%.2g%%", v * 100);  // two significant digits: small shares stay visible
  return b;
}

struct Row {
  std::vector<std::string> cells;
  std::vector<std::string> html_after;  ///< per cell, markup appended in HTML (links to scenario files)
};

/// Links to a unit's scenario result files.
std::string scenario_links(const PlanRun& run, const Unit& u) {
  std::string s;
  for (size_t j : u.points)
    s += " <a href=\"" + escape_html(run.points[j].file) + "\">" +
         (run.points[j].prompt_tokens > 0 ? "P" + fixed(run.points[j].prompt_tokens, 0) : "h5") + "</a>";
  return s;
}

/// The headline: one row per option.
std::pair<std::vector<std::string>, std::vector<Row>> headline(const PlanRun& run) {
  const PlanSpec& s = run.plan.spec;
  std::vector<std::string> head = {"option", "chip", "prefill unit", "decode unit",
                                   "TTFT p" + fixed(s.targets.percentile * 100, 0), "TPOT",
                                   "accelerators (prefill + decode)", "racks", "IT MW", "facility MW", "capital $M",
                                   "$/M input", "$/M output", "logic wafers (share of a month)",
                                   "CoWoS wafers (share of a month)", "HBM stacks", "cost / revenue per day"};
  std::vector<Row> rows;
  for (size_t i = 0; i < run.options.size(); ++i) {
    const OptionPlan& p = run.options[i];
    const OptionUnits& u = run.units[i];
    Row r;
    r.cells.push_back(p.option);
    r.cells.push_back(run.chips[i]);
    if (!p.feasible) {
      r.cells.push_back("no deployment meets the targets: " + p.why_not);
      rows.push_back(r);
      continue;
    }
    const Unit& pu = u.prefill[*p.prefill];
    const Unit& du = u.decode[*p.decode];
    r.cells.push_back(pu.choice.text() + " (" + count(pu.gpus) + " GPUs)");
    r.cells.push_back(du.choice.text() + " (" + count(du.gpus) + " GPUs)");
    r.html_after = {"", "", scenario_links(run, pu), scenario_links(run, du)};
    r.cells.push_back(ms(pu.latency_s));
    r.cells.push_back(ms(du.latency_s));
    r.cells.push_back(count(p.gpus) + " (" + count(p.prefill_fleet.gpus) + " + " + count(p.decode_fleet.gpus) + ")");
    r.cells.push_back(count(p.racks));
    r.cells.push_back(fixed(p.it_power_w / 1e6, 2));
    r.cells.push_back(fixed(p.facility_power_w / 1e6, 2));
    r.cells.push_back(fixed(p.capital_usd / 1e6, 0));
    r.cells.push_back(usd(p.input_cost.usd_per_million_tokens));
    r.cells.push_back(usd(p.output_cost.usd_per_million_tokens));
    r.cells.push_back(count(p.supply.logic_wafers) + " (" + pct(p.supply.logic_share) + ")");
    r.cells.push_back(count(p.supply.cowos_wafers) + " (" + pct(p.supply.cowos_share) + ")");
    r.cells.push_back(count(p.supply.hbm_stacks));
    r.cells.push_back("$" + count(p.cost_usd_per_day) + " / $" + count(p.revenue_usd_per_day));
    rows.push_back(r);
  }
  return {head, rows};
}

/// The network of each option: what its units' clusters are built from, and its share of the fleet.
std::pair<std::vector<std::string>, std::vector<Row>> network(const PlanRun& run) {
  std::vector<std::string> head = {"option", "switch chips", "transceivers", "CPO engines", "copper cables", "fibres",
                                   "network kW (share of IT)", "network $M (share of capital)", "transceivers per GPU"};
  std::vector<Row> rows;
  for (const OptionPlan& p : run.options) {
    Row r;
    r.cells.push_back(p.option);
    if (!p.feasible) {
      r.cells.push_back("no deployment meets the targets");
      rows.push_back(r);
      continue;
    }
    const NetworkCounts& n = p.network;
    r.cells.push_back(count(n.switch_chips));
    r.cells.push_back(count(n.transceivers));
    r.cells.push_back(count(n.optical_engines));
    r.cells.push_back(count(n.copper_cables));
    r.cells.push_back(count(n.fibres));
    r.cells.push_back(fixed(n.power_w / 1e3, 1) + " (" + pct(p.it_power_w > 0 ? n.power_w / p.it_power_w : kNaN) + ")");
    r.cells.push_back(fixed(n.capital_usd / 1e6, 2) + " (" + pct(p.capital_usd > 0 ? n.capital_usd / p.capital_usd : kNaN) +
                      ")");
    r.cells.push_back(fixed(p.gpus > 0 ? n.transceivers / p.gpus : kNaN, 2));
    rows.push_back(r);
  }
  return {head, rows};
}

std::string html_table(const std::vector<std::string>& head, const std::vector<Row>& rows, const char* cls = "") {
  std::string s = std::string("<table class=\"") + cls + "\"><thead><tr>";
  for (const std::string& h : head) s += "<th>" + escape_html(h) + "</th>";
  s += "</tr></thead><tbody>";
  for (const Row& r : rows) {
    s += "<tr>";
    for (size_t i = 0; i < r.cells.size(); ++i) {
      bool last = i + 1 == r.cells.size() && r.cells.size() < head.size();
      s += last ? "<td colspan=\"" + std::to_string(head.size() - i) + "\">" : "<td>";
      s += escape_html(r.cells[i]) + (i < r.html_after.size() ? r.html_after[i] : "") + "</td>";
    }
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

/// Non-dominated decode units: no other has lower or equal TPOT and higher throughput per GPU.
std::vector<std::pair<double, double>> pareto_front(std::vector<std::pair<double, double>> pts) {
  std::sort(pts.begin(), pts.end());
  std::vector<std::pair<double, double>> front;
  double best = -1;
  for (auto& p : pts)
    if (p.second > best) {
      front.push_back(p);
      best = p.second;
    }
  return front;
}

std::string charts(const PlanRun& run) {
  const PlanSpec& s = run.plan.spec;
  std::vector<std::string> names;
  for (const OptionSpec& o : s.options) names.push_back(o.name);
  auto series = [&](const std::string& name, auto f) {
    BarSeries b{name, {}};
    for (size_t i = 0; i < run.options.size(); ++i) b.values.push_back(run.options[i].feasible ? f(i) : kNaN);
    return b;
  };
  auto pre = [&](size_t i) -> const Unit& { return run.units[i].prefill[*run.options[i].prefill]; };
  auto dec = [&](size_t i) -> const Unit& { return run.units[i].decode[*run.options[i].decode]; };
  std::string out;
  BarChart thr{"Throughput per node (chosen units)", "tokens/s per node", names, {}, -1, ""};
  thr.series = {series("prefill: prompt tokens/s", [&](size_t i) { return pre(i).capacity_tokens_per_s / pre(i).nodes; }),
                series("decode: output tokens/s", [&](size_t i) { return dec(i).capacity_tokens_per_s / dec(i).nodes; })};
  out += render_svg(thr);
  BarChart cost{"Cost per million tokens (daily mean load)", "USD per million tokens", names, {}, -1, ""};
  cost.series = {series("input", [&](size_t i) { return run.options[i].input_cost.usd_per_million_tokens; }),
                 series("output", [&](size_t i) { return run.options[i].output_cost.usd_per_million_tokens; }),
                 series("all tokens", [&](size_t i) { return run.options[i].total_cost.usd_per_million_tokens; })};
  out += render_svg(cost);
  BarChart power{"Fleet power for the peak hour", "MW", names, {}, -1, ""};
  power.series = {series("IT", [&](size_t i) { return run.options[i].it_power_w / 1e6; }),
                  series("facility (x PUE)", [&](size_t i) { return run.options[i].facility_power_w / 1e6; })};
  out += render_svg(power);
  BarChart wafers{"Wafers for the fleet against a month of capacity", "% of one month", names, {}, 100, "one month"};
  wafers.series = {series("logic", [&](size_t i) { return run.options[i].supply.logic_share * 100; }),
                   series("CoWoS", [&](size_t i) { return run.options[i].supply.cowos_share * 100; })};
  out += render_svg(wafers);
  ScatterChart front{"Decode deployments: throughput against TPOT (lines: Pareto fronts)", "TPOT (ms)",
                     "output tokens/s per GPU", {}, s.targets.tpot_s * 1e3, "TPOT target"};
  ScatterChart pfront{"Prefill deployments: throughput against TTFT (lines: Pareto fronts)", "TTFT (s)",
                      "prompt tokens/s per GPU", {}, s.targets.ttft_s, "TTFT target"};
  for (size_t i = 0; i < run.options.size(); ++i) {
    ScatterSeries d{names[i], {}, {}}, p{names[i], {}, {}};
    for (const Unit& u : run.units[i].decode)
      if (u.simulated && u.fits) d.points.emplace_back(u.latency_s * 1e3, u.capacity_tokens_per_s / u.gpus);
    for (const Unit& u : run.units[i].prefill)
      if (u.simulated && u.fits) p.points.emplace_back(u.latency_s, u.capacity_tokens_per_s / u.gpus);
    d.line = pareto_front(d.points);
    p.line = pareto_front(p.points);
    front.series.push_back(d);
    pfront.series.push_back(p);
  }
  out += render_svg(front);
  out += render_svg(pfront);
  return out;
}

std::string units_html(const PlanRun& run) {
  const PlanSpec& s = run.plan.spec;
  std::string out = "<table class=\"small\"><thead><tr><th>option</th><th>phase</th><th>choice</th><th>GPUs</th>"
                    "<th>tokens/s per GPU</th><th>latency</th><th>IT kW</th><th>$/M at capacity</th><th>status</th>"
                    "<th>scenarios</th></tr></thead><tbody>";
  for (size_t i = 0; i < run.options.size(); ++i)
    for (Phase ph : {Phase::prefill, Phase::decode}) {
      const std::vector<Unit>& us = ph == Phase::prefill ? run.units[i].prefill : run.units[i].decode;
      const std::optional<size_t>& pick = ph == Phase::prefill ? run.options[i].prefill : run.options[i].decode;
      double target = ph == Phase::prefill ? s.targets.ttft_s : s.targets.tpot_s;
      for (size_t k = 0; k < us.size(); ++k) {
        const Unit& u = us[k];
        std::string status = !u.simulated ? "failed: " + u.error
                             : !u.fits    ? "does not fit in HBM"
                             : u.latency_s > target ? "misses the target"
                             : pick && *pick == k   ? "chosen"
                                                    : "meets the target";
        out += std::string("<tr") + (pick && *pick == k ? " class=\"chosen\"" : "") + "><td>" +
               escape_html(s.options[i].name) + "</td><td>" + workloads::phase_name(ph) + "</td><td>" +
               escape_html(u.choice.text()) + "</td>";
        if (u.simulated)
          out += "<td>" + count(u.gpus) + "</td><td>" + fixed(u.capacity_tokens_per_s / u.gpus, 0) + "</td><td>" +
                 ms(u.latency_s) + "</td><td>" + fixed(u.it_power_w / 1e3, 1) + "</td><td>" +
                 usd(u.usd_per_million_tokens(s.economics)) + "</td>";
        else
          out += "<td colspan=\"5\"></td>";
        out += "<td>" + escape_html(status) + "</td><td>" + scenario_links(run, u);
        out += "</td></tr>";
      }
    }
  return out + "</tbody></table>";
}

const char* kMethod = R"(<h2>Method</h2>
<ol>
<li><b>Demand.</b> Daily volumes become mean rates (tokens per day / 86,400 s); the peak hour is the
mean times the peak-to-average ratio (or the 24-hour profile's peak over its mean). Prompt tokens include
KV-cache hits; prefill computes only the misses.</li>
<li><b>Deployment search.</b> Prefill and decode run on separate units (disaggregated, as DeepSeek deploys
V3). For each option every combination of the search values (unit nodes, attention TP, batch or tokens per GPU,
micro-batches) is a scenario; routed experts are spread over all GPUs of the unit (EP = unit GPUs) with the
fewest redundant copies that divide evenly, attention runs data-parallel (DP = GPUs / TP). Prefill units are
simulated once per prompt length of the demand; decode units once at the mean KV context of the output tokens.</li>
<li><b>Latency.</b> TPOT is the decode step's time per output token (every request in a step waits for the
same step, so it holds for every percentile). TTFT: a step mixes prompt lengths by their tokens, so its time is
the mix's tokens over the mix's throughput; a prompt's first token comes when the step holding its last chunk ends,
after waiting up to one step for the running one. TTFT at the percentile = (chunk steps + 1) x mixed step time.</li>
<li><b>Choice.</b> Among units that fit in HBM and meet their target, the one whose fleet for the peak costs least
per second (capital depreciated over the life plus energy at PUE, from the option's economics) is chosen; a tighter
target only removes choices, so it never costs less.</li>
<li><b>Fleet.</b> Units = ceil(peak rate / (unit capacity x peak utilisation)) for prefill and decode; racks =
nodes / nodes per rack, rounded up; facility power = IT power x PUE.</li>
<li><b>Network.</b> Every unit's cluster is counted from the topology the simulator builds for it
(<code>/network/bom</code> of its scenarios): switch chips, NICs, links and their cables and end modules, with
their rated power (a part of IT power) and price (a part of capital); a fleet's network is its units' networks
(one fabric per unit, not one for the whole fleet).</li>
<li><b>Supply.</b> Logic and CoWoS wafers per good accelerator and HBM stacks come from the power and cost
model of the option's hardware; they are compared with one month of the stated capacity.</li>
<li><b>Price.</b> Every accelerator draws its simulated busy power all day (an upper bound on energy); $/M
input = prefill fleet cost / mean prompt tokens, $/M output = decode fleet cost / mean output tokens; revenue at
the token prices.</li>
</ol>)";

const char* kStyle = R"(<style>
body{font-family:sans-serif;margin:24px;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:8px 0 20px}
th,td{border:1px solid #ccc;padding:4px 7px;text-align:left;vertical-align:top;font-size:13px}
th{background:#f1f1f1}
table.small td,table.small th{font-size:11px}
tr.chosen{background:#e8f4e8}
svg{margin:6px;border:1px solid #eee}
.muted{color:#666;font-size:12px}
</style>)";

}  // namespace

std::string report_html(const PlanRun& run, const results::Result& tables) {
  const PlanSpec& s = run.plan.spec;
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape_html(s.name) +
                  " - strata capacity plan</title>" + kStyle + "</head><body>\n";
  h += "<h1>Capacity plan: " + escape_html(s.name) + "</h1><p>" + escape_html(s.description) + "</p>";
  h += "<p>Demand: " + count(s.demand.input_tokens_per_day / 1e9) + " B input and " +
       count(s.demand.output_tokens_per_day / 1e9) + " B output tokens per day (peak " +
       fixed(run.peak_factor, 2) + "x the mean); targets: TTFT " + ms(s.targets.ttft_s) + " at p" +
       fixed(s.targets.percentile * 100, 0) + ", TPOT " + ms(s.targets.tpot_s) + "; " +
       "fidelity " + sim::fidelity_name(s.fidelity) + ".</p>";
  auto [head, rows] = headline(run);
  h += "<h2>Headline</h2>" + html_table(head, rows);
  auto [net_head, net_rows] = network(run);
  h += "<h2>Network</h2><p class=\"muted\">Switch chips outside the nodes, pluggable optical modules, co-packaged "
       "engines, copper and fibre cables of the fleet's network (its share of fabrics built as its cluster preset "
       "describes them, counted as a scenario's /network/bom), their rated power and price.</p>" +
       html_table(net_head, net_rows);
  h += "<h2>Charts</h2><div>" + charts(run) + "</div>";
  h += kMethod;
  h += "<h2>Assumptions and sources</h2><table><thead><tr><th>what</th><th>value</th><th>source</th></tr></thead><tbody>";
  if (const results::Table* t = tables.table("assumptions")) {
    const auto& name = std::get<std::vector<std::string>>(t->find("name")->data);
    const auto& value = std::get<std::vector<std::string>>(t->find("value")->data);
    const auto& source = std::get<std::vector<std::string>>(t->find("source")->data);
    for (size_t i = 0; i < t->rows(); ++i)
      h += "<tr><td>" + escape_html(name[i]) + "</td><td>" + escape_html(value[i]) + "</td><td>" +
           escape_html(source[i]) + "</td></tr>";
  }
  h += "</tbody></table>";
  h += "<h2>Every deployment simulated</h2><p class=\"muted\">Each unit links to its scenario result files (strata "
       "result HDF5; the <code>config</code> dataset is the scenario, which <code>strata run</code> accepts).</p>" +
       units_html(run);
  h += "<p class=\"muted\">strata " + escape_html(sim::strata_version()) + " (" +
       escape_html(sim::strata_git_describe()) + "); plan.h5 and the CSV files beside this report hold the same numbers.</p>";
  return h + "</body></html>\n";
}

std::string headline_markdown(const PlanRun& run) {
  auto [head, rows] = headline(run);
  std::string s = "|";
  for (const std::string& c : head) s += " " + c + " |";
  s += "\n|";
  for (size_t i = 0; i < head.size(); ++i) s += "---|";
  s += "\n";
  for (const Row& r : rows) {
    s += "|";
    for (size_t i = 0; i < head.size(); ++i) s += " " + (i < r.cells.size() ? r.cells[i] : std::string()) + " |";
    s += "\n";
  }
  return s;
}

}  // namespace strata::plan
