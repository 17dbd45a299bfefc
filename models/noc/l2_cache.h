// The L2 between the SMs and off-chip memory, at tile granularity: an LRU over tile keys with
// the chip's capacity, one bandwidth port for the whole chip, a hit latency, and merging of
// requests for a tile already in flight (the second CTA waits for the first one's fill instead
// of reading memory again). Stores are written through to memory as posted writes.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <list>
#include <unordered_map>

#include "models/noc/bandwidth_calendar.h"

namespace strata::models {

struct L2Stats {
  double hit_bytes = 0;
  double miss_bytes = 0;
  double write_bytes = 0;
  int64_t hits = 0, misses = 0;
};

class L2Cache : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<L2Cache> target;  ///< SMs bind here
  tlm_utils::simple_initiator_socket<L2Cache> memory;          ///< to off-chip memory

  /// `miss_latency`: the on-chip path from L2 to the memory controller and back, added to what
  /// the memory model reports.
  L2Cache(sc_core::sc_module_name name, double capacity_bytes, double bytes_per_s,
          sc_core::sc_time hit_latency, sc_core::sc_time miss_latency);

  /// Empties the cache (a kernel measured from a cold L2) and clears statistics.
  void flush();
  /// When the memory has absorbed every posted write so far: a kernel is not done before its
  /// output is in memory (or the next kernel's traffic would pay for it).
  sc_core::sc_time writes_drained() const { return m_writes_drained; }
  const L2Stats& stats() const { return m_stats; }

 private:
  struct Line {
    uint64_t key;
    double bytes;
    sc_core::sc_time ready;  ///< when its fill from memory completes
  };
  void b_transport(int port, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void insert(uint64_t key, double bytes, sc_core::sc_time ready);

  double m_capacity, m_bytes_per_s;
  sc_core::sc_time m_hit_latency, m_miss_latency;
  BandwidthCalendar m_port;  ///< the L2 <-> SM crossbar, shared by all SMs
  sc_core::sc_time m_writes_drained = sc_core::SC_ZERO_TIME;
  double m_used = 0;
  std::list<Line> m_lru;  ///< most recently used first
  std::unordered_map<uint64_t, std::list<Line>::iterator> m_index;  ///< lookup only, never iterated
  L2Stats m_stats;
};

}  // namespace strata::models
