#include "models/hbm/clocked_timing.h"

#include <cmath>

namespace strata::hbm {

Cycle ClockedTiming::cycles(double seconds) const {
  return Cycle(std::ceil(seconds / tck_s - 1e-6));
}

ClockedTiming ClockedTiming::from(const hw::MemorySpec& m) {
  const hw::HbmTiming& t = m.timing;
  ClockedTiming c;
  c.tck_s = 1.0 / m.clock_hz();
  c.bl = m.organisation.burst_length / m.organisation.transfers_per_clock;
  auto n = [&c](double s) { return int(c.cycles(s)); };
  c.cl = n(t.tCL), c.cwl = n(t.tCWL), c.rcd_rd = n(t.tRCD_RD), c.rcd_wr = n(t.tRCD_WR);
  c.rp = n(t.tRP), c.ras = n(t.tRAS), c.rc = n(t.tRC);
  c.ccd_s = n(t.tCCD_S), c.ccd_l = n(t.tCCD_L), c.rrd_s = n(t.tRRD_S), c.rrd_l = n(t.tRRD_L);
  c.faw = n(t.tFAW), c.wr = n(t.tWR), c.rtp = n(t.tRTP), c.wtr_s = n(t.tWTR_S), c.wtr_l = n(t.tWTR_L);
  c.rtw = n(t.tRTW), c.rfc = n(t.tRFC), c.rfc_pb = n(t.tRFCpb), c.rrefd = n(t.tRREFD);
  c.refi = Cycle(std::floor(t.tREFI / c.tck_s + 1e-6));  // refresh at least this often: round down
  return c;
}

}  // namespace strata::hbm
