// A vertex of the packet network: a switch, a NIC, or a GPU (which also relays trains between
// planes). It forwards each arriving train to the next channel of the train's route after its
// pipeline latency, sinks trains addressed to it, and sends the trains of its own transfers:
// one train per transfer in turn (round robin over queue pairs), with a TLM quantum keeper so
// it runs ahead of the other senders by at most one quantum. A switch that reduces in-network
// produces reduced data at its reduction rate before sending it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <vector>

#include "models/link/packet_link.h"
#include "models/link/train.h"

namespace strata::models {

/// One transfer this vertex sends, as the network wants it sent.
struct PacketSource {
  int transfer = -1;
  double bytes = 0;
  double train_bytes = 0;  ///< payload per train (fits every buffer on the way)
  bool reduced = false;    ///< produced by this switch's reduction engine
  double store_bytes = 0;  ///< NVLink write size (GPU-initiated kernels), 0 = bulk
  /// Channels of train k (ECMP hops already chosen): filled by the network.
  std::function<void(int k, Train& t)> path;
};

class PacketSwitch : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<PacketSwitch> in;
  tlm_utils::multi_passthrough_initiator_socket<PacketSwitch> out;

  /// `delivered(transfer, bytes, tail)` is called for every train that ends here;
  /// `sent_all()` when this vertex has sent every train of its sources.
  PacketSwitch(sc_core::sc_module_name name, double latency_s, double reduction_rate,
               std::function<void(int, double, sc_core::sc_time)> delivered,
               std::function<void()> sent_all);

  /// Binds out to `link` and remembers the port for `channel`.
  void connect(int channel, PacketLink& link);
  /// Queues transfers to send; start() wakes the sender.
  void load(std::vector<PacketSource> sources) { sources_ = std::move(sources); }
  bool has_work() const { return !sources_.empty(); }
  void start() { start_.notify(sc_core::SC_ZERO_TIME); }

  double payload_received() const { return received_; }
  double payload_sent() const { return sent_; }

 private:
  void b_transport(int port, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void sender();

  sc_core::sc_time latency_;
  double reduction_rate_;
  std::function<void(int, double, sc_core::sc_time)> delivered_;
  std::function<void()> sent_all_;
  std::map<int, int> port_of_channel_;
  std::vector<PacketSource> sources_;
  sc_core::sc_event start_;
  tlm::tlm_generic_payload trans_;  ///< reused for every train this vertex sends; owns its Train
  Train* train_;
  double received_ = 0, sent_ = 0;
};

}  // namespace strata::models
