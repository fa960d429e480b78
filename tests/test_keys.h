// Ed25519 keys for ledger tests: deterministic from a seed byte, or fresh.
#pragma once

#include "ledger/transaction.h"
#include "util/secure_buffer.h"

#include <sodium.h>

namespace nesa::testing {

/// A key pair whose secret half lives in locked memory.
struct Key {
  ledger::PublicKey publicKey{};
  SecureBuffer secretKey;
  ledger::KeyHash id() const { return ledger::keyHashOf(publicKey); }
};

/// The key pair of the seed made of 32 copies of `seedByte`.
inline Key makeKey(std::uint8_t seedByte) {
  Key key;
  key.secretKey = SecureBuffer::allocate(64).value();
  std::array<std::uint8_t, 32> seed{};
  seed.fill(seedByte);
  crypto_sign_seed_keypair(key.publicKey.data(), key.secretKey.data(), seed.data());
  return key;
}

/// A fresh random key pair (nobody's account).
inline Key makeRandomKey() {
  Key key;
  key.secretKey = SecureBuffer::allocate(64).value();
  crypto_sign_keypair(key.publicKey.data(), key.secretKey.data());
  return key;
}

} // namespace nesa::testing
