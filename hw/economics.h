// What serving (or training) costs: capital amortised over the accelerator's life plus
// electricity at the facility (IT power x PUE). Scenarios report it per token; `strata plan`
// prices whole fleets with the same function.
#pragma once

#include "hw/yield.h"
#include "sim/config/schema.h"

namespace strata::hw {

struct EconomicsSpec {
  double accelerator_price_usd = 0;  ///< what a buyer pays per accelerator; 0: the hardware's price
  double gross_margin = 0;           ///< vendor margin over manufactured cost when no price is known
  double system_cost_per_gpu_usd = 0;  ///< servers, racks and installation per accelerator (not the network between nodes)
  double life_years = 0;             ///< straight-line depreciation period
  double electricity_usd_per_kwh = 0;
  double pue = 1;                    ///< facility power / IT power
  double hbm_usd_per_gb = 0;         ///< HBM price for the manufactured cost
  YieldModel yield_model = YieldModel::negative_binomial;

  static const config::Schema<EconomicsSpec>& schema();
};

struct CostOfService {
  double capital_usd_per_s = 0;  ///< ((price + system cost) x accelerators + network) / life
  double energy_usd_per_s = 0;   ///< IT power x PUE x electricity price
  double usd_per_s = 0;
  double usd_per_million_tokens = 0;  ///< usd_per_s / tokens per s x 1e6 (0 when no tokens)
};

/// Price one accelerator sells for: the economics' price, else the hardware's list price, else
/// the manufactured cost marked up by the gross margin.
double accelerator_price(const EconomicsSpec& e, double list_price_usd, double manufactured_cost_usd);

/// `network_capital_usd`: the network between the nodes (its bill of materials), beside the
/// accelerators and their systems.
CostOfService cost_of_service(const EconomicsSpec& e, double accelerators, double price_per_accelerator_usd,
                              double it_power_w, double tokens_per_s, double network_capital_usd = 0);

}  // namespace strata::hw
