// Signed tree heads in the C2SP formats: a tlog-checkpoint body inside a signed note, signed with
// Ed25519 (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note).
#pragma once

#include "audit/merkle.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>
#include <string>

namespace nesa::audit {

/// What a checkpoint states: the log's origin line, its size and the root over that many records.
struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};

  /// The note's text: "ORIGIN\nSIZE\nBASE64(ROOT)\n".
  std::string body() const;
};

/// An Ed25519 public key with the name it signs under (the log's origin), as a signed-note
/// verifier key "NAME+KEYID+BASE64(0x01||KEY)".
struct VerifierKey {
  std::string name;
  std::array<std::uint8_t, 32> publicKey{};

  /// The signed-note key ID: the first 4 bytes of SHA-256(name || "\n" || 0x01 || key).
  std::array<std::uint8_t, 4> keyId() const;
  /// The verifier key string.
  std::string toString() const;
  /// Parses a verifier key string; InvalidInput when malformed or not Ed25519.
  static Result<VerifierKey> parse(std::string_view text);
};

/// An Ed25519 signing key (the secret half in locked memory) and its verifier.
struct SignerKey {
  VerifierKey verifier;
  SecureBuffer secretKey; ///< libsodium's 64-byte Ed25519 secret key

  /// A fresh key named `name`.
  static Result<SignerKey> generate(const std::string &name);
  /// Rebuilds the key from its 64 secret bytes.
  static Result<SignerKey> fromSecret(const std::string &name, const SecureBuffer &secret);
  /// The key whose 32-byte Ed25519 seed is `seed` (how signed-note signer keys store it).
  static Result<SignerKey> fromSeed(const std::string &name, const SecureBuffer &seed);

  /// The signed-note signer key string "PRIVATE+KEY+NAME+KEYID+BASE64(0x01||SEED)" (what an
  /// administrator keeps offline), in locked memory.
  Result<SecureBuffer> toSecretString() const;
  /// Parses a signer key string; InvalidInput when malformed or not Ed25519.
  static Result<SignerKey> parseSecretString(std::string_view text);
};

/// A signed note (C2SP signed-note): `text` (non-empty, ending in a newline), a blank line and
/// the signature line "— NAME BASE64(KEYID||SIGNATURE)".
Result<std::string> signNote(std::string_view text, const SignerKey &key);

/// The text of a signed note that carries a valid signature by `key`; signatures by other keys
/// are ignored. Corrupt when the note is malformed or no signature by `key` verifies.
Result<std::string> openNote(std::string_view note, const VerifierKey &key);

/// The signed note of `checkpoint` (signNote of its body).
Result<std::string> signCheckpoint(const Checkpoint &checkpoint, const SignerKey &key);

/// Opens a signed note with `key` (openNote) and parses its text as a checkpoint; Corrupt when
/// the text is not a checkpoint or its origin is not the key's name.
Result<Checkpoint> openCheckpoint(std::string_view note, const VerifierKey &key);

} // namespace nesa::audit
