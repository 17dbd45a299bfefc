// Numeric formats that tensor cores and memories carry.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata::hw {

enum class DType { fp8, bf16, fp16, fp32 };

/// Storage size of one element.
inline double dtype_bytes(DType d) {
  switch (d) {
    case DType::fp8: return 1.0;
    case DType::bf16:
    case DType::fp16: return 2.0;
    case DType::fp32: return 4.0;
  }
  return 0.0;
}

inline const char* dtype_name(DType d) {
  switch (d) {
    case DType::fp8: return "fp8";
    case DType::bf16: return "bf16";
    case DType::fp16: return "fp16";
    case DType::fp32: return "fp32";
  }
  return "?";
}

/// The names a config may use, for Schema::choice.
inline std::vector<std::pair<std::string, DType>> dtype_options() {
  return {{"fp8", DType::fp8}, {"bf16", DType::bf16}, {"fp16", DType::fp16}, {"fp32", DType::fp32}};
}

}  // namespace strata::hw
