// `strata` command line: finds the command, parses its options, maps errors to exit codes.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "sim/app/command.h"

namespace strata::app {

int main_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace strata::app
