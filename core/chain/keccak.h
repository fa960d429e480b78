// Keccak-256, Ethereum's hash (the original Keccak padding, not NIST SHA3-256).
#pragma once

#include "chain/bytes.h"

namespace nesa::chain {

/// Keccak-256 of `data`.
Hash32 keccak256(std::span<const std::uint8_t> data);

/// Keccak-256 of a text's bytes (function signatures, type strings).
Hash32 keccak256(std::string_view text);

} // namespace nesa::chain
