// Constructors of every command (one cmd_*.cpp each).
#pragma once

#include "sim/app/command.h"

namespace strata::app {

Command run_command();
Command check_command();
Command sweep_command();
Command validate_command();
Command compare_command();
Command params_command();
Command hbm_command();
Command study_command();
Command plan_command();

}  // namespace strata::app
