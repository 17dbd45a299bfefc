#include "sim/results/atomic_file.h"

#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace strata::results {
namespace {

// The one temporary file in flight, for the signal handler (async-signal-safe access only).
char g_temp[4096];
volatile sig_atomic_t g_active = 0;

extern "C" void remove_temp_and_exit(int sig) {
  if (g_active) unlink(g_temp);
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_handlers() {
  static bool done = false;
  if (done) return;
  done = true;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_exit;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace

void require_parent_directory(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::is_directory(dir))
    throw std::invalid_argument("cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
}

AtomicFile::AtomicFile(std::string final_path) : final_(std::move(final_path)) {
  namespace fs = std::filesystem;
  require_parent_directory(final_);
  fs::path p(final_);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  temp_ = (dir / ("." + p.filename().string() + ".tmp-" + std::to_string(getpid()))).string();
  if (temp_.size() < sizeof g_temp) {
    install_handlers();
    std::strcpy(g_temp, temp_.c_str());
    g_active = 1;
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) unlink(temp_.c_str());
  g_active = 0;
}

void AtomicFile::commit() {
  int fd = open(temp_.c_str(), O_RDONLY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  if (rename(temp_.c_str(), final_.c_str()) != 0)
    throw std::runtime_error("cannot move '" + temp_ + "' to '" + final_ + "': " + std::strerror(errno));
  committed_ = true;
  g_active = 0;
}

void write_text_atomically(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  AtomicFile f(path);
  {
    std::ofstream out(f.temp_path(), std::ios::binary);
    if (!out) throw std::runtime_error("cannot write '" + path + "'");
    fill(out);
    if (!out) throw std::runtime_error("writing '" + path + "' failed");
  }
  f.commit();
}

}  // namespace strata::results
