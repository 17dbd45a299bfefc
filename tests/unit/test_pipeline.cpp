// Pipeline schedules on a synthetic pipeline: every forward chunk takes F, every backward B
// (of which W is the weight-gradient part), transfers are free. The idle time each rank sees
// must match the published bubble formulas (DualPipe README; DeepSeek-V3 TR §3.2.1):
//   1F1B:     (PP - 1)(F + B)
//   DualPipe: (PP/2 - 1)(F&B + B - 3W), F&B = F + B when the pair is not overlapped.
#include <gtest/gtest.h>

#include <deque>

#include "sim/engine/executor.h"
#include "workloads/pipeline.h"

using namespace strata;
using namespace strata::workloads;

namespace {

/// Duration = op.flops seconds.
class FixedCost : public models::OpCostModel {
 public:
  models::OpCost cost(const Op& op) const override { return {op.flops, 0}; }
  const char* name() const override { return "fixed"; }
};

class FreeNetwork : public models::NetworkModel {
 public:
  models::CollectiveCost cost(const Collective&) const override { return {}; }
  const std::vector<models::LinkInfo>& links() const override { return links_; }
  const char* name() const override { return "free"; }

 private:
  std::vector<models::LinkInfo> links_;
};

class Synthetic : public PipelineEmitter {
 public:
  Synthetic(int pp, double F, double B, double W) : F_(F), B_(B), W_(W), last_(pp), deferred_(pp) {}

  void forward(int r, ChunkId, const std::vector<Ids>& wait) override { op(r, "F", F_, wait); }
  void backward(int r, ChunkId, bool defer, const std::vector<Ids>& wait) override {
    op(r, "B", defer ? B_ - W_ : B_, wait);
    if (defer) deferred_[r].push_back(W_);
  }
  void forward_backward(int r, ChunkId, ChunkId, bool, const std::vector<Ids>& wait) override {
    op(r, "F", F_, wait);
    op(r, "B", B_, {});
  }
  void weight(int r, const std::vector<Ids>& wait) override {
    ASSERT_FALSE(deferred_[r].empty());
    op(r, "W", deferred_[r].front(), wait);
    deferred_[r].pop_front();
  }
  Ids transfer(int from, int to, ChunkId, bool) override {
    Collective c;
    c.kind = CollectiveKind::send_recv;
    c.ranks = {from, to};
    Op t;
    t.name = "p2p";
    auto id = g.add_collective_ref(t, g.intern_collective(c), {from, to}, false);
    g.depend(last_[from], id);
    return {id};
  }

  OpGraph g;

 private:
  void op(int r, const char* name, double seconds, const std::vector<Ids>& wait) {
    Op o;
    o.name = name;
    o.device = r;
    o.flops = seconds;
    auto id = g.add(o);
    for (const Ids& w : wait)
      for (auto x : w) g.depend(x, id);
    last_[r] = id;
  }
  double F_, B_, W_;
  std::vector<OpGraph::OpId> last_;
  std::vector<std::deque<double>> deferred_;
};

/// Idle time of each rank: makespan minus its busy time.
std::vector<double> bubbles(const Schedule& s, double F, double B, double W, int micro) {
  const int pp = static_cast<int>(s.size());
  Synthetic e(pp, F, B, W);
  run_pipeline(s, e);
  FixedCost cost;
  sim::Timeline t = sim::execute(e.g, cost, FreeNetwork());
  std::vector<double> busy(pp, 0.0);
  for (const auto& rec : t.records)
    if (e.g.op(rec.op).kind != OpKind::collective) busy[rec.device] += rec.end_s - rec.start_s;
  std::vector<double> out;
  for (int r = 0; r < pp; ++r) {
    EXPECT_DOUBLE_EQ(busy[r], micro * (F + B)) << "rank " << r;
    out.push_back(t.makespan_s - busy[r]);
  }
  return out;
}

}  // namespace

TEST(Pipeline, OneFOneBBubbleMatchesFormula) {
  for (int pp : {2, 4, 8}) {
    const double F = 1, B = 2;
    for (double idle : bubbles(schedule_1f1b(pp, 12), F, B, 0, 12)) EXPECT_DOUBLE_EQ(idle, (pp - 1) * (F + B));
  }
}

TEST(Pipeline, DualPipeBubbleMatchesFormula) {
  // The formula assumes the schedule's chunk shapes: a backward-for-inputs as long as a
  // forward (B - W = F). There every rank's idle time equals it exactly.
  for (int pp : {4, 8, 16})
    for (auto [F, W] : {std::pair{1.0, 1.0}, {1.5, 1.0}, {1.0, 0.5}, {2.0, 0.25}}) {
      const int micro = 2 * pp + 4;
      const double B = F + W;
      double formula = (pp / 2 - 1) * ((F + B) + B - 3 * W);
      for (double idle : bubbles(schedule_dualpipe(pp, micro), F, B, W, micro))
        EXPECT_NEAR(idle, formula, 1e-9) << "pp " << pp << " F " << F << " W " << W;
    }
}

TEST(Pipeline, DualPipeFormulaIsApproximateForOtherChunkShapes) {
  // F = 1, B = 2, W = 0.5 (B - W != F), pp 8: the ranks idle 9.5, the formula says 10.5.
  std::vector<double> idle = bubbles(schedule_dualpipe(8, 20), 1.0, 2.0, 0.5, 20);
  for (double x : idle) EXPECT_DOUBLE_EQ(x, 9.5);
  EXPECT_DOUBLE_EQ((8 / 2 - 1) * ((1.0 + 2.0) + 2.0 - 3 * 0.5), 10.5);
}

TEST(Pipeline, DualPipeBeatsOneFOneB) {
  const int pp = 8, micro = 20;
  std::vector<double> idle = bubbles(schedule_dualpipe(pp, micro), 1, 2, 1, micro);
  double d = *std::max_element(idle.begin(), idle.end());
  EXPECT_LT(d, (pp - 1) * 3.0);
}

TEST(Pipeline, DualPipeSchedulesEveryChunkOnce) {
  Schedule s = schedule_dualpipe(8, 20);
  for (int r = 0; r < 8; ++r) {
    int f = 0, b = 0, w = 0, zb = 0;
    for (const PipeAction& a : s[r]) {
      f += a.kind == PipeAction::forward || a.kind == PipeAction::forward_backward;
      b += a.kind == PipeAction::backward || a.kind == PipeAction::forward_backward;
      w += a.kind == PipeAction::weight;
      zb += a.kind == PipeAction::backward && a.zb;
    }
    EXPECT_EQ(f, 20) << "rank " << r;
    EXPECT_EQ(b, 20) << "rank " << r;
    EXPECT_EQ(w, zb) << "rank " << r;
  }
  EXPECT_THROW(schedule_dualpipe(8, 14), std::invalid_argument);
}
