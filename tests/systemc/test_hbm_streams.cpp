// Two memories in one simulation, each fed by a StreamDriver: an H800 memory under a random 2:1
// read/write mix, and a memory with two-entry queues and no frontend buffer, which forces the
// socket's backpressure (TLM_ACCEPTED, END_REQ later, posted writes answered by BEGIN_RESP).
// Every request must complete, every write reach the DRAM, and the protocol checker stay silent.
#include <systemc>

#include "models/hbm/hbm_system.h"
#include "models/hbm/stream_driver.h"
#include "tests/systemc/hbm_test_support.h"

using namespace strata;

namespace {

void check_stream(const char* what, const hbm::StreamDriver& d, const hbm::MemoryReport& r, int64_t requests) {
  HBM_CHECK(d.done() && d.completed() == requests, "%s: %lld of %lld requests completed", what,
            (long long)d.completed(), (long long)requests);
  HBM_CHECK(d.errors() == 0, "%s: %lld error responses", what, (long long)d.errors());
  HBM_CHECK(r.requests() == uint64_t(requests), "%s: the memory served %llu requests", what,
            (unsigned long long)r.requests());
  HBM_CHECK(r.bytes() == uint64_t(requests) * 64, "%s: %llu bytes moved", what, (unsigned long long)r.bytes());
  uint64_t queued = 0;
  for (const hbm::ChannelReport& c : r.channels) queued += c.stats.reads + c.stats.writes;
  HBM_CHECK(queued == uint64_t(requests), "%s: requests left in queues", what);
}

}  // namespace

int sc_main(int, char*[]) {
  hw::MemorySpec h800 = strata::testing::node_memory("h800-sxm");
  hbm::TrafficSpec mixed;
  mixed.pattern = hbm::Pattern::random;
  mixed.read_fraction = 2.0 / 3;
  mixed.outstanding = 4096;
  mixed.requests = 60000;
  mixed.seed = 11;
  hbm::HbmSystem a("a", h800);
  hbm::StreamDriver da("da", mixed, h800.capacity_bytes);
  da.socket.bind(a.socket);

  hw::MemorySpec tiny = h800;
  tiny.controller.read_queue = 2;
  tiny.controller.write_queue = 2;
  tiny.controller.frontend_queue = 0;
  tiny.controller.write_high_watermark = 0.5;
  tiny.controller.write_low_watermark = 0;
  hbm::TrafficSpec small = mixed;
  small.pattern = hbm::Pattern::sequential;  // every request to one pseudo-channel in turn
  small.footprint_bytes = 64 * 32;            // 32 blocks: a few pseudo-channels, queues overflow
  small.requests = 5000;
  small.outstanding = 64;
  hbm::HbmSystem b("b", tiny);
  hbm::StreamDriver db("db", small, tiny.capacity_bytes);
  db.socket.bind(b.socket);

  da.start(mixed.requests);
  db.start(small.requests);
  sc_core::sc_start();
  a.finish();
  b.finish();
  hbm::MemoryReport ra = a.report(), rb = b.report();
  check_stream("mixed", da, ra, mixed.requests);
  check_stream("backpressure", db, rb, small.requests);
  // About a third of the mixed stream writes, and the writes are counted where they land.
  uint64_t writes = 0;
  for (const hbm::ChannelReport& c : ra.channels) writes += c.stats.writes;
  HBM_CHECK(writes > 19000 && writes < 21000, "%llu writes of 60000", (unsigned long long)writes);
  HBM_CHECK(ra.row_hit_rate() < 0.01, "random traffic hit the open row %.3f of the time", ra.row_hit_rate());
  // Random 64 B accesses need one ACT each; the mix turns the bus around.
  uint64_t acts = 0;
  for (const hbm::ChannelReport& c : ra.channels) acts += c.stats.commands[size_t(hbm::Cmd::act)];
  HBM_CHECK(acts >= 60000, "%llu ACTs for 60000 random requests", (unsigned long long)acts);
  int rv = strata::testing::verdict(ra);
  return strata::testing::verdict(rb) | rv;
}
