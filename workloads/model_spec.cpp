#include "workloads/model_spec.h"

namespace strata::workloads {
using config::Schema;

const Schema<AttentionSpec>& AttentionSpec::schema() {
  static const Schema<AttentionSpec> s = [] {
    Schema<AttentionSpec> s("attention", "Attention block");
    s.choice("kind", &AttentionSpec::kind, {{"mla", AttentionKind::mla}, {"gqa", AttentionKind::gqa}},
             "Multi-head latent attention (DeepSeek) or grouped-query attention");
    s.integer("heads", &AttentionSpec::heads, "Query heads").min(1).max(4096);
    s.integer("kv_heads", &AttentionSpec::kv_heads, "GQA key/value heads").def("0").min(0).max(4096);
    s.integer("head_dim", &AttentionSpec::head_dim, "GQA head dimension").def("0").min(0).max(4096);
    s.integer("q_lora_rank", &AttentionSpec::q_lora_rank, "MLA query compression rank (0: none)")
        .def("0").min(0).max(65536);
    s.integer("kv_lora_rank", &AttentionSpec::kv_lora_rank, "MLA latent KV dimension")
        .def("0").min(0).max(65536);
    s.integer("qk_nope_head_dim", &AttentionSpec::qk_nope_head_dim,
              "MLA per-head query/key dimension without rotary").def("0").min(0).max(4096);
    s.integer("qk_rope_head_dim", &AttentionSpec::qk_rope_head_dim,
              "MLA rotary dimension (shared key part)").def("0").min(0).max(4096);
    s.integer("v_head_dim", &AttentionSpec::v_head_dim, "MLA per-head value dimension")
        .def("0").min(0).max(4096);
    s.check([](const AttentionSpec& a, const config::Checker& k) {
      if (a.kind == AttentionKind::gqa) {
        if (a.kv_heads < 1 || a.head_dim < 1)
          k.fail("kv_heads", "GQA needs kv_heads >= 1 and head_dim >= 1");
        if (a.heads % a.kv_heads != 0)
          k.fail("kv_heads", "heads (" + std::to_string(a.heads) +
                                 ") must be a multiple of kv_heads (" +
                                 std::to_string(a.kv_heads) + ")");
      } else if (a.kv_lora_rank < 1 || a.qk_nope_head_dim < 1 || a.qk_rope_head_dim < 1 ||
                 a.v_head_dim < 1) {
        k.fail("kv_lora_rank",
               "MLA needs kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim and v_head_dim >= 1");
      }
    });
    return s;
  }();
  return s;
}

const Schema<MoeSpec>& MoeSpec::schema() {
  static const Schema<MoeSpec> s = [] {
    Schema<MoeSpec> s("moe", "Mixture-of-experts feed-forward layers");
    s.integer("routed_experts", &MoeSpec::routed_experts, "Routed experts per MoE layer (0: dense model)")
        .def("0").min(0).max(65536);
    s.integer("shared_experts", &MoeSpec::shared_experts, "Always-active experts per MoE layer")
        .def("0").min(0).max(64);
    s.integer("top_k", &MoeSpec::top_k, "Routed experts per token").def("0").min(0).max(1024);
    s.integer("expert_intermediate", &MoeSpec::expert_intermediate, "Expert FFN width")
        .def("0").min(0).max(1 << 20);
    s.integer("groups", &MoeSpec::groups, "Expert groups for group-limited routing")
        .def("1").min(1).max(65536);
    s.integer("groups_per_token", &MoeSpec::groups_per_token, "Groups one token may reach")
        .def("1").min(1).max(65536);
    s.choice("router", &MoeSpec::router,
             {{"sigmoid", RouterKind::sigmoid}, {"softmax", RouterKind::softmax}},
             "Gate scoring function").def("softmax");
    s.check([](const MoeSpec& m, const config::Checker& k) {
      if (m.routed_experts == 0) return;
      if (m.top_k < 1 || m.top_k > m.routed_experts)
        k.fail("top_k", "must be between 1 and routed_experts (" +
                            std::to_string(m.routed_experts) + ")");
      if (m.expert_intermediate < 1) k.fail("expert_intermediate", "must be >= 1 for an MoE model");
      if (m.routed_experts % m.groups != 0)
        k.fail("groups", "routed_experts (" + std::to_string(m.routed_experts) +
                             ") must divide evenly into groups");
      if (m.groups_per_token > m.groups) k.fail("groups_per_token", "cannot exceed groups");
      if (m.top_k > m.groups_per_token * (m.routed_experts / m.groups))
        k.fail("top_k", "more experts per token than the reachable groups hold");
    });
    return s;
  }();
  return s;
}

const Schema<ModelSpec>& ModelSpec::schema() {
  static const Schema<ModelSpec> s = [] {
    Schema<ModelSpec> s("model", "Model architecture");
    s.text("name", &ModelSpec::name, "Model name, used in reports");
    s.integer("layers", &ModelSpec::layers, "Transformer layers").min(1).max(100000);
    s.integer("hidden", &ModelSpec::hidden, "Hidden size").min(1).max(1 << 20);
    s.integer("vocab", &ModelSpec::vocab, "Vocabulary size").min(1).max(1 << 24);
    s.integer("dense_layers", &ModelSpec::dense_layers,
              "Leading layers with a dense FFN (the rest are MoE when routed_experts > 0)")
        .min(0).max(100000);
    s.integer("dense_intermediate", &ModelSpec::dense_intermediate, "Dense FFN width")
        .min(0).max(1 << 22);
    s.boolean("tied_embeddings", &ModelSpec::tied_embeddings,
              "Output head shares the input embedding").def("false");
    s.child("attention", &ModelSpec::attention, "Attention block");
    s.child("moe", &ModelSpec::moe, "Mixture-of-experts layers");
    s.integer("mtp_depth", &ModelSpec::mtp_depth, "Multi-token-prediction modules").def("0").min(0).max(16);
    s.check([](const ModelSpec& m, const config::Checker& k) {
      if (m.dense_layers > m.layers) k.fail("dense_layers", "cannot exceed layers");
      if (m.moe.routed_experts == 0 && m.dense_layers != m.layers)
        k.fail("dense_layers", "a model without routed experts has every layer dense: set "
                               "dense_layers to layers (" + std::to_string(m.layers) + ")");
      if (m.dense_layers > 0 && m.dense_intermediate < 1)
        k.fail("dense_intermediate", "must be >= 1 when there are dense layers");
    });
    return s;
  }();
  return s;
}

double ModelSpec::attention_params() const {
  const AttentionSpec& a = attention;
  double h = hidden, n = a.heads;
  double norms = 2.0 * h;  // attention and FFN RMSNorm weights of the layer
  if (a.kind == AttentionKind::gqa) {
    double q = h * n * a.head_dim, kv = 2.0 * h * a.kv_heads * a.head_dim, o = n * a.head_dim * h;
    return q + kv + o + norms;
  }
  double qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
  double q = a.q_lora_rank > 0 ? h * a.q_lora_rank + a.q_lora_rank + a.q_lora_rank * n * qk
                               : h * n * qk;
  double kv_a = h * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank;
  double kv_b = a.kv_lora_rank * n * (a.qk_nope_head_dim + a.v_head_dim);
  double o = n * a.v_head_dim * h;
  return q + kv_a + kv_b + o + norms;
}

double ModelSpec::dense_ffn_params() const { return 3.0 * hidden * dense_intermediate; }
double ModelSpec::expert_params() const { return 3.0 * hidden * moe.expert_intermediate; }

double ModelSpec::router_params() const {
  if (moe.routed_experts == 0) return 0;
  double bias = moe.router == RouterKind::sigmoid ? moe.routed_experts : 0;  // score correction
  return double(moe.routed_experts) * hidden + bias;
}

double ModelSpec::embedding_params() const { return double(vocab) * hidden; }
double ModelSpec::head_params() const { return tied_embeddings ? 0.0 : double(vocab) * hidden; }

double ModelSpec::total_params() const {
  double moe_layer = (moe.routed_experts + moe.shared_experts) * expert_params() + router_params();
  return embedding_params() + head_params() + hidden /* final norm */ +
         layers * attention_params() + dense_layers * dense_ffn_params() + moe_layers() * moe_layer;
}

double ModelSpec::active_params() const {
  double moe_layer = (moe.top_k + moe.shared_experts) * expert_params() + router_params();
  return embedding_params() + head_params() + hidden + layers * attention_params() +
         dense_layers * dense_ffn_params() + moe_layers() * moe_layer;
}

double ModelSpec::mtp_params() const {
  if (mtp_depth == 0) return 0;
  // Each module: two RMSNorms, a 2h -> h projection and one full (MoE if the model is) layer.
  double layer = attention_params() + (moe.routed_experts > 0
                                           ? (moe.routed_experts + moe.shared_experts) *
                                                     expert_params() + router_params()
                                           : dense_ffn_params());
  return mtp_depth * (2.0 * hidden + 2.0 * hidden * hidden + layer + hidden);
}

int ModelSpec::kv_elements_per_token_per_layer() const {
  if (attention.kind == AttentionKind::mla)
    return attention.kv_lora_rank + attention.qk_rope_head_dim;
  return 2 * attention.kv_heads * attention.head_dim;
}

double ModelSpec::kv_cache_bytes_per_token(hw::DType d) const {
  return double(layers) * kv_elements_per_token_per_layer() * hw::dtype_bytes(d);
}

}  // namespace strata::workloads
