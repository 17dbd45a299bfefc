// Result <-> HDF5 file (layout in results/README.md). Writes are atomic (temp file + rename)
// and deterministic: no timestamps are stored, so equal results give byte-identical files.
#pragma once

#include <functional>
#include <string>

#include "sim/results/result.h"

namespace strata::results {

/// Called after each group is written (with its name); tests use it to kill a writer midway.
using WriteProgress = std::function<void(const std::string& group)>;

void write_hdf5(const Result& r, const std::string& path, const WriteProgress& progress = {});

/// Reads any strata result file; throws std::runtime_error naming the file and the object on a
/// missing, truncated or foreign file.
Result read_hdf5(const std::string& path);

}  // namespace strata::results
