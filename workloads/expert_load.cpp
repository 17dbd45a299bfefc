#include "workloads/expert_load.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "workloads/routing.h"

namespace strata::workloads {

std::vector<std::vector<double>> read_expert_histogram(const std::string& path, int experts, int layers) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(path + ": cannot open expert histogram file");
  std::vector<std::vector<double>> rows;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    std::vector<double> row;
    for (std::string f; fields >> f;) {
      char* end = nullptr;
      double v = std::strtod(f.c_str(), &end);
      if (end == f.c_str() || *end != '\0' || !std::isfinite(v) || v < 0)
        throw std::invalid_argument(path + ":" + std::to_string(lineno) + ": '" + f +
                                    "' is not a non-negative count");
      row.push_back(v);
    }
    if (row.empty()) continue;
    if (static_cast<int>(row.size()) != experts)
      throw std::invalid_argument(path + ":" + std::to_string(lineno) + ": " + std::to_string(row.size()) +
                                  " counts, expected one per routed expert (" + std::to_string(experts) + ")");
    if (std::accumulate(row.begin(), row.end(), 0.0) <= 0)
      throw std::invalid_argument(path + ":" + std::to_string(lineno) + ": every count is zero");
    rows.push_back(std::move(row));
  }
  if (rows.size() != 1 && static_cast<int>(rows.size()) != layers)
    throw std::invalid_argument(path + ": " + std::to_string(rows.size()) +
                                " rows; expected 1 (all MoE layers) or one per MoE layer (" +
                                std::to_string(layers) + ")");
  return rows;
}

ExpertLoad::ExpertLoad(const MoeSpec& moe, const MoeLoadSpec& spec, int moe_layers, uint64_t seed) {
  const int E = moe.routed_experts;
  switch (spec.distribution) {
    case LoadDistribution::uniform:
      per_layer_.assign(1, {});
      break;
    case LoadDistribution::balanced:
      per_layer_.assign(1, {});
      balanced_ = true;
      break;
    case LoadDistribution::zipf:
      // A seeded popularity order per layer, so hot experts differ between layers.
      for (int l = 0; l < moe_layers; ++l) {
        std::vector<int> order(E);
        std::iota(order.begin(), order.end(), 0);
        BoundedRng rng(derive_seed(seed, 0x5a1f0000u, uint64_t(l)));
        for (int i = E - 1; i > 0; --i) std::swap(order[i], order[rng.below(uint64_t(i) + 1)]);
        std::vector<double> w(E);
        for (int i = 0; i < E; ++i) w[order[i]] = 1.0 / std::pow(double(i + 1), spec.zipf_s);
        per_layer_.push_back(std::move(w));
      }
      break;
    case LoadDistribution::histogram:
      per_layer_ = read_expert_histogram(spec.histogram, E, moe_layers);
      break;
  }
}

const std::vector<double>& ExpertLoad::weights(int moe_layer) const {
  return per_layer_.size() == 1 ? per_layer_[0] : per_layer_.at(moe_layer);
}

namespace {

/// Packs copies (expert, load) onto `ranks` ranks of `slots` slots each, heaviest first onto the
/// least loaded rank with room (ties: lowest expert, lowest rank). Returns the expert per slot.
std::vector<int> pack(std::vector<std::pair<int, double>> items, int ranks, int slots) {
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<double> load(ranks, 0.0);
  std::vector<std::vector<int>> held(ranks);
  for (const auto& [e, w] : items) {
    int best = -1;
    for (int r = 0; r < ranks; ++r) {
      if (static_cast<int>(held[r].size()) >= slots) continue;
      if (best < 0 || load[r] < load[best]) best = r;
    }
    held[best].push_back(e);
    load[best] += w;
  }
  std::vector<int> out;
  for (auto& h : held) out.insert(out.end(), h.begin(), h.end());
  return out;
}

/// Copies per expert: one each, then the redundant ones to the highest load per copy.
std::vector<int> copy_counts(const std::vector<int>& experts, const std::vector<double>& w, int redundant) {
  std::vector<int> c(experts.size(), 1);
  for (int i = 0; i < redundant; ++i) {
    size_t best = 0;
    for (size_t j = 1; j < experts.size(); ++j)
      if (w[experts[j]] / c[j] > w[experts[best]] / c[best]) best = j;
    c[best]++;
  }
  return c;
}

}  // namespace

ExpertPlacement::ExpertPlacement(int experts, int redundant, int ep, int ranks_per_node, int groups,
                                 const std::vector<double>& weights) {
  slots_per_rank_ = (experts + redundant) / ep;
  if (slots_per_rank_ * ep != experts + redundant)
    throw std::invalid_argument("ep must divide routed + redundant experts");
  std::vector<double> w = weights.empty() ? std::vector<double>(experts, 1.0) : weights;
  if (static_cast<int>(w.size()) != experts) throw std::logic_error("expert weights size mismatch");

  if (redundant == 0 && weights.empty()) {
    slot_expert_.resize(experts);
    std::iota(slot_expert_.begin(), slot_expert_.end(), 0);  // contiguous: groups stay on nodes
  } else {
    // Hierarchical when groups and redundant copies split evenly over the group's nodes.
    int nodes = ep % ranks_per_node == 0 ? ep / ranks_per_node : 1;
    bool by_node = nodes > 1 && groups % nodes == 0 && redundant % nodes == 0;
    int parts = by_node ? nodes : 1;
    int per_part = experts / parts;
    int ranks_per_part = ep / parts;
    for (int part = 0; part < parts; ++part) {
      std::vector<int> mine(per_part);
      std::iota(mine.begin(), mine.end(), part * per_part);
      std::vector<int> c = copy_counts(mine, w, redundant / parts);
      std::vector<std::pair<int, double>> items;
      for (size_t j = 0; j < mine.size(); ++j)
        for (int k = 0; k < c[j]; ++k) items.push_back({mine[j], w[mine[j]] / c[j]});
      std::vector<int> slots = pack(std::move(items), ranks_per_part, slots_per_rank_);
      slot_expert_.insert(slot_expert_.end(), slots.begin(), slots.end());
    }
  }
  copies_.assign(experts, {});
  for (size_t s = 0; s < slot_expert_.size(); ++s) copies_[slot_expert_[s]].push_back(static_cast<int>(s));
}

}  // namespace strata::workloads
