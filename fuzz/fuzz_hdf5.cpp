// libFuzzer target: any bytes as a result file. The file is read the way `strata compare`
// reads one (read_hdf5_isolated): first in a child process with a time limit, because libhdf5
// 1.10 loops forever or crashes on some damaged files, which the user sees as a clean error.
// When the child finished (a result or an error), the file is read again in this process, so
// the sanitizers watch our reader on both its success and its error paths: it must return a
// result exactly when the child did, and its error must name the file.
#include <sanitizer/common_interface_defs.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "sim/results/child_process.h"
#include "sim/results/hdf5_io.h"

namespace {
using strata::results::ChildOutcome;

unsigned long g_library_failures = 0;
constexpr double kChildSeconds = 2;  ///< a seed reads in milliseconds; libhdf5's loops never end

void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_hdf5: %s: %s\n", what, detail.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/strata_fuzz_" + std::to_string(getpid()) + ".h5";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  ChildOutcome trial = strata::results::run_in_child(
      [&] {
        __sanitizer_set_death_callback(nullptr);  // a crash here is libhdf5's, not a libFuzzer artifact
        strata::results::read_hdf5(path);
        return std::string();
      },
      {kChildSeconds, 0});
  if (trial.status != ChildOutcome::Status::ok && trial.status != ChildOutcome::Status::error) {
    // What read_hdf5_isolated turns into "the HDF5 library crashed / did not finish".
    if (++g_library_failures % 100 == 1)
      std::fprintf(stderr, "fuzz_hdf5: libhdf5 %s (%lu so far; isolated, not a finding)\n",
                   trial.describe({kChildSeconds, 0}).c_str(), g_library_failures);
    return 0;
  }
  try {
    strata::results::read_hdf5(path);
    if (trial.status == ChildOutcome::Status::error) finding("read in this process but not in the child", trial.text);
  } catch (const std::invalid_argument& e) {
    if (trial.status == ChildOutcome::Status::ok) finding("read in the child but not in this process", e.what());
    if (std::string(e.what()).rfind(path + ": ", 0) != 0) finding("error without the file name", e.what());
  }
  return 0;
}
