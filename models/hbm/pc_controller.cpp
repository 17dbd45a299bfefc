#include "models/hbm/pc_controller.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace strata::hbm {
namespace {
constexpr Cycle kNever = std::numeric_limits<Cycle>::max() / 4;
constexpr Cycle kLongAgo = std::numeric_limits<Cycle>::min() / 4;
}  // namespace

PseudoChannelController::PseudoChannelController(const ClockedTiming& t,
                                                 const hw::HbmOrganisation& org,
                                                 const hw::HbmControllerSpec& spec,
                                                 Cycle refresh_phase)
    : t_(t),
      org_(org),
      spec_(spec),
      banks_per_group_(org.banks_per_group),
      banks_(size_t(org.banks())),
      groups_(size_t(org.bank_groups)),
      faw_(4, kLongAgo) {
  for (int w = 0; w < 2; ++w) {
    queue_[w].resize(size_t(org.banks()));
    hits_[w].assign(size_t(org.banks()), 0);
  }
  switch (spec.refresh) {
    case hw::RefreshMode::all_bank: refresh_interval_ = t.refi; break;
    case hw::RefreshMode::per_bank: refresh_interval_ = std::max<Cycle>(1, t.refi / org.banks()); break;
    case hw::RefreshMode::none: refresh_interval_ = 0; break;
  }
  refresh_due_ = refresh_interval_ ? refresh_phase % refresh_interval_ + 1 : kNever;
}

int PseudoChannelController::room(bool write) const {
  return capacity(write) + spec_.frontend_queue - int(count_[write] + pending_[write].size());
}

Cycle PseudoChannelController::next_arrival() const {
  Cycle a = -1;
  for (const auto& p : pending_)
    if (!p.empty() && (a < 0 || p.front().first < a)) a = p.front().first;
  return a;
}

Cycle PseudoChannelController::next_pending_event() const {
  // A request that has arrived but waits for room enters when a request leaves, not at a time.
  Cycle e = kNever;
  for (const auto& p : pending_)
    if (!p.empty() && p.front().first > now_) e = std::min(e, p.front().first);
  return e;
}

void PseudoChannelController::enqueue(const PcRequest& r, Cycle arrival) {
  if (r.bursts < 1 || r.column < 0 || r.column + r.bursts > org_.columns() || r.bank < 0 ||
      r.bank >= org_.banks())
    throw std::invalid_argument("hbm: request outside its pseudo-channel's banks and row");
  arrival = std::max(arrival, now_);
  std::deque<std::pair<Cycle, PcRequest>>& q = pending_[r.write];
  auto at = q.end();
  while (at != q.begin() && std::prev(at)->first > arrival) --at;  // usually appends
  q.insert(at, {arrival, r});
  if (stats_.first_arrival < 0 || arrival < stats_.first_arrival) stats_.first_arrival = arrival;
}

void PseudoChannelController::account(Cycle t) {
  if (t <= accounted_) return;
  stats_.read_queue_integral += double(count_[0]) * double(t - accounted_);
  stats_.write_queue_integral += double(count_[1]) * double(t - accounted_);
  accounted_ = t;
}

void PseudoChannelController::admit() {
  for (int w = 0; w < 2; ++w)
  while (!pending_[w].empty() && pending_[w].front().first <= now_ && int(count_[w]) < capacity(w)) {
    account(now_);
    const PcRequest& r = pending_[w].front().second;
    const int idx = slots_.acquire(Slot{});
    Slot& s = slots_[idx];
    s.r = r;
    s.arrival = pending_[w].front().first;
    s.seq = seq_++;
    s.next_column = r.column;
    s.remaining = r.bursts;
    queue_[r.write][size_t(r.bank)].push_back(idx);
    const Bank& bank = banks_[size_t(r.bank)];
    if (bank.open && bank.row == r.row) ++hits_[r.write][size_t(r.bank)];
    ++count_[r.write];
    pending_[w].pop_front();
  }
}

void PseudoChannelController::update_write_mode() {
  const double cap = spec_.write_queue;
  if (write_mode_) {
    if (count_[1] == 0 || (count_[0] > 0 && double(count_[1]) <= spec_.write_low_watermark * cap))
      write_mode_ = false;
  } else if (count_[1] > 0 &&
             (double(count_[1]) >= spec_.write_high_watermark * cap || count_[0] == 0)) {
    write_mode_ = true;
  }
}

Cycle PseudoChannelController::ready_pre(int bank) const {
  return std::max({now_, banks_[size_t(bank)].pre_ok, row_bus_});
}

int PseudoChannelController::find_hit(const std::deque<int>& q, int64_t row) const {
  for (int idx : q)
    if (slots_[idx].r.row == row) return idx;
  return -1;
}

bool PseudoChannelController::row_wanted(int bank) const {
  return hits_[0][size_t(bank)] + hits_[1][size_t(bank)] > 0;
}

void PseudoChannelController::count_hits(int bank) {
  const Bank& b = banks_[size_t(bank)];
  for (int w = 0; w < 2; ++w) {
    int n = 0;
    if (b.open)
      for (int idx : queue_[w][size_t(bank)]) n += slots_[idx].r.row == b.row;
    hits_[w][size_t(bank)] = n;
  }
}

Cycle PseudoChannelController::ready_refresh() const {
  Cycle ready = std::max(now_, row_bus_);
  if (spec_.refresh == hw::RefreshMode::all_bank) return std::max(ready, refab_ok_);
  return std::max({ready, refpb_ok_, banks_[size_t(refresh_bank_)].refpb_ok});
}

bool PseudoChannelController::pick(Choice& best) {
  bool have = false;
  int blocked_bank = -1;  // the bank a pending per-bank refresh holds
  if (refresh_pending_) {
    if (spec_.refresh == hw::RefreshMode::all_bank) {
      // All-bank refresh has priority: close every bank, then refresh; nothing else issues.
      Cycle pre = -1;
      for (size_t b = 0; b < banks_.size(); ++b)
        if (banks_[b].open) pre = std::max(pre, banks_[b].pre_ok);
      if (pre >= 0)
        best = Choice{Cmd::prea, -1, -1, std::max({now_, pre, row_bus_}), 0, 0};
      else
        best = Choice{Cmd::refab, -1, -1, ready_refresh(), 0, 0};
      return true;
    }
    blocked_bank = refresh_bank_;
    if (banks_[size_t(blocked_bank)].open)
      consider(best, have, Choice{Cmd::pre, blocked_bank, -1, ready_pre(blocked_bank), 0, 0});
    else
      consider(best, have, Choice{Cmd::refpb, blocked_bank, -1, ready_refresh(), 0, 0});
  }
  update_write_mode();
  const bool w = write_mode_;
  // What the pseudo-channel as a whole allows; each bank and bank group adds its own limits.
  // A column burst may start on the data bus only when the previous one has left it.
  const Cycle act_floor = std::max({now_, act_ok_, faw_[0] + t_.faw, row_bus_});
  const Cycle col_floor = std::max({now_, w ? wr_ok_ : rd_ok_, col_bus_, data_end_ - (w ? t_.cwl : t_.cl)});
  for (int b = 0; b < int(banks_.size()); ++b) {
    if (b == blocked_bank) continue;
    const std::deque<int>& q = queue_[w][size_t(b)];
    if (q.empty()) continue;
    const Bank& bank = banks_[size_t(b)];
    const Slot& head = slots_[q.front()];
    if (bank.open) {
      int hit = hits_[w][size_t(b)] > 0 ? find_hit(q, bank.row) : -1;
      bool capped = hit >= 0 && spec_.row_hit_cap > 0 && bank.hits >= spec_.row_hit_cap &&
                    hit != q.front() && !slots_[hit].started;
      if (hit >= 0 && !capped) {
        const Group& g = groups_[size_t(b / banks_per_group_)];
        Cycle at = std::max({col_floor, w ? bank.wr_ok : bank.rd_ok, w ? g.wr_ok : g.rd_ok});
        consider(best, have, Choice{w ? Cmd::wr : Cmd::rd, b, hit, at, 1, slots_[hit].seq});
      } else {
        consider(best, have, Choice{Cmd::pre, b, q.front(), ready_pre(b), 2, head.seq});
      }
    } else {
      const Group& g = groups_[size_t(b / banks_per_group_)];
      Cycle at = std::max({act_floor, bank.act_ok, g.act_ok});
      consider(best, have, Choice{Cmd::act, b, q.front(), at, 2, head.seq});
    }
  }
  if (spec_.page_policy == hw::PagePolicy::closed)
    for (int b = 0; b < int(banks_.size()); ++b)
      if (b != blocked_bank && banks_[size_t(b)].open && !row_wanted(b))
        consider(best, have, Choice{Cmd::pre, b, -1, ready_pre(b), 3, 0});
  return have;
}

void PseudoChannelController::close_bank(int bank, Cycle at) {
  Bank& b = banks_[size_t(bank)];
  b.open = false;
  hits_[0][size_t(bank)] = hits_[1][size_t(bank)] = 0;
  b.act_ok = std::max(b.act_ok, at + t_.rp);
  b.refpb_ok = std::max(b.refpb_ok, at + t_.rp);
  refab_ok_ = std::max(refab_ok_, at + t_.rp);
}

void PseudoChannelController::serve_burst(const Choice& c) {
  Slot& s = slots_[c.slot];
  const bool write = s.r.write;
  const Cycle at = c.at;
  Bank& b = banks_[size_t(c.bank)];
  Group& g = groups_[size_t(c.bank / banks_per_group_)];
  if (!s.started) {
    s.started = true;
    ++b.hits;
  }
  if (write) {
    b.pre_ok = std::max(b.pre_ok, at + t_.write_data_end() + t_.wr);
    g.wr_ok = std::max(g.wr_ok, at + t_.ccd_l);
    wr_ok_ = std::max(wr_ok_, at + t_.ccd_s);
    g.rd_ok = std::max(g.rd_ok, at + t_.write_data_end() + t_.wtr_l);
    rd_ok_ = std::max(rd_ok_, at + t_.write_data_end() + t_.wtr_s);
    data_end_ = std::max(data_end_, at + t_.write_data_end());
    ++stats_.write_bursts;
  } else {
    b.pre_ok = std::max(b.pre_ok, at + t_.rtp);
    g.rd_ok = std::max(g.rd_ok, at + t_.ccd_l);
    rd_ok_ = std::max(rd_ok_, at + t_.ccd_s);
    wr_ok_ = std::max(wr_ok_, at + t_.rtw);
    data_end_ = std::max(data_end_, at + t_.read_data_end());
    ++stats_.read_bursts;
  }
  col_bus_ = at + 1;
  ++s.next_column;
  if (--s.remaining > 0) return;

  // The request is complete: it leaves the queue.
  account(at);
  std::deque<int>& q = queue_[write][size_t(c.bank)];
  q.erase(std::find(q.begin(), q.end(), c.slot));
  --count_[write];
  --hits_[write][size_t(c.bank)];  // it was served from the open row
  if (s.caused_pre)
    ++stats_.row_conflicts;
  else if (s.caused_act)
    ++stats_.row_misses;
  else
    ++stats_.row_hits;
  ++(write ? stats_.writes : stats_.reads);
  const Cycle done = at + (write ? t_.write_data_end() : t_.read_data_end());
  stats_.last_data = std::max(stats_.last_data, done);
  stats_.data_log.push_back({done, uint32_t(s.r.bursts * org_.burst_bytes())});
  if (!write) stats_.read_latency.add(done - s.arrival);
  slots_.release(c.slot);
  if (completion_) completion_(s.r.tag, write, done);
}

void PseudoChannelController::issue(const Choice& c) {
  const Cycle at = c.at;
  Command cmd{at, c.cmd, c.bank, -1, -1};
  switch (c.cmd) {
    case Cmd::act: {
      Slot& s = slots_[c.slot];
      Bank& b = banks_[size_t(c.bank)];
      Group& g = groups_[size_t(c.bank / banks_per_group_)];
      b.open = true;
      b.row = s.r.row;
      b.hits = 0;
      b.rd_ok = at + t_.rcd_rd;
      b.wr_ok = at + t_.rcd_wr;
      b.pre_ok = std::max(b.pre_ok, at + t_.ras);
      b.act_ok = std::max(b.act_ok, at + t_.rc);
      b.refpb_ok = std::max(b.refpb_ok, at + t_.rc);
      g.act_ok = std::max(g.act_ok, at + t_.rrd_l);
      act_ok_ = std::max(act_ok_, at + t_.rrd_s);
      refab_ok_ = std::max(refab_ok_, at + t_.rc);
      refpb_ok_ = std::max(refpb_ok_, at + t_.rrd_s);
      std::rotate(faw_.begin(), faw_.begin() + 1, faw_.end());
      faw_[3] = at;
      row_bus_ = at + 1;
      s.caused_act = true;
      cmd.row = s.r.row;
      count_hits(c.bank);
      break;
    }
    case Cmd::pre:
      close_bank(c.bank, at);
      row_bus_ = at + 1;
      if (c.slot >= 0) slots_[c.slot].caused_pre = true;
      break;
    case Cmd::prea:
      for (int b = 0; b < int(banks_.size()); ++b) close_bank(b, at);
      row_bus_ = at + 1;
      break;
    case Cmd::rd:
    case Cmd::wr: {
      const Slot& s = slots_[c.slot];
      cmd.row = s.r.row;
      cmd.column = s.next_column;
      break;
    }
    case Cmd::refab:
      for (Bank& b : banks_) {
        b.act_ok = std::max(b.act_ok, at + t_.rfc);
        b.refpb_ok = std::max(b.refpb_ok, at + t_.rfc);
      }
      refab_ok_ = std::max(refab_ok_, at + t_.rfc);
      refpb_ok_ = std::max(refpb_ok_, at + t_.rfc);
      row_bus_ = at + 1;
      stats_.refresh_bank_cycles += Cycle(banks_.size()) * t_.rfc;
      refresh_pending_ = false;
      refresh_due_ += refresh_interval_;
      break;
    case Cmd::refpb: {
      Bank& b = banks_[size_t(c.bank)];
      b.act_ok = std::max(b.act_ok, at + t_.rfc_pb);
      b.refpb_ok = std::max(b.refpb_ok, at + t_.rfc_pb);
      act_ok_ = std::max(act_ok_, at + t_.rrefd);
      refpb_ok_ = std::max(refpb_ok_, at + t_.rrefd);
      refab_ok_ = std::max(refab_ok_, at + t_.rfc_pb);
      row_bus_ = at + 1;
      stats_.refresh_bank_cycles += t_.rfc_pb;
      refresh_pending_ = false;
      refresh_due_ += refresh_interval_;
      refresh_bank_ = (refresh_bank_ + 1) % int(banks_.size());
      break;
    }
  }
  ++stats_.commands[size_t(c.cmd)];
  if (command_) command_(cmd);
  if (c.cmd == Cmd::rd || c.cmd == Cmd::wr) serve_burst(c);
}

void PseudoChannelController::advance_until(Cycle end) {
  for (;;) {
    admit();
    if (refresh_interval_ && !refresh_pending_ && now_ >= refresh_due_) refresh_pending_ = true;
    Choice c;
    bool have = pick(c);
    Cycle next_event = next_pending_event();
    if (refresh_interval_ && !refresh_pending_) next_event = std::min(next_event, refresh_due_);
    Cycle at = have ? c.at : kNever;
    if (std::min(at, next_event) >= end) break;
    if (next_event <= at) {
      now_ = std::max(now_, next_event);
      continue;
    }
    now_ = at;
    issue(c);
  }
  now_ = std::max(now_, end);
}

void PseudoChannelController::close_stats(Cycle end) { account(end); }

}  // namespace strata::hbm
