#include "models/hbm/stream_driver.h"

#include <algorithm>
#include <stdexcept>

#include "workloads/random_draw.h"
#include "workloads/routing.h"

namespace strata::hbm {
namespace {
/// The driver's slot of a payload, carried with it.
struct SlotExtension : tlm::tlm_extension<SlotExtension> {
  int slot = 0;
  explicit SlotExtension(int s) : slot(s) {}
  tlm::tlm_extension_base* clone() const override { return new SlotExtension(slot); }
  void copy_from(const tlm::tlm_extension_base& e) override { slot = static_cast<const SlotExtension&>(e).slot; }
};
}  // namespace

using sc_core::SC_ZERO_TIME;
using sc_core::sc_time;
using sc_core::sc_time_stamp;

StreamDriver::StreamDriver(sc_core::sc_module_name name, const TrafficSpec& traffic, double memory_bytes)
    : sc_module(name),
      socket("socket"),
      traffic_(traffic),
      rng_(workloads::derive_seed(uint64_t(traffic.seed), 0x68626d, 0)),
      data_(size_t(traffic.request_bytes), 0) {
  const uint64_t size = uint64_t(traffic.request_bytes);
  uint64_t start = (uint64_t(traffic.start_bytes) + size - 1) / size * size;
  uint64_t end = traffic.footprint_bytes > 0 ? uint64_t(traffic.start_bytes + traffic.footprint_bytes)
                                             : uint64_t(memory_bytes);
  end = std::min(end, uint64_t(memory_bytes));
  if (end < start + size)
    throw std::invalid_argument("traffic: no whole request of " + std::to_string(size) +
                                " B fits between start and the end of the footprint");
  first_ = start / size;
  span_ = (end - start) / size;
  socket.register_nb_transport_bw(this, &StreamDriver::nb_transport_bw);
  for (int i = 0; i < traffic.outstanding; ++i) {
    payloads_.push_back(std::make_unique<tlm::tlm_generic_payload>());
    payloads_.back()->set_extension(new SlotExtension(i));  // owned and freed by the payload
    free_.push_back(traffic.outstanding - 1 - i);
    ready_.push(SC_ZERO_TIME);
  }
  issued_at_.assign(size_t(traffic.outstanding), SC_ZERO_TIME);
  SC_THREAD(run);
}

void StreamDriver::start(int64_t requests) {
  to_issue_ += requests;
  if (sc_core::sc_is_running() || sc_core::sc_get_status() == sc_core::SC_PAUSED)
    start_.notify(SC_ZERO_TIME);
}

uint64_t StreamDriver::next_address() {
  uint64_t block = traffic_.pattern == Pattern::sequential ? sent_ % span_
                                                           : workloads::uniform_below(rng_, span_);
  return (first_ + block) * uint64_t(traffic_.request_bytes);
}

void StreamDriver::complete(int slot, const sc_time& at) {
  --in_flight_;
  ++completed_;
  last_completion_ = std::max(last_completion_, at);
  tlm::tlm_generic_payload& p = *payloads_[size_t(slot)];
  if (!p.is_response_ok()) ++errors_;
  free_.push_back(slot);
  ready_.push(at);
}

void StreamDriver::run() {
  const uint64_t write_draw_limit = uint64_t((1.0 - traffic_.read_fraction) * double(1ULL << 53));
  for (;;) {
    while (to_issue_ == 0) wait(start_);
    while (to_issue_ > 0) {
      if (blocked_ || free_.empty()) {
        wait(wake_);
        continue;
      }
      const sc_time now = sc_time_stamp();
      const sc_time at = std::max(now, ready_.top());
      ready_.pop();
      const int slot = free_.back();
      free_.pop_back();
      bool write = write_draw_limit > 0 && workloads::uniform_below(rng_, 1ULL << 53) < write_draw_limit;
      tlm::tlm_generic_payload& p = *payloads_[size_t(slot)];
      p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      p.set_address(next_address());
      p.set_data_ptr(data_.data());
      p.set_data_length(unsigned(data_.size()));
      p.set_streaming_width(unsigned(data_.size()));
      p.set_byte_enable_ptr(nullptr);
      p.set_dmi_allowed(false);
      p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      ++sent_;
      --to_issue_;
      ++in_flight_;
      if (!issued_any_) first_issue_ = at, issued_any_ = true;
      issued_at_[size_t(slot)] = at;
      tlm::tlm_phase phase = tlm::BEGIN_REQ;
      sc_time delay = at - now;
      tlm::tlm_sync_enum s = socket->nb_transport_fw(p, phase, delay);
      if (s == tlm::TLM_COMPLETED)
        complete(slot, now + delay);  // a posted write, or an error
      else if (s == tlm::TLM_ACCEPTED)
        blocked_ = &p;  // the request exclusion rule holds the socket until END_REQ
    }
    while (in_flight_ > 0) wait(wake_);
  }
}

tlm::tlm_sync_enum StreamDriver::nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                                 sc_time& delay) {
  if (&p == blocked_) blocked_ = nullptr;  // END_REQ, or a BEGIN_RESP, which implies it
  wake_.notify(SC_ZERO_TIME);
  if (phase != tlm::BEGIN_RESP) return tlm::TLM_ACCEPTED;
  const int slot = p.get_extension<SlotExtension>()->slot;
  const sc_time at = sc_time_stamp() + delay;
  if (p.is_read()) {
    double latency = (at - issued_at_[size_t(slot)]).to_seconds();
    read_latency_sum_ += latency;
    read_latency_max_ = std::max(read_latency_max_, latency);
    ++reads_;
  }
  complete(slot, at);
  phase = tlm::END_RESP;
  return tlm::TLM_COMPLETED;
}

}  // namespace strata::hbm
