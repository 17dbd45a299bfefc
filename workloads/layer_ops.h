// Transformer blocks, each emitting into a chain (generator.h): attention (attention_block.cpp),
// dense FFN and the block plumbing shared by all (layer_ops.cpp), MoE (moe_block.cpp), and the
// whole layer, embedding, head and MTP module as program steps (layer.cpp).
#pragma once

#include <vector>

#include "workloads/generator.h"
#include "workloads/linear.h"

namespace strata::workloads {

// ---- block plumbing (layer_ops.cpp)

/// The block's RMSNorm (on 1/tp of the tokens under sequence parallelism).
Op block_norm(const Gen& G, const std::string& name, int64_t tokens);
/// The norm, then under sequence parallelism the all-gather of the normalised tokens.
void block_input(Gen& G, Chain& ch, const std::string& norm_name, int64_t tokens);
/// Backward of block_input (norm backward; reduce-scatter under sequence parallelism).
void block_input_backward(Gen& G, Chain& ch, const std::string& norm_name, int64_t tokens);
/// With tp > 1, issues the block's all-reduce (sp: reduce-scatter) of tokens x hidden and
/// returns true; the chain awaits it at its next step.
bool block_output(Gen& G, Chain& ch, const std::string& name, int64_t tokens);
/// Backward ops of forward ops `fwd` (in reverse order) on chain device i (linear.h: a GEMM's
/// input gradient and its weight gradient's operands; FlashAttention's backward with its pre- and
/// post-processing; a norm's backward and its weight's gradient; other ops' mirror); weight
/// gradients go to `wgrad` when given, else are emitted in place.
void backward_of(const Gen& G, Chain& ch, size_t i, const BlockOps& fwd, WeightGrads* wgrad);
/// Emits the forward kernels of `ops` (linear.h) on chain device i, or on every device.
void emit_forward(const Gen& G, Chain& ch, size_t i, const BlockOps& ops);
void emit_forward_all(const Gen& G, Chain& ch, const BlockOps& ops);
/// A SwiGLU MLP of `rows` rows and width `inter`: the up_gate GEMM, the activation (its output
/// quantised in the same kernel under FP8 GEMMs; `weighted`: scaled by each row's routing weight;
/// its input kept in FP8 by a cast of its own under precision.activation_cache fp8), the down GEMM.
BlockOps swiglu_mlp(const Gen& G, const std::string& prefix, BlockOp up_gate, Op down, int64_t rows,
                    int64_t inter, bool weighted);
/// Whether a GEMM fed by a norm keeps its input for backward in FP8 (no recomputation of the
/// norm, activations cached in FP8).
bool norm_input_kept_fp8(const Gen& G);

// ---- attention (attention_block.cpp)

/// Forward ops of the attention block after its norm, on chain device i (BlockOp::recompute marks
/// those DeepSeek recomputes in backward: norms, MLA up-projections and their layout).
BlockOps attention_ops(Gen& G, int layer, const PassShape& s, size_t i);
bool attention_forward(Gen& G, Chain& ch, int layer, const PassShape& s);
bool attention_backward(Gen& G, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad);

// ---- dense FFN (layer_ops.cpp)

BlockOps dense_ffn_ops(const Gen& G, int layer, int64_t tokens, int64_t intermediate, const std::string& block,
                       bool quantised_input = false);
bool dense_ffn_forward(Gen& G, Chain& ch, int layer, const PassShape& s);
bool dense_ffn_backward(Gen& G, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad);

// ---- MoE (moe_block.cpp): steps [norm, gate, quantise, dispatch, shared expert] |
// [permute, experts, unpermute, combine] | owed to the next step: [TP all-gather]

void moe_forward(Gen& G, StepBuilder& sb, Chain& ch, int layer, const PassShape& s);
/// `defer`: every weight gradient goes to `wgrad` (zero-bubble W chunks); otherwise the experts'
/// are emitted once the dispatch's backward is issued and the gate's go to `wgrad`.
void moe_backward(Gen& G, StepBuilder& sb, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad, bool defer);

// ---- layers, embedding, head, MTP (layer.cpp)

/// Forward steps of layers [first, last); `recompute` re-runs them inside backward.
void layers_forward(Gen& G, StepBuilder& sb, Chain& ch, int first, int last, const PassShape& s);
/// Backward steps of layers [first, last), last layer first. Weight gradients are emitted per
/// layer, or collected in `deferred` when given.
void layers_backward(Gen& G, StepBuilder& sb, Chain& ch, int first, int last, const PassShape& s,
                     WeightGrads* deferred);
void embedding_forward(Gen& G, Chain& ch, int64_t tokens);
void embedding_backward(Gen& G, Chain& ch, int64_t tokens, WeightGrads& wgrad);
/// Final norm, output projection and sampling (serving, `rows` logits) or the loss (training).
void head_forward(Gen& G, Chain& ch, int64_t rows, const std::string& prefix);
void head_backward(Gen& G, Chain& ch, int64_t rows, const std::string& prefix, WeightGrads& wgrad);
/// The MTP modules' extra projection (concat of embedding and hidden state -> hidden).
void mtp_projection_forward(Gen& G, Chain& ch, int depth, int64_t tokens);
void mtp_projection_backward(Gen& G, Chain& ch, int depth, int64_t tokens, WeightGrads& wgrad);

}  // namespace strata::workloads
