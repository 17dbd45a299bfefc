// A 2.5D package (CoWoS-S, -L or -R): logic dies and HBM stacks on an interposer. Geometry
// (interposer area against the reticle limit the technology allows), yield (chip-last:
// interposer, bonding per chip, substrate) and cost per good package, after Chiplet Actuary
// and LLMCompass (../shared/reference/hardware.md).
#pragma once

#include <string>
#include <vector>

#include "hw/process_node.h"
#include "hw/yield.h"
#include "sim/config/schema.h"

namespace strata::hw {

enum class PackageKind { cowos_s, cowos_l, cowos_r };
const char* package_kind_name(PackageKind k);

struct PackageSpec {
  PackageKind kind = PackageKind::cowos_s;
  double max_reticles = 0;            ///< interposer size limit in reticles (CoWoS-S 3.3, CoWoS-L 3.5)
  double reticle_area_m2 = 0;         ///< 26 x 33 mm = 858 mm2
  double hbm_footprint_m2 = 0;        ///< one HBM stack's site on the interposer
  double layout_overhead = 0;         ///< interposer area beyond dies and stacks (spacing, routing), fraction
  double interposer_defect_density_per_cm2 = 0;
  double interposer_wafer_price_usd = 0;
  double bonding_yield = 1;           ///< per chip bonded (chip-last)
  double substrate_yield = 1;
  double assembly_cost_usd = 0;       ///< substrate, assembly and test per package

  static const config::Schema<PackageSpec>& schema();
};

/// What goes on the interposer.
struct PackageContents {
  int compute_dies = 1;
  double die_area_m2 = 0;  ///< each compute die
  int hbm_sites = 0;       ///< stacks placed (active or not)
  double hbm_capacity_bytes = 0;  ///< all stacks together
};

struct PackageReport {
  double interposer_area_m2 = 0;
  double reticles = 0;
  double dies_per_wafer = 0;         ///< compute dies, gross
  double die_yield = 0;
  double interposers_per_wafer = 0;
  double interposer_yield = 0;
  double assembly_yield = 0;         ///< bonding^(chips) x substrate
  double die_cost_usd = 0;           ///< per known-good compute die
  double hbm_cost_usd = 0;           ///< all stacks
  double interposer_cost_usd = 0;    ///< per good interposer
  double cost_per_good_package_usd = 0;
  double logic_wafers_per_1000 = 0;  ///< logic wafers started per 1,000 good packages
  double cowos_wafers_per_1000 = 0;  ///< interposer wafers started per 1,000 good packages
};

/// Interposer area of `c` on `p` (dies + HBM sites, plus layout overhead).
double interposer_area(const PackageSpec& p, const PackageContents& c);

/// Throws std::invalid_argument naming the limit when the interposer exceeds the reticle
/// multiple the package technology allows.
PackageReport evaluate_package(const PackageSpec& p, const PackageContents& c, const ProcessNodeSpec& node,
                               YieldModel model, double hbm_usd_per_gb);

}  // namespace strata::hw
