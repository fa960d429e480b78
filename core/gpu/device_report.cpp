#include "gpu/device_probe.h"

#include <sstream>

namespace nesa::gpu {

std::string describe(const Report &report) {
  std::ostringstream out;
  out << "CUDA backend: "
      << (report.builtWithCuda ? "built in" : "not built (no nvcc at build time)") << '\n';
  if (report.devices.empty()) {
    out << "no GPU: " << report.reason << '\n';
    return out.str();
  }
  for (const auto &d : report.devices)
    out << "GPU " << d.index << ": " << d.name << ", " << (d.memoryBytes >> 20) << " MiB, compute "
        << d.computeMajor << '.' << d.computeMinor << '\n';
  return out.str();
}

} // namespace nesa::gpu
