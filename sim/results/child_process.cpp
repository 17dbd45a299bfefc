#include "sim/results/child_process.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

// AddressSanitizer reserves terabytes of address space: an RLIMIT_AS would stop it at start.
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_ASAN 1
#endif
#endif

namespace strata::results {
namespace {

// The child's first byte says how the work ended; its exit code says the same.
constexpr char kOk = 'o', kError = '!', kNoMemory = 'm';
constexpr int kExitError = 3, kExitNoMemory = 4;

void write_all(int fd, const std::string& s) {
  for (size_t done = 0; done < s.size();) {
    ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += size_t(n);
  }
}

[[noreturn]] void child(int fd, const std::function<std::string()>& work, const ChildLimits& limits) {
  signal(SIGALRM, SIG_DFL);  // a fuzzer or test harness may have its own handler
  if (limits.seconds > 0) {
    itimerval t{};
    t.it_value.tv_sec = static_cast<time_t>(limits.seconds);
    t.it_value.tv_usec = static_cast<suseconds_t>((limits.seconds - std::floor(limits.seconds)) * 1e6);
    setitimer(ITIMER_REAL, &t, nullptr);
  }
#ifndef STRATA_ASAN
  if (limits.memory_bytes > 0) {
    rlimit r{limits.memory_bytes, limits.memory_bytes};
    setrlimit(RLIMIT_AS, &r);
  }
#endif
  std::string out;
  int code = 0;
  try {
    out = kOk + work();
  } catch (const std::bad_alloc&) {
    out = std::string(1, kNoMemory);
    code = kExitNoMemory;
  } catch (const std::exception& e) {
    out = kError + std::string(e.what());
    code = kExitError;
  }
  write_all(fd, out);
  close(fd);
  _exit(code);  // no atexit handlers or destructors: the parent owns those
}

}  // namespace

std::string ChildOutcome::describe(const ChildLimits& limits) const {
  char buf[64];
  switch (status) {
    case Status::ok: return "finished";
    case Status::error: return text;
    case Status::timed_out:
      std::snprintf(buf, sizeof buf, "%.3g", limits.seconds);
      return std::string("did not finish within ") + buf + " s";
    case Status::out_of_memory:
      std::snprintf(buf, sizeof buf, "%.3g", double(limits.memory_bytes) / double(1ull << 30));
      return std::string("needed more than ") + buf + " GiB of memory";
    case Status::crashed:
      if (signal == 0) return "crashed (" + text + ")";
      return "crashed with signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "";
}

ChildOutcome run_in_child(const std::function<std::string()>& work, const ChildLimits& limits) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  std::fflush(nullptr);  // or the child would print the parent's buffered output again
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    throw std::runtime_error(std::string("cannot start a child process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], work, limits);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    text.append(buf, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  ChildOutcome o;
  using S = ChildOutcome::Status;
  if (WIFSIGNALED(status)) {
    o.signal = WTERMSIG(status);
    o.status = o.signal == SIGALRM ? S::timed_out : S::crashed;
    return o;
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const char tag = text.empty() ? '\0' : text[0];
  if (code == 0 && tag == kOk) {
    o.status = S::ok;
  } else if (code == kExitError && tag == kError) {
    o.status = S::error;
  } else if (code == kExitNoMemory && tag == kNoMemory) {
    o.status = S::out_of_memory;
    return o;
  } else {
    // A sanitizer report, or exit() called inside the work.
    o.status = S::crashed;
    o.text = "exited with code " + std::to_string(code);
    return o;
  }
  o.text = text.substr(1);
  return o;
}

}  // namespace strata::results
