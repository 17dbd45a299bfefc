#include "models/switch/packet_switch.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace strata::models {
using sc_core::sc_time;
using sc_core::SC_SEC;

PacketSwitch::PacketSwitch(sc_core::sc_module_name name, double latency_s, double reduction_rate,
                           std::function<void(int, double, sc_time)> delivered,
                           std::function<void()> sent_all)
    : sc_module(name),
      in("in"),
      out("out"),
      latency_(latency_s, SC_SEC),
      reduction_rate_(reduction_rate),
      delivered_(std::move(delivered)),
      sent_all_(std::move(sent_all)),
      train_(new Train) {
  trans_.set_extension(train_);
  in.register_b_transport(this, &PacketSwitch::b_transport);
  SC_HAS_PROCESS(PacketSwitch);
  SC_THREAD(sender);
  set_stack_size(256 * 1024);
}

void PacketSwitch::connect(int channel, PacketLink& link) {
  port_of_channel_[channel] = static_cast<int>(out.size());
  out.bind(link.in);
}

void PacketSwitch::b_transport(int, tlm::tlm_generic_payload& trans, sc_time& delay) {
  Train* tr = trans.get_extension<Train>();
  if (tr->next == tr->hop_count) {
    // Addressed here: the buffer drains into memory as the packets arrive.
    received_ += tr->bytes;
    delivered_(tr->transfer, tr->bytes, tr->tail);
    delay = tr->tail - sc_core::sc_time_stamp();
    return;
  }
  auto port = port_of_channel_.find(tr->hops[tr->next]);
  if (port == port_of_channel_.end())
    throw std::logic_error(std::string(name()) + ": a train's next channel does not start here");
  tr->tail += latency_;
  delay += latency_;
  out[port->second]->b_transport(trans, delay);  // returns when it started on the next link
}

void PacketSwitch::sender() {
  tlm::tlm_generic_payload& trans = trans_;
  Train& train = *train_;
  while (true) {
    wait(start_);
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    const size_t n = sources_.size();
    std::vector<double> left(n);
    std::vector<int> trains(n, 0);
    // Sources by output port: every train of a transfer leaves by the same port.
    std::vector<std::vector<size_t>> by_port(out.size());
    for (size_t i = 0; i < n; ++i) {
      left[i] = sources_[i].bytes;
      sources_[i].path(0, train);
      auto port = port_of_channel_.find(train.hops[0]);
      if (port == port_of_channel_.end())
        throw std::logic_error(std::string(name()) + ": a transfer's first channel does not start here");
      by_port[port->second].push_back(i);
    }
    // Each port sends on its own, one train per transfer in turn (round robin), and is free
    // again once its link has serialised the train before; the reduction engine produces
    // reduced data one train after another. The next train is the one that can start first,
    // so trains are reserved in time order and no port idles behind a train not yet ready.
    std::vector<sc_time> port_free(out.size(), sc_core::sc_time_stamp());
    std::vector<size_t> next(out.size(), 0);  // round-robin position per port
    sc_time engine_free = sc_core::sc_time_stamp();
    size_t pending = 0;
    for (size_t i = 0; i < n; ++i) pending += left[i] > 0;
    while (pending > 0) {
      const sc_time now = sc_core::sc_time_stamp() + qk.get_local_time();
      int port = -1;
      size_t pick = 0, slot = 0;
      sc_time ready = sc_core::sc_max_time();
      for (size_t p = 0; p < by_port.size(); ++p) {
        const std::vector<size_t>& list = by_port[p];
        for (size_t k = 0; k < list.size(); ++k) {
          size_t j = (next[p] + k) % list.size(), i = list[j];
          if (left[i] <= 0) continue;
          sc_time r = std::max(now, port_free[p]);
          if (sources_[i].reduced) r = std::max(r, engine_free);
          if (r < ready) port = int(p), pick = i, slot = j, ready = r;
          if (!sources_[i].reduced) break;  // later ones in this port's turn are no earlier
        }
      }
      next[port] = slot + 1;
      const PacketSource& s = sources_[pick];
      train.transfer = s.transfer;
      train.bytes = std::min(left[pick], s.train_bytes);
      train.store_bytes = s.store_bytes;
      train.next = 0;
      s.path(trains[pick]++, train);
      train.tail = ready;
      if (s.reduced) {
        // The engine streams the train's data out as it reduces it.
        engine_free = ready + sc_time(train.bytes / reduction_rate_, SC_SEC);
        train.tail = engine_free;
      }
      sc_time delay = ready - sc_core::sc_time_stamp();
      out[port]->b_transport(trans, delay);
      port_free[port] = train.first_link_end;
      sent_ += train.bytes;
      left[pick] -= train.bytes;
      if (left[pick] <= 0) --pending;
      // Run ahead of the other senders by at most a quantum.
      if (ready > sc_core::sc_time_stamp()) qk.set(ready - sc_core::sc_time_stamp());
      if (qk.need_sync()) qk.sync();
    }
    qk.sync();
    sources_.clear();
    sent_all_();
  }
}

}  // namespace strata::models
