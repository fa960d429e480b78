// Unsigned 256-bit integers: Ethereum's amounts, fees and ABI words, with overflow made visible.
#pragma once

#include "util/result.h"

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::chain {

/// An unsigned 256-bit integer (four 64-bit limbs, least significant first).
class U256 {
public:
  constexpr U256() = default;
  constexpr U256(std::uint64_t value) : m_limbs{value, 0, 0, 0} {}

  /// At most 32 big-endian bytes (leading zeros allowed); more is an error.
  static Result<U256> fromBigEndian(std::span<const std::uint8_t> bytes);
  /// Decimal digits ("1000") or 0x-prefixed hex ("0x3e8"); anything over 2^256 - 1 is an error.
  static Result<U256> parse(std::string_view text);
  /// 2^256 - 1.
  static U256 max();

  /// The 32-byte big-endian form (an ABI word).
  std::array<std::uint8_t, 32> toWord() const;
  /// The shortest big-endian form: no leading zero byte, empty for zero (RLP's integers).
  std::vector<std::uint8_t> toMinimalBytes() const;
  /// Decimal digits.
  std::string toDecimal() const;
  /// 0x-prefixed hex without leading zeros ("0x0" for zero), as JSON-RPC quantities are written.
  std::string toQuantity() const;

  bool isZero() const {
    return m_limbs[0] == 0 && m_limbs[1] == 0 && m_limbs[2] == 0 && m_limbs[3] == 0;
  }
  /// True when the value fits in 64 bits; then low64() is the whole value.
  bool fitsU64() const { return m_limbs[1] == 0 && m_limbs[2] == 0 && m_limbs[3] == 0; }
  std::uint64_t low64() const { return m_limbs[0]; }
  /// The number of significant bits (0 for zero).
  int bitLength() const;

  /// Sets `sum` to a + b and returns false; returns true, leaving `sum` alone, on overflow.
  static bool addOverflows(const U256 &a, const U256 &b, U256 &sum);
  /// Sets `product` to a * b and returns false; returns true, leaving it alone, on overflow.
  static bool mulOverflows(const U256 &a, const U256 &b, U256 &product);
  /// Sets `difference` to a - b and returns true; false (leaving it alone) when b > a.
  static bool subtract(const U256 &a, const U256 &b, U256 &difference);

  friend bool operator==(const U256 &, const U256 &) = default;
  friend std::strong_ordering operator<=>(const U256 &a, const U256 &b) {
    for (int i = 3; i >= 0; --i)
      if (a.m_limbs[i] != b.m_limbs[i])
        return a.m_limbs[i] <=> b.m_limbs[i];
    return std::strong_ordering::equal;
  }

private:
  /// Divides in place by a small divisor, returning the remainder (decimal printing).
  std::uint32_t divideSmall(std::uint32_t divisor);
  std::array<std::uint64_t, 4> m_limbs{};
};

} // namespace nesa::chain
