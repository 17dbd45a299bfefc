// Helpers shared by unit tests: a scratch directory per test, and running code in a child
// process that is expected to die by a signal.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

namespace strata::testing {

/// A fresh directory named after the running test, removed afterwards.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    path_ = std::filesystem::temp_directory_path() /
            (prefix + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Runs `body` in a forked child; returns the signal that ended it (0 if it exited).
inline int die_in_child(const std::function<void()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace strata::testing
