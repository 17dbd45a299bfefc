// `strata` command line: run, check, params, --help, --version.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace strata::app {

/// Exit codes: 0 success, 1 a run failed, 2 bad input (usage or config).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

int main_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace strata::app
