// The explicit list of commands, in help order.
#include "sim/app/command.h"
#include "sim/app/commands_list.h"

namespace strata::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      run_command(),
      check_command(),
      sweep_command(),
      study_command(),
      plan_command(),
      validate_command(),
      compare_command(),
      hbm_command(),
      params_command(),
  };
  return all;
}

}  // namespace strata::app
