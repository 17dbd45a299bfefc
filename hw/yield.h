// Wafer-level manufacturing math: dies per 300 mm wafer and die yield models.
// Sources (../shared/reference/hardware.md): LLMCompass dies-per-wafer formula, Chiplet Actuary
// scribe lines and edge loss, Poisson / Murphy / negative-binomial yield.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata::hw {

enum class YieldModel { poisson, murphy, negative_binomial };

std::vector<std::pair<std::string, YieldModel>> yield_model_options();
const char* yield_model_name(YieldModel m);

struct WaferGeometry {
  double diameter_m = 0.300;
  double scribe_m = 0.0002;     ///< scribe line around each die (Chiplet Actuary: 0.2 mm)
  double edge_loss_m = 0.005;   ///< unusable rim (Chiplet Actuary: 5 mm)
};

/// Gross dies per wafer for a die of `area_m2`: pi r^2 / A' - pi d / sqrt(2 A') over the usable
/// diameter, with A' the die plus its scribe line (LLMCompass with Chiplet Actuary's scribe
/// and edge loss). Fractional, so sweeps are smooth; floor it to count real dies.
double dies_per_wafer(double area_m2, const WaferGeometry& w = {});

/// Fraction of dies without a killer defect for defect density `d0_per_m2`.
/// `alpha` is the clustering parameter of the negative binomial (3 in LLMCompass).
double die_yield(double area_m2, double d0_per_m2, YieldModel m, double alpha = 3.0);

}  // namespace strata::hw
