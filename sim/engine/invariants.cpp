#include "sim/engine/invariants.h"

#include <cstdio>
#include <stdexcept>

namespace strata::sim {

void check_unit_interval(const std::string& what, const std::vector<double>& values,
                         const std::vector<std::string>& rows) {
  // Busy time over elapsed time computed along two paths may round past 1 in the last bits.
  constexpr double kRounding = 1e-9;
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (v >= 0 && v <= 1 + kRounding) continue;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    throw std::logic_error("invariant violated: utilisations within [0, 1]: " + what + " of " +
                           (i < rows.size() ? rows[i] : "row " + std::to_string(i)) + " is " + buf);
  }
}

}  // namespace strata::sim
