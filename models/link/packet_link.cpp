#include "models/link/packet_link.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/link/train.h"

namespace strata::models {
using sc_core::sc_time;
using sc_core::SC_SEC;

PacketLink::PacketLink(sc_core::sc_module_name name, const PacketLinkParams& p)
    : sc_module(name),
      in("in"),
      out("out"),
      p_(p),
      rate_(p.links * p.link.data_rate()),
      latency_(p.link.latency_s, SC_SEC) {
  in.register_b_transport(this, &PacketLink::b_transport);
}

double PacketLink::packet_payload(const Train& t) const {
  double p = p_.link.max_payload_bytes;
  return p_.gpu_writes && t.store_bytes > 0 ? std::min(p, t.store_bytes) : p;
}

sc_time PacketLink::credit_time(sc_time t, double bytes) {
  if (p_.buffer_bytes <= 0) return t;
  if (bytes > p_.buffer_bytes)
    throw std::logic_error(std::string(this->name()) + ": a train larger than the receiver's buffer");
  // Take back every credit returned by t, then wait for the earliest returns until it fits.
  while (!held_.empty() && (held_.top().first <= t || occupied_ + bytes > p_.buffer_bytes)) {
    t = std::max(t, held_.top().first);
    occupied_ -= held_.top().second;
    held_.pop();
  }
  return t;
}

double PacketLink::credits_outstanding(const sc_time& t) const {
  double out_bytes = 0;
  for (auto copy = held_; !copy.empty(); copy.pop())
    if (copy.top().first > t) out_bytes += copy.top().second;
  return out_bytes;
}

void PacketLink::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  Train* tr = trans.get_extension<Train>();
  const sc_time now = sc_core::sc_time_stamp();
  const double packet = packet_payload(*tr);
  const double wire = p_.link.wire_bytes(tr->bytes, packet);
  const double first_packet = std::min(tr->bytes, packet);
  const sc_time ser(wire / rate_, SC_SEC);
  const sc_time one_packet((first_packet + p_.link.header_bytes()) / rate_, SC_SEC);
  const bool first = tr->next == 0;

  sc_time start = std::max(now + delay, busy_until_);
  start = credit_time(start, wire);
  // Cut-through: the last packet cannot leave before it has arrived.
  sc_time end = std::max(start + ser, tr->tail + one_packet);
  busy_until_ = end;
  busy_ += end - start;
  payload_bytes_ += tr->bytes;
  ++trains_;
  if (first) tr->first_link_end = end;

  // Head of the train (first packet) at the receiver, and its tail.
  ++tr->next;
  tr->tail = end + latency_;
  sc_time head = start + one_packet + latency_;
  sc_time fwd = head - now;
  out->b_transport(trans, fwd);  // returns when the train left the receiver's buffer
  if (p_.buffer_bytes > 0) {
    sc_time back = now + fwd + latency_;
    held_.push({back, wire});
    occupied_ += wire;
    credits_taken_ += wire;
    last_credit_ = std::max(last_credit_, back);
  }
  delay = start - now;
}

}  // namespace strata::models
