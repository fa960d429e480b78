// EE for the native language models: the transforms of docs/privacy.md folded into a copy of
// the weights.
#pragma once

#include "llm/internal/transformer.h"
#include "privacy/ee_key.h"

namespace nesa::llm {

/// The keyed copy of `w` under `key` (deterministic). GPT-2: vocabulary permutation, hidden
/// permutation through every LayerNorm, per-head permutations with per-dimension scales of
/// queries/keys and values, MLP permutation. Llama: vocabulary permutation, a random orthogonal
/// rotation of the residual stream (RMSNorm gains are already folded), key/value-head and
/// query-head permutations within their groups, per-pair rotations and scales of queries/keys
/// that commute with rotary embeddings, value permutations and scales, MLP permutation with
/// scales on the up projection.
TransformerWeights keyWeights(const TransformerWeights &w, const privacy::EeKey &key);

} // namespace nesa::llm
