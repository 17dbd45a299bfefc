#include "workloads/pipeline.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

namespace strata::workloads {

using A = PipeAction;

Schedule schedule_1f1b(int pp, int micro) {
  Schedule s(pp);
  for (int r = 0; r < pp; ++r) {
    auto& a = s[r];
    int warm = std::min(pp - r - 1, micro);
    auto f = [&] {
      a.push_back({A::forward});
      a.push_back({A::send_forward});
    };
    auto b = [&] {
      a.push_back({A::backward});
      a.push_back({A::send_backward});
    };
    for (int i = 0; i < warm; ++i) f();
    for (int i = 0; i < micro - warm; ++i) f(), b();
    for (int i = 0; i < warm; ++i) b();
  }
  return s;
}

Schedule schedule_dualpipe(int pp, int micro) {
  if (pp % 2 != 0 || micro % 2 != 0 || micro < 2 * pp)
    throw std::invalid_argument("DualPipe needs even pp and an even number of micro-batches >= 2 pp");
  Schedule s(pp);
  const int half_ranks = pp / 2, half_chunks = micro / 2;
  for (int r = 0; r < pp; ++r) {
    auto& a = s[r];
    const int half = std::min(r, pp - 1 - r);
    const int second = r >= half_ranks ? 1 : 0;
    const bool middle = r == half_ranks - 1 || r == half_ranks;
    // dualpipe.py's phases: direction = phase ^ (rank in the second half).
    auto F = [&](int phase, bool send = true) {
      a.push_back({A::forward, phase ^ second});
      if (send) a.push_back({A::send_forward, phase ^ second});
    };
    auto B = [&](int phase, bool zb = false, bool send = true) {
      A x{A::backward, phase ^ second};
      x.zb = zb;
      a.push_back(x);
      if (send) a.push_back({A::send_backward, phase ^ second});
    };
    auto FB = [&](int p0, int p1) {
      A x{A::forward_backward, p0 ^ second};
      x.dir_b = p1 ^ second;
      a.push_back(x);
      a.push_back({A::send_forward, p0 ^ second});
      a.push_back({A::send_backward, p1 ^ second});
    };
    auto W = [&] { a.push_back({A::weight}); };
    auto send_f = [&](int phase) { a.push_back({A::send_forward, phase ^ second}); };
    auto send_b = [&](int phase) { a.push_back({A::send_backward, phase ^ second}); };

    // Step 1: nF0
    for (int i = 0; i < (half_ranks - half - 1) * 2; ++i) F(0);
    // Step 2: nF0F1
    const int step2 = half + 1;
    for (int i = 0; i < step2; ++i) {
      F(0, middle);
      F(1, !middle || i < step2 - 1);
      if (!middle) send_f(0);
    }
    // Step 3: nB1W1F1 (zero bubble)
    for (int i = 0; i < half_ranks - half - 1; ++i) {
      B(1, true);
      W();
      F(1);
    }
    // Step 4 (main): nF0B1F1B0
    for (int i = 0; i < half_chunks - pp + half + 1; ++i) {
      if (i == 0 && middle) {
        // Not overlapped, to shrink the bubble further (dualpipe.py).
        F(0, false);
        send_f(1);
        B(1, false, false);
        send_f(0);
        send_b(1);
      } else {
        FB(0, 1);
      }
      FB(1, 0);
    }
    // Step 5: nB1F1B0
    for (int i = 0; i < half_ranks - half - 1; ++i) {
      B(1);
      FB(1, 0);
    }
    // Step 6: nB1B0 (the second half of the chunks use zero bubble)
    const int step6 = half + 1;
    bool zb = false;
    for (int i = 0; i < step6; ++i) {
      if (i == step6 / 2 && half % 2 == 1) zb = true;
      B(1, zb);
      if (i == step6 / 2 && half % 2 == 0) zb = true;
      B(0, zb);
    }
    // Step 7: nWB0 (zero bubble)
    for (int i = 0; i < half_ranks - half - 1; ++i) {
      W();
      B(0, true);
    }
    // Step 8: nW
    for (int i = 0; i < half + 1; ++i) W();
  }
  return s;
}

namespace {

struct RankState {
  size_t next = 0;
  int f[2] = {0, 0}, b[2] = {0, 0};            // chunks computed per direction
  int sent_f[2] = {0, 0}, sent_b[2] = {0, 0};  // chunks sent per direction
  std::vector<PipelineEmitter::Ids> pending;   // sends posted since the last compute
};

}  // namespace

void run_pipeline(const Schedule& s, PipelineEmitter& e) {
  const int pp = static_cast<int>(s.size());
  std::vector<RankState> st(pp);
  // (gradient?, dir, mb, to) -> transfer ops
  std::map<std::tuple<int, int, int, int>, PipelineEmitter::Ids> arrived;
  auto next_rank = [&](int r, int d) { return d == 0 ? r + 1 : r - 1; };
  auto prev_rank = [&](int r, int d) { return d == 0 ? r - 1 : r + 1; };

  // The transfer a compute must wait for, or nullptr if it has not been emitted yet.
  auto recv = [&](int r, bool grad, int d, int mb, std::vector<PipelineEmitter::Ids>& wait) {
    int pos = stage_position(pp, r, d);
    if ((!grad && pos == 0) || (grad && pos == pp - 1)) return true;
    auto it = arrived.find({grad, d, mb, r});
    if (it == arrived.end()) return false;
    wait.push_back(it->second);
    return true;
  };

  size_t remaining = 0;
  for (const auto& v : s) remaining += v.size();
  while (remaining > 0) {
    bool progress = false;
    for (int r = 0; r < pp; ++r) {
      RankState& x = st[r];
      while (x.next < s[r].size()) {
        const PipeAction& a = s[r][x.next];
        std::vector<PipelineEmitter::Ids> wait = x.pending;
        bool ready = true;
        switch (a.kind) {
          case A::forward: ready = recv(r, false, a.dir, x.f[a.dir], wait); break;
          case A::backward: ready = recv(r, true, a.dir, x.b[a.dir], wait); break;
          case A::forward_backward:
            ready = recv(r, false, a.dir, x.f[a.dir], wait) && recv(r, true, a.dir_b, x.b[a.dir_b], wait);
            break;
          default: break;
        }
        if (!ready) break;
        switch (a.kind) {
          case A::forward: e.forward(r, {a.dir, x.f[a.dir]++}, wait); break;
          case A::backward: e.backward(r, {a.dir, x.b[a.dir]++}, a.zb, wait); break;
          case A::forward_backward:
            e.forward_backward(r, {a.dir, x.f[a.dir]++}, {a.dir_b, x.b[a.dir_b]++}, a.overlap, wait);
            break;
          case A::weight: e.weight(r, wait); break;
          case A::send_forward:
          case A::send_backward: {
            bool grad = a.kind == A::send_backward;
            int d = a.dir;
            int pos = stage_position(pp, r, d);
            int& sent = grad ? x.sent_b[d] : x.sent_f[d];
            int mb = sent++;
            if (grad ? pos > 0 : pos < pp - 1) {
              int to = grad ? prev_rank(r, d) : next_rank(r, d);
              PipelineEmitter::Ids ids = e.transfer(r, to, {d, mb}, grad);
              arrived[{grad, d, mb, to}] = ids;
              x.pending.push_back(ids);
            }
            break;
          }
        }
        if (a.kind != A::send_forward && a.kind != A::send_backward) x.pending.clear();
        ++x.next;
        --remaining;
        progress = true;
      }
    }
    if (!progress && remaining > 0) throw std::logic_error("pipeline schedule deadlocks");
  }
}

}  // namespace strata::workloads
