// blas: the dense kernels the private engine depends on, through libtorch on this machine.
// The engine's share arithmetic needs fp64 (f64-masked) and int64 (ring64); each is measured
// against fp32, the speed a plain local run gets; and one row (a generated token) through a wide
// matrix as model::linearRows computes it against at::linear.
#include "harness.h"
#include "llm/internal/q8_rows.h"
#include "model/internal/linear_rows.h"
#include "suites/suites.h"

#include <ATen/ATen.h>

namespace nesa::bench {
namespace {

double timeMatmul(const at::Tensor &a, const at::Tensor &b) {
  return timeMs([&] { (void)at::mm(a, b); });
}

double timeConv(const at::Tensor &x, const at::Tensor &w) {
  return timeMs([&] { (void)at::conv2d(x, w, {}, 1, 1); });
}

std::vector<Comparison> makeComparisons() {
  at::manual_seed(7);
  const auto a32 = at::randn({512, 512});
  const auto b32 = at::randn({512, 512});
  const auto a64 = a32.to(at::kDouble), b64 = b32.to(at::kDouble);
  const auto aI = at::randint(-1000, 1000, {512, 512}, at::kLong);
  const auto bI = at::randint(-1000, 1000, {512, 512}, at::kLong);
  const auto x32 = at::randn({1, 64, 64, 64}), w32 = at::randn({64, 64, 3, 3});
  const auto x64 = x32.to(at::kDouble), w64 = w32.to(at::kDouble);
  const auto row32 = at::randn({1, 2048}), wide32 = at::randn({8192, 2048});
  const auto row64 = row32.to(at::kDouble), wide64 = wide32.to(at::kDouble);
  auto wideQ8 = std::make_shared<llm::Q8Rows>();
  wideQ8->rows = 8192;
  wideQ8->columns = 2048;
  wideQ8->values.assign(8192 * 2048, 3);
  wideQ8->scales.assign(8192 * 2048 / 32, 0.01f);
  return {
      {"gemm512_f64_vs_f32", "ms", [=] { return timeMatmul(a32, b32); },
       [=] { return timeMatmul(a64, b64); }},
      {"gemm512_i64_vs_f32", "ms", [=] { return timeMatmul(a32, b32); },
       [=] { return timeMatmul(aI, bI); }},
      {"conv3x3_64ch_64px_f64_vs_f32", "ms", [=] { return timeConv(x32, w32); },
       [=] { return timeConv(x64, w64); }},
      // One token through a 1B model's MLP matrix: what generation does per layer.
      {"one_row_linear_8192x2048_f32_rows_vs_linear", "ms",
       [=] { return timeMs([&] { (void)at::linear(row32, wide32); }); },
       [=] { return timeMs([&] { (void)model::linearRows(row32, wide32, {}); }); }},
      {"one_row_linear_8192x2048_f64_rows_vs_linear", "ms",
       [=] { return timeMs([&] { (void)at::linear(row64, wide64); }); },
       [=] { return timeMs([&] { (void)model::linearRows(row64, wide64, {}); }); }},
      // The same row through the matrix kept as Q8_0 (local generation of a GGUF model).
      {"one_row_8192x2048_q8_0_vs_f32_rows", "ms",
       [=] { return timeMs([&] { (void)model::linearRows(row32, wide32, {}); }); },
       [=] { return timeMs([&] { (void)llm::q8MatMul(*wideQ8, row32); }); }},
  };
}

} // namespace

void registerBlasSuite() {
  registerSuite(
      {"blas", "fp64 and int64 GEMM/convolution vs fp32 (libtorch + OpenBLAS)", makeComparisons});
}

} // namespace nesa::bench
