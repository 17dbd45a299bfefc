// Results appear at their final path complete or not at all: writers fill a temporary file in
// the same directory and rename it into place. SIGINT/SIGTERM remove the temporary file; after
// SIGKILL only a hidden ".NAME.tmp-PID" may remain, never a partial file at the final path.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace strata::results {

/// Throws std::invalid_argument (bad input: exit 2) unless the directory `path` goes into
/// exists; commands call it before they start work.
void require_parent_directory(const std::string& path);

class AtomicFile {
 public:
  explicit AtomicFile(std::string final_path);
  ~AtomicFile();  ///< removes the temporary file unless commit() ran
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_; }
  const std::string& final_path() const { return final_; }
  /// fsyncs the temporary file and renames it over the final path.
  void commit();

 private:
  std::string final_;
  std::string temp_;
  bool committed_ = false;
};

/// Writes a text file atomically: `fill` writes into the temporary file, which is then renamed.
void write_text_atomically(const std::string& path, const std::function<void(std::ostream&)>& fill);

}  // namespace strata::results
