#include "privacy/local_miner.h"

#include "model/internal/remote_call.h"
#include "model/internal/tensor_convert.h"
#include "privacy/field.h"
#include "privacy/internal/client_program.h"
#include "privacy/internal/share_kernels.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/jit/runtime/interpreter.h>
#include <torch/script.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

namespace nesa::privacy {

struct LocalMiner::Installed {
  std::shared_ptr<const model::LinearBundle> bundle;
  std::string bundleId;
  std::mutex mutex;
  std::map<std::pair<ShareArithmetic, int>, std::shared_ptr<const std::vector<PreparedOp>>>
      preparedFor;

  // The ops prepared for `arithmetic` (and `fracBits`, which only ring64 uses).
  std::shared_ptr<const std::vector<PreparedOp>> prepared(ShareArithmetic arithmetic,
                                                          int fracBits) {
    std::lock_guard lock(mutex);
    auto &slot = preparedFor[{arithmetic, arithmetic == ShareArithmetic::Ring64 ? fracBits : 0}];
    if (!slot)
      slot = sharedPreparedOps(*bundle, bundleId, arithmetic, fracBits);
    return slot;
  }

  // The bundle's client program, parsed, checked and made ready for the interpreter on first
  // use (and refused for good).
  Result<std::shared_ptr<const torch::jit::Code>> program() {
    std::lock_guard lock(mutex);
    if (!loadedProgram) {
      auto graph = loadClientProgram(bundle->program);
      if (!graph) {
        loadedProgram = graph.error();
      } else {
        try {
          loadedProgram = std::make_shared<const torch::jit::Code>(*graph, "client program");
        } catch (const std::exception &) { // an op libtorch cannot run as the text gives it
          loadedProgram = fail(ErrorCode::InvalidInput, "the client program cannot be run");
        }
      }
    }
    return *loadedProgram;
  }

private:
  std::optional<Result<std::shared_ptr<const torch::jit::Code>>> loadedProgram;
};

int setComputeThreads(int threads) {
  if (threads <= 0) {
    const char *fromEnvironment = std::getenv("OMP_NUM_THREADS");
    char *end = nullptr;
    const long asked = fromEnvironment ? std::strtol(fromEnvironment, &end, 10) : 0;
    threads = asked > 0 && asked <= 4096 && end && *end == '\0'
                  ? static_cast<int>(asked)
                  : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  at::set_num_threads(threads);
  return at::get_num_threads();
}

LocalMiner::LocalMiner(std::string id, int gpuDevice)
    : m_id(std::move(id)), m_gpuDevice(gpuDevice) {}

LocalMiner::~LocalMiner() = default;

Result<void> LocalMiner::installBundle(const model::LinearBundle &bundle,
                                       const std::string &bundleId) {
  if (find(bundleId))
    return {};
  return installShared(std::make_shared<const model::LinearBundle>(bundle), bundleId);
}

Result<void> LocalMiner::installShared(std::shared_ptr<const model::LinearBundle> bundle,
                                       const std::string &bundleId) {
  if (!bundle)
    return fail(ErrorCode::InvalidInput, "no bundle to install");
  if (find(bundleId))
    return {};
  // A bundle this process registered under its id was checked (or made) by whoever did; any
  // other is hashed here, outside the lock (seconds for gigabytes).
  if (model::sharedInProcess(bundleId) != bundle && bundle->id() != bundleId)
    return fail(ErrorCode::Corrupt, "bundle content does not hash to " + bundleId);
  std::lock_guard lock(m_mutex);
  if (m_bundles.count(bundleId))
    return {};
  auto installed = std::make_shared<Installed>();
  installed->bundle = std::move(bundle);
  installed->bundleId = bundleId;
  m_bundles.emplace(bundleId, std::move(installed));
  return {};
}

void LocalMiner::uninstallBundle(const std::string &bundleId) {
  std::lock_guard lock(m_mutex);
  m_bundles.erase(bundleId); // a running job holds its own reference
}

std::shared_ptr<LocalMiner::Installed> LocalMiner::find(const std::string &bundleId) {
  std::lock_guard lock(m_mutex);
  auto it = m_bundles.find(bundleId);
  return it == m_bundles.end() ? nullptr : it->second;
}

Result<ShareReply> LocalMiner::compute(const ShareJob &job) {
  if (job.wholeProgram)
    return runWholeProgram(job);
  const auto start = std::chrono::steady_clock::now();
  std::int64_t inner = 0;
  auto output = apply(job, false, inner);
  if (!output)
    return output.error();
  ShareReply reply;
  reply.output = std::move(*output);
  reply.computeMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return reply;
}

Result<ShareReply> LocalMiner::runWholeProgram(const ShareJob &job) {
  const auto start = std::chrono::steady_clock::now();
  auto installed = find(job.bundleId);
  if (!installed)
    return fail(ErrorCode::NotFound, "miner " + m_id + " does not have bundle " + job.bundleId);
  if (job.arithmetic != ShareArithmetic::F32 || !job.input ||
      job.input->dtype != model::DType::F32 || !job.ops.empty())
    return fail(ErrorCode::InvalidInput,
                "a whole program's job carries a float32 input and no ops");
  const auto prepared = installed->prepared(ShareArithmetic::F32, 0);
  ShareReply reply;
  try {
    auto program = installed->program();
    if (!program)
      return program.error();
    const GpuScope onDevice(m_gpuDevice);
    // A copy: the program's in-place ops must not change the job the answer is signed for.
    const at::Tensor x = model::viewOf(*job.input).clone();
    if (!at::isfinite(x).all().item<bool>())
      return fail(ErrorCode::InvalidInput, "the input holds values that are not finite");
    // Every remote call the program makes is computed here from the bundle, as a per-call job
    // would be, and its output kept for the client to check.
    std::uint64_t outputBytes = 0;
    model::RemoteLinearScope scope([&](const std::vector<std::int64_t> &ops, const at::Tensor &in) {
      TORCH_CHECK(reply.callOutputs.size() < kMaxProgramCalls, "the program makes more than ",
                  kMaxProgramCalls, " remote calls");
      TORCH_CHECK(!ops.empty() && ops.size() <= kMaxChainOps, "a remote call of ", ops.size(),
                  " ops");
      at::Tensor y = in.to(at::kFloat).contiguous();
      for (auto index : ops) {
        TORCH_CHECK(index >= 0 && index < static_cast<std::int64_t>(prepared->size()), "op ", index,
                    " is not in the bundle");
        y = applyF32((*prepared)[static_cast<std::size_t>(index)], y, true);
      }
      outputBytes += static_cast<std::uint64_t>(y.numel()) * 4;
      TORCH_CHECK(outputBytes <= kMaxProgramOutputBytes, "the program's call outputs exceed ",
                  kMaxProgramOutputBytes, " bytes");
      reply.callOutputs.push_back(model::fromTensor(y));
      return y;
    });
    c10::InferenceMode guard;
    torch::jit::Stack stack{x};
    torch::jit::InterpreterState(**program).run(stack);
    const auto output = stack.empty() ? c10::IValue() : stack.back();
    if (!output.isTensor())
      return fail(ErrorCode::InvalidInput, "the client program does not return a tensor");
    reply.output = model::fromTensor(output.toTensor().to(at::kFloat).contiguous());
  } catch (const std::exception &e) {
    return fail(ErrorCode::InvalidInput,
                "miner " + m_id + " cannot run the client program: " + interpreterError(e));
  }
  reply.computeMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return reply;
}

Result<RoundingScale> LocalMiner::roundingScale(const ShareJob &job) {
  if (job.arithmetic == ShareArithmetic::Ring64)
    return fail(ErrorCode::InvalidInput, "ring64 answers are exact, not rounded");
  std::int64_t inner = 0;
  auto magnitudes = apply(job, true, inner);
  if (!magnitudes)
    return magnitudes.error();
  // γ_n = n·u/(1 − n·u), and 1 % more for the rounding of the magnitudes themselves.
  const double steps = static_cast<double>(inner) + 2.0 * static_cast<double>(job.ops.size());
  const double unit = job.arithmetic == ShareArithmetic::F32 ? 0x1p-24 : 0x1p-53;
  const double nu = steps * unit;
  return RoundingScale{std::move(*magnitudes), 1.01 * nu / (1.0 - nu)};
}

Result<model::TensorData> LocalMiner::apply(const ShareJob &job, bool absolute,
                                            std::int64_t &inner) {
  auto installed = find(job.bundleId);
  if (!installed)
    return fail(ErrorCode::NotFound, "miner " + m_id + " does not have bundle " + job.bundleId);
  const auto &ops = installed->bundle->ops;
  if (job.ops.empty())
    return fail(ErrorCode::InvalidInput, "a share job needs at least one op");
  for (auto index : job.ops)
    if (index < 0 || index >= static_cast<std::int64_t>(ops.size()))
      return fail(ErrorCode::InvalidInput, "op " + std::to_string(index) + " is not in the bundle");
  const bool ring = job.arithmetic == ShareArithmetic::Ring64;
  const bool f32 = job.arithmetic == ShareArithmetic::F32;
  if (f32 && !job.input)
    return fail(ErrorCode::InvalidInput, "an f32 job carries its input (it is never seeded)");
  if (ring && job.ops.size() != 1)
    return fail(ErrorCode::InvalidInput, "ring64 jobs run one op at a time");
  if (ring && (job.fracBits < 4 || job.fracBits > 24))
    return fail(ErrorCode::InvalidInput, "fracBits must be between 4 and 24");

  try {
    const GpuScope onDevice(m_gpuDevice);
    at::Tensor x;
    if (job.input) {
      const auto expected = ring ? model::DType::I64 : f32 ? model::DType::F32 : model::DType::F64;
      if (job.input->dtype != expected)
        return fail(ErrorCode::InvalidInput, std::string("a ") + arithmeticName(job.arithmetic) +
                                                 " share must be " + model::dtypeName(expected));
      x = model::viewOf(*job.input); // the job outlives this computation; nothing writes to x
      if (!ring && !at::isfinite(x).all().item<bool>())
        return fail(ErrorCode::InvalidInput, "a float share holds values that are not finite");
      if (ring && (x.lt(0).any().item<bool>() ||
                   x.ge(static_cast<std::int64_t>(field::kP)).any().item<bool>()))
        return fail(ErrorCode::InvalidInput, "a ring64 share holds values outside the field");
    } else {
      std::int64_t numel = 1;
      for (auto d : job.seedShape) {
        if (d < 0 || d > (std::int64_t{1} << 31) || (numel *= d) > (std::int64_t{1} << 31))
          return fail(ErrorCode::InvalidInput, "the seeded share's shape is invalid or too large");
      }
      x = ring ? expandFieldMask(job.seed, job.nonce, job.seedShape)
               : expandUniformMask(job.seed, job.nonce, job.seedShape);
    }
    const auto prepared = installed->prepared(job.arithmetic, job.fracBits);
    if (absolute) // magnitudes are float64 whatever the job's type
      x = x.abs().to(at::kDouble);
    for (auto index : job.ops) {
      const auto &op = (*prepared)[static_cast<std::size_t>(index)];
      inner += op.inner;
      if (absolute) {
        PreparedOp magnitude = op;
        magnitude.weight = op.weight.abs();
        if (op.bias.defined())
          magnitude.bias = op.bias.abs();
        x = applyF64(magnitude, x, job.addBias);
      } else {
        x = ring  ? applyField(op, x, job.addBias)
            : f32 ? applyF32(op, x, job.addBias)
                  : applyF64(op, x, job.addBias);
      }
    }
    return model::fromTensor(x);
  } catch (const c10::Error &e) {
    return fail(ErrorCode::InvalidInput,
                "miner " + m_id + " cannot compute the job: " + e.what_without_backtrace());
  }
}

} // namespace nesa::privacy
