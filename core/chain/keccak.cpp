#include "chain/keccak.h"

#include <cryptopp/keccak.h>

namespace nesa::chain {

Hash32 keccak256(std::span<const std::uint8_t> data) {
  CryptoPP::Keccak_256 hash;
  hash.Update(data.data(), data.size());
  Hash32 out{};
  hash.Final(out.data());
  return out;
}

Hash32 keccak256(std::string_view text) {
  return keccak256(std::span(reinterpret_cast<const std::uint8_t *>(text.data()), text.size()));
}

} // namespace nesa::chain
