// The controller of one HBM pseudo-channel, cycle-exact and event-driven: it jumps from one
// command to the next instead of ticking every clock. Bank state machines under the JEDEC timing
// table (ACT, PRE, PREA, RD, WR, REFab, REFpb), FR-FCFS over read and write queues (ready
// commands first, row hits before row commands, then oldest), write drains between watermarks,
// open- or closed-page policy, an optional row-hit cap, and all-bank or per-bank refresh.
// Plain C++ (no SystemC): HbmSystem drives it, unit tests drive it directly.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "hw/memory.h"
#include "models/hbm/clocked_timing.h"
#include "models/hbm/command.h"
#include "models/hbm/pc_stats.h"
#include "models/hbm/slot_pool.h"

namespace strata::hbm {

/// A run of consecutive bursts in one row of one bank.
struct PcRequest {
  uint64_t tag = 0;  ///< the caller's id, handed back on completion
  bool write = false;
  int bank = 0;      ///< bank in the pseudo-channel (bank group-major)
  int64_t row = 0;
  int column = 0;    ///< first burst in the row
  int bursts = 1;
};

class PseudoChannelController {
 public:
  /// `done` is the clock at which the last burst's data has moved (reads: arrived at the
  /// controller; writes: written to the DRAM).
  using CompletionFn = std::function<void(uint64_t tag, bool write, Cycle done)>;
  using CommandFn = std::function<void(const Command&)>;

  /// `refresh_phase`: clocks until the first refresh is due, to stagger refreshes across
  /// pseudo-channels as controllers do (0..tREFI).
  PseudoChannelController(const ClockedTiming& t, const hw::HbmOrganisation& org,
                          const hw::HbmControllerSpec& spec, Cycle refresh_phase);

  void on_completion(CompletionFn f) { completion_ = std::move(f); }
  void on_command(CommandFn f) { command_ = std::move(f); }

  /// Reads (or writes) that still fit in the controller's queue and the frontend queue in
  /// front of it, counting requests not yet arrived.
  int room(bool write) const;
  /// Requests of one direction the controller's queue holds (its scheduling window).
  int capacity(bool write) const { return write ? spec_.write_queue : spec_.read_queue; }
  int frontend_capacity() const { return spec_.frontend_queue; }
  /// Queues `r`, arriving at clock `arrival` (clamped to now()). Requests must fit (room).
  void enqueue(const PcRequest& r, Cycle arrival);
  /// Issues every command due before clock `end`; afterwards now() == max(now(), end).
  void advance_until(Cycle end);
  /// Integrates queue occupancy up to `end`; call once when the run is over.
  void close_stats(Cycle end);

  Cycle now() const { return now_; }
  /// Arrival of the earliest request not yet in a queue (-1 if none).
  Cycle next_arrival() const;
  bool busy() const { return count_[0] + count_[1] + pending_[0].size() + pending_[1].size() > 0; }
  int queued(bool write) const { return count_[write]; }
  const PcStats& stats() const { return stats_; }

 private:
  struct Bank {
    bool open = false;
    int64_t row = -1;
    Cycle act_ok = 0, pre_ok = 0, rd_ok = 0, wr_ok = 0, refpb_ok = 0;
    int hits = 0;  ///< requests served from the open row since its ACT
  };
  struct Group {
    Cycle act_ok = 0, rd_ok = 0, wr_ok = 0;
  };
  struct Slot {
    PcRequest r;
    Cycle arrival = 0;
    uint64_t seq = 0;
    int next_column = 0, remaining = 0;
    bool started = false, caused_act = false, caused_pre = false;
  };
  struct Choice {
    Cmd cmd = Cmd::act;
    int bank = -1, slot = -1;
    Cycle at = 0;
    int rank = 0;      ///< 0 refresh, 1 row hit, 2 row command for a request, 3 closed-page precharge
    uint64_t age = 0;  ///< arrival order of the request served
  };

  void admit();
  Cycle next_pending_event() const;
  bool pick(Choice& best);
  /// Keeps the better of `best` and `c`: ready first, then by rank, then oldest.
  static void consider(Choice& best, bool& have, const Choice& c) {
    if (!have || c.at < best.at ||
        (c.at == best.at && (c.rank < best.rank || (c.rank == best.rank && c.age < best.age)))) {
      best = c;
      have = true;
    }
  }
  int find_hit(const std::deque<int>& q, int64_t row) const;
  bool row_wanted(int bank) const;
  void update_write_mode();
  Cycle ready_pre(int bank) const;
  Cycle ready_refresh() const;
  void issue(const Choice& c);
  void close_bank(int bank, Cycle at);
  void count_hits(int bank);
  void serve_burst(const Choice& c);
  void account(Cycle t);

  ClockedTiming t_;
  hw::HbmOrganisation org_;
  hw::HbmControllerSpec spec_;
  int banks_per_group_;

  std::vector<Bank> banks_;
  std::vector<Group> groups_;
  Cycle act_ok_ = 0, rd_ok_ = 0, wr_ok_ = 0, refab_ok_ = 0, refpb_ok_ = 0;
  Cycle row_bus_ = 0, col_bus_ = 0, data_end_ = 0;
  std::vector<Cycle> faw_;  ///< last four ACTs, oldest first (-inf before four)

  SlotPool<Slot> slots_;
  std::vector<std::deque<int>> queue_[2];  ///< per bank, reads [0] and writes [1], oldest first
  std::vector<int> hits_[2];               ///< per bank: queued requests for its open row
  size_t count_[2] = {0, 0};
  /// Requests not yet in a queue (not arrived, or waiting for room in the frontend), by arrival.
  std::deque<std::pair<Cycle, PcRequest>> pending_[2];
  bool write_mode_ = false;
  uint64_t seq_ = 0;

  bool refresh_pending_ = false;
  Cycle refresh_due_ = 0, refresh_interval_ = 0;
  int refresh_bank_ = 0;

  Cycle now_ = 0, accounted_ = 0;
  PcStats stats_;
  CompletionFn completion_;
  CommandFn command_;
};

}  // namespace strata::hbm
