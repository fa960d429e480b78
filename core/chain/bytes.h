// Byte strings and fixed-size values of the EVM world, and their 0x-hex text form.
#pragma once

#include "util/result.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::chain {

using Bytes = std::vector<std::uint8_t>;
/// A Keccak-256 digest, a storage slot or a bytes32 value.
using Hash32 = std::array<std::uint8_t, 32>;
/// A 20-byte account address.
using Address = std::array<std::uint8_t, 20>;

/// "0x" followed by lower-case hex.
std::string toHex(std::span<const std::uint8_t> bytes);
/// Hex with or without "0x"; an odd number of digits or a non-hex character is an error.
Result<Bytes> fromHex(std::string_view text);
/// Exactly N bytes of hex (a hash, an address); any other length is an error.
template <std::size_t N> Result<std::array<std::uint8_t, N>> fixedFromHex(std::string_view text) {
  auto bytes = fromHex(text);
  if (!bytes)
    return bytes.error();
  if (bytes->size() != N)
    return fail(ErrorCode::InvalidInput, "expected " + std::to_string(N) + " bytes of hex, got " +
                                             std::to_string(bytes->size()));
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

/// The bytes of a text, as given.
inline Bytes bytesOf(std::string_view text) { return Bytes(text.begin(), text.end()); }

} // namespace nesa::chain
