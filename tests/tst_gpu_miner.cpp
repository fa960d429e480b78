// A miner's share jobs on the GPU against the same jobs on the CPU: ring64 results must be
// identical (field arithmetic is exact), f64-masked ones equal to rounding. Exit code 77
// (CTest: skipped) without a usable device.
#include "gpu/dense_ops.h"
#include "gpu/device_probe.h"
#include "model/compiled_model.h"
#include "privacy/local_miner.h"
#include "privacy/prg.h"
#include "reference_models.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

using namespace nesa;
using namespace nesa::privacy;

int main() {
  const auto report = gpu::probe();
  if (report.devices.empty() || !gpu::hasKernels()) {
    std::printf("SKIP: no GPU on this machine (%s)\n", report.reason.c_str());
    return 77;
  }
  const auto dir = std::filesystem::temp_directory_path() / "nesa-tst-gpu-miner";
  std::filesystem::create_directories(dir);
  int failures = 0;
  for (const auto &reference :
       {testing::writeMlp(dir / "mlp.pt"), testing::writeCnn(dir / "cnn.pt", 16, 32),
        testing::writeVolumeCnn(dir / "volume.pt")}) {
    auto compiled = model::compileModel(reference.file);
    if (!compiled) {
      std::printf("FAIL: %s\n", compiled.error().message.c_str());
      return 1;
    }
    const auto &bundle = compiled->bundle();
    LocalMiner cpu("cpu"), gpu("gpu", report.devices.front().index);
    (void)cpu.installBundle(bundle, compiled->bundleId());
    (void)gpu.installBundle(bundle, compiled->bundleId());
    for (std::size_t op = 0; op < bundle.ops.size(); ++op)
      for (auto arithmetic : {ShareArithmetic::F64Masked, ShareArithmetic::Ring64}) {
        // A seeded job: both miners expand the same mask, so only the products differ.
        ShareJob job;
        job.bundleId = compiled->bundleId();
        job.ops = {static_cast<std::int64_t>(op)};
        job.arithmetic = arithmetic;
        job.addBias = true;
        job.seed = randomSeed();
        const auto &weight = bundle.ops[op].weight.shape;
        job.seedShape = bundle.ops[op].kind == model::LinearKind::Linear
                            ? std::vector<std::int64_t>{3, weight[1]}
                            : reference.inputShape;
        if (op > 0 && bundle.ops[op].kind != model::LinearKind::Linear)
          continue; // later convolutions need the previous layers' shapes
        auto a = cpu.compute(job), b = gpu.compute(job);
        if (!a || !b) {
          std::printf("FAIL: op %zu: %s\n", op, (!a ? a : b).error().message.c_str());
          ++failures;
          continue;
        }
        double worst = 0, scale = 0;
        const auto n = static_cast<std::size_t>(a->output.numel());
        for (std::size_t i = 0; i < n; ++i) {
          double x, y;
          std::memcpy(&x, a->output.bytes.data() + 8 * i, 8);
          std::memcpy(&y, b->output.bytes.data() + 8 * i, 8);
          if (arithmetic == ShareArithmetic::Ring64) {
            if (std::memcmp(&x, &y, 8) != 0)
              worst = 1;
          } else {
            worst = std::max(worst, std::abs(x - y));
            scale = std::max(scale, std::abs(x));
          }
        }
        const bool ok = arithmetic == ShareArithmetic::Ring64
                            ? worst == 0
                            : worst <= 1e-9 * std::max(1.0, scale);
        std::printf("%s: %s op %zu (%s) on GPU vs CPU: %s\n", ok ? "PASS" : "FAIL",
                    reference.file.filename().c_str(), op, arithmeticName(arithmetic),
                    arithmetic == ShareArithmetic::Ring64 ? (ok ? "identical" : "differ")
                                                          : std::to_string(worst).c_str());
        failures += ok ? 0 : 1;
      }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return failures == 0 ? 0 : 1;
}
