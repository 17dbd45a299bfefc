// Simulator speed of the cycle-level HBM model: simulated time and memory requests per wall-clock
// second, for a sequential and a random 64 B read stream on the H800 memory (5 stacks, 160
// pseudo-channels), with the protocol checker on (as in every test and validation case) and, for
// the sequential stream, off. Each iteration elaborates one memory and one driver in a child
// process (untimed) and times the simulation of the stream until it has drained.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/model_timing.h"
#include "hw/hardware.h"
#include "models/hbm/hbm_system.h"
#include "models/hbm/stream_driver.h"
#include "sim/config/loader.h"

namespace {
using namespace strata;

constexpr int64_t kRequests = 100000;

void run(benchmark::State& state, hbm::Pattern pattern, bool check) {
  const hw::MemorySpec m =
      hw::HardwareSpec::schema().bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml")).memory;
  hbm::TrafficSpec t;
  t.outstanding = 16384;  // as the validation cases
  t.requests = kRequests;
  t.pattern = pattern;
  bench::ModelCounters counters;
  for (auto _ : state) {
    counters.add(state, bench::time_in_child([&]() -> bench::Work {
      auto memory = std::make_shared<hbm::HbmSystem>("hbm", m, hbm::HbmOptions{check});
      auto driver = std::make_shared<hbm::StreamDriver>("driver", t, m.capacity_bytes);
      driver->socket.bind(memory->socket);
      return [memory, driver] {
        driver->start(kRequests);
        sc_core::sc_start();  // until the stream has drained
        return sc_core::sc_time_stamp().to_seconds();
      };
    }));
  }
  counters.finish(state);
  state.counters["requests_per_s"] =
      benchmark::Counter(double(kRequests) * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_HbmSequentialRead(benchmark::State& state) { run(state, hbm::Pattern::sequential, true); }
void BM_HbmRandomRead(benchmark::State& state) { run(state, hbm::Pattern::random, true); }
void BM_HbmSequentialReadNoChecker(benchmark::State& state) { run(state, hbm::Pattern::sequential, false); }

}  // namespace

BENCHMARK(BM_HbmSequentialRead)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HbmRandomRead)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HbmSequentialReadNoChecker)->UseManualTime()->Unit(benchmark::kMillisecond);
