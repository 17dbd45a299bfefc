// Import of PyTorch profiler traces (the Chrome-trace JSON torch.profiler / Kineto writes):
// GPU kernels become ops on their streams in stream order, each kept with its measured
// duration and classified by name (kernel_classes.h); the CPU threads that launched them become
// host streams (launch calls, the CPU time between them, synchronisations that wait for the
// GPU), so a replay shows when the GPU starves; user annotations become phases (the rule is at
// phase_of_launch in kineto.cpp); collectives of several ranks' traces are matched in order. The
// same import gives compare its measured side.
#pragma once

#include <string>
#include <vector>

#include "workloads/workload.h"

namespace strata::workloads {

/// One kernel as measured.
struct MeasuredKernel {
  int device = 0;
  OpClass op_class = OpClass::other;
  std::string family;  ///< kernel_classes.h
  /// Innermost user annotation of the launching thread at launch, else the innermost one of
  /// another thread of the process at that time (`phase_borrowed`), else "" (unattributed).
  std::string phase;
  bool phase_borrowed = false;
  std::string category;  ///< the event's cat: kernel, gpu_memcpy, gpu_memset
  std::string launch;    ///< the launching call (cudaLaunchKernel, cuLaunchKernel, ...), "" if none
  Stream stream = Stream::compute;  ///< as imported: compute, comm, then 2, 3, ... (trace_stream)
  int64_t trace_stream = 0;         ///< the CUDA stream number in the trace
  double start_s = 0, duration_s = 0;
};

struct KinetoTrace {
  Workload workload;                    ///< the replayable op graph
  std::vector<MeasuredKernel> kernels;  ///< every GPU kernel, memcpy and memset, by rank and start
  int steps = 1;                        ///< ProfilerStep annotations (at least 1)
  int world_size = 1;                   ///< distributedInfo.world_size (at least the ranks traced)
  std::string device_name;              ///< deviceProperties[0].name ("NVIDIA H800"), "" if absent
  /// Communication kernels whose trace gives no message size (DeepEP's carry none): replayed
  /// with their measured time, not priced by the network.
  int unsized_collectives = 0;
};

/// True if `text` looks like a profiler trace (a JSON object with "traceEvents").
bool is_kineto_trace(const std::string& text);

/// Imports traces, one per rank (distributedInfo.rank; the file's position when absent).
/// Missing or mistyped fields throw std::invalid_argument naming the file and the event.
/// `serialize_comm` also queues collectives on the compute stream (no overlap).
KinetoTrace import_kineto(const std::vector<std::pair<std::string, std::string>>& files /* path, text */,
                          bool serialize_comm = false);

/// Reads `path`: a trace file, or a folder of them (*.json, one per rank).
KinetoTrace import_kineto_path(const std::string& path, bool serialize_comm = false);

}  // namespace strata::workloads
