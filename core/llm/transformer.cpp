#include "llm/internal/transformer.h"

#include "model/internal/linear_rows.h"
#include "model/internal/remote_call.h"
#include "model/internal/tensor_convert.h"

#include <ATen/ATen.h>

#include <cmath>

namespace nesa::llm {
namespace {

model::TensorData floatData(const at::Tensor &t) {
  return model::fromTensor(t.to(at::kFloat).contiguous());
}

// Adds a Linear op y = x·Wᵀ + b to the bundle; returns its index.
std::int64_t addOp(model::LinearBundle &bundle, const at::Tensor &weight, const at::Tensor &bias) {
  model::LinearOp op;
  op.kind = model::LinearKind::Linear;
  op.weight = floatData(weight);
  if (bias.defined())
    op.bias = floatData(bias);
  bundle.ops.push_back(std::move(op));
  return static_cast<std::int64_t>(bundle.ops.size()) - 1;
}

class TensorSource {
public:
  explicit TensorSource(std::map<std::string, at::Tensor> tensors) : m_tensors(std::move(tensors)) {
    // GPT-2 checkpoints come with or without the "transformer." prefix: names lose it.
    for (auto it = m_tensors.begin(); it != m_tensors.end();)
      if (it->first.rfind("transformer.", 0) == 0) {
        m_tensors.emplace(it->first.substr(12), std::move(it->second));
        it = m_tensors.erase(it);
      } else {
        ++it;
      }
  }
  /// The tensor `name` of `shape`, taken out of the source (a model's weights are read once,
  /// and the source's memory goes as the bundle grows).
  Result<at::Tensor> get(const std::string &name, std::vector<std::int64_t> shape) {
    auto it = m_tensors.find(name);
    if (it == m_tensors.end())
      return fail(ErrorCode::InvalidInput, "the model has no tensor " + name);
    if (it->second.sizes().vec() != shape)
      return fail(ErrorCode::InvalidInput, name + " has shape " +
                                               shapeText(it->second.sizes().vec()) + ", expected " +
                                               shapeText(shape));
    at::Tensor taken = std::move(it->second);
    m_tensors.erase(it);
    return taken;
  }
  bool has(const std::string &name) const { return m_tensors.count(name) > 0; }

private:
  static std::string shapeText(const std::vector<std::int64_t> &shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
      text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
  }
  std::map<std::string, at::Tensor> m_tensors;
};

#define NESA_TRY_TENSOR(var, expr)                                                                 \
  auto var##Result = (expr);                                                                       \
  if (!var##Result)                                                                                \
    return var##Result.error();                                                                    \
  at::Tensor var = *var##Result;

Result<TransformerWeights> buildGpt2(const ModelConfig &c, TensorSource &src) {
  TransformerWeights w;
  w.config = c;
  const auto H = c.hidden, I = c.intermediate;
  NESA_TRY_TENSOR(wte, src.get("wte.weight", {c.vocabSize, H}));
  NESA_TRY_TENSOR(wpe, src.get("wpe.weight", {c.maxPositions, H}));
  w.embed = wte;
  w.positions = wpe;
  for (std::int64_t l = 0; l < c.layers; ++l) {
    const std::string p = "h." + std::to_string(l) + ".";
    LayerWeights layer;
    NESA_TRY_TENSOR(ln1w, src.get(p + "ln_1.weight", {H}));
    NESA_TRY_TENSOR(ln1b, src.get(p + "ln_1.bias", {H}));
    NESA_TRY_TENSOR(ln2w, src.get(p + "ln_2.weight", {H}));
    NESA_TRY_TENSOR(ln2b, src.get(p + "ln_2.bias", {H}));
    NESA_TRY_TENSOR(attnW, src.get(p + "attn.c_attn.weight", {H, 3 * H}));
    NESA_TRY_TENSOR(attnB, src.get(p + "attn.c_attn.bias", {3 * H}));
    NESA_TRY_TENSOR(projW, src.get(p + "attn.c_proj.weight", {H, H}));
    NESA_TRY_TENSOR(projB, src.get(p + "attn.c_proj.bias", {H}));
    NESA_TRY_TENSOR(fcW, src.get(p + "mlp.c_fc.weight", {H, I}));
    NESA_TRY_TENSOR(fcB, src.get(p + "mlp.c_fc.bias", {I}));
    NESA_TRY_TENSOR(downW, src.get(p + "mlp.c_proj.weight", {I, H}));
    NESA_TRY_TENSOR(downB, src.get(p + "mlp.c_proj.bias", {H}));
    layer.norm1Weight = ln1w;
    layer.norm1Bias = ln1b;
    layer.norm2Weight = ln2w;
    layer.norm2Bias = ln2b;
    // GPT-2's Conv1D stores weights as [in, out].
    layer.qkv = addOp(w.bundle, attnW.t(), attnB);
    layer.out = addOp(w.bundle, projW.t(), projB);
    layer.up = addOp(w.bundle, fcW.t(), fcB);
    layer.down = addOp(w.bundle, downW.t(), downB);
    w.layers.push_back(layer);
  }
  NESA_TRY_TENSOR(lnfw, src.get("ln_f.weight", {H}));
  NESA_TRY_TENSOR(lnfb, src.get("ln_f.bias", {H}));
  w.finalNormWeight = lnfw;
  w.finalNormBias = lnfb;
  at::Tensor head = wte;
  w.headSource = "wte.weight";
  if (src.has("lm_head.weight")) { // an untied head (GGUF files may carry one)
    NESA_TRY_TENSOR(lmHead, src.get("lm_head.weight", {c.vocabSize, H}));
    head = lmHead;
    w.headSource = "lm_head.weight";
  }
  w.head = addOp(w.bundle, head, at::Tensor());
  return w;
}

Result<TransformerWeights> buildLlama(const ModelConfig &c, TensorSource &src) {
  TransformerWeights w;
  w.config = c;
  const auto H = c.hidden, I = c.intermediate, D = c.headDim();
  NESA_TRY_TENSOR(embed, src.get("model.embed_tokens.weight", {c.vocabSize, H}));
  w.embed = embed;
  auto optionalBias = [&](const std::string &name, std::int64_t n) {
    auto b = src.get(name, {n});
    return b ? *b : at::Tensor();
  };
  for (std::int64_t l = 0; l < c.layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    LayerWeights layer;
    NESA_TRY_TENSOR(g1, src.get(p + "input_layernorm.weight", {H}));
    NESA_TRY_TENSOR(g2, src.get(p + "post_attention_layernorm.weight", {H}));
    NESA_TRY_TENSOR(q, src.get(p + "self_attn.q_proj.weight", {c.heads * D, H}));
    NESA_TRY_TENSOR(k, src.get(p + "self_attn.k_proj.weight", {c.kvHeads * D, H}));
    NESA_TRY_TENSOR(v, src.get(p + "self_attn.v_proj.weight", {c.kvHeads * D, H}));
    NESA_TRY_TENSOR(o, src.get(p + "self_attn.o_proj.weight", {H, c.heads * D}));
    NESA_TRY_TENSOR(gate, src.get(p + "mlp.gate_proj.weight", {I, H}));
    NESA_TRY_TENSOR(up, src.get(p + "mlp.up_proj.weight", {I, H}));
    NESA_TRY_TENSOR(down, src.get(p + "mlp.down_proj.weight", {H, I}));
    at::Tensor qkvBias;
    if (src.has(p + "self_attn.q_proj.bias"))
      qkvBias = at::cat({optionalBias(p + "self_attn.q_proj.bias", c.heads * D),
                         optionalBias(p + "self_attn.k_proj.bias", c.kvHeads * D),
                         optionalBias(p + "self_attn.v_proj.bias", c.kvHeads * D)});
    // RMSNorm(x)·g followed by W equals RMSNorm(x) followed by W·diag(g).
    layer.gain1 = g1;
    layer.gain2 = g2;
    layer.qkv = addOp(w.bundle, at::cat({q, k, v}).mul_(g1), qkvBias);
    layer.out = addOp(w.bundle, o, at::Tensor());
    layer.up = addOp(w.bundle, at::cat({gate, up}).mul_(g2), at::Tensor());
    layer.down = addOp(w.bundle, down, at::Tensor());
    w.layers.push_back(layer);
  }
  NESA_TRY_TENSOR(gf, src.get("model.norm.weight", {H}));
  at::Tensor head = embed;
  if (!c.tiedHead || src.has("lm_head.weight")) {
    NESA_TRY_TENSOR(lmHead, src.get("lm_head.weight", {c.vocabSize, H}));
    head = lmHead;
  }
  w.finalGain = gf;
  w.headSource = head.is_same(embed) ? "model.embed_tokens.weight" : "lm_head.weight";
  w.head = addOp(w.bundle, head * gf, at::Tensor());
  return w;
}

at::Tensor linear(const TransformerWeights &w, std::int64_t op, const at::Tensor &x, bool remote) {
  if (remote)
    return model::callRemoteLinear({op}, x);
  const auto index = static_cast<std::size_t>(op);
  if (q8Handles(x.size(0)) && index < w.opQ8.size() && w.opQ8[index] &&
      x.size(-1) == w.opQ8[index]->columns) {
    auto y = q8MatMul(*w.opQ8[index], x);
    if (w.opBias[index].defined())
      y.add_(w.opBias[index]);
    return y;
  }
  return model::linearRows(x, w.opWeight[static_cast<std::size_t>(op)],
                           w.opBias[static_cast<std::size_t>(op)]);
}

at::Tensor rmsNorm(const at::Tensor &x, double eps) {
  return x * at::rsqrt(x.pow(2).mean(-1, true) + eps);
}

// Rotary embeddings (the rotate-half layout) for `count` positions from `start`.
at::Tensor rotary(const at::Tensor &x, std::int64_t start, double theta) {
  const auto D = x.size(-1), T = x.size(-2);
  auto inv = at::pow(theta, -at::arange(0, D, 2, at::kDouble) / static_cast<double>(D));
  auto angles = at::outer(at::arange(start, start + T, at::kDouble), inv).to(x.scalar_type());
  auto cos = angles.cos(), sin = angles.sin();
  auto x1 = x.narrow(-1, 0, D / 2), x2 = x.narrow(-1, D / 2, D / 2);
  return at::cat({x1 * cos - x2 * sin, x2 * cos + x1 * sin}, -1);
}

// The Q8_0 copy of each op whose matrices all have one, with the RMSNorm gain the op's float
// weights have folded in (Llama) kept apart, to multiply the input. The matrices are taken out
// of `q8` as they are used, so no matrix is held twice.
std::vector<std::shared_ptr<const Q8Rows>>
quantizedOps(const ModelConfig &c, const TransformerWeights &w, std::map<std::string, Q8Rows> q8) {
  std::vector<std::shared_ptr<const Q8Rows>> ops(w.bundle.ops.size());
  auto set = [&](std::int64_t op, const std::vector<std::string> &names, const at::Tensor &gain) {
    std::vector<const Q8Rows *> parts;
    for (const auto &name : names) {
      auto it = q8.find(name);
      if (it == q8.end())
        return;
      parts.push_back(&it->second);
    }
    Q8Rows rows;
    if (parts.size() == 1) {
      rows = std::move(q8.find(names.front())->second);
      rows.gain = gain;
    } else {
      rows = Q8Rows::concat(parts, gain);
    }
    for (const auto &name : names)
      q8.erase(name);
    const auto &weight = w.opWeight[static_cast<std::size_t>(op)];
    if (rows.rows != weight.size(0) || rows.columns != weight.size(1))
      return; // not the op's matrix after all: the float path stays
    ops[static_cast<std::size_t>(op)] = std::make_shared<const Q8Rows>(std::move(rows));
  };
  const bool gpt2 = c.family == Family::Gpt2;
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const auto &layer = w.layers[l];
    const std::string p = (gpt2 ? "h." : "model.layers.") + std::to_string(l) + ".";
    if (gpt2) {
      set(layer.qkv, {p + "attn.c_attn.weight"}, {});
      set(layer.out, {p + "attn.c_proj.weight"}, {});
      set(layer.up, {p + "mlp.c_fc.weight"}, {});
      set(layer.down, {p + "mlp.c_proj.weight"}, {});
    } else {
      set(layer.qkv,
          {p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight",
           p + "self_attn.v_proj.weight"},
          layer.gain1);
      set(layer.out, {p + "self_attn.o_proj.weight"}, {});
      set(layer.up, {p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight"}, layer.gain2);
      set(layer.down, {p + "mlp.down_proj.weight"}, {});
    }
  }
  set(w.head, {w.headSource}, w.finalGain);
  return ops;
}

} // namespace

TransformerWeights::TransformerWeights(const TransformerWeights &other)
    : config(other.config), embed(other.embed), positions(other.positions),
      finalNormWeight(other.finalNormWeight), finalNormBias(other.finalNormBias),
      layers(other.layers), head(other.head), headSource(other.headSource),
      finalGain(other.finalGain), bundle(other.bundle), bundleId(other.bundleId), opQ8(other.opQ8),
      vocabPerm(other.vocabPerm) {
  viewOps();
}

void TransformerWeights::viewOps() {
  opWeight.clear();
  opBias.clear();
  for (const auto &op : bundle.ops) {
    opWeight.push_back(model::viewOf(op.weight));
    opBias.push_back(op.bias ? model::viewOf(*op.bias) : at::Tensor());
  }
}

void TransformerWeights::refreshOps() {
  viewOps();
  bundleId = bundle.id();
}

Result<TransformerWeights> buildWeights(const ModelConfig &config,
                                        std::map<std::string, at::Tensor> tensors,
                                        std::map<std::string, Q8Rows> q8) {
  TensorSource src(std::move(tensors));
  auto built = config.family == Family::Gpt2 ? buildGpt2(config, src) : buildLlama(config, src);
  if (built) {
    built->refreshOps();
    if (!q8.empty())
      built->opQ8 = quantizedOps(config, *built, std::move(q8));
  }
  return built;
}

at::Tensor forward(const TransformerWeights &w, const at::Tensor &ids, KvCache &cache,
                   bool remote) {
  const auto &c = w.config;
  const auto T = ids.size(0), D = c.headDim(), start = cache.length;
  const bool gpt2 = c.family == Family::Gpt2;
  at::Tensor x = w.embed.index_select(0, ids);
  if (gpt2)
    x = x + w.positions.narrow(0, start, T);
  if (cache.keys.empty()) {
    cache.keys.resize(static_cast<std::size_t>(c.layers));
    cache.values.resize(static_cast<std::size_t>(c.layers));
  }
  // Query i (at position start + i) sees keys 0..start + i.
  auto mask = at::ones({T, start + T}, at::kBool).tril(start).logical_not();
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const auto &layer = w.layers[l];
    auto h = gpt2 ? at::layer_norm(x, {c.hidden}, layer.norm1Weight, layer.norm1Bias, c.normEps)
                  : rmsNorm(x, c.normEps);
    auto qkv = linear(w, layer.qkv, h, remote);
    auto q = qkv.narrow(1, 0, c.heads * D).view({T, c.heads, D}).transpose(0, 1);
    auto k = qkv.narrow(1, c.heads * D, c.kvHeads * D).view({T, c.kvHeads, D}).transpose(0, 1);
    auto v = qkv.narrow(1, (c.heads + c.kvHeads) * D, c.kvHeads * D)
                 .view({T, c.kvHeads, D})
                 .transpose(0, 1);
    if (!gpt2) {
      q = rotary(q, start, c.ropeTheta);
      k = rotary(k, start, c.ropeTheta);
    }
    auto &keys = cache.keys[l];
    auto &values = cache.values[l];
    keys = keys.defined() ? at::cat({keys, k}, 1) : k.contiguous();
    values = values.defined() ? at::cat({values, v}, 1) : v.contiguous();
    const auto group = c.heads / c.kvHeads;
    auto K = keys.repeat_interleave(group, 0), V = values.repeat_interleave(group, 0);
    auto scores = at::matmul(q, K.transpose(1, 2)) / std::sqrt(static_cast<double>(D));
    scores = scores.masked_fill(mask, -std::numeric_limits<float>::infinity());
    auto attended =
        at::matmul(at::softmax(scores, -1), V).transpose(0, 1).reshape({T, c.heads * D});
    x = x + linear(w, layer.out, attended, remote);
    h = gpt2 ? at::layer_norm(x, {c.hidden}, layer.norm2Weight, layer.norm2Bias, c.normEps)
             : rmsNorm(x, c.normEps);
    at::Tensor m;
    if (gpt2) {
      m = linear(w, layer.down, at::gelu(linear(w, layer.up, h, remote), "tanh"), remote);
    } else {
      auto gu = linear(w, layer.up, h, remote);
      auto gate = gu.narrow(1, 0, c.intermediate),
           up = gu.narrow(1, c.intermediate, c.intermediate);
      m = linear(w, layer.down, at::silu(gate) * up, remote);
    }
    x = x + m;
  }
  cache.length += T;
  x = gpt2 ? at::layer_norm(x, {c.hidden}, w.finalNormWeight, w.finalNormBias, c.normEps)
           : rmsNorm(x, c.normEps);
  return linear(w, w.head, x, remote);
}

} // namespace nesa::llm
