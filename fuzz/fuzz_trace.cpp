// libFuzzer target: any bytes as a workload trace, read the way replay reads a file: a
// PyTorch profiler trace when it looks like one, else a strata trace. Every input must give a
// workload or throw std::invalid_argument naming the file; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "workloads/kineto.h"
#include "workloads/trace_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const bool serialize = size % 2 == 1;  // both ways of placing collectives, from the input
  try {
    if (strata::workloads::is_kineto_trace(text))
      strata::workloads::import_kineto({{"fuzz.json", text}}, serialize);
    else
      strata::workloads::read_trace(text, "fuzz.json", serialize);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
