// Runs work in a forked child process and returns the text it produces. SystemC cannot restart
// its kernel within one process, so every SystemC simulation strata starts on behalf of a
// caller that may start more (validation cases, cost-cache fills) runs this way; a crash in the
// child becomes an error in the parent instead of taking it down. The fork itself, with time
// and memory limits, is results::run_in_child (sim/results/child_process.h); this is its
// throwing form for callers that only need the text or a message.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace strata::sim {

/// The child failed: threw (message), was killed (signal) or exited non-zero.
struct ChildFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Runs `body` in a child; returns what it returned. Exceptions in the child come back as
/// ChildFailure carrying their message.
std::string run_in_child(const std::function<std::string()>& body);

}  // namespace strata::sim
