// Validation kinds on the cycle-level chip model: single kernels against published kernel
// measurements (DeepGEMM, FlashMLA).
#pragma once

#include "sim/validate/case_kind.h"

namespace strata::validate {

CaseKind gemm_kernel_kind();
CaseKind decode_attention_kernel_kind();

}  // namespace strata::validate
