// Deterministic Ed25519 keys from a BIP39 seed (SLIP-0010, hardened derivation only).
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace nesa::wallet {

/// A SLIP-0010 node: a 32-byte private key and a 32-byte chain code, both in locked memory.
struct ExtendedKey {
  SecureBuffer key;
  SecureBuffer chainCode;
};

/// HMAC-SHA512(key, data), 64 bytes in locked memory (SLIP-0010 and BIP-32 derivation).
Result<SecureBuffer> hmacSha512(std::span<const std::uint8_t> key,
                                std::span<const std::uint8_t> data);

/// The master node of `seed` (16–64 bytes): HMAC-SHA512("ed25519 seed", seed).
Result<ExtendedKey> masterKey(const SecureBuffer &seed);

/// The hardened child `index` (0 ≤ index < 2^31; the hardening bit is added here).
Result<ExtendedKey> deriveHardened(const ExtendedKey &parent, std::uint32_t index);

/// The node at m/i0'/i1'/... below the master of `seed`.
Result<ExtendedKey> derivePath(const SecureBuffer &seed, std::span<const std::uint32_t> path);

/// SLIP-0044 coin type used for $NES (not registered yet; see docs/wallet.md).
inline constexpr std::uint32_t kNesCoinType = 8888;

/// The derivation path of account `account`: m/44'/8888'/account'/0'/0'.
std::array<std::uint32_t, 5> accountPath(std::uint32_t account);

/// An Ed25519 key pair; the secret key (libsodium's 64-byte form) stays in locked memory.
struct KeyPair {
  std::array<std::uint8_t, 32> publicKey{};
  SecureBuffer secretKey;
};

/// The Ed25519 key pair whose private seed is `node.key`.
Result<KeyPair> keyPairOf(const ExtendedKey &node);

/// The key pair of account `account` of `seed` (at accountPath(account)).
Result<KeyPair> accountKeyPair(const SecureBuffer &seed, std::uint32_t account);

/// Signs `message` with `pair` (detached Ed25519 signature).
std::array<std::uint8_t, 64> sign(const KeyPair &pair, std::span<const std::uint8_t> message);

/// Verifies a detached Ed25519 signature.
bool verify(const std::array<std::uint8_t, 32> &publicKey, std::span<const std::uint8_t> message,
            const std::array<std::uint8_t, 64> &signature);

/// Lower-case hex of `bytes`.
std::string toHex(std::span<const std::uint8_t> bytes);

} // namespace nesa::wallet
