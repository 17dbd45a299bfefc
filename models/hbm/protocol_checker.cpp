#include "models/hbm/protocol_checker.h"

#include <algorithm>

namespace strata::hbm {

const char* cmd_name(Cmd c) {
  switch (c) {
    case Cmd::act: return "ACT";
    case Cmd::pre: return "PRE";
    case Cmd::prea: return "PREA";
    case Cmd::rd: return "RD";
    case Cmd::wr: return "WR";
    case Cmd::refab: return "REFab";
    case Cmd::refpb: return "REFpb";
  }
  return "?";
}

std::string Violation::message() const {
  std::string where = command.bank >= 0 ? " bank " + std::to_string(command.bank) : "";
  return "pseudo-channel " + std::to_string(pseudo_channel) + ", cycle " +
         std::to_string(command.cycle) + ": " + cmd_name(command.cmd) + where + " breaks " + rule +
         ": " + detail;
}

std::vector<SpacingRule> ProtocolChecker::spacing_rules(const ClockedTiming& t) {
  using C = Cmd;
  const Scope bank = Scope::bank, group = Scope::bank_group, pc = Scope::pseudo_channel;
  return {
      // One bank: the row cycle.
      {"tRC", C::act, C::act, bank, t.rc},
      {"tRCD_RD", C::act, C::rd, bank, t.rcd_rd},
      {"tRCD_WR", C::act, C::wr, bank, t.rcd_wr},
      {"tRAS", C::act, C::pre, bank, t.ras},
      {"tRP", C::pre, C::act, bank, t.rp},
      {"tRTP", C::rd, C::pre, bank, t.rtp},
      {"tWR", C::wr, C::pre, bank, t.write_data_end() + t.wr},
      // One bank: per-bank refresh.
      {"tRFCpb", C::refpb, C::act, bank, t.rfc_pb},
      {"tRFCpb", C::refpb, C::refpb, bank, t.rfc_pb},
      {"tRC", C::act, C::refpb, bank, t.rc},
      {"tRP", C::pre, C::refpb, bank, t.rp},
      // One bank group.
      {"tCCD_L", C::rd, C::rd, group, t.ccd_l},
      {"tCCD_L", C::wr, C::wr, group, t.ccd_l},
      {"tWTR_L", C::wr, C::rd, group, t.write_data_end() + t.wtr_l},
      {"tRRD_L", C::act, C::act, group, t.rrd_l},
      // Any bank of the pseudo-channel.
      {"tCCD_S", C::rd, C::rd, pc, t.ccd_s},
      {"tCCD_S", C::wr, C::wr, pc, t.ccd_s},
      {"tWTR_S", C::wr, C::rd, pc, t.write_data_end() + t.wtr_s},
      {"tRTW", C::rd, C::wr, pc, t.rtw},
      {"tRRD_S", C::act, C::act, pc, t.rrd_s},
      {"tRP", C::pre, C::refab, pc, t.rp},
      {"tRC", C::act, C::refab, pc, t.rc},
      {"tRFC", C::refab, C::act, pc, t.rfc},
      {"tRFC", C::refab, C::refab, pc, t.rfc},
      {"tRFC", C::refab, C::refpb, pc, t.rfc},
      {"tRFCpb", C::refpb, C::refab, pc, t.rfc_pb},
      {"tRREFD", C::refpb, C::act, pc, t.rrefd},
      {"tRREFD", C::refpb, C::refpb, pc, t.rrefd},
      {"tRRD_S", C::act, C::refpb, pc, t.rrd_s},
  };
}

ProtocolChecker::ProtocolChecker(const ClockedTiming& t, int bank_groups, int banks_per_group,
                                 int pseudo_channels, bool refresh_expected)
    : t_(t),
      banks_per_group_(banks_per_group),
      refresh_expected_(refresh_expected),
      rules_(spacing_rules(t)) {
  PcState s;
  std::array<Cycle, kCmdCount> never;
  never.fill(kNever);
  const int banks = bank_groups * banks_per_group;
  s.bank_last.assign(size_t(banks), never);
  s.group_last.assign(size_t(bank_groups), never);
  s.pc_last = never;
  s.open_row.assign(size_t(banks), -1);
  s.refreshed.assign(size_t(banks), 0);
  s.acts.fill(kNever);
  pcs_.assign(size_t(pseudo_channels), s);
}

void ProtocolChecker::report(int pc, const Command& c, const std::string& rule,
                             const std::string& detail) {
  ++violation_count_;
  if (violations_.size() < 100) violations_.push_back({pc, c, rule, detail});
}

void ProtocolChecker::check_spacing(int pc, PcState& s, const Command& c, Cmd as, int bank) {
  for (const SpacingRule& r : rules_) {
    if (r.later != as) continue;
    Cycle before = kNever;
    if (r.scope == Scope::pseudo_channel)
      before = s.pc_last[size_t(r.earlier)];
    else if (bank < 0)
      continue;  // all-bank commands answer to pseudo-channel rules only
    else if (r.scope == Scope::bank)
      before = s.bank_last[size_t(bank)][size_t(r.earlier)];
    else
      before = s.group_last[size_t(bank / banks_per_group_)][size_t(r.earlier)];
    if (before == kNever || c.cycle - before >= r.min_cycles) continue;
    report(pc, c, r.name,
           std::to_string(c.cycle - before) + " clocks after " + cmd_name(r.earlier) +
               (r.scope == Scope::bank ? " to this bank" : r.scope == Scope::bank_group ? " in this bank group" : "") +
               " at cycle " + std::to_string(before) + ", needs " + std::to_string(r.min_cycles) +
               (bank >= 0 && as != c.cmd ? " (bank " + std::to_string(bank) + ")" : ""));
  }
}

void ProtocolChecker::record(PcState& s, Cmd as, int bank, Cycle at) {
  if (bank >= 0) {
    s.bank_last[size_t(bank)][size_t(as)] = at;
    s.group_last[size_t(bank / banks_per_group_)][size_t(as)] = at;
  }
  s.pc_last[size_t(as)] = at;
}

void ProtocolChecker::check_refresh_interval(int pc, PcState& s, const Command& c, int bank, Cycle at) {
  if (!refresh_expected_) return;
  Cycle gap = at - s.refreshed[size_t(bank)];
  if (gap > 9 * t_.refi)
    report(pc, c, "tREFI",
           "bank " + std::to_string(bank) + " went " + std::to_string(gap) +
               " clocks without refresh; JEDEC allows 9 x tREFI = " + std::to_string(9 * t_.refi));
}

void ProtocolChecker::check(int pc, const Command& c) {
  PcState& s = pcs_[size_t(pc)];
  ++commands_;
  const int banks = int(s.open_row.size());
  if (c.cycle < s.last_cycle)
    report(pc, c, "command order", "issued after a command at cycle " + std::to_string(s.last_cycle));
  s.last_cycle = std::max(s.last_cycle, c.cycle);
  Cycle& bus = is_row_command(c.cmd) ? s.row_bus : s.col_bus;
  if (c.cycle == bus)
    report(pc, c, is_row_command(c.cmd) ? "row command bus" : "column command bus",
           "a second command in one clock");
  bus = c.cycle;
  bool per_bank = c.cmd != Cmd::prea && c.cmd != Cmd::refab;
  if (per_bank && (c.bank < 0 || c.bank >= banks)) {
    report(pc, c, "bank state", "no bank " + std::to_string(c.bank) + " (0.." + std::to_string(banks - 1) + ")");
    return;
  }
  const size_t b = size_t(c.bank);
  switch (c.cmd) {
    case Cmd::act: {
      if (s.open_row[b] >= 0)
        report(pc, c, "bank state", "ACT while row " + std::to_string(s.open_row[b]) + " is open");
      check_spacing(pc, s, c, Cmd::act, c.bank);
      if (s.acts[0] != kNever && c.cycle - s.acts[0] < t_.faw)
        report(pc, c, "tFAW",
               "fifth ACT " + std::to_string(c.cycle - s.acts[0]) + " clocks after the ACT at cycle " +
                   std::to_string(s.acts[0]) + ", needs " + std::to_string(t_.faw));
      std::rotate(s.acts.begin(), s.acts.begin() + 1, s.acts.end());  // drop the oldest
      s.acts[3] = c.cycle;
      s.open_row[b] = c.row;
      record(s, Cmd::act, c.bank, c.cycle);
      break;
    }
    case Cmd::pre:
      check_spacing(pc, s, c, Cmd::pre, c.bank);
      s.open_row[b] = -1;
      record(s, Cmd::pre, c.bank, c.cycle);
      break;
    case Cmd::prea:
      for (int k = 0; k < banks; ++k) check_spacing(pc, s, c, Cmd::pre, k);
      for (int k = 0; k < banks; ++k) s.open_row[size_t(k)] = -1, record(s, Cmd::pre, k, c.cycle);
      break;
    case Cmd::rd:
    case Cmd::wr: {
      if (s.open_row[b] < 0)
        report(pc, c, "bank state", std::string(cmd_name(c.cmd)) + " to a closed bank");
      else if (s.open_row[b] != c.row)
        report(pc, c, "bank state",
               std::string(cmd_name(c.cmd)) + " to row " + std::to_string(c.row) + " while row " +
                   std::to_string(s.open_row[b]) + " is open");
      check_spacing(pc, s, c, c.cmd, c.bank);
      Cycle start = c.cycle + (c.cmd == Cmd::rd ? t_.cl : t_.cwl);
      if (start < s.data_end)
        report(pc, c, "data bus",
               "its burst starts at cycle " + std::to_string(start) + ", before the previous one ends at " +
                   std::to_string(s.data_end));
      s.data_end = std::max(s.data_end, start + t_.bl);
      record(s, c.cmd, c.bank, c.cycle);
      break;
    }
    case Cmd::refab:
      for (int k = 0; k < banks; ++k)
        if (s.open_row[size_t(k)] >= 0) {
          report(pc, c, "bank state", "REFab while bank " + std::to_string(k) + " is open");
          break;
        }
      check_spacing(pc, s, c, Cmd::refab, -1);
      for (int k = 0; k < banks; ++k) {
        check_refresh_interval(pc, s, c, k, c.cycle);
        s.refreshed[size_t(k)] = c.cycle;
      }
      record(s, Cmd::refab, -1, c.cycle);
      break;
    case Cmd::refpb:
      if (s.open_row[b] >= 0) report(pc, c, "bank state", "REFpb to an open bank");
      check_spacing(pc, s, c, Cmd::refpb, c.bank);
      check_refresh_interval(pc, s, c, c.bank, c.cycle);
      s.refreshed[b] = c.cycle;
      record(s, Cmd::refpb, c.bank, c.cycle);
      break;
  }
}

void ProtocolChecker::finish(Cycle end) {
  for (size_t pc = 0; pc < pcs_.size(); ++pc)
    for (int k = 0; k < int(pcs_[pc].refreshed.size()); ++k)
      check_refresh_interval(int(pc), pcs_[pc], Command{end, Cmd::refpb, k, -1, -1}, k, end);
}

}  // namespace strata::hbm
