// The cycle-level HBM memory system: N stacks of pseudo-channel controllers behind one TLM-2.0
// target socket (protocol in memory_system.h). Transactions are split into runs of bursts per
// pseudo-channel, bank and row by the address mapping.
//
// Temporal decoupling: one SystemC thread wakes every (tCL + burst) clocks while work is queued
// and lets every busy controller issue all its commands up to the current time. A request
// arriving at time t always lands at or after every controller's clock, so the schedule is
// exactly that of a controller deciding clock by clock; and a read issued in one window completes
// no earlier than the next wake, so its response (and any request it triggers) is never late.
#pragma once

#include <memory>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "hw/memory.h"
#include "models/hbm/address_map.h"
#include "models/hbm/clocked_timing.h"
#include "models/hbm/memory_system.h"
#include "models/hbm/pc_controller.h"
#include "models/hbm/protocol_checker.h"
#include "models/hbm/slot_pool.h"

namespace strata::hbm {

struct HbmOptions {
  bool check_protocol = true;  ///< run every command through the ProtocolChecker
};

class HbmSystem : public MemorySystem {
 public:
  tlm_utils::simple_target_socket<HbmSystem> socket;

  HbmSystem(sc_core::sc_module_name name, const hw::MemorySpec& spec, HbmOptions options = {});
  ~HbmSystem() override;

  tlm::tlm_target_socket<>& target_socket() override { return socket; }
  void finish() override;
  MemoryReport report() const override;

  const AddressMap& address_map() const { return map_; }
  const ClockedTiming& timing() const { return t_; }
  const ProtocolChecker* checker() const { return checker_.get(); }
  int pseudo_channels() const { return int(pcs_.size()); }
  const PseudoChannelController& controller(int pc) const { return *pcs_[size_t(pc)]; }

  sc_core::sc_time time_of(Cycle c) const;
  /// The first clock edge at or after `t`.
  Cycle cycle_at_or_after(const sc_core::sc_time& t) const;

 private:
  struct Chunk {
    int pc;
    PcRequest r;
  };
  struct Txn {
    tlm::tlm_generic_payload* payload = nullptr;  ///< null for posted writes
    sc_core::sc_event* done = nullptr;            ///< b_transport: notified at completion
    int chunks = 0;
    Cycle finished = 0;
    bool write = false;
  };
  struct Response {
    Cycle at;
    int txn;
  };

  SC_HAS_PROCESS(HbmSystem);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void run();

  /// Checks command, address and length; sets the response status and returns false if bad.
  bool valid(tlm::tlm_generic_payload& p) const;
  void split(const tlm::tlm_generic_payload& p, std::vector<Chunk>& out) const;
  bool has_room(const std::vector<Chunk>& chunks) const;
  int admit(const std::vector<Chunk>& chunks, bool write, Cycle arrival);
  void on_done(uint64_t txn, Cycle done);
  void deliver_responses();
  void retry_blocked();

  hw::MemorySpec spec_;
  ClockedTiming t_;
  AddressMap map_;
  std::vector<std::unique_ptr<PseudoChannelController>> pcs_;
  std::unique_ptr<ProtocolChecker> checker_;
  Cycle quantum_ = 1;

  SlotPool<Txn> txns_;
  std::vector<char> active_flag_;
  std::vector<int> active_;
  std::vector<Response> finished_;  ///< completed since the last delivery
  std::vector<Response> responses_; ///< waiting for the response channel, in time order
  size_t next_response_ = 0;
  bool response_busy_ = false;      ///< a BEGIN_RESP awaits END_RESP
  tlm::tlm_generic_payload* blocked_ = nullptr;  ///< a request held without END_REQ
  std::vector<Chunk> scratch_;
  uint64_t late_arrivals_ = 0;
  sc_core::sc_event work_, room_;
  int room_waiters_ = 0;
};

}  // namespace strata::hbm
