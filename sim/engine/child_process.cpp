#include "sim/engine/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

namespace strata::sim {

std::string run_in_child(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) throw ChildFailure("cannot create a pipe");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw ChildFailure("cannot fork");
  }
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    try {
      out = "+" + body();
    } catch (const std::exception& e) {
      out = std::string("!") + e.what();
      code = 3;
    }
    for (size_t done = 0; done < out.size();) {
      ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
    _exit(code);
  }
  close(fds[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) throw ChildFailure("crashed with signal " + std::to_string(WTERMSIG(status)));
  if (!text.empty() && text[0] == '!') throw ChildFailure(text.substr(1));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty() || text[0] != '+')
    throw ChildFailure("exited without a result");
  return text.substr(1);
}

}  // namespace strata::sim
