// The seam between a memory model and what drives it (an L2 model, a request-stream driver): a
// TLM-2.0 target socket speaking the base protocol, and a report of what the memory measured.
//
// Protocol, for initiators:
// - nb_transport_fw(BEGIN_REQ): a read is accepted with END_REQ (TLM_UPDATED) and answered later
//   by BEGIN_RESP on the backward path, its delay annotated to the exact time the last byte
//   arrives; a write is posted: accepted with TLM_COMPLETED, its delay unchanged. When a queue
//   is full the call returns TLM_ACCEPTED and END_REQ (or, for a write, BEGIN_RESP) follows when
//   room frees; until then the request exclusion rule holds the socket.
// - b_transport: blocks until a read's data has arrived (delay returned as zero); a write
//   returns once queued.
// Responses are computed slightly ahead of their time and delivered with that time annotated;
// successive annotations are not necessarily increasing, so initiators use the annotation (or a
// payload event queue), not the order of arrival. Data is not stored: this is a timing model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/hbm/pc_stats.h"

namespace strata::hbm {

struct ChannelReport {
  int stack = 0, channel = 0, pseudo_channel = 0;
  PcStats stats;
};

/// What a memory measured over a run, per pseudo-channel and in total.
struct MemoryReport {
  double tck_s = 0;             ///< command clock period
  int burst_bytes = 0;
  int banks_per_pc = 0;
  double peak_bandwidth = 0;    ///< all stacks, pins x rate
  std::vector<ChannelReport> channels;
  uint64_t late_arrivals = 0;   ///< requests that arrived behind a controller's clock (should be 0)
  uint64_t commands_checked = 0;
  uint64_t violations = 0;      ///< protocol violations (0 in a correct model)
  std::vector<std::string> first_violations;

  uint64_t bytes() const;
  uint64_t requests() const;
  /// From the first request's arrival to the end of the last data burst.
  double elapsed_s() const;
  /// Bytes over the whole run: bytes() / elapsed_s(), ramp-up and drain included.
  double whole_run_bandwidth() const { return elapsed_s() > 0 ? double(bytes()) / elapsed_s() : 0.0; }
  /// Sustained bandwidth: the data that completed between the times a fraction `lo` and a
  /// fraction `hi` of all bytes had completed, over that interval (ramp-up and drain excluded).
  double sustained_bandwidth(double lo = 0.1, double hi = 0.9) const;
  double row_hit_rate() const;
  /// Share of bank time spent refreshing over the elapsed window.
  double refresh_fraction() const;
  LatencyHistogram read_latency() const;  ///< all pseudo-channels, in clocks
  /// Invariants of every HBM run: no protocol (JEDEC timing or bank state) violation, and no
  /// request behind a controller's clock (simulated time only moves forward). Throws
  /// std::logic_error naming the invariant and the first violation.
  void check_invariants() const;
};

class MemorySystem : public sc_core::sc_module {
 public:
  using sc_core::sc_module::sc_module;
  virtual tlm::tlm_target_socket<>& target_socket() = 0;
  /// Brings every part up to the current simulation time and closes the statistics; call once
  /// after sc_start() returns.
  virtual void finish() = 0;
  virtual MemoryReport report() const = 0;
};

}  // namespace strata::hbm
