#include "wallet/hd_keys.h"

#include <sodium.h>

#include <cstring>

namespace nesa::wallet {
namespace {

// HMAC-SHA512(key, data) split into (IL, IR) as a new node.
Result<ExtendedKey> hmacNode(std::span<const std::uint8_t> key,
                             std::span<const std::uint8_t> data) {
  auto digest = hmacSha512(key, data);
  if (!digest)
    return digest.error();
  auto left = SecureBuffer::copyOf(std::span<const std::uint8_t>(digest->data(), 32));
  auto right = SecureBuffer::copyOf(std::span<const std::uint8_t>(digest->data() + 32, 32));
  if (!left || !right)
    return fail(ErrorCode::Unavailable, "no locked memory for a key");
  return ExtendedKey{std::move(*left), std::move(*right)};
}

} // namespace

Result<SecureBuffer> hmacSha512(std::span<const std::uint8_t> key,
                                std::span<const std::uint8_t> data) {
  auto digest = SecureBuffer::allocate(64);
  if (!digest)
    return digest.error();
  crypto_auth_hmacsha512_state state;
  crypto_auth_hmacsha512_init(&state, key.data(), key.size());
  crypto_auth_hmacsha512_update(&state, data.data(), data.size());
  crypto_auth_hmacsha512_final(&state, digest->data());
  sodium_memzero(&state, sizeof state);
  return digest;
}

Result<ExtendedKey> masterKey(const SecureBuffer &seed) {
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  if (seed.size() < 16 || seed.size() > 64)
    return fail(ErrorCode::InvalidInput, "a key seed must be 16 to 64 bytes");
  static constexpr char kCurve[] = "ed25519 seed";
  return hmacNode(std::span(reinterpret_cast<const std::uint8_t *>(kCurve), sizeof kCurve - 1),
                  seed.bytes());
}

Result<ExtendedKey> deriveHardened(const ExtendedKey &parent, std::uint32_t index) {
  if (index >= 0x80000000u)
    return fail(ErrorCode::InvalidInput, "a hardened index must be below 2^31");
  auto data = SecureBuffer::allocate(1 + 32 + 4);
  if (!data)
    return data.error();
  data->data()[0] = 0;
  std::memcpy(data->data() + 1, parent.key.data(), 32);
  const std::uint32_t hardened = index | 0x80000000u;
  for (int i = 0; i < 4; ++i) // big-endian, as SLIP-0010 serializes indices
    data->data()[33 + i] = static_cast<std::uint8_t>(hardened >> (24 - 8 * i));
  return hmacNode(parent.chainCode.bytes(), data->bytes());
}

Result<ExtendedKey> derivePath(const SecureBuffer &seed, std::span<const std::uint32_t> path) {
  auto node = masterKey(seed);
  for (auto index : path) {
    if (!node)
      break;
    node = deriveHardened(*node, index);
  }
  return node;
}

std::array<std::uint32_t, 5> accountPath(std::uint32_t account) {
  return {44, kNesCoinType, account, 0, 0};
}

Result<KeyPair> keyPairOf(const ExtendedKey &node) {
  KeyPair pair;
  auto secret = SecureBuffer::allocate(crypto_sign_SECRETKEYBYTES);
  if (!secret)
    return secret.error();
  crypto_sign_seed_keypair(pair.publicKey.data(), secret->data(), node.key.data());
  pair.secretKey = std::move(*secret);
  return pair;
}

Result<KeyPair> accountKeyPair(const SecureBuffer &seed, std::uint32_t account) {
  const auto path = accountPath(account);
  auto node = derivePath(seed, path);
  if (!node)
    return node.error();
  return keyPairOf(*node);
}

std::array<std::uint8_t, 64> sign(const KeyPair &pair, std::span<const std::uint8_t> message) {
  std::array<std::uint8_t, 64> signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       pair.secretKey.data());
  return signature;
}

bool verify(const std::array<std::uint8_t, 32> &publicKey, std::span<const std::uint8_t> message,
            const std::array<std::uint8_t, 64> &signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     publicKey.data()) == 0;
}

std::string toHex(std::span<const std::uint8_t> bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

} // namespace nesa::wallet
