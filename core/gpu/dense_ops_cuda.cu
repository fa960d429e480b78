// float64 matrix products and convolutions on a CUDA device, with kernels of ours.
#include "gpu/conv_geometry.h"
#include "gpu/dense_ops.h"

#include <cuda_runtime.h>

#include <string>

namespace nesa::gpu {
namespace {

constexpr int kTile = 16;

// C[i, j] = Σ_k A[i·a0 + k·a1] · B[k·b0 + j·b1], C row-major with `ldc` (a shared-memory
// tiled product; one thread per element of C).
__global__ void gemmStrided(const double *a, std::int64_t a0, std::int64_t a1, const double *b,
                            std::int64_t b0, std::int64_t b1, double *c, std::int64_t ldc,
                            std::int64_t m, std::int64_t n, std::int64_t k) {
  __shared__ double tileA[kTile][kTile];
  __shared__ double tileB[kTile][kTile];
  const std::int64_t row = static_cast<std::int64_t>(blockIdx.y) * kTile + threadIdx.y;
  const std::int64_t col = static_cast<std::int64_t>(blockIdx.x) * kTile + threadIdx.x;
  double sum = 0;
  for (std::int64_t t = 0; t < k; t += kTile) {
    const std::int64_t ka = t + threadIdx.x, kb = t + threadIdx.y;
    tileA[threadIdx.y][threadIdx.x] = row < m && ka < k ? a[row * a0 + ka * a1] : 0.0;
    tileB[threadIdx.y][threadIdx.x] = kb < k && col < n ? b[kb * b0 + col * b1] : 0.0;
    __syncthreads();
    for (int i = 0; i < kTile; ++i)
      sum += tileA[threadIdx.y][i] * tileB[i][threadIdx.x];
    __syncthreads();
  }
  if (row < m && col < n)
    c[row * ldc + col] = sum;
}

// The patch matrix of one image and group, row-major [patchSize × outputSpatial].
__global__ void patches(ConvGeometry geometry, const double *x, std::int64_t b, std::int64_t g,
                        double *out, std::int64_t rows, std::int64_t columns) {
  const std::int64_t index = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (index < rows * columns)
    out[index] = patchValue(geometry, x, b, g, index / columns, index % columns);
}

Error cudaFailure(const char *what, cudaError_t status) {
  return fail(ErrorCode::Unavailable,
              std::string("GPU ") + what + ": " + cudaGetErrorString(status));
}

// Device buffers freed on every path.
struct DeviceBuffer {
  double *data = nullptr;
  ~DeviceBuffer() { cudaFree(data); }
  cudaError_t allocate(std::int64_t count) {
    return cudaMalloc(&data, static_cast<std::size_t>(count) * sizeof(double));
  }
};

cudaError_t upload(double *device, const double *host, std::int64_t count) {
  return cudaMemcpy(device, host, static_cast<std::size_t>(count) * sizeof(double),
                    cudaMemcpyHostToDevice);
}

void launchGemm(const double *a, std::int64_t a0, std::int64_t a1, const double *b, std::int64_t b0,
                std::int64_t b1, double *c, std::int64_t ldc, std::int64_t m, std::int64_t n,
                std::int64_t k) {
  const dim3 threads(kTile, kTile);
  const dim3 blocks(static_cast<unsigned>((n + kTile - 1) / kTile),
                    static_cast<unsigned>((m + kTile - 1) / kTile));
  gemmStrided<<<blocks, threads>>>(a, a0, a1, b, b0, b1, c, ldc, m, n, k);
}

} // namespace

bool hasKernels() { return true; }

Result<void> linearF64(const double *x, const double *w, double *y, std::int64_t m, std::int64_t k,
                       std::int64_t n, int device) {
  if (auto s = cudaSetDevice(device); s != cudaSuccess)
    return cudaFailure("device", s);
  DeviceBuffer dx, dw, dy;
  if (auto s = dx.allocate(m * k); s != cudaSuccess)
    return cudaFailure("memory", s);
  if (auto s = dw.allocate(n * k); s != cudaSuccess)
    return cudaFailure("memory", s);
  if (auto s = dy.allocate(m * n); s != cudaSuccess)
    return cudaFailure("memory", s);
  if (auto s = upload(dx.data, x, m * k); s != cudaSuccess)
    return cudaFailure("copy", s);
  if (auto s = upload(dw.data, w, n * k); s != cudaSuccess)
    return cudaFailure("copy", s);
  // y[i, j] = Σ x[i, k] · w[j, k]: A = x (strides k, 1), B[k, j] = w[j, k] (strides 1, k).
  launchGemm(dx.data, k, 1, dw.data, 1, k, dy.data, n, m, n, k);
  if (auto s = cudaGetLastError(); s != cudaSuccess)
    return cudaFailure("kernel", s);
  if (auto s = cudaMemcpy(y, dy.data, static_cast<std::size_t>(m * n) * sizeof(double),
                          cudaMemcpyDeviceToHost);
      s != cudaSuccess)
    return cudaFailure("copy", s);
  return {};
}

Result<void> convF64(const double *x, const double *w, double *y, const ConvGeometry &geometry,
                     int device) {
  ConvGeometry c = geometry;
  if (!c.complete())
    return fail(ErrorCode::InvalidInput, "an impossible convolution geometry");
  if (auto s = cudaSetDevice(device); s != cudaSuccess)
    return cudaFailure("device", s);
  std::int64_t inputSpatial = 1;
  for (int d = 0; d < c.dims; ++d)
    inputSpatial *= c.input[d];
  const std::int64_t rows = c.patchSize(), columns = c.outputSpatial();
  const std::int64_t outPerGroup = c.outChannels / c.groups;
  const std::int64_t xCount = c.batch * c.inChannels * inputSpatial;
  const std::int64_t wCount = c.outChannels * rows;
  const std::int64_t yCount = c.batch * c.outChannels * columns;
  DeviceBuffer dx, dw, dy, dp;
  for (auto [buffer, count] : {std::pair{&dx, xCount}, std::pair{&dw, wCount},
                               std::pair{&dy, yCount}, std::pair{&dp, rows * columns}})
    if (auto s = buffer->allocate(count); s != cudaSuccess)
      return cudaFailure("memory", s);
  if (auto s = upload(dx.data, x, xCount); s != cudaSuccess)
    return cudaFailure("copy", s);
  if (auto s = upload(dw.data, w, wCount); s != cudaSuccess)
    return cudaFailure("copy", s);
  const int threads = 256;
  const auto blocks = static_cast<unsigned>((rows * columns + threads - 1) / threads);
  for (std::int64_t b = 0; b < c.batch; ++b)
    for (std::int64_t g = 0; g < c.groups; ++g) {
      patches<<<blocks, threads>>>(c, dx.data, b, g, dp.data, rows, columns);
      // y[b, g·outPerGroup + o, :] = w[g·outPerGroup + o, :] · patches
      const double *wg = dw.data + g * outPerGroup * rows;
      double *yg = dy.data + (b * c.outChannels + g * outPerGroup) * columns;
      launchGemm(wg, rows, 1, dp.data, columns, 1, yg, columns, outPerGroup, columns, rows);
    }
  if (auto s = cudaGetLastError(); s != cudaSuccess)
    return cudaFailure("kernel", s);
  if (auto s = cudaMemcpy(y, dy.data, static_cast<std::size_t>(yCount) * sizeof(double),
                          cudaMemcpyDeviceToHost);
      s != cudaSuccess)
    return cudaFailure("copy", s);
  return {};
}

} // namespace nesa::gpu
