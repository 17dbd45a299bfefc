#include "sim/engine/memory_characterization.h"

#include <cstdio>
#include <sstream>

#include "models/hbm/stream_experiment.h"
#include "models/noc/bandwidth_memory.h"
#include "models/noc/timing_payload.h"
#include "sim/config/node.h"
#include "sim/engine/child_process.h"
#include "sim/engine/run.h"

namespace strata::sim {
namespace {

/// Bump when the characterisation streams change.
constexpr int kCharacterizationVersion = 1;

double measure(const hw::MemorySpec& memory, const hbm::TrafficSpec& traffic, bool latency) {
  std::string text = run_in_child([&] {
    hbm::StreamRun run = hbm::run_stream(memory, traffic);
    double v = latency ? run.memory.read_latency().quantile(0.5) * run.memory.tck_s
                       : run.memory.sustained_bandwidth();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  });
  return std::stod(text);
}

}  // namespace

MemoryCharacter characterize_memory(const hw::MemorySpec& memory, KernelCache& cache) {
  const std::string fp = digest(config::to_yaml(hw::MemorySpec::schema().dump(memory)) + " characterization=" +
                                std::to_string(kCharacterizationVersion) + " build=" + strata_git_describe());
  const std::string sig = "memory characterization";
  if (auto v = cache.get_values(fp, sig))
    if (v->count("read") && v->count("write") && v->count("latency"))
      return MemoryCharacter{v->at("read"), v->at("write"), v->at("latency")};

  // The streams of the validated HBM cases (tests/validation/10_hbm.yaml).
  hbm::TrafficSpec stream;
  stream.pattern = hbm::Pattern::sequential;
  stream.request_bytes = 64;
  stream.outstanding = 16384;
  stream.requests = 400000;
  MemoryCharacter c;
  c.read_bytes_per_s = measure(memory, stream, false);
  stream.read_fraction = 0;
  c.write_bytes_per_s = measure(memory, stream, false);
  hbm::TrafficSpec probe;
  probe.pattern = hbm::Pattern::random;
  probe.request_bytes = 64;
  probe.outstanding = 1;
  probe.requests = 2000;
  c.read_latency_s = measure(memory, probe, true);
  cache.put_values(fp, sig, {{"read", c.read_bytes_per_s}, {"write", c.write_bytes_per_s}, {"latency", c.read_latency_s}});
  return c;
}

models::MemoryFactory characterized_memory(const MemoryCharacter& c) {
  return [c](const hw::HardwareSpec&) {
    return std::make_unique<models::BandwidthMemory>("memory", c.read_bytes_per_s, models::seconds(c.read_latency_s),
                                                     c.read_bytes_per_s / c.write_bytes_per_s);
  };
}

}  // namespace strata::sim
