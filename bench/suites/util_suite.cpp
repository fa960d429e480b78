// util: the price of keeping secrets in locked, guarded memory instead of the ordinary heap.
#include "harness.h"
#include "suites/suites.h"
#include "util/secure_buffer.h"

#include <cstdlib>
#include <iostream>
#include <vector>

namespace nesa::bench {
namespace {

constexpr int kAllocations = 1000;
constexpr std::size_t kBytes = 4096;

double secureAllocations() {
  return timeMs([] {
    for (int i = 0; i < kAllocations; ++i) {
      auto buffer = SecureBuffer::allocate(kBytes);
      if (!buffer) {
        std::cerr << "util suite: " << buffer.error().message << '\n';
        std::exit(1);
      }
      buffer->data()[i % kBytes] = 1;
    }
  });
}

double heapAllocations() {
  return timeMs([] {
    for (int i = 0; i < kAllocations; ++i) {
      std::vector<std::uint8_t> buffer(kBytes);
      buffer[i % kBytes] = 1;
      // Keep the allocation observable so the optimizer cannot remove it.
      asm volatile("" : : "r"(buffer.data()) : "memory");
    }
  });
}

} // namespace

void registerUtilSuite() {
  registerSuite({"util", "locked secret memory vs ordinary heap memory", [] {
                   return std::vector<Comparison>{
                       {"alloc_free_4KiB_x1000", "ms", heapAllocations, secureAllocations}};
                 }});
}

} // namespace nesa::bench
