// One direction of a link bundle at packet level: a train is cut into packets of the link's
// payload size, each with the link's framing; the bundle serialises them at its data rate,
// cut-through (a packet leaves as soon as it has fully arrived), adds the hop latency, and may
// only send into the receiver's input buffer while it has credits (bytes of free buffer). The
// receiver returns credits when a train has left its buffer, one hop latency later. Trains
// leave a switch's input buffer towards different outputs independently (virtual output
// queues), so credits come back in any order and one blocked output does not block the rest.
//
// Timing is reserved in call order (TLM loosely-timed with temporal decoupling): a train that
// arrives while the link is busy waits for it, so arbitration is first come, first served
// among callers, exact up to the senders' quantum.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "hw/link.h"
#include "models/link/train.h"

namespace strata::models {

struct PacketLinkParams {
  hw::LinkSpec link;
  int links = 1;                 ///< links in the bundle
  double buffer_bytes = 0;       ///< receiver input buffer; 0 = unlimited (memory, NIC)
  bool gpu_writes = false;       ///< a scale-up link: packets follow the sender's store size
};

class PacketLink : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<PacketLink> in;      ///< from the sending vertex
  tlm_utils::simple_initiator_socket<PacketLink> out;  ///< to the receiving vertex

  PacketLink(sc_core::sc_module_name name, const PacketLinkParams& p);

  double rate() const { return rate_; }  ///< wire bytes per second, whole bundle
  sc_core::sc_time free_at() const { return busy_until_; }  ///< end of its last reservation
  /// Packet payload a train is cut into on this link.
  double packet_payload(const Train& t) const;

  // Statistics (checked by tests: bytes in = bytes out, every credit returned).
  double payload_bytes() const { return payload_bytes_; }
  double busy_s() const { return busy_.to_seconds(); }
  uint64_t trains() const { return trains_; }
  double credits_taken() const { return credits_taken_; }  ///< buffer bytes ever granted
  sc_core::sc_time last_credit_return() const { return last_credit_; }
  /// Buffer bytes whose credits have not come back by `t` (0 once the network is idle).
  double credits_outstanding(const sc_core::sc_time& t) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  /// Earliest time >= t at which `bytes` fit in the receiver's buffer.
  sc_core::sc_time credit_time(sc_core::sc_time t, double bytes);

  PacketLinkParams p_;
  double rate_;
  sc_core::sc_time latency_, busy_until_, busy_, last_credit_;
  using Held = std::pair<sc_core::sc_time, double>;  ///< (credit return time, bytes)
  std::priority_queue<Held, std::vector<Held>, std::greater<Held>> held_;  ///< earliest first
  double occupied_ = 0;
  double payload_bytes_ = 0, credits_taken_ = 0;
  uint64_t trains_ = 0;
};

}  // namespace strata::models
