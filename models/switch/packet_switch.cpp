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
    std::vector<double> left;
    std::vector<int> trains;
    for (const PacketSource& s : sources_) left.push_back(s.bytes), trains.push_back(0);
    sc_time engine_free = sc_core::sc_time_stamp();
    bool more = true;
    while (more) {
      more = false;
      for (size_t i = 0; i < sources_.size(); ++i) {
        if (left[i] <= 0) continue;
        const PacketSource& s = sources_[i];
        train.transfer = s.transfer;
        train.bytes = std::min(left[i], s.train_bytes);
        train.next = 0;
        s.path(trains[i]++, train);
        sc_time ready = sc_core::sc_time_stamp() + qk.get_local_time();
        train.tail = ready;
        if (s.reduced) {
          // The reduction engine produces the train's data before it can all leave.
          sc_time begin = std::max(ready, engine_free);
          engine_free = begin + sc_time(train.bytes / reduction_rate_, SC_SEC);
          ready = begin;
          train.tail = engine_free;
        }
        sc_time delay = ready - sc_core::sc_time_stamp();
        auto port = port_of_channel_.find(train.hops[0]);
        if (port == port_of_channel_.end())
          throw std::logic_error(std::string(name()) + ": a transfer's first channel does not start here");
        out[port->second]->b_transport(trans, delay);
        sent_ += train.bytes;
        left[i] -= train.bytes;
        more = more || left[i] > 0;
        // Free to send again once the first link has serialised this train.
        qk.set(train.first_link_end - sc_core::sc_time_stamp());
        if (qk.need_sync()) qk.sync();
      }
    }
    qk.sync();
    sources_.clear();
    sent_all_();
  }
}

}  // namespace strata::models
