#include "sim/plan/evaluate.h"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

#include "sim/engine/child_process.h"
#include "sim/engine/run.h"
#include "sim/results/hdf5_io.h"

namespace strata::plan {
namespace fs = std::filesystem;

namespace {

const char* const kNeeded[] = {"step_time", "tokens_per_s", "tokens_per_step", "gpus", "nodes", "memory_fits",
                               "it_power", "power_per_gpu", "accelerator_price", "logic_wafers_per_1000_gpus",
                               "cowos_wafers_per_1000_gpus", "hbm_stacks_per_gpu", "network_power",
                               "network_capital"};

double get(const results::Result& r, const char* name) {
  const results::Scalar* s = r.scalar(name);
  return s ? s->value : std::numeric_limits<double>::quiet_NaN();
}

/// The stored result of `p`, if it was simulated from the same scenario by the same build.
bool reusable(const ScenarioPoint& p, const std::string& path, results::Result& out) {
  if (!fs::is_regular_file(path)) return false;
  try {
    out = results::read_hdf5(path);
  } catch (const std::exception&) {
    return false;
  }
  return out.config_yaml == p.resolved_yaml && out.provenance.git_describe == sim::strata_git_describe();
}

}  // namespace

ScenarioMetrics read_metrics(const results::Result& r) {
  ScenarioMetrics m;
  m.step_time_s = get(r, "step_time");
  m.tokens_per_s = get(r, "tokens_per_s");
  m.input_tokens_per_s_with_cache = get(r, "input_tokens_per_s_with_cache");
  m.tokens_per_step = get(r, "tokens_per_step");
  m.time_to_first_token_s = get(r, "time_to_first_token");
  m.time_per_output_token_s = get(r, "time_per_output_token");
  m.gpus = get(r, "gpus");
  m.nodes = get(r, "nodes");
  m.memory_fits = get(r, "memory_fits");
  m.memory_required_b = get(r, "memory_required_per_gpu");
  m.memory_capacity_b = get(r, "memory_capacity_per_gpu");
  m.it_power_w = get(r, "it_power");
  m.power_per_gpu_w = get(r, "power_per_gpu");
  m.accelerator_price_usd = get(r, "accelerator_price");
  m.accelerator_cost_usd = get(r, "accelerator_cost");
  m.logic_wafers_per_1000_gpus = get(r, "logic_wafers_per_1000_gpus");
  m.cowos_wafers_per_1000_gpus = get(r, "cowos_wafers_per_1000_gpus");
  m.hbm_stacks_per_gpu = get(r, "hbm_stacks_per_gpu");
  m.clock_hz = get(r, "clock");
  m.network_power_w = get(r, "network_power");
  m.network_capital_usd = get(r, "network_capital");
  m.network_switch_chips = get(r, "network_switch_chips");
  m.transceivers = get(r, "transceivers");
  m.optical_engines = get(r, "optical_engines");
  m.copper_cables = get(r, "copper_cables");
  m.fibres = get(r, "fibres");
  return m;
}

std::vector<std::string> missing_metrics(const results::Result& r) {
  std::vector<std::string> out;
  for (const char* n : kNeeded)
    if (!r.scalar(n)) out.push_back(n);
  return out;
}

std::vector<Outcome> evaluate_points(const std::vector<ScenarioPoint>& points, const std::string& dir, int jobs,
                                     const PlanProgress& progress) {
  std::vector<Outcome> out(points.size());
  std::vector<size_t> to_run;
  size_t done = 0;
  auto finish = [&](size_t i, const results::Result& r) {
    out[i].metrics = read_metrics(r);
    std::vector<std::string> missing = missing_metrics(r);
    out[i].ok = missing.empty();
    if (!missing.empty()) {
      out[i].error = "the result lacks summary scalars the plan needs:";
      for (const std::string& m : missing) out[i].error += " " + m;
    }
  };
  for (size_t i = 0; i < points.size(); ++i) {
    const ScenarioPoint& p = points[i];
    if (!p.invalid.empty()) {
      out[i].error = p.invalid;
      if (progress) progress(++done, points.size(), p, out[i]);
      continue;
    }
    results::Result r;
    if (reusable(p, dir + "/" + p.file, r)) {
      out[i].reused = true;
      finish(i, r);
      if (progress) progress(++done, points.size(), p, out[i]);
      continue;
    }
    to_run.push_back(i);
  }

  // Workers only fork and wait: the simulation and the HDF5 writing happen in the children.
  std::atomic<size_t> next{0};
  std::mutex lock;
  std::vector<std::string> errors(points.size());
  auto worker = [&] {
    for (size_t k; (k = next++) < to_run.size();) {
      const ScenarioPoint& p = points[to_run[k]];
      const std::string path = dir + "/" + p.file;
      try {
        sim::run_in_child([&] {
          fs::create_directories(fs::path(path).parent_path());
          results::write_hdf5(sim::run_scenario(sim::bind_scenario(p.tree, p.file)), path);
          return std::string();
        });
      } catch (const sim::ChildFailure& e) {
        std::lock_guard<std::mutex> g(lock);
        errors[to_run[k]] = e.what();
      }
      std::lock_guard<std::mutex> g(lock);
      Outcome o;  // metrics are read once every child is done (no HDF5 calls beside a fork)
      o.ok = errors[to_run[k]].empty();
      o.error = errors[to_run[k]];
      if (progress) progress(++done, points.size(), p, o);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, jobs) && size_t(j) < to_run.size(); ++j) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();

  for (size_t i : to_run) {
    if (!errors[i].empty()) {
      out[i].error = errors[i];
    } else {
      finish(i, results::read_hdf5(dir + "/" + points[i].file));
    }
  }
  return out;
}

}  // namespace strata::plan
