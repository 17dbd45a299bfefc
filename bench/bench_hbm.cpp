// Simulator speed of the cycle-level HBM model: simulated memory requests and simulated
// nanoseconds per wall-clock second, for a sequential and a random 64 B read stream on the H800
// memory (160 pseudo-channels), with the protocol checker on (as in every test and validation
// case) and, for the sequential stream, off.
//
// SystemC elaborates once per process, so every memory and driver is built before the first
// sc_start(); each iteration arms one driver and runs the kernel until that stream has drained.
#include <benchmark/benchmark.h>

#include <memory>

#include "hw/hardware.h"
#include "models/hbm/hbm_system.h"
#include "models/hbm/stream_driver.h"
#include "sim/config/loader.h"

namespace {
using namespace strata;

constexpr int64_t kRequests = 100000;

struct Stream {
  std::unique_ptr<hbm::HbmSystem> memory;
  std::unique_ptr<hbm::StreamDriver> driver;
};

struct Bench {
  Stream sequential, random, sequential_unchecked;
  Bench() {
    hw::MemorySpec m = hw::HardwareSpec::schema()
                           .bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"))
                           .memory;
    hbm::TrafficSpec t;
    t.outstanding = 16384;  // as the validation cases
    t.requests = kRequests;
    sequential = make("seq", m, t, true);
    sequential_unchecked = make("seq_fast", m, t, false);
    t.pattern = hbm::Pattern::random;
    random = make("rnd", m, t, true);
  }
  static Stream make(const std::string& name, const hw::MemorySpec& m, const hbm::TrafficSpec& t, bool check) {
    Stream s;
    s.memory = std::make_unique<hbm::HbmSystem>((name + "_hbm").c_str(), m, hbm::HbmOptions{check});
    s.driver = std::make_unique<hbm::StreamDriver>((name + "_driver").c_str(), t, m.capacity_bytes);
    s.driver->socket.bind(s.memory->socket);
    return s;
  }
};

Bench& bench() {
  static Bench b;
  return b;
}

void run(benchmark::State& state, Stream Bench::*which) {
  Stream& s = bench().*which;
  double simulated_ns = 0;
  int64_t requests = 0;
  for (auto _ : state) {
    const double t0 = sc_core::sc_time_stamp().to_seconds();
    s.driver->start(kRequests);
    sc_core::sc_start();  // until this stream has drained
    simulated_ns += (sc_core::sc_time_stamp().to_seconds() - t0) * 1e9;
    requests += kRequests;
  }
  state.counters["requests_per_s"] = benchmark::Counter(double(requests), benchmark::Counter::kIsRate);
  state.counters["sim_ns_per_s"] = benchmark::Counter(simulated_ns, benchmark::Counter::kIsRate);
}

void BM_HbmSequentialRead(benchmark::State& state) { run(state, &Bench::sequential); }
void BM_HbmRandomRead(benchmark::State& state) { run(state, &Bench::random); }
void BM_HbmSequentialReadNoChecker(benchmark::State& state) { run(state, &Bench::sequential_unchecked); }

}  // namespace

BENCHMARK(BM_HbmSequentialRead)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HbmRandomRead)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HbmSequentialReadNoChecker)->Unit(benchmark::kMillisecond)->UseRealTime();
