// The text of docs/parameters.md: every config root strata reads, from its schema.
#pragma once

#include <string>

namespace strata::sim {

std::string parameters_reference();

}  // namespace strata::sim
