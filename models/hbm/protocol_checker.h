// Records every command issued to every pseudo-channel and reports each JEDEC rule it breaks:
// minimum spacings (one table, rules()), the four-activate window, bank state (no RD to a closed
// bank, no ACT to an open one, no refresh of an open bank), the data bus (no overlapping bursts),
// one command per clock on each command bus, and the refresh interval. It keeps its own state and
// shares no code with the controller, so a controller bug shows up here as a named violation.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/hbm/command.h"

namespace strata::hbm {

/// Which commands a spacing rule compares: the same bank, the same bank group, or any bank of
/// the pseudo-channel.
enum class Scope { bank, bank_group, pseudo_channel };

struct SpacingRule {
  std::string name;  ///< e.g. "tCCD_L"
  Cmd earlier, later;
  Scope scope;
  int min_cycles;
};

struct Violation {
  int pseudo_channel = 0;
  Command command;       ///< the offending command
  std::string rule;      ///< e.g. "tRCD_RD", "tFAW", "bank state", "data bus"
  std::string detail;    ///< what was seen and what the rule needs
  std::string message() const;
};

class ProtocolChecker {
 public:
  /// `refresh_expected`: every bank must be refreshed at least every 9 x tREFI (JEDEC lets a
  /// controller postpone up to 8 refreshes).
  ProtocolChecker(const ClockedTiming& t, int bank_groups, int banks_per_group, int pseudo_channels,
                  bool refresh_expected);

  void check(int pseudo_channel, const Command& c);
  /// Checks the refresh interval of every bank up to `end`.
  void finish(Cycle end);

  uint64_t commands() const { return commands_; }
  uint64_t violation_count() const { return violation_count_; }
  /// The first violations (at most 100 are kept; violation_count() counts all).
  const std::vector<Violation>& violations() const { return violations_; }

  /// The spacing rules for timing `t`, in the order they are checked.
  static std::vector<SpacingRule> spacing_rules(const ClockedTiming& t);

 private:
  static constexpr Cycle kNever = INT64_MIN / 4;
  struct PcState {
    // Last cycle of each command per bank, per bank group and per pseudo-channel.
    std::vector<std::array<Cycle, kCmdCount>> bank_last, group_last;
    std::array<Cycle, kCmdCount> pc_last;
    std::vector<int64_t> open_row;  ///< -1 when closed
    std::vector<Cycle> refreshed;   ///< last refresh per bank
    std::array<Cycle, 4> acts;      ///< last four ACTs, oldest first (kNever before four)
    Cycle last_cycle = kNever, row_bus = kNever, col_bus = kNever, data_end = kNever;
  };

  void report(int pc, const Command& c, const std::string& rule, const std::string& detail);
  void check_spacing(int pc, PcState& s, const Command& c, Cmd as, int bank);
  void record(PcState& s, Cmd as, int bank, Cycle at);
  void check_refresh_interval(int pc, PcState& s, const Command& c, int bank, Cycle at);

  ClockedTiming t_;
  int banks_per_group_;
  bool refresh_expected_;
  std::vector<SpacingRule> rules_;
  std::vector<PcState> pcs_;
  std::vector<Violation> violations_;
  uint64_t commands_ = 0, violation_count_ = 0;
};

}  // namespace strata::hbm
