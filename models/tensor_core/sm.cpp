#include "models/tensor_core/sm.h"

#include <algorithm>

#include "models/noc/timing_payload.h"

namespace strata::models {
using sc_core::sc_time;

Sm::Sm(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
  m_gp.set_extension(&m_block);
  SC_THREAD(run);
}

Sm::~Sm() { m_gp.clear_extension(&m_block); }

void Sm::launch(const TiledKernel* kernel, std::vector<int64_t> ctas, const SmParams& p,
                sc_time start) {
  m_kernel = kernel;
  m_ctas = std::move(ctas);
  m_params = p;
  m_start = start;
  m_stats = SmStats{};
  m_go.notify(sc_core::SC_ZERO_TIME);
}

void Sm::sync(sc_time local) {
  const sc_time now = sc_core::sc_time_stamp();
  if (local > now + m_params.quantum) wait(local - now);
}

sc_time Sm::transfer(tlm::tlm_command cmd, const TileLoad& block, sc_time at) {
  set_timing_payload(m_gp, cmd, block.address(), block.bytes());
  m_block.rows = block.rows;
  m_block.row_bytes = static_cast<uint32_t>(block.row_bytes);
  m_block.stride = block.stride;
  sc_time delay = at - sc_core::sc_time_stamp();
  socket->b_transport(m_gp, delay);
  return sc_core::sc_time_stamp() + delay;
}

void Sm::run() {
  while (true) {
    wait(m_go);
    const TiledKernel& k = *m_kernel;
    const int stages = std::max(1, k.stages());
    std::vector<sc_time> stage_free(stages, m_start);
    sc_time producer = m_start, math_free = m_start, store_done = m_start;
    int64_t step_index = 0;
    TileStep st;
    const double tc = m_params.tensor_flops_per_s, vec = m_params.vector_flops_per_s;
    for (int64_t cta : m_ctas) {
      const int steps = k.steps(cta);
      for (int j = 0; j < steps; ++j) {
        k.step(cta, j, st);
        sc_time& slot = stage_free[step_index++ % stages];
        // The producer waits for a free stage, then issues the step's loads back to back.
        const sc_time issue = producer > slot ? producer : slot;
        sync(issue);
        sc_time ready = issue;
        for (int l = 0; l < st.load_count; ++l) {
          ready = std::max(ready, transfer(tlm::TLM_READ_COMMAND, st.loads[l], issue));
          m_stats.load_bytes += st.loads[l].bytes();
        }
        producer = issue;
        // Overlapped CUDA-core work hides behind the MMA (other warp groups); serial work
        // (FP8 promotion) follows it.
        const double t_mma = tc > 0 ? st.mma_flops / tc : 0;
        const double sfu = m_params.sfu_ops_per_s;
        const double t_vec = (vec > 0 ? st.vector_flops / vec : 0) + (sfu > 0 ? st.sfu_ops / sfu : 0);
        const double t_serial = (vec > 0 ? st.serial_vector_flops / vec : 0) +
                                (sfu > 0 ? st.serial_sfu_ops / sfu : 0);
        const sc_time begin = ready > math_free ? ready : math_free;
        math_free = begin + seconds(std::max(t_mma, t_vec) + t_serial);
        m_stats.busy += math_free - begin;
        slot = math_free;
        m_stats.mma_flops += st.mma_flops;
        m_stats.vector_flops += st.vector_flops + st.serial_vector_flops;
      }
      // An accumulating epilogue's C block: the load warp fetches it after the tile's last
      // operand step, while the math finishes.
      sc_time c_ready = math_free;
      const TileLoad c_in = k.epilogue_input(cta);
      if (c_in.bytes() > 0) {
        sync(producer);
        c_ready = transfer(tlm::TLM_READ_COMMAND, c_in, producer);
        m_stats.load_bytes += c_in.bytes();
      }
      // Epilogue: registers -> shared memory (after the previous tile's store drained it), then
      // an asynchronous store; the next tile's loads are already in flight meanwhile.
      const double staged = k.epilogue_smem_bytes(cta);
      sc_time e0 = std::max({math_free, store_done, c_ready});
      math_free = e0 + seconds(staged / m_params.smem_bytes_per_s);
      m_stats.smem_bytes += staged;
      m_stats.cta_end.push_back(math_free);
      const TileLoad out = k.output(cta);
      if (out.bytes() > 0) {
        sync(math_free);
        store_done = transfer(tlm::TLM_WRITE_COMMAND, out, math_free);
        m_stats.store_bytes += out.bytes();
      }
    }
    m_finish = math_free > store_done ? math_free : store_done;
    sync(m_finish);
    if (m_finish > sc_core::sc_time_stamp()) wait(m_finish - sc_core::sc_time_stamp());
    m_done.notify();
  }
}

}  // namespace strata::models
