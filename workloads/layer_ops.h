// Transformer blocks, each emitting into a chain (generator.h): attention (attention_block.cpp),
// dense FFN and the block plumbing shared by all (layer_ops.cpp), MoE (moe_block.cpp), and the
// whole layer, embedding, head and MTP module as program steps (layer.cpp).
#pragma once

#include <vector>

#include "workloads/generator.h"

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
/// Backward ops of forward ops `fwd` (in reverse order) on chain device i; weight gradients go
/// to `wgrad` when given, else are emitted in place.
void backward_of(Chain& ch, size_t i, const std::vector<Op>& fwd, WeightGrads* wgrad);

// ---- attention (attention_block.cpp)

/// Forward ops of the attention block after its norm, on chain device i; `recompute` (if
/// given) marks those DeepSeek recomputes in backward (norms, MLA up-projections).
std::vector<Op> attention_ops(Gen& G, int layer, const PassShape& s, size_t i, std::vector<char>* recompute);
bool attention_forward(Gen& G, Chain& ch, int layer, const PassShape& s);
bool attention_backward(Gen& G, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad);

// ---- dense FFN (layer_ops.cpp)

std::vector<Op> dense_ffn_ops(const Gen& G, int layer, int64_t tokens, int64_t intermediate,
                              const std::string& block);
bool dense_ffn_forward(Gen& G, Chain& ch, int layer, const PassShape& s);
bool dense_ffn_backward(Gen& G, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad);

// ---- MoE (moe_block.cpp): steps [norm, router, top-k, dispatch, shared expert] |
// [experts, combine] | owed to the next step: [reduce]

void moe_forward(Gen& G, StepBuilder& sb, Chain& ch, int layer, const PassShape& s);
void moe_backward(Gen& G, StepBuilder& sb, Chain& ch, int layer, const PassShape& s, WeightGrads& wgrad);

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
