#include "net/identity.h"

#include <sodium.h>

#include <fstream>
#include <sys/stat.h>

namespace nesa::net {

std::string toHex(const PublicKey &key) {
  std::string hex(key.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  return hex;
}

Result<PublicKey> publicKeyFromHex(const std::string &hex) {
  PublicKey key{};
  std::size_t length = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != key.size())
    return fail(ErrorCode::InvalidInput, "a node identity is 64 hex characters");
  return key;
}

bool verifySignature(const PublicKey &key, std::span<const std::uint8_t> message,
                     const Signature &signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

Result<Identity> Identity::generate() {
  auto seed = SecureBuffer::random(crypto_sign_SEEDBYTES);
  if (!seed)
    return seed.error();
  return fromSeedBytes(seed->bytes());
}

Result<Identity> Identity::fromSeedBytes(std::span<const std::uint8_t> seed) {
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  auto secret = SecureBuffer::allocate(crypto_sign_SECRETKEYBYTES);
  if (!secret)
    return secret.error();
  PublicKey publicKey{};
  crypto_sign_seed_keypair(publicKey.data(), secret->data(), seed.data());
  return Identity(publicKey, std::move(*secret));
}

Result<Identity> Identity::loadOrCreate(const std::filesystem::path &file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in(file);
    std::string hex;
    in >> hex;
    auto seed = SecureBuffer::allocate(crypto_sign_SEEDBYTES);
    if (!seed)
      return seed.error();
    std::size_t length = 0;
    const bool ok = hex.size() == 2 * crypto_sign_SEEDBYTES &&
                    sodium_hex2bin(seed->data(), seed->size(), hex.data(), hex.size(), nullptr,
                                   &length, nullptr) == 0 &&
                    length == crypto_sign_SEEDBYTES;
    sodium_memzero(hex.data(), hex.size());
    if (!ok)
      return fail(ErrorCode::Corrupt, "the node identity file " + file.string() +
                                          " is damaged; move it away to create a new identity");
    return fromSeedBytes(seed->bytes());
  }
  std::filesystem::create_directories(file.parent_path(), ec);
  auto seed = SecureBuffer::random(crypto_sign_SEEDBYTES);
  if (!seed)
    return seed.error();
  std::string hex(2 * crypto_sign_SEEDBYTES + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), seed->data(), seed->size());
  hex.pop_back();
  {
    const mode_t previous = ::umask(0077);
    std::ofstream out(file, std::ios::trunc);
    ::umask(previous);
    out << hex << '\n';
    sodium_memzero(hex.data(), hex.size());
    if (!out)
      return fail(ErrorCode::Io, "cannot write the node identity to " + file.string());
  }
  return fromSeedBytes(seed->bytes());
}

Signature Identity::sign(std::span<const std::uint8_t> message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), m_secret.data());
  return signature;
}

} // namespace nesa::net
