// One streaming multiprocessor running the CTAs a kernel assigns it, persistent-style: a TMA
// producer fills a ring of shared-memory stages up to `stages` steps ahead, the math warps
// consume them on the tensor cores (and CUDA cores for FP32 work, overlapped across warp
// groups), and each output tile is staged through shared memory and stored. The SM runs ahead
// of SystemC time by at most one quantum (temporal decoupling), so one SystemC wait covers many
// tile steps.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <vector>

#include "models/kernels/tiled_kernel.h"
#include "models/noc/timing_payload.h"

namespace strata::models {

/// Per-SM rates and the decoupling quantum.
struct SmParams {
  double tensor_flops_per_s = 0;  ///< for the kernel's MMA format
  double vector_flops_per_s = 0;  ///< FP32 CUDA-core rate
  double sfu_ops_per_s = 0;       ///< special-function unit rate
  double smem_bytes_per_s = 0;
  sc_core::sc_time quantum;
};

struct SmStats {
  double mma_flops = 0, vector_flops = 0;
  double load_bytes = 0, store_bytes = 0, smem_bytes = 0;
  sc_core::sc_time busy;  ///< time the math pipes were busy
  std::vector<sc_core::sc_time> cta_end;  ///< when each assigned CTA's math and epilogue ended
};

class Sm : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Sm> socket;

  SC_HAS_PROCESS(Sm);
  explicit Sm(sc_core::sc_module_name name);
  ~Sm() override;

  /// Gives the SM its CTAs; it starts at `start` (>= now) and notifies done() when finished.
  void launch(const TiledKernel* kernel, std::vector<int64_t> ctas, const SmParams& p,
              sc_core::sc_time start);
  const sc_core::sc_event& done() const { return m_done; }
  sc_core::sc_time finish() const { return m_finish; }
  const SmStats& stats() const { return m_stats; }

 private:
  void run();
  /// Waits until SystemC time is within one quantum of `local`.
  void sync(sc_core::sc_time local);
  /// Moves `block` (or 1/share of it) through the L2 at time `at`; returns when it is done.
  sc_core::sc_time transfer(tlm::tlm_command cmd, const TileLoad& block, sc_core::sc_time at);

  const TiledKernel* m_kernel = nullptr;
  std::vector<int64_t> m_ctas;
  SmParams m_params;
  sc_core::sc_time m_start, m_finish;
  sc_core::sc_event m_go, m_done;
  SmStats m_stats;
  tlm::tlm_generic_payload m_gp;
  BlockExtension m_block;
};

}  // namespace strata::models
