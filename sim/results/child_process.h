// Runs a piece of work in a forked child process, so that a crash, a hang or a memory blow-up
// in it (or in a library it calls, such as HDF5 reading a damaged file) becomes an outcome the
// caller reports instead of the end of the caller. Used by the validation suite (one SystemC
// simulation per case) and by the result-file reader.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace strata::results {

struct ChildLimits {
  double seconds = 0;      ///< wall-clock limit (SIGALRM in the child); 0: none
  size_t memory_bytes = 0; ///< address-space limit of the child; 0: none (ignored under ASan)
};

struct ChildOutcome {
  enum class Status { ok, error, crashed, timed_out, out_of_memory } status = Status::ok;
  std::string text;  ///< ok: what the work returned; error: the exception's what()
  int signal = 0;    ///< crashed: the signal that ended the child (0 if it exited abnormally)

  /// "crashed with signal 11 (Segmentation fault)", "did not finish within 5 s", ...
  std::string describe(const ChildLimits& limits) const;
};

/// Runs `work` in a child process and returns what it returned, or how it failed. The
/// caller must be single-threaded (fork copies only the calling thread).
ChildOutcome run_in_child(const std::function<std::string()>& work, const ChildLimits& limits = {});

}  // namespace strata::results
