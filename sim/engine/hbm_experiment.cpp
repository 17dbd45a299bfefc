#include "sim/engine/hbm_experiment.h"

#include <stdexcept>

#include "hw/hardware.h"
#include "models/hbm/clocked_timing.h"
#include "sim/engine/invariants.h"

namespace strata::sim {
using config::Node;
using results::Column;

namespace {

struct RawSpec {
  Node hardware, memory;
  hbm::TrafficSpec traffic;
  static const config::Schema<RawSpec>& schema() {
    static const config::Schema<RawSpec> s = [] {
      config::Schema<RawSpec> s("hbm experiment", "A memory and a request stream");
      s.raw("hardware", &RawSpec::hardware, "Node preset whose memory is used (base: configs/hw/NAME.yaml)")
          .def("null");
      s.raw("memory", &RawSpec::memory, "Memory (base: configs/hbm/NAME.yaml)").def("null");
      s.child("traffic", &RawSpec::traffic, "The request stream");
      s.check([](const RawSpec& r, const config::Checker& k) {
        if (r.hardware.is_null() == r.memory.is_null())
          k.fail(r.hardware.is_null() ? "memory" : "hardware",
                 "give exactly one of memory: (an HBM preset) or hardware: (a node preset)");
      });
      return s;
    }();
    return s;
  }
};

double seconds(const hbm::MemoryReport& r, double cycles) { return cycles * r.tck_s; }

}  // namespace

HbmExperimentSpec bind_hbm_experiment(const Node& n, const std::string& path) {
  RawSpec raw = RawSpec::schema().bind(n, path);
  HbmExperimentSpec spec;
  spec.traffic = raw.traffic;
  if (!raw.memory.is_null())
    spec.memory = hw::MemorySpec::schema().bind(raw.memory, config::join_path(path, "memory"));
  else
    spec.memory = hw::HardwareSpec::schema().bind(raw.hardware, config::join_path(path, "hardware")).memory;
  return spec;
}

const config::SchemaBase& hbm_experiment_schema() { return RawSpec::schema(); }

std::string hbm_experiment_yaml(const HbmExperimentSpec& spec) {
  Node root = Node::make_map();
  root.set("version", Node::make_scalar("1"), config::Origin());
  root.set("memory", hw::MemorySpec::schema().dump(spec.memory), config::Origin());
  root.set("traffic", hbm::TrafficSpec::schema().dump(spec.traffic), config::Origin());
  return config::to_yaml(root);
}

const std::vector<HbmMetricDef>& hbm_metric_defs() {
  using config::Dim;
  static const std::vector<HbmMetricDef> defs = {
      {"bandwidth", Dim::data_rate,
       "Sustained bandwidth: the middle 80% of the bytes over the time they took to complete"},
      {"whole_run_bandwidth", Dim::data_rate, "All bytes / time from the first arrival to the last data"},
      {"peak_bandwidth", Dim::data_rate, "Pins x pin rate of all stacks"},
      {"fraction_of_peak", Dim::none, "bandwidth (sustained) / peak_bandwidth"},
      {"stack_peak_bandwidth", Dim::data_rate,
       "What one stack's modelled data buses carry: pseudo-channels x burst bytes / burst time"},
      {"row_hit_rate", Dim::none, "Requests served from a row another request opened"},
      {"row_miss_rate", Dim::none, "1 - row_hit_rate"},
      {"read_latency_mean", Dim::time, "Mean read latency, arrival at the controller to the last byte"},
      {"read_latency_p50", Dim::time, "Median read latency"},
      {"read_latency_p99", Dim::time, "99th-percentile read latency"},
      {"read_latency_max", Dim::time, "Largest read latency"},
      {"refresh_fraction", Dim::none, "Share of bank time spent refreshing"},
      {"requests", Dim::none, "Requests served (runs of bursts in one pseudo-channel row)"},
  };
  return defs;
}

std::vector<double> hbm_metric_values(const HbmExperimentSpec& spec, const hbm::StreamRun& run) {
  const hbm::MemoryReport& m = run.memory;
  if (run.errors > 0)
    throw std::logic_error(std::to_string(run.errors) + " requests failed (address or size outside the memory)");
  const hbm::ClockedTiming t = hbm::ClockedTiming::from(spec.memory);
  const hw::HbmOrganisation& o = spec.memory.organisation;
  const hbm::LatencyHistogram lat = m.read_latency();
  const double sustained = m.sustained_bandwidth();
  check_unit_interval("HBM run", {sustained / spec.memory.peak_bandwidth(), m.row_hit_rate(), m.refresh_fraction()},
                      {"fraction_of_peak", "row_hit_rate", "refresh_fraction"});
  return {sustained,
          m.whole_run_bandwidth(),
          spec.memory.peak_bandwidth(),
          sustained / spec.memory.peak_bandwidth(),
          double(o.pseudo_channels_per_stack()) * o.burst_bytes() / (t.bl * t.tck_s),
          m.row_hit_rate(),
          1.0 - m.row_hit_rate(),
          seconds(m, lat.mean()),
          seconds(m, double(lat.quantile(0.5))),
          seconds(m, double(lat.quantile(0.99))),
          seconds(m, double(lat.max())),
          m.refresh_fraction(),
          double(m.requests())};
}

results::Table hbm_channel_table(const hbm::MemoryReport& r) {
  std::vector<int64_t> stack, channel, pc, reads, writes, hits, misses, conflicts;
  std::vector<std::vector<int64_t>> commands(hbm::kCmdCount);
  std::vector<double> bytes, bandwidth, hit_rate, refresh, rq, wq, lat_mean, lat_p50, lat_p99, lat_max;
  const double elapsed = r.elapsed_s();
  const double elapsed_cycles = elapsed / r.tck_s;
  for (const hbm::ChannelReport& c : r.channels) {
    const hbm::PcStats& s = c.stats;
    stack.push_back(c.stack), channel.push_back(c.channel), pc.push_back(c.pseudo_channel);
    reads.push_back(int64_t(s.reads)), writes.push_back(int64_t(s.writes));
    double b = double(s.read_bursts + s.write_bursts) * r.burst_bytes;
    bytes.push_back(b);
    bandwidth.push_back(elapsed > 0 ? b / elapsed : 0.0);
    hits.push_back(int64_t(s.row_hits)), misses.push_back(int64_t(s.row_misses));
    conflicts.push_back(int64_t(s.row_conflicts));
    hit_rate.push_back(s.row_hit_rate());
    for (int k = 0; k < hbm::kCmdCount; ++k) commands[size_t(k)].push_back(int64_t(s.commands[size_t(k)]));
    refresh.push_back(seconds(r, double(s.refresh_bank_cycles) / r.banks_per_pc));
    rq.push_back(elapsed_cycles > 0 ? s.read_queue_integral / elapsed_cycles : 0.0);
    wq.push_back(elapsed_cycles > 0 ? s.write_queue_integral / elapsed_cycles : 0.0);
    lat_mean.push_back(seconds(r, s.read_latency.mean()));
    lat_p50.push_back(seconds(r, double(s.read_latency.quantile(0.5))));
    lat_p99.push_back(seconds(r, double(s.read_latency.quantile(0.99))));
    lat_max.push_back(seconds(r, double(s.read_latency.max())));
  }
  results::Table t{"hbm_channels", "One row per HBM pseudo-channel (its controller's statistics)", {}};
  t.columns = {
      {"stack", "1", "HBM stack", stack},
      {"channel", "1", "Channel in the stack", channel},
      {"pseudo_channel", "1", "Pseudo-channel in the channel", pc},
      {"reads", "1", "Read requests served (runs of bursts in one row)", reads},
      {"writes", "1", "Write requests served", writes},
      {"bytes", "B", "Data moved (bursts x burst size)", bytes},
      {"bandwidth", "B/s", "bytes / the run's elapsed time", bandwidth},
      {"row_hits", "1", "Requests served from a row another request opened", hits},
      {"row_misses", "1", "Requests that opened their row in a closed bank", misses},
      {"row_conflicts", "1", "Requests that closed another row first", conflicts},
      {"row_hit_rate", "1", "row_hits / requests", hit_rate},
  };
  for (int k = 0; k < hbm::kCmdCount; ++k) {
    std::string name = hbm::cmd_name(hbm::Cmd(k));
    std::string col;
    for (char ch : name) col += char(std::tolower(static_cast<unsigned char>(ch)));
    t.columns.push_back({"commands_" + col, "1", name + " commands issued", commands[size_t(k)]});
  }
  std::vector<Column> tail = {
      {"refresh_time", "s", "Time under refresh (bank-time / banks)", refresh},
      {"read_queue_mean", "1", "Mean read-queue occupancy over the run", rq},
      {"write_queue_mean", "1", "Mean write-queue occupancy over the run", wq},
      {"read_latency_mean", "s", "Mean read latency, arrival to last byte", lat_mean},
      {"read_latency_p50", "s", "Median read latency", lat_p50},
      {"read_latency_p99", "s", "99th-percentile read latency", lat_p99},
      {"read_latency_max", "s", "Largest read latency", lat_max},
  };
  for (Column& c : tail) t.columns.push_back(std::move(c));
  return t;
}

results::Result hbm_result(const HbmExperimentSpec& spec, const hbm::StreamRun& run) {
  results::Result r;
  r.title = std::string("cycle-level ") + hw::hbm_name(spec.memory.generation) + " memory, " +
            std::to_string(spec.memory.stacks) + (spec.memory.stacks == 1 ? " stack, " : " stacks, ") +
            (spec.traffic.pattern == hbm::Pattern::sequential ? "sequential" : "random") + " stream";
  r.config_yaml = hbm_experiment_yaml(spec);
  r.provenance.seed = spec.traffic.seed;
  r.provenance.scenario = "hbm";
  r.provenance.fidelity = "cycle";
  const std::vector<double> values = hbm_metric_values(spec, run);
  for (size_t i = 0; i < values.size(); ++i) {
    const HbmMetricDef& d = hbm_metric_defs()[i];
    std::string unit = config::base_unit(d.dim);
    r.summary.push_back({d.name, values[i], unit.empty() ? "1" : unit, d.description});
  }
  r.summary.push_back({"elapsed", run.memory.elapsed_s(), "s", "First arrival to last data"});
  r.summary.push_back({"bytes", double(run.memory.bytes()), "B", "Data moved"});
  r.summary.push_back({"protocol_commands", double(run.memory.commands_checked), "1",
                       "Commands the protocol checker saw"});
  r.summary.push_back({"protocol_violations", double(run.memory.violations), "1",
                       "Timing or state violations found (0)"});
  r.tables.push_back(hbm_channel_table(run.memory));
  return r;
}

}  // namespace strata::sim
