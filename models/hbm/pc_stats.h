// Statistics of one pseudo-channel controller: traffic, row-buffer outcomes, commands, refresh,
// queue occupancy and read latency (a one-clock histogram, so quantiles are exact).
#pragma once

#include <array>
#include <utility>
#include <cstdint>
#include <vector>

#include "models/hbm/command.h"

namespace strata::hbm {

/// Latencies in clocks, one bin per clock (grown on demand).
class LatencyHistogram {
 public:
  void add(Cycle c);
  void merge(const LatencyHistogram& o);
  uint64_t count() const { return count_; }
  double mean() const { return count_ ? double(sum_) / double(count_) : 0.0; }
  Cycle max() const { return max_; }
  /// Smallest latency with at least a fraction `q` of samples at or below it (0 when empty).
  Cycle quantile(double q) const;

 private:
  std::vector<uint64_t> bins_;
  uint64_t count_ = 0;
  int64_t sum_ = 0;
  Cycle max_ = 0;
};

struct PcStats {
  uint64_t reads = 0, writes = 0;              ///< requests served
  uint64_t read_bursts = 0, write_bursts = 0;  ///< column accesses
  uint64_t row_hits = 0;       ///< requests served from a row another request opened
  uint64_t row_misses = 0;     ///< requests that had to open their row in a closed bank
  uint64_t row_conflicts = 0;  ///< requests that had to close another row first
  std::array<uint64_t, kCmdCount> commands{};
  Cycle refresh_bank_cycles = 0;   ///< sum over banks of clocks spent refreshing
  double read_queue_integral = 0;  ///< queued reads x clocks
  double write_queue_integral = 0;
  Cycle first_arrival = -1;  ///< -1 until a request arrives
  Cycle last_data = 0;       ///< end of the last data burst
  LatencyHistogram read_latency;  ///< arrival to end of data, clocks
  /// (end of data, bytes) of every request served, in completion order.
  std::vector<std::pair<Cycle, uint32_t>> data_log;

  uint64_t requests() const { return reads + writes; }
  double row_hit_rate() const {
    return requests() ? double(row_hits) / double(requests()) : 0.0;
  }
};

}  // namespace strata::hbm
