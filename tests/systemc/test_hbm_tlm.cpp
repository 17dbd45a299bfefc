// The HBM memory system's TLM-2.0 target: blocking and non-blocking reads complete at the exact
// DRAM time, writes are posted, a request over two pseudo-channels waits for both, bad requests
// get error responses, and an initiator that holds the response channel is respected.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/hbm/hbm_system.h"
#include "tests/systemc/hbm_test_support.h"

using namespace strata;
using sc_core::SC_NS;
using sc_core::sc_time;
using strata::testing::failures;

struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator> socket;
  const hbm::HbmSystem& mem;
  SC_HAS_PROCESS(Initiator);
  Initiator(sc_core::sc_module_name n, const hbm::HbmSystem& m) : sc_module(n), socket("socket"), mem(m) {
    socket.register_nb_transport_bw(this, &Initiator::nb_bw);
    SC_THREAD(run);
  }

  tlm::tlm_generic_payload p;
  unsigned char data[256] = {};
  sc_time resp_at;
  int responses = 0;
  sc_core::sc_event got_resp;

  void setup(tlm::tlm_command cmd, uint64_t addr, unsigned len) {
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_byte_enable_ptr(nullptr);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  }

  tlm::tlm_sync_enum nb_bw(tlm::tlm_generic_payload&, tlm::tlm_phase& ph, sc_time& d) {
    if (ph != tlm::BEGIN_RESP) return tlm::TLM_ACCEPTED;
    resp_at = sc_core::sc_time_stamp() + d;
    ++responses;
    got_resp.notify(d);
    return tlm::TLM_ACCEPTED;  // hold the response channel: END_RESP comes later
  }

  sc_time exact(hbm::Cycle arrival_cycle, hbm::Cycle clocks) const {
    return mem.time_of(arrival_cycle + clocks);
  }

  void run() {
    const hbm::ClockedTiming& t = mem.timing();
    const hbm::Cycle miss = t.rcd_rd + t.cl + t.bl;

    // 1. Blocking read of one burst in an idle memory, issued 10 ns ahead of simulation time.
    setup(tlm::TLM_READ_COMMAND, 0, 32);
    sc_time delay(10, SC_NS);
    socket->b_transport(p, delay);
    hbm::Cycle a = mem.cycle_at_or_after(sc_time(10, SC_NS));
    HBM_CHECK(p.is_response_ok(), "read failed");
    HBM_CHECK(delay == sc_core::SC_ZERO_TIME, "b_transport consumed its delay");
    HBM_CHECK(sc_core::sc_time_stamp() == exact(a, miss), "read done at %s, expected %s",
              sc_core::sc_time_stamp().to_string().c_str(), exact(a, miss).to_string().c_str());

    // 2. A blocking write is posted: it returns at once with its delay untouched.
    setup(tlm::TLM_WRITE_COMMAND, 4096, 64);
    sc_time before = sc_core::sc_time_stamp();
    delay = sc_time(3, SC_NS);
    socket->b_transport(p, delay);
    HBM_CHECK(p.is_response_ok() && delay == sc_time(3, SC_NS) && sc_core::sc_time_stamp() == before,
              "write was not posted");

    // 3. Errors: past the end of memory, and a command that is neither read nor write.
    setup(tlm::TLM_READ_COMMAND, uint64_t(80) << 30, 64);
    delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    HBM_CHECK(p.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE, "no address error");
    setup(tlm::TLM_IGNORE_COMMAND, 0, 64);
    socket->b_transport(p, delay);
    HBM_CHECK(p.get_response_status() == tlm::TLM_COMMAND_ERROR_RESPONSE, "no command error");

    // 4. Non-blocking 128 B read at 64 B: two pseudo-channels (default mapping), both idle.
    wait(1, sc_core::SC_US);
    setup(tlm::TLM_READ_COMMAND, 1 << 20, 128);
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    delay = sc_core::SC_ZERO_TIME;
    hbm::Cycle start = mem.cycle_at_or_after(sc_core::sc_time_stamp());
    tlm::tlm_sync_enum s = socket->nb_transport_fw(p, ph, delay);
    HBM_CHECK(s == tlm::TLM_UPDATED && ph == tlm::END_REQ, "read not accepted with END_REQ");
    wait(got_resp);
    // Each pseudo-channel reads two bursts of one bank: tCCD_L apart.
    HBM_CHECK(resp_at == exact(start, miss + t.ccd_l), "nb read done at %s, expected %s",
              resp_at.to_string().c_str(), exact(start, miss + t.ccd_l).to_string().c_str());
    HBM_CHECK(responses == 1, "%d responses for one request", responses);

    // 5. The response channel is held (TLM_ACCEPTED): a second read's response waits for END_RESP.
    tlm::tlm_generic_payload q;
    q.set_command(tlm::TLM_READ_COMMAND);
    q.set_address(3 << 20);
    q.set_data_ptr(data);
    q.set_data_length(32);
    q.set_streaming_width(32);
    ph = tlm::BEGIN_REQ;
    delay = sc_core::SC_ZERO_TIME;
    socket->nb_transport_fw(q, ph, delay);
    wait(2, sc_core::SC_US);
    HBM_CHECK(responses == 1, "a response was sent while the channel was held");
    ph = tlm::END_RESP;
    delay = sc_core::SC_ZERO_TIME;
    socket->nb_transport_fw(p, ph, delay);  // releases the channel
    wait(got_resp);
    HBM_CHECK(responses == 2 && q.is_response_ok(), "the held response never came");
    ph = tlm::END_RESP;
    socket->nb_transport_fw(q, ph, delay);
  }
};

int sc_main(int, char*[]) {
  hw::MemorySpec m = strata::testing::node_memory("h800-sxm");
  m.controller.refresh = hw::RefreshMode::none;  // exact latencies, no refresh in the way
  hbm::HbmSystem mem("hbm", m);
  Initiator init("init", mem);
  init.socket.bind(mem.socket);
  sc_core::sc_start();
  mem.finish();
  hbm::MemoryReport r = mem.report();
  HBM_CHECK(r.requests() == 1 + 1 + 2 + 1, "%llu requests served", (unsigned long long)r.requests());
  return strata::testing::verdict(r);
}
