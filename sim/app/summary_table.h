// The short table `strata run` prints: throughput, latency, time split, achieved rates.
#pragma once

#include <ostream>

#include "sim/results/result.h"

namespace strata::app {

void print_summary(const results::Result& r, std::ostream& out);

}  // namespace strata::app
