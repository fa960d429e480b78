// RLP, Ethereum's serialisation of byte strings and nested lists (Yellow Paper, appendix B).
// The decoder is strict: non-canonical lengths, leading zeros in lengths, a single byte below
// 0x80 written as a string, and trailing bytes are all refused.
#pragma once

#include "chain/bytes.h"
#include "chain/u256.h"

#include <vector>

namespace nesa::chain {

/// One RLP item: a byte string, or a list of items.
struct RlpItem {
  bool isList = false;
  Bytes bytes;                ///< the string's bytes (strings only)
  std::vector<RlpItem> items; ///< the list's items (lists only)

  static RlpItem string(Bytes value) { return {false, std::move(value), {}}; }
  static RlpItem list(std::vector<RlpItem> items) { return {true, {}, std::move(items)}; }
  /// An integer as RLP writes it: big-endian, no leading zero byte, zero as the empty string.
  static RlpItem integer(const U256 &value) { return string(value.toMinimalBytes()); }
};

/// The RLP encoding of `item`.
Bytes rlpEncode(const RlpItem &item);

/// Decodes exactly one item that spans all of `data`; errors say what is malformed and where.
Result<RlpItem> rlpDecode(std::span<const std::uint8_t> data);

/// Reads a canonical RLP integer from a string item (no leading zero byte, at most
/// `maxBytes` bytes); `what` names the field in the error ("nonce").
Result<U256> rlpInteger(const RlpItem &item, const char *what, std::size_t maxBytes = 32);

} // namespace nesa::chain
