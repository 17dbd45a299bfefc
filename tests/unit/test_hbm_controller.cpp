// The pseudo-channel controller: bank state machine, each timing rule made binding on purpose,
// FR-FCFS order, the row-hit cap, write drains, refresh and page policy. The protocol checker
// watches every command of every test; the fixture fails a test on any violation.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "hw/hardware.h"
#include "models/hbm/pc_controller.h"
#include "models/hbm/protocol_checker.h"
#include "sim/config/loader.h"

using namespace strata;
using namespace strata::hbm;

namespace {

/// One H800 pseudo-channel (HBM3 at 5.234 Gb/s), refresh off unless a test turns it on.
class HbmController : public ::testing::Test {
 protected:
  void build(const std::function<void(hw::MemorySpec&)>& tweak = {}, Cycle refresh_phase = 0) {
    m_ = hw::HardwareSpec::schema()
             .bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"))
             .memory;
    m_.controller.refresh = hw::RefreshMode::none;
    if (tweak) tweak(m_);
    t_ = ClockedTiming::from(m_);
    checker_ = std::make_unique<ProtocolChecker>(t_, 4, 4, 1, m_.controller.refresh != hw::RefreshMode::none);
    pc_ = std::make_unique<PseudoChannelController>(t_, m_.organisation, m_.controller, refresh_phase);
    pc_->on_command([this](const Command& c) {
      checker_->check(0, c);
      log_.push_back(c);
    });
    pc_->on_completion([this](uint64_t tag, bool, Cycle done) {
      done_[tag] = done;
      order_.push_back(tag);
    });
  }
  void TearDown() override {
    if (!checker_) return;
    EXPECT_EQ(checker_->violation_count(), 0u);
    for (const Violation& v : checker_->violations()) ADD_FAILURE() << v.message();
  }
  void request(uint64_t tag, bool write, int bank, int64_t row, Cycle arrival, int column = 0, int bursts = 1) {
    pc_->enqueue(PcRequest{tag, write, bank, row, column, bursts}, arrival);
  }
  void read(uint64_t tag, int bank, int64_t row, Cycle arrival, int column = 0) { request(tag, false, bank, row, arrival, column); }
  void write(uint64_t tag, int bank, int64_t row, Cycle arrival, int column = 0) { request(tag, true, bank, row, arrival, column); }
  /// Cycles of the commands `cmd` (to `bank`, or any bank when -1), in order.
  std::vector<Cycle> at(Cmd cmd, int bank = -1) const {
    std::vector<Cycle> v;
    for (const Command& c : log_)
      if (c.cmd == cmd && (bank < 0 || c.bank == bank)) v.push_back(c.cycle);
    return v;
  }
  Cycle first(Cmd cmd, int bank = -1) const {
    std::vector<Cycle> v = at(cmd, bank);
    return v.empty() ? -1 : v.front();
  }

  hw::MemorySpec m_;
  ClockedTiming t_;
  std::unique_ptr<ProtocolChecker> checker_;
  std::unique_ptr<PseudoChannelController> pc_;
  std::vector<Command> log_;
  std::map<uint64_t, Cycle> done_;
  std::vector<uint64_t> order_;
};

}  // namespace

TEST_F(HbmController, ReadToAClosedBankActivatesThenReads) {
  build();
  read(1, 0, 5, 100);
  pc_->advance_until(1000);
  EXPECT_EQ(at(Cmd::act), std::vector<Cycle>{100});
  EXPECT_EQ(at(Cmd::rd), std::vector<Cycle>{100 + t_.rcd_rd});
  EXPECT_EQ(done_[1], 100 + t_.rcd_rd + t_.cl + t_.bl);
  EXPECT_EQ(pc_->stats().row_misses, 1u);
  EXPECT_EQ(pc_->stats().read_latency.max(), t_.rcd_rd + t_.cl + t_.bl);
  EXPECT_FALSE(pc_->busy());
}

TEST_F(HbmController, MultiBurstRequestCompletesWithItsLastBurst) {
  build();
  request(1, false, 0, 5, 0, 4, 4);  // columns 4..7
  pc_->advance_until(1000);
  ASSERT_EQ(at(Cmd::rd).size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(at(Cmd::rd)[i], t_.rcd_rd + Cycle(i) * t_.ccd_l);  // one bank: tCCD_L apart
    EXPECT_EQ(log_[i + 1].column, int(4 + i));
  }
  EXPECT_EQ(done_[1], at(Cmd::rd)[3] + t_.cl + t_.bl);
  EXPECT_EQ(pc_->stats().read_bursts, 4u);
  EXPECT_EQ(pc_->stats().reads, 1u);
}

TEST_F(HbmController, RowHitNeedsNoActivate) {
  build();
  read(1, 0, 5, 0, 0);
  read(2, 0, 5, 0, 1);
  pc_->advance_until(1000);
  EXPECT_EQ(at(Cmd::act).size(), 1u);
  EXPECT_EQ(at(Cmd::rd), (std::vector<Cycle>{t_.rcd_rd, t_.rcd_rd + t_.ccd_l}));
  EXPECT_EQ(pc_->stats().row_hits, 1u);
  EXPECT_EQ(pc_->stats().row_misses, 1u);
}

TEST_F(HbmController, RowConflictWaitsForTrasThenTrpAndTrc) {
  build();
  read(1, 0, 5, 0);
  read(2, 0, 6, 0);
  pc_->advance_until(1000);
  // PRE after max(tRAS, RD + tRTP); ACT after max(PRE + tRP, ACT + tRC).
  Cycle pre = std::max<Cycle>(t_.ras, t_.rcd_rd + t_.rtp);
  EXPECT_EQ(at(Cmd::pre), std::vector<Cycle>{pre});
  EXPECT_EQ(at(Cmd::act), (std::vector<Cycle>{0, std::max<Cycle>(pre + t_.rp, t_.rc)}));
  EXPECT_EQ(pc_->stats().row_conflicts, 1u);
}

TEST_F(HbmController, LateReadDelaysThePrechargeByTrtp) {
  build();
  read(1, 0, 5, 0);
  pc_->advance_until(40);
  read(2, 0, 5, 40);  // a hit issued at 40, after tRAS has passed
  read(3, 0, 6, 40);  // then the row must close
  pc_->advance_until(1000);
  EXPECT_EQ(at(Cmd::rd)[1], 40);
  EXPECT_EQ(at(Cmd::pre), std::vector<Cycle>{40 + t_.rtp});
}

TEST_F(HbmController, ActivatesInOneBankGroupWaitTrrdL) {
  build();
  read(1, 0, 5, 0);
  read(2, 1, 5, 0);  // bank 1 shares bank group 0
  pc_->advance_until(1000);
  EXPECT_EQ(at(Cmd::act), (std::vector<Cycle>{0, t_.rrd_l}));
}

TEST_F(HbmController, ColumnSpacingIsTccdLInABankGroupAndTccdSAcross) {
  build();
  for (int i = 0; i < 16; ++i) read(uint64_t(i), 0, 1, 0, i);        // bank 0, bank group 0
  for (int i = 0; i < 16; ++i) read(uint64_t(16 + i), 4, 1, 0, i);   // bank 4, bank group 1
  pc_->advance_until(2000);
  std::vector<Cycle> rd = at(Cmd::rd), rd0 = at(Cmd::rd, 0), rd4 = at(Cmd::rd, 4);
  Cycle min_gap = 1 << 30, min_same = 1 << 30;
  for (size_t i = 1; i < rd.size(); ++i) min_gap = std::min(min_gap, rd[i] - rd[i - 1]);
  for (size_t i = 1; i < rd0.size(); ++i) min_same = std::min(min_same, rd0[i] - rd0[i - 1]);
  for (size_t i = 1; i < rd4.size(); ++i) min_same = std::min(min_same, rd4[i] - rd4[i - 1]);
  EXPECT_EQ(min_gap, std::max(t_.ccd_s, t_.bl));
  EXPECT_EQ(min_same, t_.ccd_l);
  EXPECT_EQ(rd.size(), 32u);
}

TEST_F(HbmController, ActivatesRespectTrrdAndTheFourActivateWindow) {
  build();
  const int banks[] = {0, 4, 8, 12, 1, 5, 9, 13};
  for (int i = 0; i < 8; ++i) read(uint64_t(i), banks[i], 1, 0);
  pc_->advance_until(2000);
  std::vector<Cycle> act = at(Cmd::act);
  ASSERT_EQ(act.size(), 8u);
  EXPECT_EQ(act[1] - act[0], t_.rrd_s);
  EXPECT_EQ(act[4], act[0] + t_.faw);  // the fifth waits for the window
  EXPECT_EQ(act[5], act[1] + t_.faw);
  EXPECT_GE(act[4] - act[0], t_.rrd_l);
}

TEST_F(HbmController, WriteToReadWaitsForTwtr) {
  build();
  read(1, 4, 1, 0);  // opens bank 4 (bank group 1)
  pc_->advance_until(40);
  write(2, 0, 1, 40);  // bank group 0; no reads wait, so the controller turns to writes
  pc_->advance_until(54);
  ASSERT_EQ(at(Cmd::wr).size(), 1u);
  Cycle wr = at(Cmd::wr)[0];
  read(3, 4, 1, 54);  // a hit in the other bank group
  read(4, 0, 1, 54);  // a hit in the same bank group as the write
  pc_->advance_until(400);
  EXPECT_EQ(at(Cmd::rd, 4).back(), wr + t_.write_data_end() + t_.wtr_s);
  EXPECT_EQ(at(Cmd::rd, 0).back(), wr + t_.write_data_end() + t_.wtr_l);
}

TEST_F(HbmController, ReadToWriteWaitsForTheBusTurnaround) {
  build();
  read(1, 0, 1, 0);
  write(2, 4, 1, 1);
  pc_->advance_until(400);
  EXPECT_EQ(at(Cmd::wr), std::vector<Cycle>{at(Cmd::rd)[0] + t_.rtw});
}

TEST_F(HbmController, PrechargeAfterAWriteWaitsForWriteRecovery) {
  build();
  write(1, 0, 1, 0);
  pc_->advance_until(14);
  read(2, 0, 2, 14);
  pc_->advance_until(400);
  Cycle wr = at(Cmd::wr)[0];
  EXPECT_EQ(at(Cmd::pre), std::vector<Cycle>{wr + t_.write_data_end() + t_.wr});
  EXPECT_EQ(done_[1], wr + t_.write_data_end());
}

TEST_F(HbmController, FrFcfsServesAReadyHitBeforeAnOlderConflict) {
  build();
  read(1, 0, 1, 0);
  pc_->advance_until(30);
  read(2, 0, 2, 30);  // older, needs the row closed
  read(3, 0, 1, 30);  // younger, hits the open row
  pc_->advance_until(1000);
  EXPECT_EQ(order_, (std::vector<uint64_t>{1, 3, 2}));
  EXPECT_EQ(pc_->stats().row_hits, 1u);
  EXPECT_EQ(pc_->stats().row_conflicts, 1u);
}

TEST_F(HbmController, RowHitCapLetsAnOlderMissIn) {
  build([](hw::MemorySpec& m) { m.controller.row_hit_cap = 3; });
  read(1, 0, 1, 0);
  pc_->advance_until(30);
  read(2, 0, 2, 30);  // the older miss
  for (int i = 0; i < 5; ++i) read(uint64_t(10 + i), 0, 1, 30, 1 + i);
  pc_->advance_until(3000);
  // Three requests from row 1 (the opener and two hits), then the miss, then row 1 again.
  EXPECT_EQ(order_, (std::vector<uint64_t>{1, 10, 11, 2, 12, 13, 14}));
}

TEST_F(HbmController, WritesDrainBetweenWatermarks) {
  build([](hw::MemorySpec& m) {
    m.controller.write_queue = 8;
    m.controller.write_high_watermark = 0.75;  // drain from 6 writes
    m.controller.write_low_watermark = 0.25;   // down to 2 while reads wait
  });
  for (int i = 0; i < 6; ++i) write(uint64_t(100 + i), 4, 1, 0, i);
  for (int i = 0; i < 20; ++i) read(uint64_t(i), 0, 1, 0, i);
  pc_->advance_until(5000);
  std::vector<Cycle> wr = at(Cmd::wr), rd = at(Cmd::rd);
  ASSERT_EQ(wr.size(), 6u);
  ASSERT_EQ(rd.size(), 20u);
  // Four writes drain first (6 -> 2), then the reads, then the last two writes once no read waits.
  EXPECT_LT(wr[3], rd[0]);
  EXPECT_GT(wr[4], rd.back());
}

TEST_F(HbmController, WritesWaitBelowTheHighWatermarkWhileReadsAreQueued) {
  build([](hw::MemorySpec& m) {
    m.controller.write_queue = 8;
    m.controller.write_high_watermark = 0.75;
  });
  for (int i = 0; i < 5; ++i) write(uint64_t(100 + i), 4, 1, 0, i);
  for (int i = 0; i < 20; ++i) read(uint64_t(i), 0, 1, 0, i);
  pc_->advance_until(5000);
  EXPECT_GT(at(Cmd::wr).front(), at(Cmd::rd).back());
}

TEST_F(HbmController, AllBankRefreshClosesBanksAndBlocksForTrfc) {
  build([](hw::MemorySpec& m) { m.controller.refresh = hw::RefreshMode::all_bank; }, 999);  // due at 1000
  read(1, 0, 1, 990);
  read(2, 0, 1, 990, 1);
  pc_->advance_until(3000);
  // The ACT went out at 990; from 1000 only the refresh may proceed: PREA once tRAS allows,
  // REFab tRP later, and the row is opened again tRFC after that.
  ASSERT_EQ(at(Cmd::prea).size(), 1u);
  EXPECT_EQ(at(Cmd::prea)[0], 990 + t_.ras);
  EXPECT_EQ(at(Cmd::refab), std::vector<Cycle>{990 + t_.ras + t_.rp});
  EXPECT_EQ(at(Cmd::act), (std::vector<Cycle>{990, 990 + t_.ras + t_.rp + t_.rfc}));
  EXPECT_EQ(at(Cmd::rd).size(), 2u);
  EXPECT_EQ(pc_->stats().refresh_bank_cycles, 16 * t_.rfc);
}

TEST_F(HbmController, AllBankRefreshEveryTrefiWhenIdle) {
  build([](hw::MemorySpec& m) { m.controller.refresh = hw::RefreshMode::all_bank; });
  pc_->advance_until(10 * t_.refi + 1);
  std::vector<Cycle> ref = at(Cmd::refab);
  ASSERT_EQ(ref.size(), 10u);
  for (size_t i = 1; i < ref.size(); ++i) EXPECT_EQ(ref[i] - ref[i - 1], t_.refi);
  checker_->finish(10 * t_.refi + 1);
}

TEST_F(HbmController, PerBankRefreshVisitsEveryBankAndLeavesTheOthersWorking) {
  build([](hw::MemorySpec& m) { m.controller.refresh = hw::RefreshMode::per_bank; });
  // Reads to bank 1 every 10 clocks while the refresh walks the banks.
  for (int i = 0; i < 2 * t_.refi / 10; ++i) read(uint64_t(i), 1, 3, 10 * i, i % 32);
  pc_->advance_until(2 * t_.refi);
  std::vector<Cycle> ref = at(Cmd::refpb);
  const Cycle interval = t_.refi / 16;  // rounded down: every bank at least once per tREFI
  ASSERT_EQ(ref.size(), size_t((2 * t_.refi - 2) / interval + 1));
  for (int b = 0; b < 16; ++b) EXPECT_GE(at(Cmd::refpb, b).size(), 2u) << "bank " << b;
  // While bank 0 refreshes, bank 1 keeps serving reads.
  std::vector<Cycle> rd1 = at(Cmd::rd, 1);
  for (Cycle r : at(Cmd::refpb, 0)) {
    auto next = std::upper_bound(rd1.begin(), rd1.end(), r);
    ASSERT_NE(next, rd1.end());
    EXPECT_LT(*next, r + t_.rfc_pb) << "bank 1 idle through bank 0's refresh at " << r;
  }
  checker_->finish(2 * t_.refi);
}

TEST_F(HbmController, ClosedPagePolicyPrechargesWhenNoHitWaits) {
  build([](hw::MemorySpec& m) { m.controller.page_policy = hw::PagePolicy::closed; });
  read(1, 0, 1, 0);
  pc_->advance_until(200);
  EXPECT_EQ(at(Cmd::pre), std::vector<Cycle>{std::max<Cycle>(t_.ras, t_.rcd_rd + t_.rtp)});
  read(2, 0, 1, 200);  // the same row again: closed meanwhile, so a miss, not a conflict
  pc_->advance_until(400);
  EXPECT_EQ(at(Cmd::act).size(), 2u);
  EXPECT_EQ(pc_->stats().row_misses, 2u);
  EXPECT_EQ(pc_->stats().row_conflicts, 0u);
}

TEST_F(HbmController, SequentialStreamEfficiency) {
  // A pseudo-channel fed without limit by the default mapping's order (64 B requests cycling the
  // four bank groups, two columns at a time; a new bank after each 1 KiB row). The efficiency
  // is what docs/validation.md quotes: 89.6% with all-bank refresh, all but 0.02% without.
  for (hw::RefreshMode mode : {hw::RefreshMode::all_bank, hw::RefreshMode::none}) {
    build([mode](hw::MemorySpec& m) { m.controller.refresh = mode; }, 100);
    int64_t k = 0;
    Cycle last = 0;
    pc_->on_completion([&](uint64_t, bool, Cycle c) { last = c; });
    for (Cycle end = 1000; end <= 200000; end += 1000) {
      while (pc_->room(false) > 0) {
        request(uint64_t(k), false, int((k % 4) * 4 + (k / 64) % 4), k / 256, pc_->now(), int(2 * ((k / 4) % 16)), 2);
        ++k;
      }
      pc_->advance_until(end);
    }
    double efficiency = double(pc_->stats().read_bursts) * t_.bl / double(last);
    if (mode == hw::RefreshMode::all_bank)
      EXPECT_NEAR(efficiency, 0.896, 0.001);
    else
      EXPECT_GT(efficiency, 0.999);
    EXPECT_NEAR(pc_->stats().row_hit_rate(), 15.0 / 16, 0.01);
    EXPECT_EQ(checker_->violation_count(), 0u);
  }
}
