#include "sim/app/summary_table.h"

#include <cstdio>
#include <string>

namespace strata::app {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void row(std::ostream& out, const std::string& label, const std::string& value,
         const std::string& note = "") {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-30s %14s  %s", label.c_str(), value.c_str(), note.c_str());
  std::string line = buf;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << "\n";
}

}  // namespace

void print_summary(const results::Result& r, std::ostream& out) {
  const auto& p = r.provenance;
  out << r.title << "\n";
  out << "scenario " << p.scenario << ", seed " << p.seed << ", fidelity " << p.fidelity << " ("
      << p.op_cost_model << " op costs, " << p.network_model << " network)\n\n";
  double fl = r.value("achieved_flops_per_gpu"), fp8 = r.value("peak_flops_fp8_per_gpu");
  double bw = r.value("hbm_bandwidth_per_gpu"), bw_peak = r.value("peak_hbm_bandwidth_per_gpu");
  const bool decode = r.scalar("time_per_output_token") != nullptr;
  const bool prefill = r.scalar("time_to_first_token") != nullptr;
  const bool training = r.scalar("tokens_per_day") != nullptr;
  const std::string what = decode ? "output" : prefill ? "input" : training ? "trained" : "";
  row(out, "step time", fmt("%.3f ms", r.value("step_time") * 1e3));
  // A replayed profiler trace knows no tokens, FLOPs, bytes or memory: those rows are left out
  // rather than shown as zero.
  if (r.value("tokens_per_step") > 0) {
    row(out, what + " tokens/s (cluster)", fmt("%.0f", r.value("tokens_per_s")));
    row(out, what + " tokens/s per node", fmt("%.0f", r.value("tokens_per_s_per_node")));
    row(out, what + " tokens/s per GPU", fmt("%.0f", r.value("tokens_per_s_per_gpu")));
  }
  if (decode) row(out, "time per output token", fmt("%.3f ms", r.value("time_per_output_token") * 1e3));
  if (prefill) {
    row(out, "time to first token", fmt("%.3f ms", r.value("time_to_first_token") * 1e3));
    row(out, "input tokens/s incl. cache hits", fmt("%.0f", r.value("input_tokens_per_s_with_cache")));
  }
  if (training) {
    row(out, "tokens per day", fmt("%.4g", r.value("tokens_per_day")));
    row(out, "model GFLOP per token", fmt("%.1f", r.value("model_flops_per_token") / 1e9));
    row(out, "MFU", fmt("%.1f%%", 100 * r.value("mfu")), "of dense BF16 peak (" +
        fmt("%.1f%%", 100 * r.value("mfu_fp8")) + " of FP8)");
  }
  if (fl > 0)
    row(out, "achieved TFLOPS per GPU", fmt("%.1f", fl / 1e12),
        fmt("%.1f%%", fp8 > 0 ? 100 * fl / fp8 : 0) + " of " + fmt("%.0f", fp8 / 1e12) + " FP8 peak");
  if (bw > 0)
    row(out, "achieved HBM GB/s per GPU", fmt("%.0f", bw / 1e9),
        fmt("%.1f%%", bw_peak > 0 ? 100 * bw / bw_peak : 0) + " of " + fmt("%.0f", bw_peak / 1e9) + " peak");
  double need = r.value("memory_required_per_gpu"), cap = r.value("memory_capacity_per_gpu");
  if (need > 0)
    row(out, training ? "memory per GPU (weights+state+act.)" : "memory per GPU (weights + KV)",
        fmt("%.1f GB", need / 1e9),
        std::string(r.value("memory_fits") > 0 ? "fits in " : "DOES NOT FIT in ") + fmt("%.1f GB", cap / 1e9));
  if (const results::Scalar* n = r.scalar("unsized_collectives"); n && n->value > 0)
    row(out, "collectives at measured time", fmt("%.0f", n->value),
        fmt("%.3f ms", r.value("unsized_collective_time") * 1e3) +
            " on the critical GPU: the trace gives no size, the network does not price them");
  if (r.value("simulated_devices") < r.value("gpus"))
    row(out, "simulated GPUs", fmt("%.0f", r.value("simulated_devices")),
        "the others are identical replicas (or not traced)");

  if (r.scalar("power_per_gpu")) {
    const double clock = r.value("clock"), nominal = r.value("clock_nominal");
    const int status = static_cast<int>(r.value("power_cap_status"));
    const char* cap = status == 0   ? "nominal: every window within the TDP"
                      : status == 1 ? "power-capped"
                      : status == 2 ? "OVER THE TDP: the clock floor is reached"
                      : status == 3 ? "OVER THE TDP: the power cap did not settle"
                                    : "power cap off";
    row(out, "clock (kernel-time mean)", fmt("%.0f MHz", clock / 1e6),
        std::string(cap) + (clock < nominal * (1 - 1e-9) ? ", from " + fmt("%.0f MHz", nominal / 1e6) + ", lowest " +
                                                  fmt("%.0f MHz", r.value("clock_min") / 1e6) + ", " +
                                                  fmt("%.0f%%", 100 * r.value("throttled_share")) + " of kernel time throttled"
                                            : std::string()));
    row(out, "power per GPU", fmt("%.0f W", r.value("power_per_gpu")),
        "TDP " + fmt("%.0f W", r.value("tdp")) + ", hottest " + fmt("%.0f", r.value("power_window") * 1e3) +
            " ms window " + fmt("%.0f W", r.value("power_window_max")));
    row(out, "IT power (cluster)", fmt("%.2f kW", r.value("it_power") / 1e3), "with node overhead and network");
    if (r.scalar("network_power"))
      row(out, "network (outside the nodes)", fmt("%.2f kW", r.value("network_power") / 1e3),
          fmt("%.0f switch chips, ", r.value("network_switch_chips")) +
              fmt("%.0f transceivers", r.value("transceivers")) + fmt(" (%.2f per GPU), ", r.value("transceivers_per_gpu")) +
              fmt("$%.2fM", r.value("network_capital") / 1e6));
    if (r.value("tokens_per_step") > 0)
      row(out, "energy per token", fmt("%.3f J", r.value("energy_per_token")),
          fmt("%.2f tokens/J", r.value("tokens_per_joule")));
    row(out, "accelerator price", fmt("$%.0f", r.value("accelerator_price")),
        "manufactured " + fmt("$%.0f", r.value("accelerator_cost")) + ", die yield " +
            fmt("%.0f%%", 100 * r.value("die_yield")));
    if (r.value("tokens_per_step") > 0)
      row(out, "cost per million tokens", fmt("$%.3f", r.value("usd_per_million_tokens")), "capital + electricity");
  }

  auto split = [&](const char* table, const char* title) {
    const results::Table* t = r.table(table);
    if (!t) return;
    const auto& names = std::get<std::vector<std::string>>(t->find("class")->data);
    const auto& time = std::get<std::vector<double>>(t->find("time")->data);
    const auto& share = std::get<std::vector<double>>(t->find("share")->data);
    out << "\n  " << title << " (critical GPU " << fmt("%.0f", r.value("critical_device")) << ")";
    out << std::string(title == std::string("time by op class") ? 11 : 15, ' ') << "ms    share\n";
    for (size_t i = 0; i < names.size(); ++i) {
      if (time[i] == 0) continue;
      char buf[128];
      std::snprintf(buf, sizeof buf, "    %-30s %10.3f  %6.1f%%\n", names[i].c_str(), time[i] * 1e3, share[i] * 100);
      out << buf;
    }
  };
  split("op_classes", "time by op class");
  if (training) split("passes", "time by pass");
  if (const results::Table* t = r.table("power")) {
    const auto& names = std::get<std::vector<std::string>>(t->find("component")->data);
    const auto& power = std::get<std::vector<double>>(t->find("power")->data);
    const auto& share = std::get<std::vector<double>>(t->find("share")->data);
    out << "\n  power by component (mean GPU)             W    share\n";
    for (size_t i = 0; i < names.size(); ++i) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "    %-30s %10.1f  %6.1f%%\n", names[i].c_str(), power[i], share[i] * 100);
      out << buf;
    }
  }
}

}  // namespace strata::app
