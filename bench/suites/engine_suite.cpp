// engine: what privacy costs. hss latency (2 in-process miners) against the local run of the
// same model and input, and each share kernel against plain fp32 on the same op.
#include "harness.h"
#include "model/compiled_model.h"
#include "privacy/engine.h"
#include "privacy/internal/share_kernels.h"
#include "privacy/local_miner.h"
#include "reference_models.h"
#include "suites/or_die.h"
#include "suites/suites.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

namespace nesa::bench {
namespace {

using namespace nesa::privacy;
namespace fs = std::filesystem;

// This suite's fixtures: exit with a message when their setup fails.
template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "engine", what);
}

struct ModelFixture {
  model::CompiledModel compiled;
  model::TensorData input;
  std::shared_ptr<Engine> engine;
};

ModelFixture makeModel(const testing::ReferenceModel &reference) {
  auto compiled = orDie(model::compileModel(reference.file), "compile");
  at::manual_seed(3);
  auto tensor = at::randn(reference.inputShape);
  model::TensorData input{model::DType::F32, reference.inputShape, {}};
  input.bytes.assign(reinterpret_cast<const std::uint8_t *>(tensor.data_ptr<float>()),
                     reinterpret_cast<const std::uint8_t *>(tensor.data_ptr<float>()) +
                         tensor.nbytes());
  auto engine = std::make_shared<Engine>(std::vector<std::shared_ptr<MinerEndpoint>>{
      std::make_shared<LocalMiner>("a"), std::make_shared<LocalMiner>("b")});
  return {std::move(compiled), std::move(input), std::move(engine)};
}

double localRun(const ModelFixture &f) {
  RunOptions options;
  options.level = PrivacyLevel::Local;
  return timeMs([&] { orDie(f.engine->run(f.compiled, f.input, options), "local run"); });
}

// Online latency: the seeded share is precomputed first (untimed), as the design allows.
double hssOnline(const ModelFixture &f, ShareArithmetic arithmetic) {
  RunOptions options;
  options.arithmetic = arithmetic;
  auto prepared = orDie(f.engine->prepare(f.compiled, f.input.shape, options), "prepare");
  return timeMs([&] { orDie(f.engine->run(f.compiled, f.input, options, prepared), "hss run"); });
}

// The client's own online work: the online latency minus the masked-share miner's round
// trips (on a network that miner is another machine, typically with a GPU).
double hssClientSide(const ModelFixture &f, ShareArithmetic arithmetic) {
  RunOptions options;
  options.arithmetic = arithmetic;
  auto prepared = orDie(f.engine->prepare(f.compiled, f.input.shape, options), "prepare");
  privacy::RunReport report;
  const double total = timeMs([&] {
    report = orDie(f.engine->run(f.compiled, f.input, options, prepared), "hss run").report;
  });
  double miner = 0;
  for (const auto &call : report.calls)
    for (const auto &work : call.miners)
      if (!work.precomputed)
        miner += work.ms;
  return total - miner;
}

double hssPrecompute(const ModelFixture &f, ShareArithmetic arithmetic) {
  RunOptions options;
  options.arithmetic = arithmetic;
  return timeMs([&] { orDie(f.engine->prepare(f.compiled, f.input.shape, options), "prepare"); });
}

// Everything on demand: seeded shares computed during the query, in parallel with the masked one.
double hssCold(const ModelFixture &f, ShareArithmetic arithmetic) {
  RunOptions options;
  options.arithmetic = arithmetic;
  return timeMs([&] { orDie(f.engine->run(f.compiled, f.input, options), "hss run"); });
}

struct KernelFixture {
  PreparedOp op;
  at::Tensor x32, w32, b32, x64, xField;
};

KernelFixture makeConvKernel() {
  at::manual_seed(5);
  model::LinearOp op{model::LinearKind::Conv2d, {}, std::nullopt, {1, 1}, {1, 1}, {1, 1}, 1};
  auto w = at::randn({64, 64, 3, 3}) * 0.05;
  op.weight = model::TensorData{model::DType::F32, {64, 64, 3, 3}, {}};
  op.weight.bytes.assign(reinterpret_cast<const std::uint8_t *>(w.data_ptr<float>()),
                         reinterpret_cast<const std::uint8_t *>(w.data_ptr<float>()) + w.nbytes());
  KernelFixture k{prepareOp(op, 18), at::randn({1, 64, 64, 64}), w, {}, {}, {}};
  k.x64 = k.x32.to(at::kDouble) * 1e6;
  k.xField = expandFieldMask(randomSeed(), 0, {1, 64, 64, 64});
  return k;
}

KernelFixture makeGemmKernel() {
  at::manual_seed(6);
  model::LinearOp op{model::LinearKind::Linear, {}, std::nullopt, {}, {}, {}, 1};
  auto w = at::randn({512, 512}) * 0.05;
  op.weight = model::TensorData{model::DType::F32, {512, 512}, {}};
  op.weight.bytes.assign(reinterpret_cast<const std::uint8_t *>(w.data_ptr<float>()),
                         reinterpret_cast<const std::uint8_t *>(w.data_ptr<float>()) + w.nbytes());
  KernelFixture k{prepareOp(op, 18), at::randn({512, 512}), w, {}, {}, {}};
  k.x64 = k.x32.to(at::kDouble) * 1e6;
  k.xField = expandFieldMask(randomSeed(), 0, {512, 512});
  return k;
}

std::vector<Comparison> makeComparisons() {
  const fs::path dir =
      fs::temp_directory_path() / ("nesa-bench-engine-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto cnn = std::make_shared<ModelFixture>(makeModel(testing::writeCnn(dir / "cnn.pt", 32, 64)));
  auto transformer =
      std::make_shared<ModelFixture>(makeModel(testing::writeTransformer(dir / "tf.pt")));
  std::error_code ec;
  fs::remove_all(dir, ec);
  auto conv = std::make_shared<KernelFixture>(makeConvKernel());
  auto gemm = std::make_shared<KernelFixture>(makeGemmKernel());
  const auto f64 = ShareArithmetic::F64Masked, ring = ShareArithmetic::Ring64;

  auto localCnn = [cnn] { return localRun(*cnn); };
  auto localTf = [transformer] { return localRun(*transformer); };
  auto convF32 = [conv] {
    return timeMs([&] { (void)at::conv2d(conv->x32, conv->w32, {}, 1, 1); });
  };
  auto gemmF32 = [gemm] { return timeMs([&] { (void)at::linear(gemm->x32, gemm->w32); }); };
  // The f64-masked share of the conv's input: on the masks' lattice (what the engine does) vs
  // the plain x + s·u it replaced (whose low bits gave x away).
  auto convMask = std::make_shared<at::Tensor>(expandUniformMask(randomSeed(), 0, {1, 64, 64, 64}));
  auto plainMasking = [conv, convMask] {
    return timeMs([&] {
      const double largest = conv->x64.abs().max().item<double>();
      const double scale = std::ldexp(std::exp2(std::ceil(std::log2(largest))), 20);
      (void)at::add(conv->x64, *convMask, scale);
    });
  };
  return {
      {"cnn_hss_f64_online_vs_local", "ms", localCnn, [cnn, f64] { return hssOnline(*cnn, f64); }},
      {"cnn_hss_f64_client_side_vs_local", "ms", localCnn,
       [cnn, f64] { return hssClientSide(*cnn, f64); }},
      {"cnn_hss_f64_precompute_vs_local", "ms", localCnn,
       [cnn, f64] { return hssPrecompute(*cnn, f64); }},
      {"cnn_hss_f64_cold_vs_local", "ms", localCnn, [cnn, f64] { return hssCold(*cnn, f64); }},
      {"cnn_hss_ring64_online_vs_local", "ms", localCnn,
       [cnn, ring] { return hssOnline(*cnn, ring); }},
      {"cnn_hss_ring64_client_side_vs_local", "ms", localCnn,
       [cnn, ring] { return hssClientSide(*cnn, ring); }},
      {"cnn_hss_ring64_precompute_vs_local", "ms", localCnn,
       [cnn, ring] { return hssPrecompute(*cnn, ring); }},
      {"transformer_hss_f64_online_vs_local", "ms", localTf,
       [transformer, f64] { return hssOnline(*transformer, f64); }},
      {"transformer_hss_ring64_online_vs_local", "ms", localTf,
       [transformer, ring] { return hssOnline(*transformer, ring); }},
      {"conv64_input_masking_on_lattice_vs_plain", "ms", plainMasking,
       [conv, convMask] { return timeMs([&] { (void)maskF64(conv->x64, {*convMask}, 20); }); }},
      {"conv64_share_f64_vs_f32", "ms", convF32,
       [conv] { return timeMs([&] { (void)applyF64(conv->op, conv->x64, true); }); }},
      {"conv64_share_ring64_vs_f32", "ms", convF32,
       [conv] { return timeMs([&] { (void)applyField(conv->op, conv->xField, true); }); }},
      {"gemm512_share_f64_vs_f32", "ms", gemmF32,
       [gemm] { return timeMs([&] { (void)applyF64(gemm->op, gemm->x64, true); }); }},
      {"gemm512_share_ring64_vs_f32", "ms", gemmF32,
       [gemm] { return timeMs([&] { (void)applyField(gemm->op, gemm->xField, true); }); }},
      {"gemm512_ring64_limbs_vs_int64_mm", "ms",
       [gemm] { return timeMs([&] { (void)at::mm(gemm->xField, gemm->op.weightFixed.t()); }); },
       [gemm] { return timeMs([&] { (void)applyField(gemm->op, gemm->xField, false); }); }},
  };
}

} // namespace

void registerEngineSuite() {
  registerSuite(
      {"engine", "hss (2 in-process miners) vs local; share kernels vs fp32", makeComparisons});
}

} // namespace nesa::bench
