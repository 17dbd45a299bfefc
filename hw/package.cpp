#include "hw/package.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* package_kind_name(PackageKind k) {
  switch (k) {
    case PackageKind::cowos_s: return "cowos_s";
    case PackageKind::cowos_l: return "cowos_l";
    case PackageKind::cowos_r: return "cowos_r";
  }
  return "?";
}

const Schema<PackageSpec>& PackageSpec::schema() {
  static const Schema<PackageSpec> s = [] {
    Schema<PackageSpec> s("package", "2.5D package technology");
    s.choice("kind", &PackageSpec::kind,
             {{"cowos_s", PackageKind::cowos_s}, {"cowos_l", PackageKind::cowos_l}, {"cowos_r", PackageKind::cowos_r}},
             "CoWoS-S (silicon interposer), CoWoS-L (RDL + local silicon bridges), CoWoS-R (organic RDL)");
    s.number("max_reticles", &PackageSpec::max_reticles, "Largest interposer, in reticles").positive();
    s.quantity("reticle_area", &PackageSpec::reticle_area_m2, Dim::area, "Lithography reticle field")
        .def("858 mm2").positive();
    s.quantity("hbm_footprint", &PackageSpec::hbm_footprint_m2, Dim::area, "Interposer area of one HBM site")
        .positive();
    s.number("layout_overhead", &PackageSpec::layout_overhead,
             "Interposer area beyond dies and stacks (spacing, routing), as a fraction")
        .range("0", "2");
    s.number("interposer_defect_density_per_cm2", &PackageSpec::interposer_defect_density_per_cm2,
             "Killer defects of the interposer, per cm2")
        .min(0);
    s.quantity("interposer_wafer_price", &PackageSpec::interposer_wafer_price_usd, Dim::money,
               "Price of one 300 mm interposer wafer")
        .min(0);
    s.number("bonding_yield", &PackageSpec::bonding_yield, "Yield of bonding one chip (chip-last)")
        .range("0.01", "1");
    s.number("substrate_yield", &PackageSpec::substrate_yield, "Yield of the package substrate step")
        .range("0.01", "1");
    s.quantity("assembly_cost", &PackageSpec::assembly_cost_usd, Dim::money,
               "Substrate, assembly and test per package")
        .min(0);
    return s;
  }();
  return s;
}

double interposer_area(const PackageSpec& p, const PackageContents& c) {
  return (c.compute_dies * c.die_area_m2 + c.hbm_sites * p.hbm_footprint_m2) * (1 + p.layout_overhead);
}

PackageReport evaluate_package(const PackageSpec& p, const PackageContents& c, const ProcessNodeSpec& node,
                               YieldModel model, double hbm_usd_per_gb) {
  PackageReport r;
  r.interposer_area_m2 = interposer_area(p, c);
  r.reticles = r.interposer_area_m2 / p.reticle_area_m2;
  if (r.reticles > p.max_reticles) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "the interposer needs %.0f mm2 (%.2f reticles: %d dies of %.0f mm2 and %d HBM sites), "
                  "but %s allows at most %.1f reticles = %.0f mm2",
                  r.interposer_area_m2 * 1e6, r.reticles, c.compute_dies, c.die_area_m2 * 1e6, c.hbm_sites,
                  package_kind_name(p.kind), p.max_reticles, p.max_reticles * p.reticle_area_m2 * 1e6);
    throw std::invalid_argument(msg);
  }
  r.dies_per_wafer = dies_per_wafer(c.die_area_m2);
  r.die_yield = die_yield(c.die_area_m2, node.defect_density_per_cm2 * 1e4, model);
  r.interposers_per_wafer = dies_per_wafer(r.interposer_area_m2);
  // The interposer is passive silicon: Poisson on its own defect density.
  r.interposer_yield = die_yield(r.interposer_area_m2, p.interposer_defect_density_per_cm2 * 1e4, YieldModel::poisson);
  r.assembly_yield = std::pow(p.bonding_yield, c.compute_dies + c.hbm_sites) * p.substrate_yield;
  r.die_cost_usd = node.wafer_price_usd / (r.dies_per_wafer * r.die_yield);
  r.hbm_cost_usd = c.hbm_capacity_bytes / 1e9 * hbm_usd_per_gb;
  r.interposer_cost_usd = p.interposer_wafer_price_usd / (r.interposers_per_wafer * r.interposer_yield);
  // Chip-last: known-good dies, stacks and interposer go in; a failed assembly loses them all.
  const double parts = c.compute_dies * r.die_cost_usd + r.hbm_cost_usd + r.interposer_cost_usd + p.assembly_cost_usd;
  r.cost_per_good_package_usd = parts / r.assembly_yield;
  r.logic_wafers_per_1000 = 1000.0 * c.compute_dies / (r.dies_per_wafer * r.die_yield * r.assembly_yield);
  r.cowos_wafers_per_1000 = 1000.0 / (r.interposers_per_wafer * r.interposer_yield * r.assembly_yield);
  return r;
}

}  // namespace strata::hw
