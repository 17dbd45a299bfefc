// The kernel cost cache: cycle-level results keyed by (hardware, kernel model, op signature),
// kept on disk so later runs, sweeps and scenarios reuse them. One file per entry, written by
// rename, so concurrent sweep workers can share a cache directory safely.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hw/hardware.h"
#include "workloads/op.h"

namespace strata::sim {

/// What the cycle-level model measured for one kernel.
struct KernelCost {
  double time_s = 0;
  double mma_flops = 0, vector_flops = 0;
  double l2_hit_bytes = 0, l2_miss_bytes = 0, store_bytes = 0, smem_bytes = 0;
};

/// Everything that determines an op's kernel, as text ("grouped_gemm fp8 m=.. n=.. rows=..").
std::string kernel_signature(const workloads::Op& op);

/// Hex digest of the hardware description, the SMs kernels get and the kernel-model version.
std::string hardware_fingerprint(const hw::HardwareSpec& hw, int sms);

class KernelCache {
 public:
  /// `dir` empty: an in-memory cache only. The default directory is $STRATA_CACHE_DIR/kernels,
  /// else $XDG_CACHE_HOME/strata/kernels, else ~/.cache/strata/kernels.
  explicit KernelCache(std::string dir);
  static std::string default_dir();

  std::optional<KernelCost> get(const std::string& fingerprint, const std::string& signature);
  void put(const std::string& fingerprint, const std::string& signature, const KernelCost& c);

  /// Any named measurements (a memory's characterisation, ...), under the same keys.
  std::optional<std::map<std::string, double>> get_values(const std::string& fingerprint,
                                                           const std::string& signature);
  void put_values(const std::string& fingerprint, const std::string& signature,
                  const std::map<std::string, double>& values);

 private:
  std::string path(const std::string& fingerprint, const std::string& signature) const;
  std::string dir_;
  std::map<std::string, std::map<std::string, double>> memory_;
};

/// Hex digest of `text` (FNV-1a 64), for cache keys.
std::string digest(const std::string& text);

}  // namespace strata::sim
