// PROVISIONAL (issue 9 branch): the interface issue 7 publishes in hw/economics.h, written here
// so the plan builds before issue 7 lands; replaced by issue 7's file on merge.
// What an accelerator costs its owner per second of service: capital spread over its life, and
// electricity for its IT power times the facility's PUE.
#pragma once

#include "sim/config/schema.h"

namespace strata::hw {

struct EconomicsSpec {
  double accelerator_price_usd = 0;    ///< 0: manufactured cost / (1 - gross_margin)
  double gross_margin = 0;
  double system_cost_per_gpu_usd = 0;  ///< servers, network, racks per accelerator
  double life_years = 4;
  double electricity_usd_per_kwh = 0;
  double pue = 1;

  static const config::Schema<EconomicsSpec>& schema();
};

struct CostOfService {
  double capital_usd_per_s = 0;
  double energy_usd_per_s = 0;
  double usd_per_s = 0;
  double usd_per_million_tokens = 0;
};

CostOfService cost_of_service(const EconomicsSpec& e, double accelerators, double price_per_accelerator_usd,
                              double it_power_w, double tokens_per_s);

}  // namespace strata::hw
