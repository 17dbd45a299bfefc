// A packet train: consecutive packets of one transfer that cross the network as one TLM
// transaction (one b_transport call per hop), so a SystemC event covers a train, not a packet.
// Each link cuts the train into packets of its own size and framing.
#pragma once

#include <array>
#include <systemc>
#include <tlm>

namespace strata::models {

struct Train : tlm::tlm_extension<Train> {
  static constexpr int kMaxHops = 24;
  int transfer = -1;                 ///< index of the transfer in its phase
  std::array<int, kMaxHops> hops{};  ///< channels, in path order
  int hop_count = 0;
  int next = 0;                      ///< hops[next] is the channel the train takes next
  double bytes = 0;                  ///< payload
  double store_bytes = 0;            ///< NVLink write size of the sending GPU's threads (0: bulk)
  sc_core::sc_time tail;             ///< when its last bit reaches the current receiver
  sc_core::sc_time first_link_end;   ///< set by the first link: when the sender is free again

  tlm::tlm_extension_base* clone() const override { return new Train(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const Train&>(e); }
};

}  // namespace strata::models
