#include "storage/key_derivation.h"

#include <sodium.h>

namespace nesa::storage {

Result<void> KdfParams::validate() const {
  if (passes < 1 || passes > 10)
    return fail(ErrorCode::InvalidInput, "Argon2id passes must be between 1 and 10");
  if (memoryLog2KiB < 13 || memoryLog2KiB > 22)
    return fail(ErrorCode::InvalidInput, "Argon2id memory must be between 8 MiB and 4 GiB");
  return {};
}

Result<StoreSalt> makeSalt(const KdfParams &params) {
  if (auto valid = params.validate(); !valid)
    return valid.error();
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  StoreSalt salt{};
  randombytes_buf(salt.data(), 14);
  salt[14] = params.passes;
  salt[15] = params.memoryLog2KiB;
  return salt;
}

Result<KdfParams> paramsFromSalt(const StoreSalt &salt) {
  KdfParams params{salt[14], salt[15]};
  if (!params.validate())
    return fail(ErrorCode::Corrupt, "the file header does not describe a Nesa store");
  return params;
}

Result<SecureBuffer> deriveStoreKey(const SecureBuffer &passphrase, const StoreSalt &salt) {
  auto params = paramsFromSalt(salt);
  if (!params)
    return params.error();
  auto key = SecureBuffer::allocate(32);
  if (!key)
    return key.error();
  static_assert(crypto_pwhash_SALTBYTES == 16);
  const unsigned long long passes = params->passes;
  const std::size_t memoryBytes = std::size_t{1024} << params->memoryLog2KiB;
  if (crypto_pwhash(key->data(), key->size(), passphrase.view().data(), passphrase.size(),
                    salt.data(), passes, memoryBytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fail(ErrorCode::Unavailable,
                "not enough memory to derive the store key (Argon2id needs " +
                    std::to_string(memoryBytes >> 20) + " MiB)");
  return key;
}

} // namespace nesa::storage
