// Transformer architecture of a served or trained model: attention (MLA or GQA), dense and MoE
// feed-forward layers, vocabulary. Plain data plus the counts every generator and check needs.
#pragma once

#include <string>

#include "hw/dtype.h"
#include "sim/config/schema.h"

namespace strata::workloads {

enum class AttentionKind { mla, gqa };
enum class RouterKind { sigmoid, softmax };

struct AttentionSpec {
  AttentionKind kind = AttentionKind::gqa;
  int heads = 0;
  int kv_heads = 0;          ///< GQA: key/value heads
  int head_dim = 0;          ///< GQA: per-head dimension
  int q_lora_rank = 0;       ///< MLA: query compression rank (0 = uncompressed queries)
  int kv_lora_rank = 0;      ///< MLA: latent KV dimension (the cached part)
  int qk_nope_head_dim = 0;  ///< MLA: per-head query/key dimension without rotary
  int qk_rope_head_dim = 0;  ///< MLA: rotary part, shared by all heads in the cache
  int v_head_dim = 0;        ///< MLA: per-head value dimension

  static const config::Schema<AttentionSpec>& schema();
};

struct MoeSpec {
  int routed_experts = 0;  ///< 0 = every layer dense
  int shared_experts = 0;
  int top_k = 0;
  int expert_intermediate = 0;
  int groups = 1;            ///< expert groups for group-limited routing
  int groups_per_token = 1;  ///< groups one token may reach
  RouterKind router = RouterKind::softmax;

  static const config::Schema<MoeSpec>& schema();
};

struct ModelSpec {
  std::string name;
  int layers = 0;
  int hidden = 0;
  int vocab = 0;
  int dense_layers = 0;        ///< leading layers with a dense FFN (all layers if no MoE)
  int dense_intermediate = 0;  ///< dense FFN width
  bool tied_embeddings = false;
  AttentionSpec attention;
  MoeSpec moe;
  int mtp_depth = 0;  ///< multi-token-prediction modules (not counted in total_params)

  bool is_moe_layer(int layer) const { return moe.routed_experts > 0 && layer >= dense_layers; }
  int moe_layers() const { return moe.routed_experts > 0 ? layers - dense_layers : 0; }

  double attention_params() const;  ///< one layer's attention weights (with its norms)
  double dense_ffn_params() const;  ///< one dense FFN
  double expert_params() const;     ///< one routed or shared expert
  double router_params() const;     ///< one MoE layer's gate (and bias)
  double embedding_params() const;  ///< input embedding
  double head_params() const;       ///< output projection (0 when tied)
  /// All weights of the main model (MTP modules excluded, as in DeepSeek's 671B).
  double total_params() const;
  /// Weights touched by one token: every attention and dense layer, top_k + shared experts.
  double active_params() const;
  /// Weights of the MTP modules (embedding and head shared with the main model).
  double mtp_params() const;
  /// Bytes of KV cache one token occupies across all layers.
  double kv_cache_bytes_per_token(hw::DType d) const;
  /// Elements cached per token per layer (MLA: latent + rotary; GQA: 2 x kv_heads x head_dim).
  int kv_elements_per_token_per_layer() const;

  static const config::Schema<ModelSpec>& schema();
};

}  // namespace strata::workloads
