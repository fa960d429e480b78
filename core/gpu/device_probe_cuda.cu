// The GPU probe of a build with CUDA: asks the runtime, and treats any error as "no GPU".
#include "gpu/device_probe.h"

#include <cuda_runtime.h>

#include <cmath>
#include <vector>

namespace nesa::gpu {
namespace {

__global__ void multiplyAdd(const float *x, const float *y, float *out, float a, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = a * x[i] + y[i];
}

std::string cudaReason(cudaError_t status) {
  switch (status) {
  case cudaErrorNoDevice: return "no CUDA device is present";
  case cudaErrorInsufficientDriver:
    return "no NVIDIA driver is loaded (or it is older than the CUDA runtime)";
  default: return cudaGetErrorString(status);
  }
}

// Device memory freed on every path.
struct DeviceFloats {
  float *data = nullptr;
  ~DeviceFloats() { cudaFree(data); }
};

} // namespace

Report probe() {
  Report report;
  report.builtWithCuda = true;
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    report.reason = cudaReason(status);
    cudaGetLastError(); // clear the sticky error so later calls start clean
    return report;
  }
  if (count == 0) {
    report.reason = "no CUDA device is present";
    return report;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp props{};
    if (cudaGetDeviceProperties(&props, i) != cudaSuccess)
      continue;
    report.devices.push_back({i, props.name, props.totalGlobalMem, props.major, props.minor});
  }
  if (report.devices.empty())
    report.reason = "the CUDA devices could not be queried";
  return report;
}

Result<void> selfTest(int device) {
  const Report report = probe();
  if (device < 0 || device >= static_cast<int>(report.devices.size()))
    return fail(ErrorCode::Unavailable, report.devices.empty()
                                            ? report.reason
                                            : "no GPU with index " + std::to_string(device));
  auto check = [](cudaError_t status, const char *what) -> Result<void> {
    if (status != cudaSuccess)
      return fail(ErrorCode::Io,
                  std::string("GPU self-test: ") + what + ": " + cudaGetErrorString(status));
    return {};
  };
  constexpr int n = 1 << 20;
  constexpr float a = 1.5f;
  std::vector<float> x(n), y(n), out(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 1000) * 0.25f;
    y[i] = static_cast<float>(i % 7) - 3.0f;
  }
  DeviceFloats dx, dy, dout;
  const std::size_t bytes = n * sizeof(float);
  for (auto r : {check(cudaSetDevice(device), "select device"),
                 check(cudaMalloc(&dx.data, bytes), "allocate"),
                 check(cudaMalloc(&dy.data, bytes), "allocate"),
                 check(cudaMalloc(&dout.data, bytes), "allocate")})
    if (!r)
      return r;
  if (auto r = check(cudaMemcpy(dx.data, x.data(), bytes, cudaMemcpyHostToDevice), "copy in"); !r)
    return r;
  if (auto r = check(cudaMemcpy(dy.data, y.data(), bytes, cudaMemcpyHostToDevice), "copy in"); !r)
    return r;
  multiplyAdd<<<(n + 255) / 256, 256>>>(dx.data, dy.data, dout.data, a, n);
  if (auto r = check(cudaGetLastError(), "launch"); !r)
    return r;
  if (auto r = check(cudaMemcpy(out.data(), dout.data, bytes, cudaMemcpyDeviceToHost), "copy out");
      !r)
    return r;
  for (int i = 0; i < n; ++i) {
    const float expected = a * x[i] + y[i];
    if (std::fabs(out[i] - expected) > 1e-5f * (1.0f + std::fabs(expected)))
      return fail(ErrorCode::Internal, "GPU self-test: element " + std::to_string(i) + " is " +
                                           std::to_string(out[i]) + ", expected " +
                                           std::to_string(expected));
  }
  return {};
}

} // namespace nesa::gpu
