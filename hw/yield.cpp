#include "hw/yield.h"

#include <cmath>

namespace strata::hw {

std::vector<std::pair<std::string, YieldModel>> yield_model_options() {
  return {{"poisson", YieldModel::poisson},
          {"murphy", YieldModel::murphy},
          {"negative_binomial", YieldModel::negative_binomial}};
}

const char* yield_model_name(YieldModel m) {
  switch (m) {
    case YieldModel::poisson: return "poisson";
    case YieldModel::murphy: return "murphy";
    case YieldModel::negative_binomial: return "negative_binomial";
  }
  return "?";
}

double dies_per_wafer(double area_m2, const WaferGeometry& w) {
  const double s = w.scribe_m;
  const double a = area_m2 + 2 * s * std::sqrt(area_m2) + s * s;
  const double d = w.diameter_m - 2 * w.edge_loss_m;
  const double n = M_PI * (d / 2) * (d / 2) / a - M_PI * d / std::sqrt(2 * a);
  return n > 0 ? n : 0;
}

double die_yield(double area_m2, double d0_per_m2, YieldModel m, double alpha) {
  const double ad = area_m2 * d0_per_m2;
  if (ad <= 0) return 1.0;
  switch (m) {
    case YieldModel::poisson: return std::exp(-ad);
    case YieldModel::murphy: {
      const double f = (1 - std::exp(-ad)) / ad;
      return f * f;
    }
    case YieldModel::negative_binomial: return std::pow(1 + ad / alpha, -alpha);
  }
  return 0;
}

}  // namespace strata::hw
