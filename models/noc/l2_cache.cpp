#include "models/noc/l2_cache.h"

#include "models/noc/timing_payload.h"

namespace strata::models {
using sc_core::sc_time;

L2Cache::L2Cache(sc_core::sc_module_name name, double capacity_bytes, double bytes_per_s,
                 sc_time hit_latency, sc_time miss_latency)
    : sc_module(name), target("target"), memory("memory"), m_capacity(capacity_bytes),
      m_bytes_per_s(bytes_per_s), m_hit_latency(hit_latency), m_miss_latency(miss_latency),
      m_port(bytes_per_s) {
  target.register_b_transport(this, &L2Cache::b_transport);
}

void L2Cache::flush() {
  m_lru.clear();
  m_index.clear();
  m_used = 0;
  m_stats = L2Stats{};
  m_port.reset(sc_core::sc_time_stamp());
  m_writes_drained = sc_core::sc_time_stamp();
}

void L2Cache::insert(uint64_t key, double bytes, sc_time ready) {
  m_lru.push_front(Line{key, bytes, ready});
  m_index[key] = m_lru.begin();
  m_used += bytes;
  while (m_used > m_capacity && m_lru.size() > 1) {
    m_used -= m_lru.back().bytes;
    m_index.erase(m_lru.back().key);
    m_lru.pop_back();
  }
}

void L2Cache::b_transport(int, tlm::tlm_generic_payload& gp, sc_time& delay) {
  const sc_time now = sc_core::sc_time_stamp();
  const sc_time arrive = now + delay;
  const double bytes = gp.get_data_length();
  // A line is a block: the same start address with another length is other data.
  const uint64_t key = gp.get_address() * 0x9e3779b97f4a7c15ULL ^ gp.get_data_length();
  gp.set_response_status(tlm::TLM_OK_RESPONSE);

  if (gp.is_write()) {
    // Accepted once through the port; memory sees a posted write.
    m_stats.write_bytes += bytes;
    sc_time accepted = m_port.book(arrive, bytes);
    sc_time mem_delay = accepted - now;
    memory->b_transport(gp, mem_delay);
    if (now + mem_delay > m_writes_drained) m_writes_drained = now + mem_delay;
    delay = accepted - now;
    return;
  }
  auto it = m_index.find(key);
  if (it != m_index.end()) {
    Line line = *it->second;
    m_lru.erase(it->second);
    m_lru.push_front(line);
    it->second = m_lru.begin();
    ++m_stats.hits;
    m_stats.hit_bytes += bytes;
    sc_time from = arrive > line.ready ? arrive : line.ready;
    delay = m_port.book(from, bytes) + m_hit_latency - now;
    return;
  }
  ++m_stats.misses;
  m_stats.miss_bytes += bytes;
  sc_time mem_delay = delay;
  memory->b_transport(gp, mem_delay);
  sc_time filled = now + mem_delay + m_miss_latency;
  insert(key, bytes, filled);
  delay = m_port.book(filled, bytes) - now;
}

}  // namespace strata::models
