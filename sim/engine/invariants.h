// Invariants of reported results, checked in every simulation (they cost one pass over what is
// reported): a utilisation, a share of a whole or a hit rate lies in [0, 1]. A value outside is
// a model bug (time counted twice, a link busier than the step is long), never an input error,
// so it raises std::logic_error naming the invariant, the quantity and the row.
#pragma once

#include <string>
#include <vector>

namespace strata::sim {

/// Throws std::logic_error("invariant violated: utilisations within [0, 1]: WHAT ...") at the
/// first value below 0, above 1 (beyond rounding) or not a number; `rows` names the rows
/// (empty: by index).
void check_unit_interval(const std::string& what, const std::vector<double>& values,
                         const std::vector<std::string>& rows = {});

}  // namespace strata::sim
