// The user's equivariant-encryption (EE) key: 32 secret bytes from which every keyed model's
// permutations, scales and rotations are derived. It never leaves this computer; only its public
// id does.
#pragma once

#include "privacy/prg.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace nesa::privacy {

/// An EE key held in locked memory. Move-only: a secret has one owner (share it through a
/// shared_ptr<const EeKey>).
class EeKey {
public:
  /// Bytes in a key.
  static constexpr std::size_t kSize = 32;

  /// A fresh key from libsodium's CSPRNG.
  static Result<EeKey> generate();
  /// A key from stored bytes (exactly kSize of them).
  static Result<EeKey> fromBytes(std::span<const std::uint8_t> bytes);

  /// The public key id: "ee-" + 16 hex digits of a keyed BLAKE2b of the secret. Safe to show
  /// and to log; says nothing about the secret.
  const std::string &id() const { return m_id; }
  /// A ChaCha20 seed for one purpose ("cnn/<bundle>/class/3"): BLAKE2b-256 keyed with the
  /// secret over `purpose`. Deterministic, so a keyed model is reproducible from (model, key).
  Seed derive(std::string_view purpose) const;
  /// The secret itself, for the encrypted store.
  std::span<const std::uint8_t> secret() const { return m_secret.bytes(); }

private:
  EeKey() = default;
  SecureBuffer m_secret;
  std::string m_id;
};

} // namespace nesa::privacy
