#include "models/network/max_min.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <stdexcept>

namespace strata::models {

void MaxMinSolver::reserve(size_t flows, size_t uses) {
  bytes_.reserve(flows);
  first_.reserve(flows + 1);
  use_resource_.reserve(uses);
  use_weight_.reserve(uses);
}

int MaxMinSolver::add_resource(double capacity) {
  if (!(capacity > 0)) throw std::invalid_argument("max-min: a resource needs capacity > 0");
  capacity_.push_back(capacity);
  return static_cast<int>(capacity_.size()) - 1;
}

int MaxMinSolver::add_flow(double bytes) {
  if (first_.empty()) first_.push_back(0);
  bytes_.push_back(bytes);
  first_.push_back(first_.back());
  return static_cast<int>(bytes_.size()) - 1;
}

void MaxMinSolver::use(int resource, double weight) {
  if (weight <= 0) return;
  use_resource_.push_back(resource);
  use_weight_.push_back(weight);
  ++first_.back();
}

void MaxMinSolver::index_live(const std::vector<int>& active) {
  const size_t R = capacity_.size();
  live_uses_.assign(R, 0);
  live_weight_.assign(R, 0.0);
  for (int f : active)
    for (int u = first_[f]; u < first_[f + 1]; ++u) {
      ++live_uses_[use_resource_[u]];
      live_weight_[use_resource_[u]] += use_weight_[u];
    }
  on_start_.assign(R + 1, 0);
  live_resources_.clear();
  for (size_t r = 0; r < R; ++r) {
    on_start_[r + 1] = on_start_[r] + live_uses_[r];
    if (live_uses_[r] > 0) live_resources_.push_back(static_cast<int>(r));
  }
  on_flows_.resize(on_start_[R]);
  std::vector<int> fill(on_start_.begin(), on_start_.end() - 1);
  for (int f : active)
    for (int u = first_[f]; u < first_[f + 1]; ++u) on_flows_[fill[use_resource_[u]]++] = f;
  indexed_uses_ = live_total_uses_ = on_flows_.size();
}

void MaxMinSolver::share(const std::vector<int>& active, std::vector<double>& rate) {
  // Rebuild the index once finished flows make up most of it; otherwise skip them.
  if (live_total_uses_ * 2 < indexed_uses_) index_live(active);
  used_.assign(capacity_.size(), 0.0);
  weight_sum_ = live_weight_;
  unfrozen_uses_ = live_uses_;
  size_t left = 0;
  for (int f : active) {
    if (first_[f] == first_[f + 1]) {
      rate[f] = std::numeric_limits<double>::infinity();  // crosses nothing: a local copy
      frozen_[f] = 1;
    } else {
      frozen_[f] = 0;
      ++left;
    }
  }
  // Progressive filling: raise every unfrozen flow's rate together until a resource fills,
  // freeze the flows crossing it, repeat. A resource's fill level (free capacity / weight of
  // its unfrozen flows) only rises as flows elsewhere freeze, so a min-heap with lazy updates
  // finds the next resource to fill: a popped entry that has gone stale is pushed back.
  auto fill_level = [this](int r) { return (capacity_[r] - used_[r]) / weight_sum_[r]; };
  using Entry = std::pair<double, int>;
  std::vector<Entry> entries;
  entries.reserve(live_resources_.size());
  for (int r : live_resources_)
    if (unfrozen_uses_[r] > 0) entries.push_back({fill_level(r), r});
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap(std::greater<Entry>(), std::move(entries));
  while (left > 0 && !heap.empty()) {
    auto [key, r] = heap.top();
    heap.pop();
    if (unfrozen_uses_[r] == 0) continue;
    double now_key = fill_level(r);
    if (now_key > key * (1 + 1e-12) + 1e-300) {
      heap.push({now_key, r});
      continue;
    }
    double level = std::max(now_key, 0.0);
    for (int i = on_start_[r]; i < on_start_[r + 1]; ++i) {
      int f = on_flows_[i];
      if (frozen_[f] || done_[f]) continue;
      frozen_[f] = 1;
      rate[f] = level;
      --left;
      for (int u = first_[f]; u < first_[f + 1]; ++u) {
        int q = use_resource_[u];
        used_[q] += use_weight_[u] * level;
        weight_sum_[q] -= use_weight_[u];
        if (--unfrozen_uses_[q] == 0) weight_sum_[q] = 0;
      }
    }
  }
}

double MaxMinSolver::load_bound() const {
  std::vector<double> load(capacity_.size(), 0.0);
  for (size_t f = 0; f < bytes_.size(); ++f)
    for (int u = first_[f]; u < first_[f + 1]; ++u) load[use_resource_[u]] += use_weight_[u] * bytes_[f];
  double worst = 0;
  for (size_t r = 0; r < load.size(); ++r) worst = std::max(worst, load[r] / capacity_[r]);
  return worst;
}

std::vector<double> MaxMinSolver::run() {
  const int F = static_cast<int>(bytes_.size());
  std::vector<double> finish(F, 0.0), rate(F, 0.0), left(bytes_);
  std::vector<int> active;
  for (int f = 0; f < F; ++f)
    if (bytes_[f] > 0) active.push_back(f);
  done_.assign(F, 0);
  frozen_.assign(F, 0);
  index_live(active);
  double now = 0;
  rounds_ = 0;
  initial_rates_.assign(F, 0.0);
  std::vector<int> still;
  while (!active.empty()) {
    share(active, rate);
    if (rounds_++ == 0)
      for (int f : active) initial_rates_[f] = rate[f];
    double first_done = std::numeric_limits<double>::infinity();
    for (int f : active) first_done = std::min(first_done, left[f] / rate[f]);
    // Take together every flow finishing within the batching window.
    double horizon = first_done + batching_ * (now + first_done);
    double step = first_done;
    for (int f : active) {
      double dt = left[f] / rate[f];
      if (dt <= horizon * (1 + 1e-12)) {
        finish[f] = now + dt;
        step = std::max(step, dt);
      }
    }
    still.clear();
    for (int f : active) {
      double dt = left[f] / rate[f];
      if (dt > horizon * (1 + 1e-12)) {
        left[f] -= rate[f] * step;
        still.push_back(f);
        continue;
      }
      // Finished: it leaves its resources.
      done_[f] = 1;
      for (int u = first_[f]; u < first_[f + 1]; ++u) {
        int q = use_resource_[u];
        live_weight_[q] -= use_weight_[u];
        if (--live_uses_[q] == 0) live_weight_[q] = 0;
        --live_total_uses_;
      }
    }
    now += step;
    active.swap(still);
  }
  return finish;
}

}  // namespace strata::models
