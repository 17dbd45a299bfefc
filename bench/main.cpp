// strata_bench: every simulator-speed benchmark in one program. `make bench` runs it through
// scripts/bench_report, which also times whole CLI runs and writes docs/performance.md.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
