// secp256k1 accounts as Ethereum uses them: the address of a key, recoverable ECDSA signatures
// over 32-byte digests (RFC 6979 nonces, low s), signer recovery, and EIP-55 checksummed text.
#pragma once

#include "chain/bytes.h"
#include "util/secure_buffer.h"

#include <string>

namespace nesa::chain {

/// A recoverable ECDSA signature: r, s (big-endian) and the parity of R's y (0 or 1).
struct Signature {
  Hash32 r{};
  Hash32 s{};
  std::uint8_t yParity = 0;

  /// The 65-byte r ‖ s ‖ v form with v = 27 + yParity (what Solidity's ecrecover and
  /// OpenZeppelin's ECDSA.recover take).
  Bytes toRsv() const;
  /// Parses r ‖ s ‖ v (v = 0, 1, 27 or 28).
  static Result<Signature> fromRsv(std::span<const std::uint8_t> rsv);
};

/// A secp256k1 private key, kept in locked memory.
class AccountKey {
public:
  /// Takes a 32-byte secret; refuses zero and values ≥ the group order.
  static Result<AccountKey> fromSecret(std::span<const std::uint8_t> secret);

  /// The account's address: the last 20 bytes of keccak256 of the uncompressed public key.
  const Address &address() const { return m_address; }
  /// Signs a 32-byte digest (deterministic, low s).
  Signature sign(const Hash32 &digest) const;
  /// The 33-byte compressed public key (what BIP-32 hashes into child keys).
  std::array<std::uint8_t, 33> compressedPublicKey() const;
  /// The 32-byte secret (for derivation only; never log it).
  const SecureBuffer &secret() const { return m_secret; }

private:
  AccountKey(SecureBuffer secret, const Address &address)
      : m_secret(std::move(secret)), m_address(address) {}
  SecureBuffer m_secret;
  Address m_address{};
};

/// The address that produced `signature` over `digest`; an invalid signature (r or s zero or
/// not below the group order, no curve point) is an error.
Result<Address> recoverSigner(const Hash32 &digest, const Signature &signature);

/// True when s ≤ n/2 (EIP-2: transactions with a high s are invalid).
bool hasLowS(const Signature &signature);
/// True when 0 < r < n and 0 < s < n.
bool hasScalarsInRange(const Signature &signature);

/// The EIP-55 mixed-case form "0xAbC…".
std::string checksumAddress(const Address &address);
/// Parses "0x" + 40 hex digits; mixed case must be a correct EIP-55 checksum (a typo is caught),
/// all-lower or all-upper is accepted as is.
Result<Address> parseAddress(std::string_view text);

/// The address of a 64-byte uncompressed public key (x ‖ y, without the 0x04 prefix).
Address addressOfPublicKey(std::span<const std::uint8_t, 64> publicKey);

/// True when `secret` is 32 bytes and a valid private key (0 < secret < n).
bool isValidSecret(std::span<const std::uint8_t> secret);

/// Adds `tweak` to the private key `secret` in place, mod n (BIP-32 child keys). A tweak not
/// below n, or a sum of zero, is an error and leaves `secret` unusable.
Result<void> addToSecret(std::span<std::uint8_t, 32> secret,
                         std::span<const std::uint8_t, 32> tweak);

/// "\x19Ethereum Signed Message:\n" + length + message, hashed (EIP-191, personal_sign).
Hash32 personalMessageDigest(std::span<const std::uint8_t> message);

} // namespace nesa::chain
