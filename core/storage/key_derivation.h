// Passphrase -> store key, with Argon2id; the parameters travel inside the salt.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>

namespace nesa::storage {

/// The 16 bytes at the start of every store file: SQLCipher's salt, which we also use as the
/// Argon2id salt. Bytes 0..13 are random; byte 14 holds the Argon2id pass count and byte 15 the
/// base-2 logarithm of its memory in KiB, so a store can always be reopened with the cost it was
/// created with. (112 random bits of salt are ample against precomputation.)
using StoreSalt = std::array<std::uint8_t, 16>;

/// Argon2id cost. The default (3 passes, 64 MiB) takes about a quarter of a second here.
struct KdfParams {
  std::uint8_t passes = 3;         ///< 1..10
  std::uint8_t memoryLog2KiB = 16; ///< 13..22: 8 MiB .. 4 GiB

  /// The cheapest accepted parameters, for tests only: never use them for a user's store.
  static KdfParams forTestsOnly() { return {1, 13}; }
  /// An error when a parameter lies outside the accepted range.
  Result<void> validate() const;
};

/// A fresh random salt that records `params`.
Result<StoreSalt> makeSalt(const KdfParams &params);

/// The parameters recorded in `salt`; Corrupt when they are out of range (not a Nesa store).
Result<KdfParams> paramsFromSalt(const StoreSalt &salt);

/// Derives the 32-byte store key from `passphrase` with Argon2id; the key lives in locked memory.
Result<SecureBuffer> deriveStoreKey(const SecureBuffer &passphrase, const StoreSalt &salt);

} // namespace nesa::storage
