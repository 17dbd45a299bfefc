#include "sim/validate/description_kinds.h"

#include "hw/hardware.h"
#include "workloads/kernels.h"
#include "workloads/model_spec.h"

namespace strata::validate {
using config::Dim;
using config::Schema;

namespace {

struct HardwareParams {
  hw::HardwareSpec hardware;
  static const Schema<HardwareParams>& schema() {
    static const Schema<HardwareParams> s = [] {
      Schema<HardwareParams> s("hardware_figures params", "A hardware preset");
      s.child("hardware", &HardwareParams::hardware, "Node hardware (base: configs/hw/NAME.yaml)");
      return s;
    }();
    return s;
  }
};

struct ModelParams {
  workloads::ModelSpec model;
  static const Schema<ModelParams>& schema() {
    static const Schema<ModelParams> s = [] {
      Schema<ModelParams> s("model_figures params", "A model config");
      s.child("model", &ModelParams::model, "Model (base: configs/workloads/NAME.yaml)");
      return s;
    }();
    return s;
  }
};

}  // namespace

CaseKind hardware_figures_kind() {
  return make_kind<HardwareParams>(
      "hardware_figures", "Peak figures derived from a hardware preset",
      {{"peak_flops_fp8", Dim::flop_rate, "SMs x FP8 FLOP/clock/SM x clock"},
       {"peak_flops_bf16", Dim::flop_rate, "SMs x BF16 FLOP/clock/SM x clock"},
       {"hbm_bandwidth", Dim::data_rate, "stacks x pins x pin rate"},
       {"hbm_capacity", Dim::bytes, "HBM capacity"},
       {"scale_up_bandwidth_bidirectional", Dim::data_rate, "links x link rate x 2 directions"},
       {"tdp", Dim::power, "Thermal design power"}},
      [](const HardwareParams& p) {
        const hw::HardwareSpec& h = p.hardware;
        return Metrics{{"peak_flops_fp8", h.chip.peak_flops(hw::DType::fp8)},
                       {"peak_flops_bf16", h.chip.peak_flops(hw::DType::bf16)},
                       {"hbm_bandwidth", h.memory.peak_bandwidth()},
                       {"hbm_capacity", h.memory.capacity_bytes},
                       {"scale_up_bandwidth_bidirectional", 2 * h.scale_up.gpu_bandwidth()},
                       {"tdp", h.chip.tdp_w}};
      });
}

CaseKind model_figures_kind() {
  return make_kind<ModelParams>(
      "model_figures", "Parameter and KV-cache counts derived from a model config",
      {{"total_params", Dim::none, "All weights of the main model"},
       {"active_params", Dim::none, "Weights one token touches"},
       {"kv_cache_bytes_per_token_bf16", Dim::bytes, "KV cache per token over all layers, BF16"},
       {"kv_cache_bytes_per_token_layer_fp8", Dim::bytes, "KV cache per token per layer, FP8 format"}},
      [](const ModelParams& p) {
        const workloads::ModelSpec& m = p.model;
        return Metrics{{"total_params", m.total_params()},
                       {"active_params", m.active_params()},
                       {"kv_cache_bytes_per_token_bf16", m.kv_cache_bytes_per_token(hw::DType::bf16)},
                       {"kv_cache_bytes_per_token_layer_fp8",
                        workloads::kv_bytes_per_token_per_layer(m, hw::DType::fp8)}};
      });
}

}  // namespace strata::validate
