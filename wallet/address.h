// $NES addresses: bech32 (BIP173) with the human-readable part "nes", over a 20-byte BLAKE2b
// hash of the account's Ed25519 public key. A typo is caught by the checksum.
#pragma once

#include "util/result.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::wallet {

/// A decoded bech32 string: its human-readable part and 5-bit data values (checksum removed).
struct Bech32 {
  std::string hrp;
  std::vector<std::uint8_t> data;
};

/// Encodes 5-bit `data` under `hrp` (lower case) with the bech32 checksum.
std::string bech32Encode(std::string_view hrp, std::span<const std::uint8_t> data);

/// Decodes and checks a bech32 string (length, case, characters, checksum).
Result<Bech32> bech32Decode(std::string_view text);

/// The address of `publicKey`: "nes1..." (42 characters).
std::string addressOf(const std::array<std::uint8_t, 32> &publicKey);
/// The address of an account id (the 20-byte key hash an address encodes).
std::string addressOfHash(const std::array<std::uint8_t, 20> &keyHash);

/// The 20-byte key hash of a valid $NES address; errors say what is wrong with it.
Result<std::array<std::uint8_t, 20>> parseAddress(std::string_view address);

} // namespace nesa::wallet
