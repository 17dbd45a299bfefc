#include "sim/engine/child_process.h"

#include "sim/results/child_process.h"

namespace strata::sim {

std::string run_in_child(const std::function<std::string()>& body) {
  results::ChildOutcome child = results::run_in_child(body);
  if (child.status != results::ChildOutcome::Status::ok) throw ChildFailure(child.describe({}));
  return child.text;
}

}  // namespace strata::sim
