// Bounds on config input, so that no file (hand-written, generated or hostile) can exhaust
// memory or the stack. Each limit names itself in the error it produces.
#pragma once

#include <cstddef>

namespace strata::config {

constexpr std::size_t kMaxConfigBytes = 16u << 20;  ///< one YAML file
constexpr int kMaxNesting = 64;                      ///< mappings and lists inside each other
constexpr std::size_t kMaxNodes = 1000000;           ///< values in one file
constexpr std::size_t kMaxBaseChain = 32;            ///< files inheriting from each other

}  // namespace strata::config
