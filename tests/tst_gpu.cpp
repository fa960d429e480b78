// The GPU probe, self-test and float64 kernels. The convolution's index arithmetic is checked on
// the CPU everywhere; the kernels themselves need a device. Exit code 77 (CTest: skipped) when
// there is no usable device.
#include "gpu/conv_geometry.h"
#include "gpu/device_probe.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

using nesa::gpu::ConvGeometry;

std::vector<double> randomValues(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uniform(-1, 1);
  std::vector<double> v(n);
  for (auto &x : v)
    x = uniform(rng);
  return v;
}

std::int64_t spatial(const std::int64_t *sizes, int dims) {
  std::int64_t n = 1;
  for (int d = 0; d < dims; ++d)
    n *= sizes[d];
  return n;
}

// The convolution straight from its definition.
std::vector<double> directConv(const ConvGeometry &c, const std::vector<double> &x,
                               const std::vector<double> &w) {
  const std::int64_t inS = spatial(c.input, c.dims), outS = spatial(c.output, c.dims);
  const std::int64_t taps = spatial(c.kernel, c.dims), cin = c.inChannels / c.groups,
                     cout = c.outChannels / c.groups;
  std::vector<double> y(static_cast<std::size_t>(c.batch * c.outChannels * outS), 0.0);
  for (std::int64_t b = 0; b < c.batch; ++b)
    for (std::int64_t o = 0; o < c.outChannels; ++o)
      for (std::int64_t p = 0; p < outS; ++p) {
        double sum = 0;
        for (std::int64_t ci = 0; ci < cin; ++ci)
          for (std::int64_t t = 0; t < taps; ++t) {
            std::int64_t offset = 0, stride = 1, tap = t, pos = p;
            bool inside = true;
            for (int d = c.dims - 1; d >= 0; --d) {
              const std::int64_t k = tap % c.kernel[d], q = pos % c.output[d];
              tap /= c.kernel[d];
              pos /= c.output[d];
              const std::int64_t i = q * c.stride[d] - c.padding[d] + k * c.dilation[d];
              inside = inside && i >= 0 && i < c.input[d];
              offset += i * stride;
              stride *= c.input[d];
            }
            if (inside) {
              const std::int64_t channel = (o / cout) * cin + ci;
              sum += x[static_cast<std::size_t>((b * c.inChannels + channel) * inS + offset)] *
                     w[static_cast<std::size_t>((o * cin + ci) * taps + t)];
            }
          }
        y[static_cast<std::size_t>((b * c.outChannels + o) * outS + p)] = sum;
      }
  return y;
}

// The same convolution as the GPU computes it: patch matrix (patchValue) times weights.
std::vector<double> patchConv(const ConvGeometry &c, const std::vector<double> &x,
                              const std::vector<double> &w) {
  const std::int64_t rows = c.patchSize(), columns = c.outputSpatial();
  const std::int64_t cout = c.outChannels / c.groups;
  std::vector<double> y(static_cast<std::size_t>(c.batch * c.outChannels * columns), 0.0);
  for (std::int64_t b = 0; b < c.batch; ++b)
    for (std::int64_t g = 0; g < c.groups; ++g)
      for (std::int64_t o = 0; o < cout; ++o)
        for (std::int64_t col = 0; col < columns; ++col) {
          double sum = 0;
          for (std::int64_t r = 0; r < rows; ++r)
            sum += w[static_cast<std::size_t>((g * cout + o) * rows + r)] *
                   nesa::gpu::patchValue(c, x.data(), b, g, r, col);
          y[static_cast<std::size_t>((b * c.outChannels + g * cout + o) * columns + col)] = sum;
        }
  return y;
}

double maxDifference(const std::vector<double> &a, const std::vector<double> &b) {
  double d = a.size() == b.size() ? 0 : INFINITY;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

std::vector<ConvGeometry> geometries() {
  std::vector<ConvGeometry> list;
  ConvGeometry c2; // 2-d, strided, padded, dilated, grouped
  c2.dims = 2;
  c2.batch = 2;
  c2.inChannels = 4;
  c2.outChannels = 6;
  c2.groups = 2;
  c2.input[0] = 9, c2.input[1] = 7;
  c2.kernel[0] = 3, c2.kernel[1] = 2;
  c2.stride[0] = 2, c2.stride[1] = 1;
  c2.padding[0] = 1, c2.padding[1] = 2;
  c2.dilation[0] = 1, c2.dilation[1] = 2;
  list.push_back(c2);
  ConvGeometry c1; // 1-d depthwise
  c1.dims = 1;
  c1.inChannels = c1.outChannels = c1.groups = 3;
  c1.input[0] = 11;
  c1.kernel[0] = 5;
  c1.padding[0] = 2;
  list.push_back(c1);
  ConvGeometry c3; // 3-d
  c3.dims = 3;
  c3.inChannels = 2;
  c3.outChannels = 3;
  for (int d = 0; d < 3; ++d)
    c3.input[d] = 5 + d, c3.kernel[d] = 3, c3.padding[d] = 1;
  c3.stride[2] = 2;
  list.push_back(c3);
  for (auto &c : list)
    c.complete();
  return list;
}

// The index arithmetic the convolution kernel uses, against the definition; no device needed.
bool patchesMatchTheDefinition() {
  unsigned seed = 1;
  for (const auto &c : geometries()) {
    const auto x = randomValues(
        static_cast<std::size_t>(c.batch * c.inChannels * spatial(c.input, c.dims)), seed++);
    const auto w = randomValues(static_cast<std::size_t>(c.outChannels * c.patchSize()), seed++);
    const double d = maxDifference(patchConv(c, x, w), directConv(c, x, w));
    if (d > 1e-12) {
      std::printf("FAIL: %d-d patch convolution differs from the definition by %g\n", c.dims, d);
      return false;
    }
  }
  std::puts("PASS: the convolution's patch indexing matches the definition (1-d, 2-d, 3-d)");
  return true;
}

// The GPU kernels against the CPU definitions.
bool kernelsMatchOn(int device) {
  const std::int64_t m = 37, k = 300, n = 19;
  const auto x = randomValues(static_cast<std::size_t>(m * k), 11),
             w = randomValues(static_cast<std::size_t>(n * k), 12);
  std::vector<double> y(static_cast<std::size_t>(m * n)), expected(y.size(), 0.0);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t t = 0; t < k; ++t)
        expected[static_cast<std::size_t>(i * n + j)] +=
            x[static_cast<std::size_t>(i * k + t)] * w[static_cast<std::size_t>(j * k + t)];
  if (auto done = nesa::gpu::linearF64(x.data(), w.data(), y.data(), m, k, n, device); !done) {
    std::printf("FAIL: linear on device %d: %s\n", device, done.error().message.c_str());
    return false;
  }
  if (const double d = maxDifference(y, expected); d > 1e-10) {
    std::printf("FAIL: linear on device %d differs by %g\n", device, d);
    return false;
  }
  unsigned seed = 20;
  for (const auto &c : geometries()) {
    const auto cx = randomValues(
        static_cast<std::size_t>(c.batch * c.inChannels * spatial(c.input, c.dims)), seed++);
    const auto cw = randomValues(static_cast<std::size_t>(c.outChannels * c.patchSize()), seed++);
    std::vector<double> cy(static_cast<std::size_t>(c.batch * c.outChannels * c.outputSpatial()));
    if (auto done = nesa::gpu::convF64(cx.data(), cw.data(), cy.data(), c, device); !done) {
      std::printf("FAIL: conv on device %d: %s\n", device, done.error().message.c_str());
      return false;
    }
    if (const double d = maxDifference(cy, directConv(c, cx, cw)); d > 1e-10) {
      std::printf("FAIL: %d-d conv on device %d differs by %g\n", c.dims, device, d);
      return false;
    }
  }
  std::printf("PASS: device %d computes float64 linear and 1/2/3-d convolutions exactly\n", device);
  return true;
}

} // namespace

int main() {
  if (!patchesMatchTheDefinition())
    return 1;
  const nesa::gpu::Report report = nesa::gpu::probe();
  std::fputs(nesa::gpu::describe(report).c_str(), stdout);
  if (report.devices.empty()) {
    if (report.reason.empty()) {
      std::puts("FAIL: no device and no reason given");
      return 1;
    }
    double y = 0;
    const double one = 1;
    if (nesa::gpu::linearF64(&one, &one, &y, 1, 1, 1, 0).ok()) {
      std::puts("FAIL: a GPU product succeeded without a device");
      return 1;
    }
    std::puts("SKIP: no GPU on this machine");
    return 77;
  }
  for (const auto &device : report.devices) {
    if (device.name.empty() || device.memoryBytes == 0) {
      std::printf("FAIL: device %d reports no name or no memory\n", device.index);
      return 1;
    }
    if (auto tested = nesa::gpu::selfTest(device.index); !tested) {
      std::printf("FAIL: device %d: %s\n", device.index, tested.error().message.c_str());
      return 1;
    }
    std::printf("PASS: device %d computed 1 Mi multiply-adds correctly\n", device.index);
    if (!kernelsMatchOn(device.index))
      return 1;
  }
  if (nesa::gpu::selfTest(static_cast<int>(report.devices.size())).ok()) {
    std::puts("FAIL: a self-test on a device that does not exist succeeded");
    return 1;
  }
  return 0;
}
