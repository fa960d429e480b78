// Keying a compiled TorchScript model: which activations can carry a secret channel transform
// (a dataflow pass over the client program), drawing those transforms from the key, and folding
// them into the bundle's weights.
#include "model/internal/compiled_model_impl.h"
#include "model/internal/remote_call.h"
#include "model/internal/tensor_convert.h"
#include "privacy/internal/client_program.h"
#include "privacy/internal/keyed_model_impl.h"
#include "privacy/internal/share_kernels.h"

#include <ATen/ATen.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

namespace nesa::privacy {

const model::CompiledModel &KeyedModel::compiled() const { return m_impl->compiled; }
const std::string &KeyedModel::keyId() const { return m_impl->keyId; }
const std::vector<std::string> &KeyedModel::transforms() const { return m_impl->transforms; }

namespace {

using torch::jit::Node;
using torch::jit::Value;

// Ops that act on each element alone and commute with positive scaling (and permutations).
const std::set<std::string> kHomogeneousOps = {
    "aten::relu",       "aten::relu_", "aten::leaky_relu", "aten::leaky_relu_", "aten::dropout",
    "aten::contiguous", "aten::clone", "aten::detach",     "aten::neg",         "aten::to",
};
// Element-wise (or per-slice) ops that commute with permutations but not with scaling.
const std::set<std::string> kPermutationOnlyOps = {
    "aten::gelu",        "aten::sigmoid",     "aten::tanh",     "aten::silu",
    "aten::hardtanh",    "aten::relu6",       "aten::elu",      "aten::hardswish",
    "aten::hardsigmoid", "aten::softplus",    "aten::mish",     "aten::exp",
    "aten::softmax",     "aten::log_softmax", "aten::sigmoid_", "aten::hardtanh_",
};
// Per-channel spatial ops: fine as long as the channel axis is dim 1.
const std::set<std::string> kSpatialOps = {
    "aten::max_pool1d",          "aten::max_pool2d",          "aten::max_pool3d",
    "aten::avg_pool1d",          "aten::avg_pool2d",          "aten::avg_pool3d",
    "aten::adaptive_avg_pool1d", "aten::adaptive_avg_pool2d", "aten::adaptive_avg_pool3d",
    "aten::upsample_nearest2d",  "aten::upsample_bilinear2d", "aten::upsample_nearest3d",
};
// Ops whose outputs are shapes or counts, not activations.
const std::set<std::string> kShapeQueries = {"aten::size", "aten::dim", "aten::numel", "aten::len",
                                             "prim::shape"};

enum class Axis { Unknown, Channel, Last };

// An activation that carries the transform of class `cls` on `axis`; `block` > 1 (or −1 while
// unknown) when a flatten merged each channel's pixels into consecutive features.
struct Tracked {
  int cls = -1;
  Axis axis = Axis::Unknown;
  std::int64_t block = 1;
};

// Transform classes with two union-finds: activations that must carry the same transform
// (residual adds), and classes that must share a permutation (a depthwise conv's two sides).
class ClassTable {
public:
  struct Entry {
    int parent = 0;
    int permParent = 0;
    std::int64_t channels = -1;
    bool noScale = false;
    bool fixed = false; ///< must stay the identity (an activation that never had a transform)
  };

  int create(std::int64_t channels) {
    const int id = static_cast<int>(m_entries.size());
    m_entries.push_back({id, id, channels, false, false});
    return id;
  }
  int find(int c) {
    while (m_entries[c].parent != c)
      c = m_entries[c].parent = m_entries[m_entries[c].parent].parent;
    return c;
  }
  int findPerm(int c) {
    while (m_entries[c].permParent != c)
      c = m_entries[c].permParent = m_entries[m_entries[c].permParent].permParent;
    return c;
  }
  Entry &at(int c) { return m_entries[static_cast<std::size_t>(find(c))]; }
  int size() const { return static_cast<int>(m_entries.size()); }

  Result<void> setChannels(int c, std::int64_t channels) {
    auto &e = at(c);
    if (e.channels == -1)
      e.channels = channels;
    else if (e.channels != channels)
      return mismatch(e.channels, channels);
    return {};
  }
  Result<void> unify(int a, int b) {
    a = find(a);
    b = find(b);
    if (a == b)
      return {};
    auto &ea = m_entries[a], &eb = m_entries[b];
    if (ea.channels != -1 && eb.channels != -1 && ea.channels != eb.channels)
      return mismatch(ea.channels, eb.channels);
    if (ea.channels == -1)
      ea.channels = eb.channels;
    ea.noScale = ea.noScale || eb.noScale;
    ea.fixed = ea.fixed || eb.fixed;
    eb.parent = a;
    tiePerm(a, b);
    return {};
  }
  void tiePerm(int a, int b) {
    a = findPerm(find(a));
    b = findPerm(find(b));
    if (a != b)
      m_entries[b].permParent = a;
  }
  // True when some class sharing c's permutation must stay the identity.
  bool permFixed(int c) {
    const int root = findPerm(find(c));
    for (int i = 0; i < size(); ++i)
      if (find(i) == i && findPerm(i) == root && m_entries[i].fixed)
        return true;
    return false;
  }

private:
  static Error mismatch(std::int64_t a, std::int64_t b) {
    return {ErrorCode::InvalidInput, "an activation with " + std::to_string(a) +
                                         " channels meets one with " + std::to_string(b)};
  }
  std::vector<Entry> m_entries;
};

// How one bundle op is keyed: the classes of its input and output.
struct OpKeying {
  int in = -1;
  std::int64_t inBlock = 1;
  int out = -1;
  bool depthwise = false;
};

Error refuse(const std::string &why) {
  return {ErrorCode::InvalidInput,
          "the ee levels cannot key this model: " + why + "; run it at the local or hss level"};
}

std::optional<std::vector<std::int64_t>> intsOf(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  if (!ivalue || !ivalue->isIntList())
    return std::nullopt;
  return ivalue->toIntVector();
}
std::optional<std::int64_t> intOf(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  if (!ivalue || !ivalue->isInt())
    return std::nullopt;
  return ivalue->toInt();
}
bool isTensor(Value *value) { return value->type()->cast<c10::TensorType>() != nullptr; }

class GraphKeying {
public:
  GraphKeying(const model::LinearBundle &bundle, std::map<std::int64_t, std::int64_t> ranks)
      : m_bundle(bundle), m_ranks(std::move(ranks)), m_ops(bundle.ops.size()) {}

  Result<void> run(torch::jit::Graph &graph) {
    if (graph.inputs().size() != 2)
      return refuse("the model takes " + std::to_string(graph.inputs().size() - 1) +
                    " inputs (one is supported)");
    m_inputClass = m_classes.create(-1);
    m_tracked[graph.inputs()[1]] = {m_inputClass, Axis::Unknown, 1};
    for (Node *node : graph.block()->nodes())
      if (auto r = visit(node); !r)
        return r;
    if (graph.outputs().size() != 1)
      return refuse("the model returns several values");
    auto out = m_tracked.find(graph.outputs()[0]);
    if (out != m_tracked.end()) {
      if (out->second.block != 1)
        return refuse("the output is a flattened activation");
      m_output = out->second;
    }
    return {};
  }

  ClassTable &classes() { return m_classes; }
  const std::vector<OpKeying> &ops() const { return m_ops; }
  int inputClass() const { return m_inputClass; }
  Axis inputAxis() const { return m_inputAxis; }
  const std::optional<Tracked> &output() const { return m_output; }

private:
  Result<void> visit(Node *node) {
    const std::string kind = node->kind().toQualString();
    if (kind == model::kRemoteLinearOp)
      return remoteCall(node);
    std::vector<std::size_t> trackedInputs;
    for (std::size_t i = 0; i < node->inputs().size(); ++i)
      if (m_tracked.count(node->inputs()[i]))
        trackedInputs.push_back(i);
    for (auto *block : node->blocks())
      for (Node *inner : block->nodes())
        for (Value *input : inner->inputs())
          if (m_tracked.count(input))
            return refuse(kind + " branches or loops over an activation");
    if (trackedInputs.empty() || kShapeQueries.count(kind))
      return {};
    const Tracked self = m_tracked.at(node->inputs()[trackedInputs.front()]);
    const bool onlySelf = trackedInputs.size() == 1 && trackedInputs.front() == 0;
    auto pass = [&](Tracked t) {
      m_tracked[node->outputs()[0]] = t;
      return Result<void>();
    };
    if (kHomogeneousOps.count(kind) && onlySelf)
      return pass(self);
    if (kPermutationOnlyOps.count(kind) && onlySelf) {
      m_classes.at(self.cls).noScale = true;
      return pass(self);
    }
    if (kSpatialOps.count(kind) && onlySelf) {
      if (self.axis == Axis::Last || self.block != 1)
        return refuse(kind + " on flattened features");
      return pass({self.cls, Axis::Channel, 1});
    }
    if (kind == "aten::flatten" && onlySelf) {
      auto start = intOf(node->inputs()[1]);
      auto end = intOf(node->inputs()[2]);
      if (start && *start >= 2 && self.axis != Axis::Last)
        return pass(self); // only spatial dims merge
      if (start && end && *start == 1 && *end == -1 && self.axis != Axis::Last && self.block == 1)
        return pass({self.cls, Axis::Last, -1});
      return refuse("aten::flatten merges channels with the batch or only some spatial dims");
    }
    if ((kind == "aten::mean" || kind == "aten::sum" || kind == "aten::amax") && onlySelf) {
      auto dims = intsOf(node->inputs()[1]);
      if (dims && self.axis != Axis::Last && self.block == 1 &&
          std::all_of(dims->begin(), dims->end(), [](auto d) { return d >= 2; }))
        return pass({self.cls, Axis::Channel, 1});
      return refuse(kind + " reduces over the channels");
    }
    const bool addLike =
        kind == "aten::add" || kind == "aten::sub" || kind == "aten::add_" || kind == "aten::sub_";
    const bool mulLike =
        kind == "aten::mul" || kind == "aten::div" || kind == "aten::mul_" || kind == "aten::div_";
    if (addLike || mulLike) {
      Value *other = node->inputs()[1];
      if (trackedInputs.size() == 2 && trackedInputs[1] == 1) {
        const Tracked rhs = m_tracked.at(other);
        if (rhs.block != self.block ||
            (rhs.axis != self.axis && rhs.axis != Axis::Unknown && self.axis != Axis::Unknown))
          return refuse(kind + " combines activations laid out differently");
        if (auto r = m_classes.unify(self.cls, rhs.cls); !r)
          return refuse(kind + ": " + r.error().message);
        if (mulLike)
          m_classes.at(self.cls).noScale = true;
        return pass({self.cls, self.axis != Axis::Unknown ? self.axis : rhs.axis, self.block});
      }
      if (onlySelf && !isTensor(other)) {
        if (addLike)
          m_classes.at(self.cls).noScale = true; // s·x + c ≠ s·(x + c)
        return pass(self);
      }
      return refuse(kind + " with a constant tensor");
    }
    return refuse(kind + " mixes, reshapes or normalises channels, which the channel transforms "
                         "do not commute with");
  }

  Result<void> remoteCall(Node *node) {
    auto chain = intsOf(node->inputs()[0]);
    if (!chain || chain->empty())
      return fail(ErrorCode::Internal, "a remote call without its op list");
    Tracked cur;
    if (auto it = m_tracked.find(node->inputs()[1]); it != m_tracked.end()) {
      cur = it->second;
    } else {
      cur.cls = m_classes.create(-1);
      m_classes.at(cur.cls).fixed = true;
    }
    const auto rank = m_ranks.count(chain->front()) ? m_ranks.at(chain->front()) : -1;
    for (std::size_t k = 0; k < chain->size(); ++k) {
      const auto index = (*chain)[k];
      const auto &op = m_bundle.ops[static_cast<std::size_t>(index)];
      const std::string name =
          std::string(model::linearKindName(op.kind)) + " " + std::to_string(index);
      OpKeying keying;
      keying.in = cur.cls;
      if (op.kind == model::LinearKind::Linear) {
        const auto in = op.weight.shape[1];
        if (cur.axis == Axis::Channel && !(k == 0 && rank == 2))
          return refuse(name + " is applied along a channel axis that is not the last");
        if (cur.cls == m_inputClass && cur.axis == Axis::Unknown)
          if (auto r = setInputAxis(Axis::Last); !r)
            return r;
        const auto channels = m_classes.at(cur.cls).channels;
        if (channels == -1 || cur.block == 1) {
          if (auto r = m_classes.setChannels(cur.cls, in); !r)
            return refuse(name + ": " + r.error().message);
          keying.inBlock = 1;
        } else if (in % channels == 0) {
          keying.inBlock = in / channels;
        } else {
          return refuse(name + " takes " + std::to_string(in) + " features from " +
                        std::to_string(channels) + " channels");
        }
        keying.out = m_classes.create(op.outChannels());
        cur = {keying.out, Axis::Last, 1};
      } else {
        if (cur.axis == Axis::Last || cur.block != 1)
          return refuse(name + " runs on flattened features");
        if (cur.cls == m_inputClass && cur.axis == Axis::Unknown)
          if (auto r = setInputAxis(Axis::Channel); !r)
            return r;
        const auto in = op.weight.shape[1] * op.groups;
        if (auto r = m_classes.setChannels(cur.cls, in); !r)
          return refuse(name + ": " + r.error().message);
        keying.out = m_classes.create(op.outChannels());
        if (op.groups == in && op.outChannels() == in) {
          keying.depthwise = true;
          m_classes.tiePerm(keying.out, cur.cls);
        } else if (op.groups != 1) {
          return refuse(name + " is a grouped convolution (groups " + std::to_string(op.groups) +
                        "); only ordinary and depthwise convolutions can be keyed");
        }
        cur = {keying.out, Axis::Channel, 1};
      }
      m_ops[static_cast<std::size_t>(index)] = keying;
    }
    m_tracked[node->outputs()[0]] = cur;
    return {};
  }

  Result<void> setInputAxis(Axis axis) {
    if (m_inputAxis != Axis::Unknown && m_inputAxis != axis)
      return refuse("the input is used both as channels and as features");
    m_inputAxis = axis;
    return {};
  }

  const model::LinearBundle &m_bundle;
  std::map<std::int64_t, std::int64_t> m_ranks; // first op of a call → rank of its input
  std::vector<OpKeying> m_ops;
  ClassTable m_classes;
  std::unordered_map<Value *, Tracked> m_tracked;
  int m_inputClass = -1;
  Axis m_inputAxis = Axis::Unknown;
  std::optional<Tracked> m_output;
};

// The rank of each remote call's input, from one run of the client program on zeros.
Result<std::map<std::int64_t, std::int64_t>> probeRanks(const model::CompiledModel &model,
                                                        const std::vector<std::int64_t> &shape) {
  std::map<std::int64_t, std::int64_t> ranks;
  std::vector<PreparedOp> ops;
  for (const auto &op : model.bundle().ops)
    ops.push_back(prepareOp(op, 16, PreparedForms{false, false})); // float64 only
  model::RemoteLinearScope scope([&](const std::vector<std::int64_t> &chain, const at::Tensor &x) {
    ranks[chain.front()] = x.dim();
    at::Tensor y = x.to(at::kDouble);
    for (auto op : chain)
      y = applyF64(ops[static_cast<std::size_t>(op)], y, true);
    return y.to(x.scalar_type());
  });
  const auto probe = [&](const std::vector<std::int64_t> &probeShape) {
    try {
      c10::InferenceMode guard;
      auto client = model.impl().client;
      client.forward({at::zeros(probeShape, at::kFloat)});
      return true;
    } catch (const std::exception &) {
      return false;
    }
  };
  // Ranks do not depend on the batch: one item of it is probed (a scan's 96 slices in float64
  // cost seconds), the whole shape only for a model that insists on its batch size.
  if (!shape.empty() && shape[0] > 1) {
    auto one = shape;
    one[0] = 1;
    if (probe(one))
      return ranks;
    ranks.clear();
  }
  if (!probe(shape))
    return fail(ErrorCode::InvalidInput,
                "the model could not run on an input of this shape while being keyed");
  return ranks;
}

model::TensorData floatData(const at::Tensor &t) {
  return model::fromTensor(t.to(at::kFloat).contiguous());
}

} // namespace

Result<KeyedModel> keyModel(const model::CompiledModel &model, const EeKey &key,
                            const std::vector<std::int64_t> &inputShape) {
  auto ranks = probeRanks(model, inputShape);
  if (!ranks)
    return ranks.error();
  GraphKeying keying(model.bundle(), std::move(*ranks));
  try {
    if (auto r = keying.run(*model.impl().client.get_method("forward").graph()); !r)
      return r.error();
  } catch (const c10::Error &e) {
    return fail(ErrorCode::Internal,
                std::string("keying the model failed: ") + e.what_without_backtrace());
  }

  // Draw one permutation per permutation group and one set of scales per class.
  auto &classes = keying.classes();
  const std::string prefix = "cnn/" + model.bundleId() + "/";
  std::vector<ChannelTransform> transforms(static_cast<std::size_t>(classes.size()));
  for (int c = 0; c < classes.size(); ++c) {
    const auto &entry = classes.at(c);
    if (entry.channels <= 0 || entry.fixed) {
      transforms[c] = ChannelTransform::identity(std::max<std::int64_t>(entry.channels, 0));
      continue;
    }
    const int group = classes.findPerm(classes.find(c));
    auto perm = ChannelTransform::draw(key.derive(prefix + "perm/" + std::to_string(group)),
                                       entry.channels, !classes.permFixed(c), false);
    auto scales =
        ChannelTransform::draw(key.derive(prefix + "scale/" + std::to_string(classes.find(c))),
                               entry.channels, false, !entry.noScale);
    transforms[c] = {perm.perm, scales.scale};
  }

  std::vector<std::string> descriptions;
  model::LinearBundle bundle = model.bundle();
  for (std::size_t i = 0; i < bundle.ops.size(); ++i) {
    const auto &k = keying.ops()[i];
    if (k.out < 0)
      return fail(ErrorCode::InvalidInput, "the ee levels cannot key this model: bundle op " +
                                               std::to_string(i) +
                                               " is not reached from the input");
    auto &op = bundle.ops[i];
    const auto &in = transforms[static_cast<std::size_t>(k.in)];
    const auto &out = transforms[static_cast<std::size_t>(k.out)];
    at::Tensor w = model::toTensor(op.weight).to(at::kDouble);
    if (k.depthwise) {
      const auto &inverse = in.reciprocal();
      std::vector<std::int64_t> shape(static_cast<std::size_t>(w.dim()), 1);
      shape[0] = w.size(0);
      w = w * at::tensor(inverse.scale, at::kDouble).view(shape);
    } else {
      w = in.reciprocal().apply(w, 1, k.inBlock);
    }
    op.weight = floatData(out.apply(w, 0));
    if (op.bias)
      op.bias = floatData(out.apply(model::toTensor(*op.bias).to(at::kDouble), 0));
    const auto &entry = classes.at(k.out);
    descriptions.push_back(std::string(model::linearKindName(op.kind)) + " " + std::to_string(i) +
                           " out: " + std::to_string(out.channels()) + " channels, permuted" +
                           (entry.noScale ? "" : ", scaled"));
  }
  const auto place = [&](int cls, Axis axis) -> std::optional<PlacedTransform> {
    const auto &t = transforms[static_cast<std::size_t>(classes.find(cls))];
    if (axis == Axis::Unknown || t.channels() == 0 || t.isIdentity())
      return std::nullopt;
    return PlacedTransform{t, axis == Axis::Channel ? 1 : -1};
  };
  auto compiled = std::make_shared<model::CompiledModel::Impl>(model.impl());
  compiled->bundle = std::move(bundle);
  // What a miner runs for a whole query at ee; a program it would refuse stays out, and such a
  // model runs at ee call by call.
  if (auto program = serializeClientProgram(compiled->client))
    compiled->bundle.program = std::move(*program);
  compiled->bundleId = compiled->bundle.id();
  return KeyedModel(std::make_shared<const KeyedModel::Impl>(KeyedModel::Impl{
      model::CompiledModel(std::move(compiled)), key.id(), std::move(descriptions),
      place(keying.inputClass(), keying.inputAxis()),
      keying.output() ? place(keying.output()->cls, keying.output()->axis) : std::nullopt}));
}

Result<model::TensorData> KeyedModel::transformInput(const model::TensorData &input) const {
  if (!m_impl->input)
    return input;
  try {
    const auto &p = *m_impl->input;
    return model::fromTensor(
        p.transform.apply(model::toTensor(input).to(at::kDouble), p.dim).to(at::kFloat));
  } catch (const c10::Error &) {
    return fail(ErrorCode::InvalidInput,
                "the input " + input.shapeText() + " does not fit the keyed model");
  }
}

Result<model::TensorData> KeyedModel::untransformOutput(const model::TensorData &output) const {
  if (!m_impl->output)
    return output;
  try {
    const auto &p = *m_impl->output;
    return model::fromTensor(
        p.transform.invert(model::toTensor(output).to(at::kDouble), p.dim).to(at::kFloat));
  } catch (const c10::Error &) {
    return fail(ErrorCode::InvalidInput,
                "the keyed model's output " + output.shapeText() + " has an unexpected shape");
  }
}

} // namespace nesa::privacy
