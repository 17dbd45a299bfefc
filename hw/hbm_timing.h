// JEDEC timing table of one HBM generation, in seconds. The cycle-level model rounds each value
// up to whole command-clock cycles at the clock the pin rate implies, so a preset written at the
// JEDEC speed grade also describes a part run slower (H100/H800: HBM3 at 5.2 Gb/s).
#pragma once

#include "sim/config/schema.h"

namespace strata::hw {

struct HbmTiming {
  double tCL = 0;      ///< RD command to first read data (read latency)
  double tCWL = 0;     ///< WR command to first write data (write latency)
  double tRCD_RD = 0;  ///< ACT to RD, same bank
  double tRCD_WR = 0;  ///< ACT to WR, same bank
  double tRP = 0;      ///< PRE to ACT, same bank
  double tRAS = 0;     ///< ACT to PRE, same bank
  double tRC = 0;      ///< ACT to ACT, same bank
  double tCCD_S = 0;   ///< column to column, different bank group
  double tCCD_L = 0;   ///< column to column, same bank group
  double tRRD_S = 0;   ///< ACT to ACT, different bank group
  double tRRD_L = 0;   ///< ACT to ACT, same bank group
  double tFAW = 0;     ///< window holding at most four ACTs (per pseudo-channel)
  double tWR = 0;      ///< end of write data to PRE (write recovery)
  double tRTP = 0;     ///< RD to PRE, same bank
  double tWTR_S = 0;   ///< end of write data to RD, different bank group
  double tWTR_L = 0;   ///< end of write data to RD, same bank group
  double tRTW = 0;     ///< RD to WR command spacing (read-to-write bus turnaround)
  double tRFC = 0;     ///< all-bank refresh cycle time
  double tRFCpb = 0;   ///< per-bank refresh cycle time
  double tREFI = 0;    ///< average interval between refreshes of every bank
  double tRREFD = 0;   ///< REFpb to ACT or REFpb of another bank

  static const config::Schema<HbmTiming>& schema();
};

}  // namespace strata::hw
