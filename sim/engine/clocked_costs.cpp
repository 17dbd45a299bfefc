#include "sim/engine/clocked_costs.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "models/power/dvfs.h"

namespace strata::sim {

ClockedCosts::ClockedCosts(const workloads::OpGraph& g, const hw::HardwareSpec& nominal, int comm_sms, ModelAt make,
                           int anchor_steps)
    : g_(g), nominal_(nominal), make_(std::move(make)), roofline_(nominal.chip, nominal.memory, comm_sms) {
  const std::vector<double> grid = models::clock_grid(nominal.chip);
  const size_t step = static_cast<size_t>(std::max(1, anchor_steps));
  for (size_t i = 0; i < grid.size(); i += step) anchors_.push_back(Anchor{grid[i], nullptr, {}});
  if (anchors_.back().clock_hz != grid.back()) anchors_.push_back(Anchor{grid.back(), nullptr, {}});
  Anchor& a = anchors_.front();
  a.model = make_(a.clock_hz);
  a.model->prepare(g.ops());
  a.time.assign(g.size(), -1.0);
  for (OpId id = 0; id < g.size(); ++id)
    if (g.op(id).kind != workloads::OpKind::collective) a.time[id] = a.model->cost(g.op(id)).time_s;
}

bool ClockedCosts::clocked(OpId id) const {
  const workloads::Op& op = g_.op(id);
  return op.kind != workloads::OpKind::collective && op.op_class != workloads::OpClass::host && op.device >= 0;
}

std::pair<size_t, size_t> ClockedCosts::bracket(double clock_hz) const {
  for (size_t a = 0; a < anchors_.size(); ++a) {
    if (anchors_[a].clock_hz == clock_hz) return {a, a};
    if (anchors_[a].clock_hz < clock_hz) return {a - 1, a};  // anchors_[0] is nominal, above every clock asked
  }
  throw std::logic_error("clock " + std::to_string(clock_hz) + " Hz is below the DVFS floor");
}

void ClockedCosts::prepare(const std::vector<std::pair<OpId, double>>& wanted) {
  std::map<size_t, std::vector<OpId>> missing;  // by anchor, in order
  for (const auto& [id, f] : wanted) {
    if (!clocked(id) || f >= anchors_.front().clock_hz) continue;
    const auto [hi, lo] = bracket(f);
    for (size_t a : {hi, lo})
      if (anchors_[a].time.empty() || anchors_[a].time[id] < 0) missing[a].push_back(id);
  }
  for (auto& [a, ids] : missing) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    Anchor& an = anchors_[a];
    if (!an.model) an.model = make_(an.clock_hz);
    if (an.time.empty()) an.time.assign(g_.size(), -1.0);
    std::vector<workloads::Op> ops;
    for (OpId id : ids) ops.push_back(g_.op(id));
    an.model->prepare(ops);
    const models::OpCostModel& top = *anchors_.front().model;
    const double f0 = anchors_.front().clock_hz;
    for (OpId id : ids) {
      const workloads::Op& op = g_.op(id);
      double t = an.model->cost(op).time_s;
      // A cache-only model that never measured this kernel at this clock returns its bound:
      // scale the nominal measurement by the bound instead, so the kernel cannot speed up.
      if (!an.model->measured(op) && top.measured(op)) {
        const double b0 = roofline_.bound(op);
        const double b = std::max(roofline_.compute_time(op) * f0 / an.clock_hz, roofline_.memory_time(op));
        t = b0 > 0 ? anchors_.front().time[id] * b / b0 : anchors_.front().time[id];
      }
      an.time[id] = t;
    }
  }
}

double ClockedCosts::anchor_time(size_t a, OpId id) const {
  const Anchor& an = anchors_[a];
  if (an.time.empty() || an.time[id] < 0)
    throw std::logic_error("op '" + g_.op(id).name + "' was not priced at the " +
                           std::to_string(an.clock_hz / 1e6) + " MHz anchor");
  return an.time[id];
}

models::OpCost ClockedCosts::cost(OpId id, double clock_hz) const {
  const workloads::Op& op = g_.op(id);
  const double f0 = anchors_.front().clock_hz;
  if (!clocked(id) || clock_hz >= f0) {
    const double t = anchor_time(0, id);
    return models::OpCost{t, clocked(id) ? roofline_.bound(op) : anchors_.front().model->cost(op).bound_s};
  }
  const auto [hi, lo] = bracket(clock_hz);
  double t = anchor_time(hi, id);
  if (lo != hi) {
    const double x = (1 / clock_hz - 1 / anchors_[hi].clock_hz) /
                     (1 / anchors_[lo].clock_hz - 1 / anchors_[hi].clock_hz);
    t += (anchor_time(lo, id) - t) * x;
  }
  const double bound = std::max(roofline_.compute_time(op) * f0 / clock_hz, roofline_.memory_time(op));
  return models::OpCost{t, bound};
}

double ClockedCosts::estimate(OpId id, double clock_hz) const {
  const double f0 = anchors_.front().clock_hz;
  if (!clocked(id) || clock_hz >= f0) return anchor_time(0, id);
  const auto [hi, lo] = bracket(clock_hz);
  if (priced(hi, id) && priced(lo, id)) return cost(id, clock_hz).time_s;
  // The two priced anchors nearest to the clock (in 1 / clock).
  size_t a = 0, b = anchors_.size();
  for (size_t k = 1; k < anchors_.size(); ++k) {
    if (!priced(k, id)) continue;
    const double dk = std::abs(1 / anchors_[k].clock_hz - 1 / clock_hz);
    if (b == anchors_.size() || dk < std::abs(1 / anchors_[b].clock_hz - 1 / clock_hz)) b = k;
  }
  const double t0 = anchor_time(a, id);
  if (b == anchors_.size()) {
    const workloads::Op& op = g_.op(id);
    const double c = roofline_.compute_time(op), m = roofline_.memory_time(op);
    const double share = c > 0 && c + m > 0 ? std::min(1.0, c / std::max(c, m)) : 0.0;
    return t0 * (1 - share + share * f0 / clock_hz);
  }
  const double x = (1 / clock_hz - 1 / f0) / (1 / anchors_[b].clock_hz - 1 / f0);
  return t0 + (anchor_time(b, id) - t0) * x;
}

int ClockedCosts::anchors_used() const {
  int n = 0;
  for (const Anchor& a : anchors_) n += a.model ? 1 : 0;
  return n;
}

}  // namespace strata::sim
