// PROVISIONAL (issue 9 branch): replaced by issue 7's hw/economics.cpp on merge.
#include "hw/economics.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<EconomicsSpec>& EconomicsSpec::schema() {
  static const Schema<EconomicsSpec> s = [] {
    Schema<EconomicsSpec> s("economics", "Prices and running costs");
    s.quantity("accelerator_price", &EconomicsSpec::accelerator_price_usd, Dim::money,
               "Price of one accelerator; 0 = manufactured cost / (1 - gross_margin)")
        .def("$0").min(0);
    s.number("gross_margin", &EconomicsSpec::gross_margin, "Vendor gross margin").def("0.75").range("0", "0.99");
    s.quantity("system_cost_per_gpu", &EconomicsSpec::system_cost_per_gpu_usd, Dim::money,
               "Servers, network and racks per accelerator")
        .def("$0").min(0);
    s.number("life_years", &EconomicsSpec::life_years, "Depreciation life").def("4").range("0.1", "50");
    s.number("electricity_usd_per_kwh", &EconomicsSpec::electricity_usd_per_kwh, "Electricity price, USD per kWh")
        .def("0.08").min(0);
    s.number("pue", &EconomicsSpec::pue, "Facility power over IT power").def("1.3").range("1", "5");
    return s;
  }();
  return s;
}

CostOfService cost_of_service(const EconomicsSpec& e, double accelerators, double price_per_accelerator_usd,
                              double it_power_w, double tokens_per_s) {
  CostOfService c;
  const double life_s = e.life_years * 365.25 * 86400;
  c.capital_usd_per_s = accelerators * (price_per_accelerator_usd + e.system_cost_per_gpu_usd) / life_s;
  c.energy_usd_per_s = it_power_w * e.pue / 1000.0 / 3600.0 * e.electricity_usd_per_kwh;
  c.usd_per_s = c.capital_usd_per_s + c.energy_usd_per_s;
  c.usd_per_million_tokens = tokens_per_s > 0 ? c.usd_per_s / tokens_per_s * 1e6 : 0;
  return c;
}

}  // namespace strata::hw
