#include "models/hbm/stream_experiment.h"

#include "models/hbm/stream_driver.h"

namespace strata::hbm {

StreamRun run_stream(const hw::MemorySpec& memory, const TrafficSpec& traffic, HbmOptions options) {
  HbmSystem hbm("hbm", memory, options);
  StreamDriver driver("driver", traffic, memory.capacity_bytes);
  driver.socket.bind(hbm.socket);
  driver.start(traffic.requests);
  sc_core::sc_start();  // runs until the stream has drained and nothing is left to do
  hbm.finish();
  StreamRun r;
  r.memory = hbm.report();
  r.memory.check_invariants();
  r.completed = driver.completed();
  r.errors = driver.errors();
  return r;
}

}  // namespace strata::hbm
