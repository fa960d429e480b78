// BIP39 mnemonics: 24 words that encode 256 bits of entropy plus a checksum, and the seed they
// stretch into.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <string_view>

namespace nesa::wallet {

/// The 2048 words of the BIP39 English list, in order.
const std::array<const char *, 2048> &bip39Words();

/// A fresh 24-word mnemonic from 256 bits of CSPRNG entropy, words separated by single spaces.
Result<SecureBuffer> generateMnemonic();

/// The mnemonic for `entropy` (16, 20, 24, 28 or 32 bytes → 12 to 24 words).
Result<SecureBuffer> mnemonicFromEntropy(const SecureBuffer &entropy);

/// Checks `mnemonic` (12–24 words, any spacing, any case) and returns its entropy. Errors name
/// the first unknown word, a wrong word count, or a failed checksum (a mistyped word).
Result<SecureBuffer> entropyFromMnemonic(std::string_view mnemonic);

/// The canonical form of a valid mnemonic: lower case, single spaces.
Result<SecureBuffer> normalizeMnemonic(std::string_view mnemonic);

/// The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" + passphrase, 2048).
/// The optional passphrase must be ASCII (BIP39 would need Unicode NFKD otherwise).
Result<SecureBuffer> seedFromMnemonic(std::string_view mnemonic, std::string_view passphrase = {});

} // namespace nesa::wallet
