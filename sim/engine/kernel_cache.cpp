#include "sim/engine/kernel_cache.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/node.h"
#include "sim/engine/run.h"

namespace strata::sim {
namespace fs = std::filesystem;

namespace {

/// Bump when the kernel library or chip model changes what it predicts, so stale entries are
/// never reused.
// 2: a kernel ends when its posted writes have drained; 3: GEMMs store the op's output bytes
// (FP32 weight gradients); 4: accumulating GEMMs read C, the epilogue stages the output's
// own width; 5: tile shapes from the chip's GEMM library, weight gradients promote with per-row
// scales on both operands.
constexpr int kKernelModelVersion = 5;

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

const char* kFields[] = {"time_s", "mma_flops", "vector_flops", "l2_hit_bytes", "l2_miss_bytes", "store_bytes", "smem_bytes"};

std::map<std::string, double> to_values(const KernelCost& c) {
  const double v[] = {c.time_s, c.mma_flops, c.vector_flops, c.l2_hit_bytes, c.l2_miss_bytes, c.store_bytes, c.smem_bytes};
  std::map<std::string, double> m;
  for (int i = 0; i < 7; ++i) m[kFields[i]] = v[i];
  return m;
}

std::optional<KernelCost> from_values(const std::map<std::string, double>& m) {
  for (const char* f : kFields)
    if (!m.count(f)) return std::nullopt;
  return KernelCost{m.at("time_s"), m.at("mma_flops"), m.at("vector_flops"), m.at("l2_hit_bytes"),
                    m.at("l2_miss_bytes"), m.at("store_bytes"), m.at("smem_bytes")};
}

}  // namespace

std::string kernel_signature(const workloads::Op& op) {
  std::ostringstream s;
  s.precision(17);
  s << workloads::op_kind_name(op.kind) << " " << hw::dtype_name(op.dtype) << " m=" << op.m << " n=" << op.n
    << " k=" << op.k << " batch=" << op.batch;
  if (op.kind == workloads::OpKind::gemm || op.kind == workloads::OpKind::batched_gemm ||
      op.kind == workloads::OpKind::grouped_gemm)
    s << " write=" << op.bytes_written << (op.accumulate ? " accumulate" : "")
      << (op.kind != workloads::OpKind::grouped_gemm && op.pass == workloads::Pass::backward_weight ? " wgrad" : "");
  if (op.kind == workloads::OpKind::grouped_gemm) {
    s << " wgrad=" << (op.pass == workloads::Pass::backward_weight) << " rows=";
    for (int64_t r : op.group_rows) s << r << ",";
  }
  const workloads::AttentionWork& w = op.attention;
  if (w.requests > 0)
    s << " seqs=" << w.requests << " queries=" << w.queries << " context=" << w.context << " heads=" << w.heads
      << " kv_heads=" << w.kv_heads << " kv=" << hw::dtype_name(op.kv_dtype) << " kv_bytes=" << op.kv_bytes_per_token;
  if (op.kind == workloads::OpKind::norm || op.kind == workloads::OpKind::elementwise)
    s << " read=" << op.bytes - op.bytes_written << " write=" << op.bytes_written << " flops=" << op.flops;
  return s.str();
}

std::string hardware_fingerprint(const hw::HardwareSpec& hw, int sms) {
  std::string text = config::to_yaml(hw::HardwareSpec::schema().dump(hw)) + "sms=" + std::to_string(sms) +
                     " model=" + std::to_string(kKernelModelVersion) + " build=" + strata_git_describe();
  return digest(text);
}

std::string digest(const std::string& text) { return hex(fnv1a(text)); }

KernelCache::KernelCache(std::string dir) : dir_(std::move(dir)) {}

std::string KernelCache::default_dir() {
  if (const char* d = std::getenv("STRATA_CACHE_DIR")) return std::string(d) + "/kernels";
  if (const char* x = std::getenv("XDG_CACHE_HOME")) return std::string(x) + "/strata/kernels";
  if (const char* h = std::getenv("HOME")) return std::string(h) + "/.cache/strata/kernels";
  return "";
}

std::string KernelCache::path(const std::string& fp, const std::string& sig) const {
  return dir_ + "/" + fp + "/" + hex(fnv1a(sig)) + ".txt";
}

std::optional<KernelCost> KernelCache::get(const std::string& fp, const std::string& sig) {
  auto v = get_values(fp, sig);
  return v ? from_values(*v) : std::nullopt;
}

void KernelCache::put(const std::string& fp, const std::string& sig, const KernelCost& c) {
  put_values(fp, sig, to_values(c));
}

std::optional<std::map<std::string, double>> KernelCache::get_values(const std::string& fp, const std::string& sig) {
  auto it = memory_.find(fp + "|" + sig);
  if (it != memory_.end()) return it->second;
  if (dir_.empty()) return std::nullopt;
  std::ifstream in(path(fp, sig));
  if (!in) return std::nullopt;
  std::string stored;
  std::getline(in, stored);
  if (stored != sig) return std::nullopt;  // a hash collision: treat as a miss
  std::map<std::string, double> values;
  std::string name;
  double v;
  while (in >> name >> v) values[name] = v;
  memory_[fp + "|" + sig] = values;
  return values;
}

void KernelCache::put_values(const std::string& fp, const std::string& sig, const std::map<std::string, double>& values) {
  memory_[fp + "|" + sig] = values;
  if (dir_.empty()) return;
  std::error_code ec;
  fs::create_directories(dir_ + "/" + fp, ec);
  if (ec) return;  // an unwritable cache only costs speed
  std::string final_path = path(fp, sig);
  std::string tmp = final_path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp);
    out << sig << "\n";
    char buf[64];
    for (const auto& [name, v] : values) {
      std::snprintf(buf, sizeof buf, " %.17g\n", v);
      out << name << buf;
    }
  }
  fs::rename(tmp, final_path, ec);
}

}  // namespace strata::sim
