#include "models/hbm/hbm_system.h"

#include <algorithm>
#include <cmath>

namespace strata::hbm {
using sc_core::SC_ZERO_TIME;
using sc_core::sc_time;
using sc_core::sc_time_stamp;

HbmSystem::HbmSystem(sc_core::sc_module_name name, const hw::MemorySpec& spec, HbmOptions options)
    : MemorySystem(name), socket("socket"), spec_(spec), t_(ClockedTiming::from(spec)), map_(spec) {
  socket.register_nb_transport_fw(this, &HbmSystem::nb_transport_fw);
  socket.register_b_transport(this, &HbmSystem::b_transport);
  const hw::HbmOrganisation& o = spec.organisation;
  const int n = spec.pseudo_channels();
  if (options.check_protocol)
    checker_ = std::make_unique<ProtocolChecker>(t_, o.bank_groups, o.banks_per_group, n,
                                                 spec.controller.refresh != hw::RefreshMode::none);
  for (int i = 0; i < n; ++i) {
    // Refreshes are staggered evenly over the pseudo-channels.
    auto pc = std::make_unique<PseudoChannelController>(t_, o, spec.controller, t_.refi * i / n);
    pc->on_completion([this](uint64_t tag, bool, Cycle done) { on_done(tag, done); });
    if (checker_) pc->on_command([this, i](const Command& c) { checker_->check(i, c); });
    pcs_.push_back(std::move(pc));
  }
  active_flag_.assign(size_t(n), 0);
  quantum_ = t_.read_data_end();
  SC_THREAD(run);
}

HbmSystem::~HbmSystem() = default;

sc_time HbmSystem::time_of(Cycle c) const { return sc_time(double(c) * t_.tck_s, sc_core::SC_SEC); }

Cycle HbmSystem::cycle_at_or_after(const sc_time& t) const {
  // Times are held to the kernel's resolution (1 ps), so forgive a hundredth of a clock.
  return Cycle(std::ceil(t.to_seconds() / t_.tck_s - 0.01));
}

bool HbmSystem::valid(tlm::tlm_generic_payload& p) const {
  if (!p.is_read() && !p.is_write()) {
    p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return false;
  }
  if (p.get_data_length() == 0 || p.get_address() + p.get_data_length() > spec_.capacity_bytes) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  return true;
}

void HbmSystem::split(const tlm::tlm_generic_payload& p, std::vector<Chunk>& out) const {
  out.clear();
  const uint64_t bb = uint64_t(map_.burst_bytes());
  const uint64_t first = p.get_address() / bb, last = (p.get_address() + p.get_data_length() - 1) / bb;
  for (uint64_t i = first; i <= last; ++i) {
    Location l = map_.decode(i * bb);
    int pc = map_.pseudo_channel_index(l), bank = map_.bank_index(l);
    if (!out.empty()) {
      PcRequest& r = out.back().r;
      if (out.back().pc == pc && r.bank == bank && r.row == l.row && r.column + r.bursts == l.column) {
        ++r.bursts;
        continue;
      }
    }
    out.push_back({pc, PcRequest{0, p.is_write(), bank, l.row, l.column, 1}});
  }
}

bool HbmSystem::has_room(const std::vector<Chunk>& chunks) const {
  for (size_t i = 0; i < chunks.size(); ++i) {
    bool counted = false;
    for (size_t j = 0; j < i && !counted; ++j) counted = chunks[j].pc == chunks[i].pc;
    if (counted) continue;
    int need = 0;
    for (size_t j = i; j < chunks.size(); ++j) need += chunks[j].pc == chunks[i].pc;
    if (pcs_[size_t(chunks[i].pc)]->room(chunks[i].r.write) < need) return false;
  }
  return true;
}

int HbmSystem::admit(const std::vector<Chunk>& chunks, bool write, Cycle arrival) {
  const int id = txns_.acquire(Txn{nullptr, nullptr, int(chunks.size()), 0, write});
  for (const Chunk& c : chunks) {
    PseudoChannelController& pc = *pcs_[size_t(c.pc)];
    if (arrival < pc.now()) ++late_arrivals_;
    PcRequest r = c.r;
    r.tag = uint64_t(id);
    pc.enqueue(r, arrival);
    if (!active_flag_[size_t(c.pc)]) {
      active_flag_[size_t(c.pc)] = 1;
      active_.push_back(c.pc);
    }
  }
  work_.notify(SC_ZERO_TIME);
  return id;
}

void HbmSystem::on_done(uint64_t tag, Cycle done) {
  Txn& x = txns_[int(tag)];
  x.finished = std::max(x.finished, done);
  if (--x.chunks == 0) finished_.push_back({x.finished, int(tag)});
}

tlm::tlm_sync_enum HbmSystem::nb_transport_fw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                              sc_time& delay) {
  if (phase == tlm::END_RESP) {
    response_busy_ = false;
    if (p.has_mm()) p.release();
    work_.notify(SC_ZERO_TIME);
    return tlm::TLM_COMPLETED;
  }
  if (phase != tlm::BEGIN_REQ) {
    SC_REPORT_ERROR(name(), "nb_transport_fw: only BEGIN_REQ and END_RESP are expected");
    return tlm::TLM_COMPLETED;
  }
  if (blocked_) SC_REPORT_ERROR(name(), "BEGIN_REQ before END_REQ of the previous request");
  if (!valid(p)) return tlm::TLM_COMPLETED;
  split(p, scratch_);
  if (!has_room(scratch_)) {
    for (const Chunk& c : scratch_)
      if (pcs_[size_t(c.pc)]->capacity(p.is_write()) + pcs_[size_t(c.pc)]->frontend_capacity() <
          int(scratch_.size())) {
        p.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);  // could never fit
        return tlm::TLM_COMPLETED;
      }
    blocked_ = &p;
    if (p.has_mm()) p.acquire();
    work_.notify(SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  int id = admit(scratch_, p.is_write(), cycle_at_or_after(sc_time_stamp() + delay));
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  if (p.is_write()) return tlm::TLM_COMPLETED;  // posted
  txns_[id].payload = &p;
  if (p.has_mm()) p.acquire();
  phase = tlm::END_REQ;
  return tlm::TLM_UPDATED;
}

void HbmSystem::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
  if (!valid(p)) return;
  std::vector<Chunk> chunks;
  split(p, chunks);
  while (!has_room(chunks)) {
    ++room_waiters_;
    wait(room_);
    --room_waiters_;
  }
  int id = admit(chunks, p.is_write(), cycle_at_or_after(sc_time_stamp() + delay));
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  if (p.is_write()) return;  // posted
  sc_core::sc_event done;
  txns_[id].done = &done;
  wait(done);
  delay = SC_ZERO_TIME;
}

void HbmSystem::retry_blocked() {
  if (!blocked_) return;
  split(*blocked_, scratch_);
  if (!has_room(scratch_)) return;
  tlm::tlm_generic_payload* p = blocked_;
  blocked_ = nullptr;
  const Cycle now = cycle_at_or_after(sc_time_stamp());
  int id = admit(scratch_, p->is_write(), now);
  p->set_response_status(tlm::TLM_OK_RESPONSE);
  if (p->is_write()) {
    // The write is posted now: its BEGIN_RESP (which also ends the request phase) goes out in turn.
    int ack = admit({}, true, now);
    txns_[ack].payload = p;
    responses_.push_back({now, ack});
    return;
  }
  txns_[id].payload = p;
  tlm::tlm_phase phase = tlm::END_REQ;
  sc_time zero = SC_ZERO_TIME;
  socket->nb_transport_bw(*p, phase, zero);
}

void HbmSystem::deliver_responses() {
  std::sort(finished_.begin(), finished_.end(),
            [](const Response& a, const Response& b) { return a.at != b.at ? a.at < b.at : a.txn < b.txn; });
  for (const Response& r : finished_) {
    const Txn& x = txns_[r.txn];
    if (x.payload || x.done)
      responses_.push_back(r);
    else
      txns_.release(r.txn);  // a posted write has reached the DRAM
  }
  finished_.clear();
  while (next_response_ < responses_.size() && !response_busy_) {
    const Response r = responses_[next_response_++];
    Txn x = txns_[r.txn];
    txns_.release(r.txn);
    sc_time at = time_of(r.at), now = sc_time_stamp();
    sc_time delay = at > now ? at - now : SC_ZERO_TIME;
    if (x.done) {
      x.done->notify(delay);
      continue;
    }
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    tlm::tlm_sync_enum s = socket->nb_transport_bw(*x.payload, phase, delay);
    if (s == tlm::TLM_ACCEPTED)
      response_busy_ = true;  // END_RESP will follow on the forward path
    else if (x.payload->has_mm())
      x.payload->release();
  }
  if (next_response_ == responses_.size()) {
    responses_.clear();
    next_response_ = 0;
  }
}

void HbmSystem::run() {
  for (;;) {
    const Cycle frontier = cycle_at_or_after(sc_time_stamp());
    size_t keep = 0;
    bool queued = false;
    Cycle next_arrival = -1;
    for (int pc : active_) {
      PseudoChannelController& c = *pcs_[size_t(pc)];
      c.advance_until(frontier);
      if (!c.busy()) {
        active_flag_[size_t(pc)] = 0;
        continue;
      }
      active_[keep++] = pc;
      queued = queued || c.queued(false) + c.queued(true) > 0;
      Cycle a = c.next_arrival();
      if (a >= 0 && (next_arrival < 0 || a < next_arrival)) next_arrival = a;
    }
    active_.resize(keep);
    retry_blocked();
    if (room_waiters_) room_.notify(SC_ZERO_TIME);
    deliver_responses();
    if (active_.empty()) {
      wait(work_);
      continue;
    }
    // Wake after one read latency. If nothing is queued yet, sleep until the next arrival
    // unless an earlier request comes in.
    Cycle wake = frontier + quantum_;
    if (!queued && !blocked_ && next_arrival > wake)
      wait(time_of(next_arrival) - sc_time_stamp(), work_);
    else
      wait(time_of(wake) - sc_time_stamp());
  }
}

void HbmSystem::finish() {
  const Cycle end = cycle_at_or_after(sc_time_stamp());
  for (auto& pc : pcs_) {
    pc->advance_until(end);
    pc->close_stats(end);
  }
  if (checker_) checker_->finish(end);
}

MemoryReport HbmSystem::report() const {
  MemoryReport r;
  r.tck_s = t_.tck_s;
  r.burst_bytes = map_.burst_bytes();
  r.banks_per_pc = spec_.organisation.banks();
  r.peak_bandwidth = spec_.peak_bandwidth();
  const int per_stack = spec_.organisation.pseudo_channels_per_stack();
  const int pcs = spec_.organisation.pseudo_channels;
  for (int i = 0; i < int(pcs_.size()); ++i)
    r.channels.push_back({i / per_stack, (i % per_stack) / pcs, i % pcs, pcs_[size_t(i)]->stats()});
  r.late_arrivals = late_arrivals_;
  if (checker_) {
    r.commands_checked = checker_->commands();
    r.violations = checker_->violation_count();
    for (const Violation& v : checker_->violations()) r.first_violations.push_back(v.message());
  }
  return r;
}

}  // namespace strata::hbm
