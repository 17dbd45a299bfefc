#include "hw/economics.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<EconomicsSpec>& EconomicsSpec::schema() {
  static const Schema<EconomicsSpec> s = [] {
    Schema<EconomicsSpec> s("economics", "Prices, depreciation and electricity for cost per token");
    s.quantity("accelerator_price", &EconomicsSpec::accelerator_price_usd, Dim::money,
               "Price paid per accelerator; 0 takes the hardware's list price")
        .def("$0")
        .min(0);
    s.number("gross_margin", &EconomicsSpec::gross_margin,
             "Vendor margin over manufactured cost, used when no price is known")
        .def("0.75")
        .range("0", "0.99");
    s.quantity("system_cost_per_gpu", &EconomicsSpec::system_cost_per_gpu_usd, Dim::money,
               "Servers, racks and installation per accelerator; the network between the nodes is priced by "
               "its bill of materials (/network/bom)")
        .def("$12000")
        .min(0);
    s.number("life_years", &EconomicsSpec::life_years, "Depreciation period of the capital, years")
        .def("4")
        .range("0.1", "30");
    s.number("electricity_usd_per_kwh", &EconomicsSpec::electricity_usd_per_kwh, "Electricity price, $/kWh")
        .def("0.08")
        .range("0", "10");
    s.number("pue", &EconomicsSpec::pue, "Power usage effectiveness: facility power / IT power")
        .def("1.3")
        .range("1", "5");
    s.number("hbm_usd_per_gb", &EconomicsSpec::hbm_usd_per_gb, "HBM price per GB for the manufactured cost")
        .def("7")
        .range("0", "1000");
    s.choice("yield_model", &EconomicsSpec::yield_model, yield_model_options(),
             "Die yield model for the manufactured cost")
        .def("negative_binomial");
    return s;
  }();
  return s;
}

double accelerator_price(const EconomicsSpec& e, double list_price_usd, double manufactured_cost_usd) {
  if (e.accelerator_price_usd > 0) return e.accelerator_price_usd;
  if (list_price_usd > 0) return list_price_usd;
  return manufactured_cost_usd / (1.0 - e.gross_margin);
}

CostOfService cost_of_service(const EconomicsSpec& e, double accelerators, double price_per_accelerator_usd,
                              double it_power_w, double tokens_per_s, double network_capital_usd) {
  constexpr double kSecondsPerYear = 365.25 * 86400.0;
  CostOfService c;
  c.capital_usd_per_s = (accelerators * (price_per_accelerator_usd + e.system_cost_per_gpu_usd) + network_capital_usd) /
                        (e.life_years * kSecondsPerYear);
  c.energy_usd_per_s = it_power_w * e.pue / 1000.0 * e.electricity_usd_per_kwh / 3600.0;
  c.usd_per_s = c.capital_usd_per_s + c.energy_usd_per_s;
  c.usd_per_million_tokens = tokens_per_s > 0 ? c.usd_per_s / tokens_per_s * 1e6 : 0.0;
  return c;
}

}  // namespace strata::hw
