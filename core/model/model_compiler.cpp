// Freezing a TorchScript model and moving its constant-weight linear ops into a bundle.
#include "model/compiled_model.h"
#include "model/internal/compiled_model_impl.h"
#include "model/internal/remote_call.h"
#include "model/internal/tensor_convert.h"
#include "model/onnx_export.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/script.h>

#include <fstream>
#include <optional>
#include <unordered_map>

namespace nesa::model {

const LinearBundle &CompiledModel::bundle() const { return m_impl->bundle; }
const std::string &CompiledModel::bundleId() const { return m_impl->bundleId; }
const CompileReport &CompiledModel::report() const { return m_impl->report; }

namespace {

using torch::jit::Node;
using torch::jit::Value;

// Ops that compute linear layers inside one opaque kernel: we cannot offload them and must not
// silently run them locally while claiming privacy for the rest.
const char *const kOpaqueOps[] = {
    "aten::_transformer_encoder_layer_fwd",
    "aten::_native_multi_head_attention",
    "aten::_transformer_decoder_only_layer_fwd",
    "aten::quantized_lstm",
    "aten::quantized_gru",
};

std::optional<at::Tensor> constantTensor(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  if (!ivalue || !ivalue->isTensor())
    return std::nullopt;
  return ivalue->toTensor();
}

bool isNoneConstant(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  return ivalue && ivalue->isNone();
}

std::optional<std::vector<std::int64_t>> constantInts(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  if (!ivalue || !ivalue->isIntList())
    return std::nullopt;
  return ivalue->toIntVector();
}

std::optional<std::int64_t> constantInt(Value *value) {
  auto ivalue = torch::jit::toIValue(value);
  if (!ivalue || !ivalue->isInt())
    return std::nullopt;
  return ivalue->toInt();
}

TensorData floatData(const at::Tensor &tensor) {
  return fromTensor(tensor.detach().to(at::kFloat).contiguous());
}

// Expands a one-element list to `dims` values (PyTorch accepts conv2d(..., stride=[2])).
std::vector<std::int64_t> expand(std::vector<std::int64_t> values, int dims) {
  if (values.size() == 1 && dims > 1)
    values.assign(dims, values[0]);
  return values;
}

class Rewriter {
public:
  Rewriter(std::shared_ptr<torch::jit::Graph> graph, const CompileOptions &options)
      : m_graph(std::move(graph)), m_options(options) {}

  Result<void> run() {
    if (auto r = rewriteBlock(m_graph->block()); !r)
      return r;
    if (m_options.fuse)
      fuseBlock(m_graph->block());
    materializeOpLists();
    torch::jit::EliminateDeadCode(m_graph);
    return {};
  }

  LinearBundle takeBundle() { return std::move(m_bundle); }
  CompileReport &report() { return m_report; }

private:
  Result<void> rewriteBlock(torch::jit::Block *block) {
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
      Node *node = *it;
      ++it; // the node may be destroyed below
      for (auto *sub : node->blocks())
        if (auto r = rewriteBlock(sub); !r)
          return r;
      const std::string kind = node->kind().toQualString();
      for (const char *opaque : kOpaqueOps)
        if (kind == opaque)
          return fail(
              ErrorCode::InvalidInput,
              "the model uses " + kind +
                  ", a fused kernel that hides its linear layers; "
                  "export it with the fast path disabled (e.g. without torch.no_grad, or with "
                  "torch.backends.mha.set_fastpath_enabled(False))");
      if (kind.rfind("quantized::", 0) == 0)
        return fail(ErrorCode::InvalidInput, "quantized models are not supported (" + kind + ")");
      if (kind == "prim::CallMethod" || kind == "prim::CallFunction")
        return fail(ErrorCode::InvalidInput,
                    "the frozen model still calls " + kind + "; it could not be inlined");
      auto op = recognize(node, kind);
      if (!op)
        return op.error();
      if (op->has_value())
        replace(node, std::move(**op));
    }
    return {};
  }

  // The linear op `node` computes, if it is one with constant weights; an error for a linear
  // op we must refuse.
  Result<std::optional<LinearOp>> recognize(Node *node, const std::string &kind) {
    if (kind == "aten::linear") {
      auto weight = constantTensor(node->input(1));
      if (!weight)
        return keepLocal(kind, "its weight is computed at run time");
      LinearOp op{LinearKind::Linear, floatData(*weight), std::nullopt, {}, {}, {}, 1};
      if (auto bias = constantTensor(node->input(2)))
        op.bias = floatData(*bias);
      else if (!isNoneConstant(node->input(2)))
        return keepLocal(kind, "its bias is computed at run time");
      return std::optional<LinearOp>(std::move(op));
    }
    if (kind == "aten::matmul" || kind == "aten::mm") {
      auto right = constantTensor(node->input(1));
      if (!right || right->dim() != 2) {
        if (constantTensor(node->input(0)))
          return keepLocal(kind, "its constant operand is on the left");
        return std::optional<LinearOp>(); // a product of two activations: non-linear, local
      }
      return std::optional<LinearOp>(
          LinearOp{LinearKind::Linear, floatData(right->t()), std::nullopt, {}, {}, {}, 1});
    }
    if (kind == "aten::addmm") {
      auto right = constantTensor(node->input(2));
      auto bias = constantTensor(node->input(0));
      auto beta = torch::jit::toIValue(node->input(3));
      auto alpha = torch::jit::toIValue(node->input(4));
      const bool unitScales = beta && alpha && beta->toScalar().toDouble() == 1.0 &&
                              alpha->toScalar().toDouble() == 1.0;
      if (!right || !bias || !unitScales || bias->dim() != 1)
        return keepLocal(kind, "its operands are not a constant weight and bias");
      return std::optional<LinearOp>(
          LinearOp{LinearKind::Linear, floatData(right->t()), floatData(*bias), {}, {}, {}, 1});
    }
    const bool conv = kind == "aten::conv1d" || kind == "aten::conv2d" || kind == "aten::conv3d";
    if (conv || kind == "aten::_convolution")
      return recognizeConv(node, kind, conv);
    if (kind == "aten::conv_transpose1d" || kind == "aten::conv_transpose2d" ||
        kind == "aten::conv_transpose3d")
      return keepLocal(kind, "transposed convolutions are not offloaded yet");
    return std::optional<LinearOp>();
  }

  Result<std::optional<LinearOp>> recognizeConv(Node *node, const std::string &kind, bool plain) {
    auto weight = constantTensor(node->input(1));
    if (!weight)
      return keepLocal(kind, "its weight is computed at run time");
    const int spatial = static_cast<int>(weight->dim()) - 2;
    if (spatial < 1 || spatial > 3)
      return keepLocal(kind, "unsupported weight rank");
    auto stride = constantInts(node->input(3));
    auto padding = constantInts(node->input(4));
    auto dilation = constantInts(node->input(5));
    std::optional<std::int64_t> groups;
    if (plain) {
      groups = constantInt(node->input(6));
    } else {
      auto transposed = torch::jit::toIValue(node->input(6));
      if (!transposed || transposed->toBool())
        return keepLocal(kind, "transposed convolutions are not offloaded yet");
      groups = constantInt(node->input(8));
    }
    if (!padding) {
      auto mode = torch::jit::toIValue(node->input(4));
      if (mode && mode->isString() && mode->toStringRef() == "valid")
        padding = std::vector<std::int64_t>(spatial, 0);
      else if (mode && mode->isString() && mode->toStringRef() == "same" && stride &&
               std::all_of(stride->begin(), stride->end(), [](auto s) { return s == 1; }) &&
               dilation) {
        padding = std::vector<std::int64_t>();
        for (int d = 0; d < spatial; ++d) {
          const auto total = expand(*dilation, spatial)[d] * (weight->size(2 + d) - 1);
          if (total % 2 != 0)
            return keepLocal(kind, "asymmetric 'same' padding");
          padding->push_back(total / 2);
        }
      }
    }
    if (!stride || !padding || !dilation || !groups)
      return keepLocal(kind, "its parameters are not constants");
    LinearOp op{static_cast<LinearKind>(static_cast<int>(LinearKind::Linear) + spatial),
                floatData(*weight),
                std::nullopt,
                expand(*stride, spatial),
                expand(*padding, spatial),
                expand(*dilation, spatial),
                *groups};
    if (auto bias = constantTensor(node->input(2)))
      op.bias = floatData(*bias);
    else if (!isNoneConstant(node->input(2)))
      return keepLocal(kind, "its bias is computed at run time");
    if (auto valid = op.validate(); !valid)
      return keepLocal(kind, valid.error().message);
    return std::optional<LinearOp>(std::move(op));
  }

  Result<std::optional<LinearOp>> keepLocal(const std::string &kind, const std::string &why) {
    m_report.keptLocal.push_back(kind + ": " + why);
    return std::optional<LinearOp>();
  }

  void replace(Node *node, LinearOp op) {
    const auto index = static_cast<std::int64_t>(m_bundle.ops.size());
    const bool chainable = op.kind == LinearKind::Linear;
    m_bundle.ops.push_back(std::move(op));
    Node *call = m_graph->create(c10::Symbol::fromQualString(kRemoteLinearOp), {node->input(0)}, 1);
    call->insertBefore(node);
    call->output()->setType(node->output()->type());
    node->output()->replaceAllUsesWith(call->output());
    node->destroy();
    m_chains[call] = {{index}, chainable};
  }

  // Merges a remote call into the one that consumes its output, when that is its only use and
  // both are plain linear layers (so their composition is still one linear map).
  void fuseBlock(torch::jit::Block *block) {
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
      Node *node = *it;
      ++it;
      for (auto *sub : node->blocks())
        fuseBlock(sub);
      auto consumer = m_chains.find(node);
      if (consumer == m_chains.end() || !consumer->second.chainable)
        continue;
      Node *producer = node->input(0)->node();
      auto source = m_chains.find(producer);
      if (source == m_chains.end() || !source->second.chainable ||
          producer->owningBlock() != block || producer->output()->uses().size() != 1)
        continue;
      auto ops = source->second.ops;
      ops.insert(ops.end(), consumer->second.ops.begin(), consumer->second.ops.end());
      consumer->second.ops = std::move(ops);
      node->replaceInput(0, producer->input(0));
      m_chains.erase(source);
      producer->destroy();
    }
  }

  void materializeOpLists() {
    for (auto &[call, chain] : m_chains) {
      torch::jit::WithInsertPoint guard(call);
      Value *list = m_graph->insertConstant(c10::IValue(chain.ops));
      call->insertInput(0, list);
      ++m_report.remoteCalls;
      if (chain.ops.size() > 1)
        ++m_report.fusedChains;
    }
    m_report.remoteOps = static_cast<int>(m_bundle.ops.size());
  }

  struct Chain {
    std::vector<std::int64_t> ops;
    bool chainable = false;
  };

  std::shared_ptr<torch::jit::Graph> m_graph;
  CompileOptions m_options;
  LinearBundle m_bundle;
  CompileReport m_report;
  std::unordered_map<Node *, Chain> m_chains;
};

Result<torch::jit::Module> loadFrozen(const std::filesystem::path &file) {
  try {
    auto module = torch::jit::load(file.string());
    module.eval();
    return torch::jit::freeze(module);
  } catch (const c10::Error &e) {
    std::string what = e.what_without_backtrace();
    if (auto newline = what.find('\n'); newline != std::string::npos)
      what.resize(newline);
    return fail(ErrorCode::InvalidInput,
                file.string() + " is not a TorchScript model that can be loaded and frozen (" +
                    what + ")");
  } catch (const std::exception &e) {
    return fail(ErrorCode::InvalidInput, file.string() + " could not be loaded: " + e.what());
  }
}

} // namespace

Result<CompiledModel> compileModel(const std::filesystem::path &file,
                                   const CompileOptions &options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail(ErrorCode::NotFound, "no model file at " + file.string());
  if (file.extension() == ".onnx")
    return compileOnnxModel(file, options);
  auto original = loadFrozen(file);
  if (!original)
    return original.error();
  auto client = loadFrozen(file); // a second, independent copy to rewrite
  if (!client)
    return client.error();

  ensureRemoteLinearRegistered();
  auto impl = std::make_shared<CompiledModel::Impl>();
  try {
    Rewriter rewriter(client->get_method("forward").graph(), options);
    if (auto rewritten = rewriter.run(); !rewritten)
      return rewritten.error().withContext(file.string());
    impl->report = rewriter.report();
    impl->bundle = rewriter.takeBundle();
  } catch (const c10::Error &e) {
    return fail(ErrorCode::InvalidInput,
                "cannot rewrite " + file.string() + ": " + e.what_without_backtrace());
  }
  if (impl->bundle.ops.empty())
    return fail(ErrorCode::InvalidInput,
                file.string() + " has no linear operation with constant weights to run on miners; "
                                "run it at the local level");
  impl->original = std::move(*original);
  impl->client = std::move(*client);
  impl->bundleId = impl->bundle.id();
  return CompiledModel(std::move(impl));
}

} // namespace nesa::model
