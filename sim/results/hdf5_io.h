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

/// Reads any strata result file; throws std::invalid_argument naming the file and the object on
/// a missing, truncated, damaged or foreign file (the CLI exits 2: bad input).
Result read_hdf5(const std::string& path);

/// read_hdf5 for files from elsewhere: reads the file once in a child process first, with a
/// time and memory limit, because libhdf5 (1.10) loops forever or crashes on some damaged
/// files; that becomes a std::invalid_argument naming the file. Then reads it in this process.
/// The caller must be single-threaded (fork).
Result read_hdf5_isolated(const std::string& path);

}  // namespace strata::results
