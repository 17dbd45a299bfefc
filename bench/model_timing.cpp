#include "bench/model_timing.h"

#include <time.h>

#include <cstdio>
#include <sstream>

#include "sim/engine/child_process.h"

namespace strata::bench {
namespace {

double clock_s(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

}  // namespace

Timing time_here(const Work& work) {
  const double wall0 = clock_s(CLOCK_MONOTONIC), cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
  Timing t;
  t.simulated_s = work();
  t.cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  t.wall_s = clock_s(CLOCK_MONOTONIC) - wall0;
  return t;
}

Timing time_in_child(const std::function<Work()>& setup) {
  std::string text = sim::run_in_child([&] {
    Timing t = time_here(setup());
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.17g %.17g %.17g", t.wall_s, t.cpu_s, t.simulated_s);
    return std::string(buf);
  });
  Timing t;
  std::istringstream(text) >> t.wall_s >> t.cpu_s >> t.simulated_s;
  return t;
}

void ModelCounters::add(benchmark::State& state, const Timing& t) {
  state.SetIterationTime(t.wall_s);
  total_.wall_s += t.wall_s;
  total_.cpu_s += t.cpu_s;
  total_.simulated_s += t.simulated_s;
}

void ModelCounters::finish(benchmark::State& state) const {
  if (state.iterations() == 0 || total_.simulated_s <= 0) return;
  state.counters["simulated_s"] = total_.simulated_s / double(state.iterations());
  state.counters["sim_per_wall"] = total_.simulated_s / total_.wall_s;
  state.counters["sim_per_cpu"] = total_.simulated_s / total_.cpu_s;
  state.counters["slowdown"] = total_.wall_s / total_.simulated_s;
}

}  // namespace strata::bench
