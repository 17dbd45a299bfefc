#include "workloads/replay.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "workloads/kineto.h"
#include "workloads/trace_io.h"

namespace strata::workloads {

Workload replay_workload(const WorkloadSpec& w, int gpus) {
  const std::string& path = w.trace.file;
  const bool serialize = !w.trace.comm_overlap;
  Workload out;
  if (std::filesystem::is_directory(path)) {
    out = std::move(import_kineto_path(path, serialize).workload);
    out.phase = w.phase;  // a profiler trace does not say; a strata trace does
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument(path + ": cannot open trace file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (is_kineto_trace(text)) {
      out = std::move(import_kineto({{path, text}}, serialize).workload);
      out.phase = w.phase;
    } else {
      out = read_trace(text, path, serialize);
    }
  }
  int highest = -1;
  for (const Op& op : out.graph.ops()) {
    if (op.kind == OpKind::collective)
      for (int r : out.graph.collectives()[op.collective].ranks) highest = std::max(highest, r);
    else
      highest = std::max(highest, op.device);
  }
  if (highest >= gpus)
    throw std::invalid_argument(path + ": the trace uses rank " + std::to_string(highest) + " but the cluster has " +
                                std::to_string(gpus) + " GPUs");
  return out;
}

}  // namespace strata::workloads
