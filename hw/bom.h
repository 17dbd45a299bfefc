// What a link is physically built from: its cable and the modules (or co-packaged optical
// engines) at its ends, each with its reach, power and price. Item presets live in
// configs/bom/; a link kind names its items under `build:` (hw/link.h). Counting them over a
// cluster's topology is models/network/bill_of_materials.
#pragma once

#include <string>

#include "sim/config/schema.h"

namespace strata::hw {

enum class BomItemKind {
  none,                 ///< no item (the default: board traces, a link without a cable)
  copper_cable,         ///< passive twinax: DAC, a pair of the NVLink copper spine
  active_copper_cable,  ///< copper with redrivers or retimers at its ends (AEC, LACC)
  fibre,                ///< passive optical cable (MPO or LC)
  transceiver,          ///< pluggable optical module with a DSP
  linear_transceiver,   ///< linear pluggable optics (LPO): no DSP, the host SerDes drives it
  optical_engine,       ///< co-packaged optics (CPO): one port's engine in the switch package
};
const char* bom_item_kind_name(BomItemKind k);
/// Pluggable modules (with or without a DSP), the items counted as transceivers.
inline bool is_transceiver(BomItemKind k) {
  return k == BomItemKind::transceiver || k == BomItemKind::linear_transceiver;
}

/// One item of a bill of materials, as bought.
struct BomItemSpec {
  BomItemKind kind = BomItemKind::none;
  std::string name;                  ///< "NDR 2x400G OSFP DR4 transceiver"
  int ports = 1;                     ///< links one item serves (a twin-port module: 2)
  bool per_pair = false;             ///< cables: one per differential pair, not one per link
  double lane_rate_bytes_per_s = 0;  ///< fastest lane signalling it is built for (0: any)
  double reach_m = 0;                ///< longest link it spans (0: not limited by this item)
  double power_w = 0;                ///< per item
  double price_usd = 0;              ///< per item

  bool present() const { return kind != BomItemKind::none; }
  static const config::Schema<BomItemSpec>& schema();
};

/// The items of one link: a cable, and a module at each end that sits in a switch port or a
/// NIC port (a GPU drives its links directly).
struct LinkBuildSpec {
  BomItemSpec cable;
  BomItemSpec switch_end;
  BomItemSpec nic_end;

  static const config::Schema<LinkBuildSpec>& schema();
};

}  // namespace strata::hw
