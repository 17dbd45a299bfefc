// `strata params`: the config reference (docs/parameters.md).
#include <ostream>

#include "sim/app/commands_list.h"
#include "sim/engine/parameters_reference.h"
#include "sim/plan/plan_spec.h"

namespace strata::app {

Command params_command() {
  Command c;
  c.name = "params";
  c.help = "print the reference of every config key (docs/parameters.md)";
  c.run = [](const Args&, std::ostream& out, std::ostream&) {
    out << sim::parameters_reference({plan::plan_doc_root()});
    return kExitOk;
  };
  return c;
}

}  // namespace strata::app
