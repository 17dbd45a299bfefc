// The strata op-graph trace (docs/trace-format.md): a versioned JSON file of ops with kinds,
// shapes, formats, devices, streams, dependencies and collectives with their participants and
// per-pair bytes. Users write or export one; generators produce one; replay reads one.
#pragma once

#include <iosfwd>
#include <string>

#include "workloads/workload.h"

namespace strata::workloads {

constexpr int kTraceVersion = 1;

/// Parses a strata trace. Bad input throws std::invalid_argument naming the file and the op
/// (its position, id and name): malformed JSON (with line and column), unknown fields or
/// kinds, missing fields, dangling or self dependencies, cycles, shapes that disagree with
/// their FLOPs, flows outside a collective's ranks. `serialize_comm` also orders every
/// collective on its devices' compute streams (no overlap of communication and compute).
Workload read_trace(const std::string& text, const std::string& file, bool serialize_comm = false);
Workload read_trace_file(const std::string& path, bool serialize_comm = false);

/// Writes a workload as a strata trace; read_trace gives back the same ops, dependencies and
/// collectives. (sim/ writes files atomically around it.)
void write_trace(const Workload& w, std::ostream& out);

/// JSON text of a string (quoted, escaped).
std::string json_string(const std::string& s);

}  // namespace strata::workloads
