// Simulated time per wall-clock and per CPU second of a model benchmark, reported as the same
// counters by every model (scripts/bench_report reads them):
//   simulated_s   simulated seconds per iteration
//   sim_per_wall  simulated seconds per wall-clock second
//   sim_per_cpu   simulated seconds per CPU second (this process or the child that ran it)
//   slowdown      wall-clock seconds per simulated second
// SystemC models run in a forked child: the kernel cannot restart, and a process that has called
// sc_start can elaborate no more modules, so no benchmark may start SystemC in the parent.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>

namespace strata::bench {

struct Timing {
  double wall_s = 0, cpu_s = 0, simulated_s = 0;
};

/// Work to time; returns the simulated seconds it covered.
using Work = std::function<double()>;

/// Times `work` in this process.
Timing time_here(const Work& work);

/// In a forked child: runs `setup` (untimed: building, elaborating) and times the work it returns.
Timing time_in_child(const std::function<Work()>& setup);

/// Accumulates one benchmark's iterations (use with UseManualTime) and sets its counters.
class ModelCounters {
 public:
  void add(benchmark::State& state, const Timing& t);
  void finish(benchmark::State& state) const;

 private:
  Timing total_;
};

}  // namespace strata::bench
