// The explicit list of validation kinds: a kind left out here is a build-visible omission, not a
// case that silently stops running.
#include "sim/validate/case_kind.h"
#include "sim/validate/description_kinds.h"
#include "sim/validate/hbm_kinds.h"
#include "sim/validate/network_kinds.h"
#include "sim/validate/workload_kinds.h"
#include "sim/validate/kernel_kinds.h"
#include "sim/validate/power_kinds.h"

namespace strata::validate {

const std::vector<CaseKind>& case_kinds() {
  static const std::vector<CaseKind> kinds = {
      hardware_figures_kind(),
      model_figures_kind(),
      hbm_stream_kind(),
      collective_bandwidth_kind(),
      message_kind(),
      deepep_kind(),
      network_bom_kind(),
      training_flops_kind(),
      scenario_kind(),
      profile_kind(),
      gemm_kernel_kind(),
      decode_attention_kernel_kind(),
      power_capped_gemm_kind(),
      node_power_ratio_kind(),
      die_yield_kind(),
  };
  return kinds;
}

}  // namespace strata::validate
