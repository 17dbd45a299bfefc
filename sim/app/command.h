// One `strata` subcommand: its options, its help text and what it runs. Commands are listed in
// commands.cpp; each lives in its own cmd_*.cpp.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::app {

/// Exit codes: 0 success, 1 a run failed, 2 bad input (usage or config).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

/// Wrong command-line usage; main_cli prints it with the command's usage and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        ///< "--output"
  std::string short_name;  ///< "-o" or ""
  std::string value;       ///< "OUT.h5"; empty for a flag
  std::string help;
};

/// Parsed arguments: positionals in order, option values by long name (repeatable).
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
};

struct Command {
  std::string name;
  std::string positional;  ///< "SCENARIO.yaml", or "" when none is taken
  bool positional_optional = false;
  std::string help;  ///< what it does, one or more lines
  std::vector<OptionSpec> options;
  std::function<int(const Args&, std::ostream& out, std::ostream& err)> run;
};

/// Every command, in the order `strata --help` lists them.
const std::vector<Command>& commands();

/// Options several commands share.
OptionSpec param_option();
OptionSpec output_option(const std::string& what);
OptionSpec quiet_option();

}  // namespace strata::app
