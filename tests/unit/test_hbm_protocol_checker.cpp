// The protocol checker catches each rule: every spacing rule, the four-activate window, the data
// bus, bank state, the command buses, command order and the refresh interval are provoked one by
// one. Each case is a legal sequence whose last command sits exactly at its limit (no violation);
// moved one clock earlier, the checker must name the rule.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "models/hbm/clocked_timing.h"
#include "models/hbm/protocol_checker.h"
#include "sim/config/loader.h"

using namespace strata;
using namespace strata::hbm;

namespace {

// HBM3 at 6.4 Gb/s: tCK 0.625 ns; the clock counts are those of Ramulator 2.0's HBM3_6400Mbps.
const ClockedTiming& hbm3() {
  static const ClockedTiming t = ClockedTiming::from(
      hw::MemorySpec::schema().bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hbm/hbm3.yaml")));
  return t;
}

// Banks: 0 and 1 share bank group 0; 4, 8 and 12 are in groups 1, 2 and 3.
struct Step {
  Cycle at;
  Cmd cmd;
  int bank;
};

std::vector<std::string> run(const std::vector<Step>& steps, Cycle shift_last, const ClockedTiming& t = hbm3()) {
  ProtocolChecker c(t, 4, 4, 1, false);
  for (size_t i = 0; i < steps.size(); ++i) {
    Step s = steps[i];
    if (i + 1 == steps.size()) s.at += shift_last;
    bool column = s.cmd == Cmd::rd || s.cmd == Cmd::wr;
    c.check(0, Command{1000 + s.at, s.cmd, s.bank, s.cmd == Cmd::act || column ? 7 : -1, column ? 0 : -1});
  }
  std::vector<std::string> rules;
  for (const Violation& v : c.violations()) rules.push_back(v.rule);
  return rules;
}

struct RuleCase {
  std::string rule;
  Cmd earlier, later;  ///< the spacing rule it provokes (for the coverage check)
  std::vector<Step> steps;
};

std::vector<RuleCase> rule_cases() {
  const ClockedTiming& t = hbm3();
  const Cmd A = Cmd::act, P = Cmd::pre, R = Cmd::rd, W = Cmd::wr, F = Cmd::refab, B = Cmd::refpb;
  const int wend = t.write_data_end();
  return {
      // One bank.
      {"tRC", A, A, {{0, A, 0}, {t.ras, P, 0}, {t.rc, A, 0}}},
      {"tRCD_RD", A, R, {{0, A, 0}, {t.rcd_rd, R, 0}}},
      {"tRCD_WR", A, W, {{0, A, 0}, {t.rcd_wr, W, 0}}},
      {"tRAS", A, P, {{0, A, 0}, {t.ras, P, 0}}},
      {"tRP", P, A, {{0, A, 0}, {t.rc - t.rp, P, 0}, {t.rc, A, 0}}},
      {"tRTP", R, P, {{0, A, 0}, {t.ras, R, 0}, {t.ras + t.rtp, P, 0}}},
      {"tWR", W, P, {{0, A, 0}, {t.rcd_wr, W, 0}, {t.rcd_wr + wend + t.wr, P, 0}}},
      {"tRFCpb", B, A, {{0, B, 0}, {t.rfc_pb, A, 0}}},
      {"tRFCpb", B, B, {{0, B, 0}, {t.rfc_pb, B, 0}}},
      {"tRC", A, B, {{0, A, 0}, {t.ras, P, 0}, {t.rc, B, 0}}},
      {"tRP", P, B, {{0, A, 0}, {t.rc - t.rp, P, 0}, {t.rc, B, 0}}},
      // One bank group.
      {"tCCD_L", R, R, {{0, A, 0}, {t.rcd_rd, R, 0}, {t.rcd_rd + t.ccd_l, R, 0}}},
      {"tCCD_L", W, W, {{0, A, 0}, {t.rcd_wr, W, 0}, {t.rcd_wr + t.ccd_l, W, 0}}},
      {"tWTR_L", W, R, {{0, A, 0}, {t.rcd_rd, W, 0}, {t.rcd_rd + wend + t.wtr_l, R, 0}}},
      {"tRRD_L", A, A, {{0, A, 0}, {t.rrd_l, A, 1}}},
      // Any bank of the pseudo-channel.
      {"tCCD_S", R, R, {{0, A, 0}, {t.rrd_s, A, 4}, {40, R, 0}, {40 + t.ccd_s, R, 4}}},
      {"tCCD_S", W, W, {{0, A, 0}, {t.rrd_s, A, 4}, {40, W, 0}, {40 + t.ccd_s, W, 4}}},
      {"tWTR_S", W, R, {{0, A, 0}, {t.rrd_s, A, 4}, {40, W, 0}, {40 + wend + t.wtr_s, R, 4}}},
      {"tRTW", R, W, {{0, A, 0}, {t.rrd_s, A, 4}, {40, R, 0}, {40 + t.rtw, W, 4}}},
      {"tRRD_S", A, A, {{0, A, 0}, {t.rrd_s, A, 4}}},
      {"tRP", P, F, {{0, A, 0}, {t.rc - t.rp, P, 0}, {t.rc, F, -1}}},
      {"tRC", A, F, {{0, A, 0}, {t.ras, P, 0}, {t.rc, F, -1}}},
      {"tRFC", F, A, {{0, F, -1}, {t.rfc, A, 0}}},
      {"tRFC", F, F, {{0, F, -1}, {t.rfc, F, -1}}},
      {"tRFC", F, B, {{0, F, -1}, {t.rfc, B, 4}}},
      {"tRFCpb", B, F, {{0, B, 0}, {t.rfc_pb, F, -1}}},
      {"tRREFD", B, A, {{0, B, 0}, {t.rrefd, A, 4}}},
      {"tRREFD", B, B, {{0, B, 0}, {t.rrefd, B, 4}}},
      {"tRRD_S", A, B, {{0, A, 0}, {t.rrd_s, B, 4}}},
  };
}

}  // namespace

TEST(HbmProtocolChecker, EverySpacingRuleIsCaughtOneClockEarly) {
  for (const RuleCase& rc : rule_cases()) {
    SCOPED_TRACE(rc.rule + " " + cmd_name(rc.earlier) + "->" + cmd_name(rc.later));
    EXPECT_TRUE(run(rc.steps, 0).empty()) << "the legal sequence is reported";
    std::vector<std::string> got = run(rc.steps, -1);
    EXPECT_NE(std::find(got.begin(), got.end(), rc.rule), got.end()) << "not caught";
  }
}

TEST(HbmProtocolChecker, TheCasesCoverEverySpacingRule) {
  std::set<std::tuple<std::string, Cmd, Cmd>> covered;
  for (const RuleCase& rc : rule_cases()) covered.insert({rc.rule, rc.earlier, rc.later});
  for (const SpacingRule& r : ProtocolChecker::spacing_rules(hbm3()))
    EXPECT_TRUE(covered.count({r.name, r.earlier, r.later}))
        << r.name << " " << cmd_name(r.earlier) << "->" << cmd_name(r.later) << " is never provoked";
}

TEST(HbmProtocolChecker, FourActivateWindow) {
  const ClockedTiming& t = hbm3();
  // Four ACTs tRRD_S apart in four bank groups; a fifth (bank group 0 again, tRRD_L clear) must
  // wait for the window to pass the first.
  std::vector<Step> s = {{0, Cmd::act, 0}, {4, Cmd::act, 4}, {8, Cmd::act, 8}, {12, Cmd::act, 12}, {t.faw, Cmd::act, 1}};
  EXPECT_TRUE(run(s, 0).empty());
  EXPECT_EQ(run(s, -1), std::vector<std::string>{"tFAW"});
}

TEST(HbmProtocolChecker, DataBusBurstsMustNotOverlap) {
  // With tRTW lifted, a WR whose data would start before the RD's data has left the bus.
  ClockedTiming t = hbm3();
  t.rtw = 0;
  const Cycle rd = 40, data_end = rd + t.cl + t.bl;
  std::vector<Step> s = {{0, Cmd::act, 0}, {4, Cmd::act, 4}, {rd, Cmd::rd, 0}, {data_end - t.cwl, Cmd::wr, 4}};
  EXPECT_TRUE(run(s, 0, t).empty());
  EXPECT_EQ(run(s, -1, t), std::vector<std::string>{"data bus"});
}

TEST(HbmProtocolChecker, BankStateBusesAndOrder) {
  using V = std::vector<std::string>;
  EXPECT_EQ(run({{0, Cmd::rd, 0}}, 0), V{"bank state"});                        // RD to a closed bank
  EXPECT_EQ(run({{0, Cmd::act, 0}, {100, Cmd::act, 0}}, 0), V{"bank state"});   // ACT to an open bank
  EXPECT_EQ(run({{0, Cmd::act, 0}, {100, Cmd::refab, -1}}, 0), V{"bank state"});  // REFab, bank open
  EXPECT_EQ(run({{0, Cmd::act, 0}, {100, Cmd::refpb, 0}}, 0), V{"bank state"});   // REFpb, bank open
  EXPECT_EQ(run({{0, Cmd::act, 0}, {0, Cmd::act, 4}}, 0), (V{"row command bus", "tRRD_S"}));
  EXPECT_EQ(run({{0, Cmd::act, 0}, {5, Cmd::act, 4}, {40, Cmd::rd, 0}, {40, Cmd::rd, 4}}, 0),
            (V{"column command bus", "tCCD_S", "data bus"}));
  EXPECT_EQ(run({{10, Cmd::act, 0}, {5, Cmd::act, 4}}, 0), (V{"command order", "tRRD_S"}));

  // RD to a row other than the open one.
  ProtocolChecker c(hbm3(), 4, 4, 1, false);
  c.check(0, Command{0, Cmd::act, 0, 3, -1});
  c.check(0, Command{100, Cmd::rd, 0, 4, 0});
  ASSERT_EQ(c.violation_count(), 1u);
  EXPECT_EQ(c.violations()[0].message(),
            "pseudo-channel 0, cycle 100: RD bank 0 breaks bank state: RD to row 4 while row 3 is open");
}

TEST(HbmProtocolChecker, RefreshIntervalIsAtMostNineRefi) {
  const ClockedTiming& t = hbm3();
  ProtocolChecker c(t, 4, 4, 2, true);
  c.check(0, Command{5, Cmd::refab, -1, -1, -1});
  c.check(0, Command{5 + 9 * t.refi, Cmd::refab, -1, -1, -1});  // just in time
  EXPECT_EQ(c.violation_count(), 0u);
  c.check(0, Command{6 + 18 * t.refi, Cmd::refab, -1, -1, -1});  // one clock late, 16 banks
  EXPECT_EQ(c.violation_count(), 16u);
  EXPECT_EQ(c.violations()[0].rule, "tREFI");
  // Pseudo-channel 1 never refreshed: finish() reports each of its banks.
  c.finish(10 * t.refi);
  EXPECT_EQ(c.violation_count(), 32u);
}

TEST(HbmProtocolChecker, MessagesNameCommandBankAndRule) {
  const ClockedTiming& t = hbm3();
  ProtocolChecker c(t, 4, 4, 3, false);
  c.check(2, Command{0, Cmd::act, 5, 1, -1});
  c.check(2, Command{t.rcd_rd - 1, Cmd::rd, 5, 1, 0});
  ASSERT_EQ(c.violation_count(), 1u);
  EXPECT_EQ(c.violations()[0].message(),
            "pseudo-channel 2, cycle 30: RD bank 5 breaks tRCD_RD: 30 clocks after ACT to this bank "
            "at cycle 0, needs 31");
}
