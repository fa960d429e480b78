// A node's long-term Ed25519 identity: what peers authenticate, and what the registry lists.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace nesa::net {

/// An Ed25519 public key.
using PublicKey = std::array<std::uint8_t, 32>;
/// An Ed25519 signature.
using Signature = std::array<std::uint8_t, 64>;

/// Lower-case hex of `key` (64 characters).
std::string toHex(const PublicKey &key);
/// Parses 64 hex characters.
Result<PublicKey> publicKeyFromHex(const std::string &hex);

/// True when `signature` is `key`'s signature of `message`.
bool verifySignature(const PublicKey &key, std::span<const std::uint8_t> message,
                     const Signature &signature);

/// An Ed25519 key pair whose secret half lives in locked memory. Move-only.
class Identity {
public:
  /// A fresh key pair from the operating system's CSPRNG.
  static Result<Identity> generate();
  /// Loads the identity stored at `file` (its 32-byte seed, hex), or creates one there with
  /// owner-only permissions. A damaged file is an error, never silently replaced.
  static Result<Identity> loadOrCreate(const std::filesystem::path &file);

  const PublicKey &publicKey() const { return m_public; }
  /// Signs `message`.
  Signature sign(std::span<const std::uint8_t> message) const;
  /// libsodium's 64-byte secret key, for signing other formats (ledger transactions).
  const SecureBuffer &secretKey() const { return m_secret; }

  /// The key pair of a 32-byte seed (deterministic; tests and key derivation).
  static Result<Identity> fromSeedBytes(std::span<const std::uint8_t> seed);

private:
  Identity(PublicKey publicKey, SecureBuffer secret)
      : m_public(publicKey), m_secret(std::move(secret)) {}
  PublicKey m_public{};
  SecureBuffer m_secret; ///< libsodium's 64-byte secret key
};

} // namespace nesa::net
