#include "models/noc/bandwidth_calendar.h"

#include <algorithm>
#include <cmath>

namespace strata::models {

BandwidthCalendar::BandwidthCalendar(double bytes_per_s, sc_core::sc_time bin)
    : m_bytes_per_s(bytes_per_s), m_bin_s(bin.to_seconds()), m_bin_capacity(bytes_per_s * bin.to_seconds()) {}

void BandwidthCalendar::reset(sc_core::sc_time origin) {
  m_origin = origin;
  m_used.clear();
  m_first_bin = m_first_open = 0;
  m_booked = 0;
}

sc_core::sc_time BandwidthCalendar::book(sc_core::sc_time at, double bytes) {
  // Bookings never start in SystemC's past, so bins more than a little behind it are settled.
  const sc_core::sc_time now_abs = sc_core::sc_time_stamp();
  const double now = now_abs > m_origin ? (now_abs - m_origin).to_seconds() : 0.0;
  if (now - 1e-6 > (m_first_bin + 1) * m_bin_s) retire_before(m_origin + sc_core::sc_time(now - 1e-6, sc_core::SC_SEC));
  m_booked += bytes;
  // All arithmetic is relative to the origin, where doubles are exact enough.
  const double t = at > m_origin ? (at - m_origin).to_seconds() : 0.0;
  double index = std::max(std::floor(t / m_bin_s), m_first_bin);
  // Every bin before the first one with room is full: start the search there.
  const bool skipped = index < m_first_open;
  index = std::max(index, m_first_open);
  double left = bytes;
  double finish = t + bytes / m_bytes_per_s;  // never faster than the port alone
  bool first = !skipped;
  while (true) {
    size_t slot = static_cast<size_t>(index - m_first_bin);
    if (slot >= m_used.size()) m_used.resize(slot + 1, 0.0);
    // The first bin only has the capacity from `at` to its end.
    double cap = m_bin_capacity - m_used[slot];
    if (first) cap = std::min(cap, ((index + 1) * m_bin_s - std::max(t, index * m_bin_s)) * m_bytes_per_s);
    cap = std::max(0.0, cap);
    if (left <= cap) {
      m_used[slot] += left;
      // Packed from the bin's start (first bin: from `at`), the transfer ends where the fill ends.
      double end = first ? t + left / m_bytes_per_s : index * m_bin_s + m_used[slot] / m_bytes_per_s;
      finish = std::max(finish, end);
      break;
    }
    m_used[slot] += cap;
    left -= cap;
    index += 1;
    first = false;
  }
  while (static_cast<size_t>(m_first_open - m_first_bin) < m_used.size() &&
         m_used[static_cast<size_t>(m_first_open - m_first_bin)] >= m_bin_capacity * (1 - 1e-12))
    m_first_open += 1;
  return m_origin + sc_core::sc_time(finish, sc_core::SC_SEC);
}

void BandwidthCalendar::retire_before(sc_core::sc_time t) {
  double index = std::floor((t > m_origin ? (t - m_origin).to_seconds() : 0.0) / m_bin_s);
  while (!m_used.empty() && m_first_bin < index) {
    m_used.pop_front();
    m_first_bin += 1;
  }
  if (m_used.empty() && m_first_bin < index) m_first_bin = index;
  m_first_open = std::max(m_first_open, m_first_bin);
}

}  // namespace strata::models
