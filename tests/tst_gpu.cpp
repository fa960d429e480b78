// The GPU probe and self-test. Exit code 77 (CTest: skipped) when there is no usable device.
#include "gpu/device_probe.h"

#include <cstdio>

int main() {
  const nesa::gpu::Report report = nesa::gpu::probe();
  std::fputs(nesa::gpu::describe(report).c_str(), stdout);
  if (report.devices.empty()) {
    if (report.reason.empty()) {
      std::puts("FAIL: no device and no reason given");
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
  }
  if (nesa::gpu::selfTest(static_cast<int>(report.devices.size())).ok()) {
    std::puts("FAIL: a self-test on a device that does not exist succeeded");
    return 1;
  }
  return 0;
}
