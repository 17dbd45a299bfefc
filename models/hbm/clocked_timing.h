// The JEDEC timing table in whole command-clock cycles at the clock a memory's pin rate implies.
// Commands issue on clock edges, so every interval is rounded up: a part run below its speed
// grade keeps its nanosecond timings and loses the fraction of a clock each rounds to.
#pragma once

#include <cstdint>

#include "hw/memory.h"

namespace strata::hbm {

using Cycle = int64_t;

struct ClockedTiming {
  double tck_s = 0;  ///< command clock period
  int bl = 0;        ///< clocks one burst occupies the data bus
  int cl = 0, cwl = 0, rcd_rd = 0, rcd_wr = 0, rp = 0, ras = 0, rc = 0;
  int ccd_s = 0, ccd_l = 0, rrd_s = 0, rrd_l = 0, faw = 0;
  int wr = 0, rtp = 0, wtr_s = 0, wtr_l = 0, rtw = 0;
  int rfc = 0, rfc_pb = 0, rrefd = 0;
  Cycle refi = 0;

  /// Clocks from a WR command to the end of its data (write latency + burst).
  int write_data_end() const { return cwl + bl; }
  /// Clocks from a RD command to the end of its data.
  int read_data_end() const { return cl + bl; }

  /// `seconds` in whole clocks, rounded up (a sliver of floating-point noise is forgiven).
  Cycle cycles(double seconds) const;
  double seconds(Cycle c) const { return double(c) * tck_s; }

  static ClockedTiming from(const hw::MemorySpec& m);
};

}  // namespace strata::hbm
