#include "hw/hbm_timing.h"

namespace strata::hw {
using config::Dim;

const config::Schema<HbmTiming>& HbmTiming::schema() {
  static const config::Schema<HbmTiming> s = [] {
    config::Schema<HbmTiming> s("hbm timing", "JEDEC timing table of an HBM generation (configs/hbm/*.yaml)");
    auto t = [&s](const char* key, double HbmTiming::*m, const char* desc) {
      s.quantity(key, m, Dim::time, desc).range("0 s", "100 us");
    };
    t("tCL", &HbmTiming::tCL, "RD command to first read data (read latency)");
    t("tCWL", &HbmTiming::tCWL, "WR command to first write data (write latency)");
    t("tRCD_RD", &HbmTiming::tRCD_RD, "ACT to RD, same bank");
    t("tRCD_WR", &HbmTiming::tRCD_WR, "ACT to WR, same bank");
    t("tRP", &HbmTiming::tRP, "PRE to ACT, same bank");
    t("tRAS", &HbmTiming::tRAS, "ACT to PRE, same bank");
    t("tRC", &HbmTiming::tRC, "ACT to ACT, same bank");
    t("tCCD_S", &HbmTiming::tCCD_S, "Column command to column command, different bank group");
    t("tCCD_L", &HbmTiming::tCCD_L, "Column command to column command, same bank group");
    t("tRRD_S", &HbmTiming::tRRD_S, "ACT to ACT, different bank group");
    t("tRRD_L", &HbmTiming::tRRD_L, "ACT to ACT, same bank group");
    t("tFAW", &HbmTiming::tFAW, "Window that holds at most four ACTs of one pseudo-channel");
    t("tWR", &HbmTiming::tWR, "End of write data to PRE, same bank (write recovery)");
    t("tRTP", &HbmTiming::tRTP, "RD to PRE, same bank");
    t("tWTR_S", &HbmTiming::tWTR_S, "End of write data to RD, different bank group");
    t("tWTR_L", &HbmTiming::tWTR_L, "End of write data to RD, same bank group");
    t("tRTW", &HbmTiming::tRTW, "RD to WR command spacing (read-to-write bus turnaround)");
    t("tRFC", &HbmTiming::tRFC, "All-bank refresh cycle time");
    t("tRFCpb", &HbmTiming::tRFCpb, "Per-bank refresh cycle time");
    t("tREFI", &HbmTiming::tREFI, "Average refresh interval (every bank refreshed once per tREFI)");
    t("tRREFD", &HbmTiming::tRREFD, "REFpb to ACT or REFpb of another bank");
    s.check([](const HbmTiming& x, const config::Checker& k) {
      if (x.tRC < x.tRAS) k.fail("tRC", "must be at least tRAS (tRC = tRAS + tRP)");
      if (x.tREFI <= x.tRFC) k.fail("tREFI", "must exceed tRFC, or the part does nothing but refresh");
      if (x.tCL <= 0) k.fail("tCL", "must be positive");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
