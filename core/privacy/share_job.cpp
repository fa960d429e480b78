#include "privacy/share_job.h"

#include <limits>

namespace nesa::privacy {

const char *arithmeticName(ShareArithmetic arithmetic) {
  switch (arithmetic) {
  case ShareArithmetic::F64Masked: return "f64-masked";
  case ShareArithmetic::Ring64: return "ring64";
  case ShareArithmetic::F32: return "f32";
  }
  return "?";
}

std::uint64_t ShareJob::wireBytes() const {
  constexpr std::uint64_t kHeader = 64; // bundle id, op list, flags
  std::uint64_t bytes = kHeader + bundleId.size() + 8 * ops.size();
  if (input)
    bytes += input->bytes.size() + 8 * input->shape.size();
  else
    bytes += seed.size() + sizeof nonce + 8 * seedShape.size();
  return bytes;
}

std::uint64_t ShareJob::pricedBytes() const {
  if (input)
    return input->bytes.size();
  std::uint64_t elements = 1;
  for (const auto d : seedShape)
    if (d < 0 || __builtin_mul_overflow(elements, static_cast<std::uint64_t>(d), &elements))
      return std::numeric_limits<std::uint64_t>::max();
  std::uint64_t bytes = 0;
  return __builtin_mul_overflow(elements, std::uint64_t{8}, &bytes)
             ? std::numeric_limits<std::uint64_t>::max()
             : bytes;
}

} // namespace nesa::privacy
