// Timing-only TLM-2.0 transactions between SMs, L2 and memory: the address carries the tile key
// (which data), the length the bytes moved; no data is copied, so the data pointer points at a
// shared dummy buffer that no target dereferences.
#pragma once

#include <systemc>
#include <tlm>

#include <cmath>
#include <cstdint>

namespace strata::models {

/// The 2-D shape of a block transfer: `rows` runs of `row_bytes`, `stride` apart from the
/// payload's address. Absent: one contiguous run of the payload's length.
struct BlockExtension : tlm::tlm_extension<BlockExtension> {
  uint32_t rows = 1;
  uint32_t row_bytes = 0;
  uint64_t stride = 0;
  tlm::tlm_extension_base* clone() const override { return new BlockExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override {
    *this = static_cast<const BlockExtension&>(e);
  }
};

inline void set_timing_payload(tlm::tlm_generic_payload& gp, tlm::tlm_command cmd, uint64_t address,
                               double bytes) {
  static unsigned char dummy[1];
  gp.set_command(cmd);
  gp.set_address(address);
  gp.set_data_ptr(dummy);
  gp.set_data_length(static_cast<unsigned int>(std::ceil(bytes)));
  gp.set_streaming_width(gp.get_data_length());
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

/// Seconds as a SystemC time (picosecond resolution by default).
inline sc_core::sc_time seconds(double s) { return sc_core::sc_time(s, sc_core::SC_SEC); }

}  // namespace strata::models
