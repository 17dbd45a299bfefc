// libFuzzer target: any bytes as a result file. read_hdf5 must return a result or throw
// std::runtime_error naming the file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "sim/results/hdf5_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/strata_fuzz_" + std::to_string(getpid()) + ".h5";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    strata::results::read_hdf5(path);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
