// DRAM commands as the controller issues them and the protocol checker sees them.
#pragma once

#include <cstdint>

#include "models/hbm/clocked_timing.h"

namespace strata::hbm {

enum class Cmd : uint8_t { act, pre, prea, rd, wr, refab, refpb };
constexpr int kCmdCount = 7;

/// JEDEC mnemonic: ACT, PRE, PREA, RD, WR, REFab, REFpb.
const char* cmd_name(Cmd c);
/// Row commands share the row command bus; RD and WR share the column command bus.
inline bool is_row_command(Cmd c) { return c != Cmd::rd && c != Cmd::wr; }

struct Command {
  Cycle cycle = 0;
  Cmd cmd = Cmd::act;
  int bank = -1;      ///< bank in its pseudo-channel (bank group-major); -1 for PREA and REFab
  int64_t row = -1;   ///< ACT, RD, WR
  int column = -1;    ///< RD, WR: burst within the row
};

}  // namespace strata::hbm
