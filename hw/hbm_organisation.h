// How one HBM stack is organised: channels, pseudo-channels, bank groups, banks, rows, pages,
// and how a column access moves data (burst length, data beats per command clock).
#pragma once

#include <cstdint>

#include "sim/config/schema.h"

namespace strata::hw {

struct HbmOrganisation {
  int channels = 0;             ///< independent channels per stack
  int pseudo_channels = 0;      ///< pseudo-channels per channel (each has its own banks and data pins)
  int pc_width_bits = 0;        ///< data pins per pseudo-channel
  int burst_length = 0;         ///< data beats per column access (BL)
  int transfers_per_clock = 0;  ///< data beats per command clock (2 for HBM2E, 4 for HBM3/HBM4)
  int bank_groups = 0;          ///< bank groups per pseudo-channel
  int banks_per_group = 0;
  int rows = 0;                 ///< rows per bank
  double page_bytes = 0;        ///< row (page) size of one pseudo-channel

  int burst_bytes() const { return pc_width_bits * burst_length / 8; }
  int banks() const { return bank_groups * banks_per_group; }
  int columns() const { return int(page_bytes) / burst_bytes(); }  ///< bursts per row
  int pseudo_channels_per_stack() const { return channels * pseudo_channels; }
  /// Bytes one stack can address: pseudo-channels x banks x rows x page.
  double stack_bytes() const {
    return double(pseudo_channels_per_stack()) * banks() * double(rows) * page_bytes;
  }

  static const config::Schema<HbmOrganisation>& schema();
};

}  // namespace strata::hw
