// A memory that is one bandwidth port with a fixed access latency: a transfer takes the port's
// free capacity from its arrival on, and completes one latency after its last byte.
// It is the analytical memory behind the L2 in unit tests, where the JEDEC-timed HBM model
// would make expected values hard to state.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/noc/bandwidth_calendar.h"

namespace strata::models {

class BandwidthMemory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<BandwidthMemory> socket;

  /// `write_cost`: how long a written byte holds the port relative to a read one (> 1 when
  /// writes are slower, as turnarounds and write recovery make them).
  BandwidthMemory(sc_core::sc_module_name name, double bytes_per_s, sc_core::sc_time latency,
                  double write_cost = 1.0);

  /// Idle, with no bookings, timed from now (between kernels measured in isolation).
  void reset();
  double bytes_read() const { return m_read; }
  double bytes_written() const { return m_written; }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

  sc_core::sc_time m_latency;
  double m_write_cost;
  BandwidthCalendar m_port;
  double m_read = 0, m_written = 0;
};

}  // namespace strata::models
