#include "privacy/internal/client_program.h"

#include "model/internal/remote_call.h"

#include <torch/csrc/jit/ir/ir.h>

#include <set>
#include <sstream>
#include <string>

namespace nesa::privacy {

namespace {

// What a client program may do on a miner: maths on its activations, no I/O, no calls out of
// the graph, no loops (a loop could keep a miner busy forever).
const std::set<std::string> kAllowedOps = {
    // the remote linear calls, computed from the miner's copy of the bundle
    model::kRemoteLinearOp,
    // element-wise activations
    "aten::relu", "aten::relu_", "aten::leaky_relu", "aten::leaky_relu_", "aten::gelu",
    "aten::sigmoid", "aten::sigmoid_", "aten::tanh", "aten::tanh_", "aten::silu", "aten::silu_",
    "aten::hardtanh", "aten::hardtanh_", "aten::relu6", "aten::elu", "aten::elu_",
    "aten::hardswish", "aten::hardswish_", "aten::hardsigmoid", "aten::hardsigmoid_",
    "aten::softplus", "aten::mish", "aten::exp", "aten::log", "aten::abs", "aten::sqrt",
    "aten::rsqrt", "aten::clamp", "aten::clamp_min", "aten::clamp_max", "aten::softmax",
    "aten::log_softmax", "aten::neg", "aten::dropout",
    // arithmetic with scalars or other activations
    "aten::add", "aten::add_", "aten::sub", "aten::sub_", "aten::mul", "aten::mul_", "aten::div",
    "aten::div_", "aten::rsub",
    // pooling and upsampling
    "aten::max_pool1d", "aten::max_pool2d", "aten::max_pool3d", "aten::avg_pool1d",
    "aten::avg_pool2d", "aten::avg_pool3d", "aten::adaptive_avg_pool1d",
    "aten::adaptive_avg_pool2d", "aten::adaptive_avg_pool3d", "aten::adaptive_max_pool1d",
    "aten::adaptive_max_pool2d", "aten::adaptive_max_pool3d", "aten::upsample_nearest1d",
    "aten::upsample_nearest2d", "aten::upsample_nearest3d", "aten::upsample_bilinear2d",
    "aten::upsample_trilinear3d",
    // layout and reductions
    "aten::flatten", "aten::mean", "aten::sum", "aten::amax", "aten::contiguous", "aten::clone",
    "aten::detach", "aten::to",
    // shapes, scalars and their comparisons
    "aten::size", "aten::dim", "aten::numel", "aten::len", "aten::__getitem__", "aten::Int",
    "aten::Float", "aten::Bool", "aten::ScalarImplicit", "aten::eq", "aten::ne", "aten::lt",
    "aten::gt", "aten::le", "aten::ge", "aten::__is__", "aten::__isnot__", "aten::__not__",
    "aten::floordiv", "aten::format", "aten::warn",
    // the graph's own structure
    "prim::Constant", "prim::ListConstruct", "prim::ListUnpack", "prim::TupleConstruct",
    "prim::TupleUnpack", "prim::TupleIndex", "prim::NumToTensor", "prim::If",
    "prim::RaiseException", "prim::Uninitialized", "prim::unchecked_cast", "prim::device",
    "prim::dtype", "prim::shape", "prim::min", "prim::max"};

// The first node (in `block` or blocks inside it) whose op is not allowed.
const torch::jit::Node *firstRefused(const torch::jit::Block &block) {
  for (const torch::jit::Node *node : block.nodes()) {
    if (!kAllowedOps.count(node->kind().toQualString()))
      return node;
    for (const torch::jit::Block *inner : node->blocks())
      if (const auto *refused = firstRefused(*inner))
        return refused;
  }
  return nullptr;
}

Result<void> checkProgram(const torch::jit::Module &program) {
  const auto forward = program.find_method("forward");
  if (!forward)
    return fail(ErrorCode::InvalidInput, "the client program has no forward method");
  const auto &graph = *forward->graph();
  if (graph.inputs().size() != 2 || graph.outputs().size() != 1)
    return fail(ErrorCode::InvalidInput, "a client program takes one tensor and returns one value");
  if (const auto *refused = firstRefused(*graph.block()))
    return fail(ErrorCode::InvalidInput, std::string("the client program uses ") +
                                             refused->kind().toQualString() +
                                             ", which a miner does not run");
  return {};
}

} // namespace

Result<std::vector<std::uint8_t>> serializeClientProgram(const torch::jit::Module &client) {
  if (auto allowed = checkProgram(client); !allowed)
    return allowed.error();
  std::ostringstream out;
  try {
    client.save(out);
  } catch (const c10::Error &e) {
    return fail(ErrorCode::Internal,
                std::string("cannot save the client program: ") + e.what_without_backtrace());
  }
  const std::string bytes = out.str();
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

Result<torch::jit::Module> loadClientProgram(std::span<const std::uint8_t> bytes) {
  if (bytes.empty())
    return fail(ErrorCode::InvalidInput, "the bundle holds no client program");
  model::ensureRemoteLinearRegistered();
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  torch::jit::Module program;
  try {
    program = torch::jit::load(in, c10::Device(c10::kCPU));
  } catch (const std::exception &) {
    return fail(ErrorCode::InvalidInput, "the bundle's client program is not a TorchScript "
                                         "archive this miner can load");
  }
  if (auto allowed = checkProgram(program); !allowed)
    return allowed.error();
  program.eval();
  return program;
}

} // namespace nesa::privacy
