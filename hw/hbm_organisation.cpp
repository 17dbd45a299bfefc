#include "hw/hbm_organisation.h"

#include <cmath>

namespace strata::hw {
using config::Dim;

const config::Schema<HbmOrganisation>& HbmOrganisation::schema() {
  static const config::Schema<HbmOrganisation> s = [] {
    config::Schema<HbmOrganisation> s("hbm organisation", "Channels, banks and bursts of one HBM stack");
    s.integer("channels", &HbmOrganisation::channels, "Independent channels per stack").min(1).max(256);
    s.integer("pseudo_channels", &HbmOrganisation::pseudo_channels,
              "Pseudo-channels per channel, each with its own banks and data pins")
        .min(1)
        .max(8);
    s.integer("pc_width_bits", &HbmOrganisation::pc_width_bits, "Data pins per pseudo-channel")
        .min(8)
        .max(1024);
    s.integer("burst_length", &HbmOrganisation::burst_length, "Data beats per column access (BL)")
        .min(1)
        .max(64);
    s.integer("transfers_per_clock", &HbmOrganisation::transfers_per_clock,
              "Data beats per command clock (2 for HBM2E, 4 for HBM3 and HBM4)")
        .min(1)
        .max(16);
    s.integer("bank_groups", &HbmOrganisation::bank_groups, "Bank groups per pseudo-channel").min(1).max(64);
    s.integer("banks_per_group", &HbmOrganisation::banks_per_group, "Banks per bank group").min(1).max(64);
    s.integer("rows", &HbmOrganisation::rows, "Rows per bank").min(1).max(1 << 24);
    s.quantity("page", &HbmOrganisation::page_bytes, Dim::bytes, "Row (page) size of one pseudo-channel")
        .range("32 B", "64 KiB");
    s.check([](const HbmOrganisation& o, const config::Checker& k) {
      if ((o.pc_width_bits * o.burst_length) % 8 != 0)
        k.fail("burst_length", "pc_width_bits x burst_length must be a whole number of bytes");
      if (o.burst_length % o.transfers_per_clock != 0)
        k.fail("burst_length", "a burst must last a whole number of clocks: burst_length must be a "
                               "multiple of transfers_per_clock (" +
                                   std::to_string(o.transfers_per_clock) + ")");
      double columns = o.page_bytes / o.burst_bytes();
      if (columns < 1 || std::floor(columns) != columns)
        k.fail("page", "must be a whole number of bursts of " + std::to_string(o.burst_bytes()) + " B");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
