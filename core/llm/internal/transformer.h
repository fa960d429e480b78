// The native GPT-2 and Llama forward pass over weights whose linear layers live in a bundle, so
// each of them can run here or as one remote call.
#pragma once

#include "llm/internal/q8_rows.h"
#include "llm/model_config.h"
#include "model/linear_bundle.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace nesa::llm {

/// One block's non-linear parameters and the bundle ops of its four linear layers.
struct LayerWeights {
  at::Tensor norm1Weight, norm1Bias; ///< GPT-2 LayerNorm; undefined for Llama (gains folded)
  at::Tensor norm2Weight, norm2Bias;
  std::int64_t qkv = 0;    ///< [q; k; v] projection
  std::int64_t out = 0;    ///< attention output projection
  std::int64_t up = 0;     ///< GPT-2: c_fc; Llama: [gate; up]
  std::int64_t down = 0;   ///< MLP output projection
  at::Tensor gain1, gain2; ///< Llama's RMSNorm gains (folded into qkv and up; kept for opQ8)
};

/// Everything a forward pass needs. Llama's RMSNorm gains are folded into the next linear ops
/// at load (an exact rewrite), so its norms have no parameters left.
struct TransformerWeights {
  ModelConfig config;
  at::Tensor embed;                          ///< [vocab, hidden]
  at::Tensor positions;                      ///< GPT-2 [positions, hidden]
  at::Tensor finalNormWeight, finalNormBias; ///< GPT-2
  std::vector<LayerWeights> layers;
  std::int64_t head = 0;  ///< the LM head's bundle op
  std::string headSource; ///< the tensor the head came from (the embedding when tied)
  at::Tensor finalGain;   ///< Llama's final RMSNorm gain (folded into the head; kept for opQ8)
  model::LinearBundle bundle;
  std::string bundleId;
  /// The bundle's ops as tensors for local runs: views of the bundle's bytes, not copies (a
  /// language model's weights are its memory). A move keeps them valid (the bytes stay put); a
  /// copy makes views of its own bundle.
  std::vector<at::Tensor> opWeight, opBias;
  /// Per op (may be empty, and null for an op): the same matrix in Q8_0 from a GGUF file, which
  /// local runs use for passes of up to 8 tokens (generation, short prompts). Keyed models have
  /// none.
  std::vector<std::shared_ptr<const Q8Rows>> opQ8;
  /// Keyed models: token t is fed as id vocabPerm[t], and its logit comes back at vocabPerm[t].
  std::vector<std::int64_t> vocabPerm;

  TransformerWeights() = default;
  TransformerWeights(TransformerWeights &&) noexcept = default;
  TransformerWeights &operator=(TransformerWeights &&) noexcept = default;
  /// Copies every field (a new field must be added there) and views its own bundle.
  TransformerWeights(const TransformerWeights &other);
  TransformerWeights &operator=(const TransformerWeights &other) = delete;

  /// Rebuilds opWeight/opBias and bundleId from the bundle.
  void refreshOps();

private:
  void viewOps();
};

/// Builds the weights from a folder's tensors (Hugging Face names). Errors name a missing tensor
/// or one with the wrong shape. `q8`: Q8_0 copies of some matrices (Hugging Face names, in the
/// bundle's [out, in] layout) that local generation reads instead of float32.
Result<TransformerWeights> buildWeights(const ModelConfig &config,
                                        std::map<std::string, at::Tensor> tensors,
                                        std::map<std::string, Q8Rows> q8 = {});

/// Keys and values of the tokens seen so far, per layer.
struct KvCache {
  std::vector<at::Tensor> keys, values; ///< [kvHeads, length, headDim]
  std::int64_t length = 0;
};

/// Logits [T, vocab] for `ids` [T] (ids as the weights expect them) following the cache's tokens.
/// With `remote`, every linear op goes through model::callRemoteLinear.
at::Tensor forward(const TransformerWeights &w, const at::Tensor &ids, KvCache &cache, bool remote);

} // namespace nesa::llm
