// nesa-gpu-bench: the miner's float64 GPU kernels (core/gpu) against a multi-threaded CPU loop
// of ours doing the same arithmetic, in the same run. A plain program (no Qt, no libtorch), so it
// runs on bare GPU machines; without a device it says so and exits 77.
#include "gpu/conv_geometry.h"
#include "gpu/dense_ops.h"
#include "gpu/device_probe.h"
#include "harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace {

using namespace nesa;

std::vector<double> randomValues(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1, 1);
  std::vector<double> v(n);
  for (auto &x : v)
    x = uniform(rng);
  return v;
}

// Runs body(begin, end) over [0, count) split across every hardware thread.
template <typename Body> void parallelRows(std::int64_t count, Body body) {
  const auto workers = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  const std::int64_t chunk = (count + workers - 1) / workers;
  std::vector<std::thread> threads;
  for (std::int64_t begin = 0; begin < count; begin += chunk)
    threads.emplace_back(body, begin, std::min(count, begin + chunk));
  for (auto &t : threads)
    t.join();
}

// y[M×N] = x[M×K] · w[N×K]ᵀ: both operands walked contiguously (dot products).
void cpuLinear(const double *x, const double *w, double *y, std::int64_t m, std::int64_t k,
               std::int64_t n) {
  parallelRows(m, [=](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (std::int64_t t = 0; t < k; ++t)
          sum += x[i * k + t] * w[j * k + t];
        y[i * n + j] = sum;
      }
  });
}

// The convolution as the GPU computes it (patch matrix × weights), on the CPU.
void cpuConv(const double *x, const double *w, double *y, const gpu::ConvGeometry &c) {
  const std::int64_t rows = c.patchSize(), columns = c.outputSpatial();
  std::vector<double> patchesT(static_cast<std::size_t>(rows * columns)); // [columns × rows]
  for (std::int64_t col = 0; col < columns; ++col)
    for (std::int64_t r = 0; r < rows; ++r)
      patchesT[static_cast<std::size_t>(col * rows + r)] = gpu::patchValue(c, x, 0, 0, r, col);
  std::vector<double> yT(static_cast<std::size_t>(columns * c.outChannels));
  cpuLinear(patchesT.data(), w, yT.data(), columns, rows, c.outChannels);
  for (std::int64_t o = 0; o < c.outChannels; ++o)
    for (std::int64_t col = 0; col < columns; ++col)
      y[o * columns + col] = yT[static_cast<std::size_t>(col * c.outChannels + o)];
}

bench::Comparison linearComparison(std::int64_t size, int device) {
  auto x = std::make_shared<std::vector<double>>(randomValues(size * size, 1));
  auto w = std::make_shared<std::vector<double>>(randomValues(size * size, 2));
  auto y = std::make_shared<std::vector<double>>(size * size);
  return {"linear_f64_" + std::to_string(size) + "_gpu_vs_cpu", "ms",
          [=] {
            return bench::timeMs(
                [&] { cpuLinear(x->data(), w->data(), y->data(), size, size, size); });
          },
          [=] {
            return bench::timeMs([&] {
              if (!gpu::linearF64(x->data(), w->data(), y->data(), size, size, size, device))
                std::abort();
            });
          }};
}

bench::Comparison convComparison(std::int64_t channels, std::int64_t pixels, int device) {
  gpu::ConvGeometry c;
  c.inChannels = c.outChannels = channels;
  c.input[0] = c.input[1] = pixels;
  c.kernel[0] = c.kernel[1] = 3;
  c.padding[0] = c.padding[1] = 1;
  c.complete();
  auto x = std::make_shared<std::vector<double>>(randomValues(channels * pixels * pixels, 3));
  auto w = std::make_shared<std::vector<double>>(randomValues(channels * c.patchSize(), 4));
  auto y = std::make_shared<std::vector<double>>(channels * c.outputSpatial());
  return {"conv3x3_f64_" + std::to_string(channels) + "ch_" + std::to_string(pixels) +
              "px_gpu_vs_cpu",
          "ms", [=] { return bench::timeMs([&] { cpuConv(x->data(), w->data(), y->data(), c); }); },
          [=] {
            return bench::timeMs([&] {
              if (!gpu::convF64(x->data(), w->data(), y->data(), c, device))
                std::abort();
            });
          }};
}

} // namespace

int main() {
  const auto report = gpu::probe();
  std::fputs(gpu::describe(report).c_str(), stdout);
  if (report.devices.empty() || !gpu::hasKernels()) {
    std::puts("SKIP: no GPU on this machine");
    return 77;
  }
  const int device = report.devices.front().index;
  std::printf("CPU baseline: %u threads\n", std::max(1u, std::thread::hardware_concurrency()));
  bench::Options options;
  options.repeats = 5;
  for (const auto &comparison : {linearComparison(512, device), linearComparison(2048, device),
                                 convComparison(64, 64, device), convComparison(64, 256, device)})
    std::puts(bench::formatOutcome(bench::run("gpu", comparison, options)).c_str());
  return 0;
}
