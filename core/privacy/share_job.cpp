#include "privacy/share_job.h"

namespace nesa::privacy {

const char *arithmeticName(ShareArithmetic arithmetic) {
  switch (arithmetic) {
  case ShareArithmetic::F64Masked: return "f64-masked";
  case ShareArithmetic::Ring64: return "ring64";
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

} // namespace nesa::privacy
