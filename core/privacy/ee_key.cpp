#include "privacy/ee_key.h"

#include <sodium.h>

namespace nesa::privacy {
Result<EeKey> EeKey::generate() {
  if (sodium_init() < 0)
    return fail(ErrorCode::Internal, "libsodium could not be initialised");
  auto secret = SecureBuffer::random(kSize);
  if (!secret)
    return secret.error();
  return fromBytes(secret->bytes());
}

Result<EeKey> EeKey::fromBytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kSize)
    return fail(ErrorCode::InvalidInput, "an EE key has " + std::to_string(kSize) +
                                             " bytes; this one has " +
                                             std::to_string(bytes.size()));
  if (sodium_init() < 0)
    return fail(ErrorCode::Internal, "libsodium could not be initialised");
  auto secret = SecureBuffer::copyOf(bytes);
  if (!secret)
    return secret.error();
  EeKey key;
  key.m_secret = std::move(*secret);
  static constexpr std::string_view kIdDomain = "nesa ee key id v1";
  unsigned char id[8];
  crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char *>(kIdDomain.data()),
                     kIdDomain.size(), key.m_secret.data(), key.m_secret.size());
  static constexpr char kHex[] = "0123456789abcdef";
  key.m_id = "ee-";
  for (unsigned char byte : id) {
    key.m_id += kHex[byte >> 4];
    key.m_id += kHex[byte & 15];
  }
  return key;
}

Seed EeKey::derive(std::string_view purpose) const {
  Seed seed{};
  crypto_generichash(seed.data(), seed.size(),
                     reinterpret_cast<const unsigned char *>(purpose.data()), purpose.size(),
                     m_secret.data(), m_secret.size());
  return seed;
}

} // namespace nesa::privacy
