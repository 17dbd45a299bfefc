// A TLM-2.0 initiator that sends a synthetic request stream (TrafficSpec) to a memory: it keeps up
// to `outstanding` requests in flight, issuing each new one at the annotated time a slot frees,
// so a saturating stream runs without one SystemC event per request.
#pragma once

#include <cstdint>
#include <memory>
#include <queue>
#include <random>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/hbm/traffic.h"

namespace strata::hbm {

class StreamDriver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<StreamDriver> socket;

  /// `memory_bytes`: the target's capacity (the default footprint ends there).
  StreamDriver(sc_core::sc_module_name name, const TrafficSpec& traffic, double memory_bytes);

  /// Sends `requests` more requests, starting at the current simulation time.
  void start(int64_t requests);
  bool done() const { return to_issue_ == 0 && in_flight_ == 0; }
  int64_t completed() const { return completed_; }
  int64_t errors() const { return errors_; }  ///< responses other than TLM_OK_RESPONSE
  sc_core::sc_time first_issue() const { return first_issue_; }
  sc_core::sc_time last_completion() const { return last_completion_; }
  /// Mean and largest read latency seen by the driver (issue to last byte).
  double read_latency_mean_s() const { return reads_ ? read_latency_sum_ / double(reads_) : 0.0; }
  double read_latency_max_s() const { return read_latency_max_; }

 private:
  SC_HAS_PROCESS(StreamDriver);
  void run();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void complete(int slot, const sc_core::sc_time& at);
  uint64_t next_address();

  TrafficSpec traffic_;
  uint64_t first_ = 0, span_ = 0;  ///< first request index, number of request-sized blocks
  std::mt19937_64 rng_;
  uint64_t sent_ = 0;
  std::vector<unsigned char> data_;  ///< payload data (unused by a timing model, but never null)
  std::vector<std::unique_ptr<tlm::tlm_generic_payload>> payloads_;
  std::vector<sc_core::sc_time> issued_at_;
  std::vector<int> free_;
  std::priority_queue<sc_core::sc_time, std::vector<sc_core::sc_time>, std::greater<sc_core::sc_time>> ready_;
  int64_t to_issue_ = 0, in_flight_ = 0, completed_ = 0, errors_ = 0, reads_ = 0;
  bool issued_any_ = false;
  const tlm::tlm_generic_payload* blocked_ = nullptr;  ///< waiting for END_REQ
  double read_latency_sum_ = 0, read_latency_max_ = 0;
  sc_core::sc_time first_issue_, last_completion_;
  sc_core::sc_event start_, wake_;
};

}  // namespace strata::hbm
