#include "llm/internal/keyed_transformer.h"

#include "model/internal/tensor_convert.h"
#include "privacy/internal/channel_transform.h"

#include <ATen/ATen.h>

#include <cmath>
#include <numbers>

namespace nesa::llm {
namespace {

using privacy::ChannelTransform;

// Draws the transforms of one keyed model; every draw has its own purpose string.
class Draws {
public:
  Draws(const privacy::EeKey &key, std::string prefix) : m_key(key), m_prefix(std::move(prefix)) {}

  ChannelTransform perm(const std::string &what, std::int64_t n) const {
    return ChannelTransform::draw(seed(what), n, true, false);
  }
  std::vector<double> scales(const std::string &what, std::int64_t n) const {
    return ChannelTransform::draw(seed(what), n, false, true).scale;
  }
  // Uniform [0, 2π) angles.
  std::vector<double> angles(const std::string &what, std::int64_t n) const {
    std::vector<double> u(static_cast<std::size_t>(n));
    privacy::expandUniform(seed(what), 0, u.data(), u.size());
    for (auto &a : u)
      a = (a + 1) * std::numbers::pi;
    return u;
  }
  // A Haar-random orthogonal matrix (QR of a Gaussian matrix, signs fixed).
  at::Tensor rotation(const std::string &what, std::int64_t n) const {
    std::vector<double> u(static_cast<std::size_t>(2 * n * n));
    privacy::expandUniform(seed(what), 0, u.data(), u.size());
    std::vector<double> g(static_cast<std::size_t>(n * n));
    for (std::size_t i = 0; i < g.size(); ++i) { // Box–Muller
      const double r = std::sqrt(-2 * std::log((u[2 * i] + 1) / 2 + 1e-300));
      g[i] = r * std::cos(std::numbers::pi * (u[2 * i + 1] + 1));
    }
    auto [q, r] = at::linalg_qr(at::tensor(g, at::kDouble).view({n, n}));
    return q * at::sign(r.diagonal()).unsqueeze(0);
  }

private:
  privacy::Seed seed(const std::string &what) const { return m_key.derive(m_prefix + what); }
  const privacy::EeKey &m_key;
  std::string m_prefix;
};

at::Tensor f64(const at::Tensor &t) { return t.to(at::kDouble); }

class Keying {
public:
  Keying(const TransformerWeights &w, const privacy::EeKey &key)
      : m_w(w), m_out(w), m_draws(key, "llm/" + w.bundleId + "/") {}

  TransformerWeights run() {
    const auto &c = m_w.config;
    const auto vocab = m_draws.perm("vocab", c.vocabSize);
    m_out.vocabPerm = vocab.perm;
    if (c.family == Family::Gpt2)
      gpt2(vocab);
    else
      llama(vocab);
    m_out.opQ8.clear(); // the keyed ops differ from the file's matrices
    m_out.refreshOps();
    return std::move(m_out);
  }

private:
  at::Tensor weight(std::int64_t op) const {
    return f64(m_w.opWeight[static_cast<std::size_t>(op)]);
  }
  at::Tensor bias(std::int64_t op) const {
    const auto &b = m_w.opBias[static_cast<std::size_t>(op)];
    return b.defined() ? f64(b) : b;
  }
  void setOp(std::int64_t op, const at::Tensor &weight, const at::Tensor &bias) {
    auto &target = m_out.bundle.ops[static_cast<std::size_t>(op)];
    target.weight = model::fromTensor(weight.to(at::kFloat).contiguous());
    if (bias.defined())
      target.bias = model::fromTensor(bias.to(at::kFloat).contiguous());
  }
  // W' = rows(cols⁻¹(W)); the bias follows the rows.
  void transformOp(std::int64_t op, const ChannelTransform &rows, const ChannelTransform &cols) {
    auto b = bias(op);
    setOp(op, rows.apply(cols.reciprocal().apply(weight(op), 1), 0),
          b.defined() ? rows.apply(b, 0) : b);
  }

  void gpt2(const ChannelTransform &vocab) {
    const auto &c = m_w.config;
    const auto H = c.hidden, D = c.headDim();
    const auto hidden = m_draws.perm("hidden", H);
    for (std::size_t l = 0; l < m_w.layers.size(); ++l) {
      const auto &layer = m_w.layers[l];
      const std::string p = "layer/" + std::to_string(l) + "/";
      const auto heads = m_draws.perm(p + "heads", c.heads);
      ChannelTransform qkv, attended;
      qkv.perm.resize(static_cast<std::size_t>(3 * H));
      qkv.scale.resize(static_cast<std::size_t>(3 * H));
      for (std::int64_t h = 0; h < c.heads; ++h) {
        const auto qk = m_draws.perm(p + "qk/" + std::to_string(h), D);
        const auto qkScale = m_draws.scales(p + "qk-scale/" + std::to_string(h), D);
        const auto v = m_draws.perm(p + "v/" + std::to_string(h), D);
        const auto vScale = m_draws.scales(p + "v-scale/" + std::to_string(h), D);
        const auto base = heads.perm[static_cast<std::size_t>(h)] * D;
        for (std::int64_t i = 0; i < D; ++i) {
          const auto from = static_cast<std::size_t>(h * D + i);
          const auto at = static_cast<std::size_t>(i);
          qkv.perm[from] = base + qk.perm[at];
          qkv.scale[from] = qkScale[at];
          qkv.perm[from + H] = H + base + qk.perm[at];
          qkv.scale[from + H] = 1 / qkScale[at]; // q·k unchanged
          qkv.perm[from + 2 * H] = 2 * H + base + v.perm[at];
          qkv.scale[from + 2 * H] = vScale[at];
          attended.perm.push_back(base + v.perm[at]);
          attended.scale.push_back(vScale[at]);
        }
      }
      const auto mlp = m_draws.perm(p + "mlp", c.intermediate);
      transformOp(layer.qkv, qkv, hidden);
      transformOp(layer.out, hidden, attended);
      transformOp(layer.up, mlp, hidden); // GELU: permutation only
      transformOp(layer.down, hidden, mlp);
      auto &out = m_out.layers[l];
      out.norm1Weight = hidden.apply(f64(layer.norm1Weight), 0).to(at::kFloat);
      out.norm1Bias = hidden.apply(f64(layer.norm1Bias), 0).to(at::kFloat);
      out.norm2Weight = hidden.apply(f64(layer.norm2Weight), 0).to(at::kFloat);
      out.norm2Bias = hidden.apply(f64(layer.norm2Bias), 0).to(at::kFloat);
    }
    m_out.finalNormWeight = hidden.apply(f64(m_w.finalNormWeight), 0).to(at::kFloat);
    m_out.finalNormBias = hidden.apply(f64(m_w.finalNormBias), 0).to(at::kFloat);
    m_out.positions = hidden.apply(f64(m_w.positions), 1).to(at::kFloat);
    m_out.embed = vocab.apply(hidden.apply(f64(m_w.embed), 1), 0).to(at::kFloat);
    transformOp(m_w.head, vocab, hidden);
  }

  void llama(const ChannelTransform &vocab) {
    const auto &c = m_w.config;
    const auto H = c.hidden, D = c.headDim(), G = c.heads / c.kvHeads, I = c.intermediate;
    const auto rotation = m_draws.rotation("residual", H); // h' = R h
    const auto rotateInputs = [&](const at::Tensor &w) { return at::matmul(w, rotation.t()); };
    for (std::size_t l = 0; l < m_w.layers.size(); ++l) {
      const auto &layer = m_w.layers[l];
      const std::string p = "layer/" + std::to_string(l) + "/";
      const auto kvHeads = m_draws.perm(p + "kv-heads", c.kvHeads);
      // Where each query head goes: its group follows its key/value head, and the heads of a
      // group are permuted among themselves.
      std::vector<std::int64_t> queryHeads(static_cast<std::size_t>(c.heads));
      for (std::int64_t g = 0; g < c.kvHeads; ++g) {
        const auto within = m_draws.perm(p + "group/" + std::to_string(g), G);
        for (std::int64_t j = 0; j < G; ++j)
          queryHeads[static_cast<std::size_t>(g * G + j)] =
              kvHeads.perm[static_cast<std::size_t>(g)] * G +
              within.perm[static_cast<std::size_t>(j)];
      }
      // Per key/value head: rotation angle and scale of each rotary pair, value perm and scales.
      std::vector<double> angle, pairScale, vScale;
      std::vector<std::int64_t> vPerm;
      for (std::int64_t g = 0; g < c.kvHeads; ++g) {
        const auto s = std::to_string(g);
        auto a = m_draws.angles(p + "pair-angle/" + s, D / 2);
        auto sc = m_draws.scales(p + "pair-scale/" + s, D / 2);
        auto vp = m_draws.perm(p + "v/" + s, D);
        auto vs = m_draws.scales(p + "v-scale/" + s, D);
        angle.insert(angle.end(), a.begin(), a.end());
        pairScale.insert(pairScale.end(), sc.begin(), sc.end());
        vPerm.insert(vPerm.end(), vp.perm.begin(), vp.perm.end());
        vScale.insert(vScale.end(), vs.begin(), vs.end());
      }
      auto W = weight(layer.qkv);
      auto b = bias(layer.qkv);
      auto rows = b.defined() ? at::cat({W, b.unsqueeze(1)}, 1) : W; // the bias rides along
      const auto cols = rows.size(1);
      auto q = rows.narrow(0, 0, c.heads * D).view({c.heads, D, cols});
      auto k = rows.narrow(0, c.heads * D, c.kvHeads * D).view({c.kvHeads, D, cols});
      auto v = rows.narrow(0, (c.heads + c.kvHeads) * D, c.kvHeads * D).view({c.kvHeads, D, cols});
      const auto ang = at::tensor(angle, at::kDouble).view({c.kvHeads, D / 2, 1});
      const auto sc = at::tensor(pairScale, at::kDouble).view({c.kvHeads, D / 2, 1});
      const auto rotatePairs = [&](const at::Tensor &x, const at::Tensor &cos,
                                   const at::Tensor &sin, const at::Tensor &scale) {
        auto a = x.narrow(1, 0, D / 2), bb = x.narrow(1, D / 2, D / 2);
        return at::cat({scale * (cos * a - sin * bb), scale * (sin * a + cos * bb)}, 1);
      };
      // Query head h uses key/value head h / G: repeat that head's pair parameters.
      auto qOut = rotatePairs(q, ang.cos().repeat_interleave(G, 0),
                              ang.sin().repeat_interleave(G, 0), sc.repeat_interleave(G, 0));
      auto kOut = rotatePairs(k, ang.cos(), ang.sin(), 1 / sc);
      auto vView = v * at::tensor(vScale, at::kDouble).view({c.kvHeads, D, 1});
      auto vOut = at::empty_like(vView);
      for (std::int64_t g = 0; g < c.kvHeads; ++g)
        vOut[g].index_copy_(0,
                            at::tensor(std::vector<std::int64_t>(vPerm.begin() + g * D,
                                                                 vPerm.begin() + (g + 1) * D),
                                       at::kLong),
                            vView[g]);
      auto qPlaced = at::empty_like(qOut).index_copy_(0, at::tensor(queryHeads, at::kLong), qOut);
      auto kPlaced = at::empty_like(kOut).index_copy_(0, at::tensor(kvHeads.perm, at::kLong), kOut);
      auto vPlaced = at::empty_like(vOut).index_copy_(0, at::tensor(kvHeads.perm, at::kLong), vOut);
      auto keyedRows = at::cat(
          {qPlaced.reshape({-1, cols}), kPlaced.reshape({-1, cols}), vPlaced.reshape({-1, cols})});
      auto keyedW = keyedRows.narrow(1, 0, H);
      setOp(layer.qkv, rotateInputs(keyedW), b.defined() ? keyedRows.select(1, H) : at::Tensor());

      // The attention output: query head h's values at its new head, in its group's value order.
      ChannelTransform attended;
      attended.perm.resize(static_cast<std::size_t>(c.heads * D));
      attended.scale.resize(static_cast<std::size_t>(c.heads * D));
      for (std::int64_t h = 0; h < c.heads; ++h)
        for (std::int64_t i = 0; i < D; ++i) {
          const auto g = static_cast<std::size_t>(h / G);
          const auto from = static_cast<std::size_t>(h * D + i);
          attended.perm[from] = queryHeads[static_cast<std::size_t>(h)] * D + vPerm[g * D + i];
          attended.scale[from] = vScale[g * D + i];
        }
      setOp(layer.out, at::matmul(rotation, attended.reciprocal().apply(weight(layer.out), 1)),
            at::Tensor());

      // SwiGLU: gate and up share a permutation; only up may be scaled (silu is not homogeneous).
      const auto mlp = m_draws.perm(p + "mlp", I);
      const auto upScale = m_draws.scales(p + "up-scale", I);
      ChannelTransform gateUp = ChannelTransform::identity(2 * I);
      for (std::size_t i = 0; i < static_cast<std::size_t>(I); ++i) {
        gateUp.perm[i] = mlp.perm[i];
        gateUp.perm[I + i] = I + mlp.perm[i];
        gateUp.scale[I + i] = upScale[i];
      }
      setOp(layer.up, rotateInputs(gateUp.apply(weight(layer.up), 0)), at::Tensor());
      ChannelTransform upOut{mlp.perm, upScale};
      setOp(layer.down, at::matmul(rotation, upOut.reciprocal().apply(weight(layer.down), 1)),
            at::Tensor());
    }
    m_out.embed = vocab.apply(rotateInputs(f64(m_w.embed)), 0).to(at::kFloat);
    setOp(m_w.head, vocab.apply(rotateInputs(weight(m_w.head)), 0), at::Tensor());
  }

  const TransformerWeights &m_w;
  TransformerWeights m_out;
  Draws m_draws;
};

} // namespace

TransformerWeights keyWeights(const TransformerWeights &w, const privacy::EeKey &key) {
  return Keying(w, key).run();
}

} // namespace nesa::llm
