#include "models/noc/bandwidth_memory.h"


namespace strata::models {

BandwidthMemory::BandwidthMemory(sc_core::sc_module_name name, double bytes_per_s,
                                 sc_core::sc_time latency, double write_cost)
    : sc_module(name), socket("socket"), m_latency(latency), m_write_cost(write_cost), m_port(bytes_per_s) {
  socket.register_b_transport(this, &BandwidthMemory::b_transport);
}

void BandwidthMemory::reset() {
  m_port.reset(sc_core::sc_time_stamp());
  m_read = m_written = 0;
}

void BandwidthMemory::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const double bytes = gp.get_data_length();
  (gp.is_write() ? m_written : m_read) += bytes;
  delay = m_port.book(now + delay, gp.is_write() ? bytes * m_write_cost : bytes) + m_latency - now;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata::models
