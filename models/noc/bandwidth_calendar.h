// A shared port of fixed bandwidth that requests may book out of time order. Under temporal
// decoupling, initiators run up to a quantum ahead and a miss fill books the port at a future
// time; a single "next free" time would then make every earlier request queue behind that
// future booking. The calendar keeps the capacity per time bin instead, so a transfer fills
// the free capacity from its start time onward, gaps included.
#pragma once

#include <systemc>

#include <deque>

namespace strata::models {

class BandwidthCalendar {
 public:
  /// `bytes_per_s` of capacity, accounted in bins of `bin` time.
  BandwidthCalendar(double bytes_per_s, sc_core::sc_time bin = sc_core::sc_time(20, sc_core::SC_NS));

  /// Forgets every booking and measures time from `origin` on: results depend only on times
  /// relative to it, never on how late in a simulation a measurement starts.
  void reset(sc_core::sc_time origin);
  /// Books `bytes` starting no earlier than `at`; returns when the last byte has passed.
  sc_core::sc_time book(sc_core::sc_time at, double bytes);
  /// Forgets all bookings before `t` (they can no longer be affected).
  void retire_before(sc_core::sc_time t);
  /// Total bytes booked so far.
  double booked() const { return m_booked; }

 private:
  double m_bytes_per_s, m_bin_s, m_bin_capacity;
  sc_core::sc_time m_origin;
  double m_first_bin = 0;        ///< index of m_used.front()
  double m_first_open = 0;       ///< every bin before this one is full
  std::deque<double> m_used;     ///< bytes booked per bin
  double m_booked = 0;
};

}  // namespace strata::models
