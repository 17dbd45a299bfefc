#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/hbm/memory_system.h"

namespace strata::hbm {

uint64_t MemoryReport::bytes() const {
  uint64_t bursts = 0;
  for (const ChannelReport& c : channels) bursts += c.stats.read_bursts + c.stats.write_bursts;
  return bursts * uint64_t(burst_bytes);
}

uint64_t MemoryReport::requests() const {
  uint64_t n = 0;
  for (const ChannelReport& c : channels) n += c.stats.requests();
  return n;
}

double MemoryReport::elapsed_s() const {
  Cycle first = -1, last = 0;
  for (const ChannelReport& c : channels) {
    if (c.stats.first_arrival >= 0 && (first < 0 || c.stats.first_arrival < first))
      first = c.stats.first_arrival;
    last = std::max(last, c.stats.last_data);
  }
  return first < 0 || last <= first ? 0.0 : double(last - first) * tck_s;
}

double MemoryReport::sustained_bandwidth(double lo, double hi) const {
  std::vector<std::pair<Cycle, uint32_t>> log;
  for (const ChannelReport& c : channels) log.insert(log.end(), c.stats.data_log.begin(), c.stats.data_log.end());
  std::sort(log.begin(), log.end());
  double total = 0;
  for (const auto& e : log) total += e.second;
  if (log.size() < 2 || total <= 0) return whole_run_bandwidth();
  // The interval runs from the completion that crosses lo x total to the one that crosses
  // hi x total; the bytes counted are those completing after the first and up to the second.
  double cum = 0, bytes = 0;
  Cycle start = -1, end = -1;
  for (const auto& e : log) {
    cum += e.second;
    if (start < 0) {
      if (cum >= lo * total) start = e.first;
      continue;
    }
    bytes += e.second;
    if (cum >= hi * total) {
      end = e.first;
      break;
    }
  }
  if (end <= start) return whole_run_bandwidth();
  return bytes / (double(end - start) * tck_s);
}

double MemoryReport::row_hit_rate() const {
  uint64_t hits = 0, all = 0;
  for (const ChannelReport& c : channels) hits += c.stats.row_hits, all += c.stats.requests();
  return all ? double(hits) / double(all) : 0.0;
}

double MemoryReport::refresh_fraction() const {
  double elapsed_cycles = elapsed_s() / tck_s;
  if (elapsed_cycles <= 0 || channels.empty()) return 0.0;
  double bank_cycles = 0;
  for (const ChannelReport& c : channels) bank_cycles += double(c.stats.refresh_bank_cycles);
  return bank_cycles / (double(channels.size()) * banks_per_pc * elapsed_cycles);
}

LatencyHistogram MemoryReport::read_latency() const {
  LatencyHistogram h;
  for (const ChannelReport& c : channels) h.merge(c.stats.read_latency);
  return h;
}

void MemoryReport::check_invariants() const {
  if (violations > 0)
    throw std::logic_error("invariant violated: no HBM timing violation: the protocol checker found " +
                           std::to_string(violations) + " violations; first: " +
                           (first_violations.empty() ? std::string("?") : first_violations.front()));
  if (late_arrivals > 0)
    throw std::logic_error("invariant violated: simulated time advances monotonically: " +
                           std::to_string(late_arrivals) + " HBM requests arrived behind a controller's clock");
}

}  // namespace strata::hbm
