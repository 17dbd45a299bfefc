// The text of docs/parameters.md: every config root strata reads, from its schema.
#pragma once

#include <string>
#include <vector>

#include "sim/config/docs.h"

namespace strata::sim {

/// `more`: roots of libraries above the engine (plan files), appended in order.
std::string parameters_reference(const std::vector<config::DocRoot>& more = {});

}  // namespace strata::sim
