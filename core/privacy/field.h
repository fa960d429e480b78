// Arithmetic in Z/p for p = 2^61 − 1, the field the ring64 share arithmetic works in.
//
// Why a prime and not Z/2^64: a Freivalds check over Z/2^64 misses an error whose entries are
// all multiples of 2^63 with probability 1/2 per random vector, so an exact check would need
// dozens of vectors; over a field any non-zero error is missed with probability at most 1/p per
// vector (docs/privacy.md has the argument). The values still live in 64-bit words.
#pragma once

#include <cmath>
#include <cstdint>

namespace nesa::privacy::field {

__extension__ typedef unsigned __int128 Uint128; // GCC/Clang: exact 64×64→128-bit products

/// The Mersenne prime 2^61 − 1.
inline constexpr std::uint64_t kP = (std::uint64_t{1} << 61) - 1;

/// x mod p for any 64-bit x.
inline std::uint64_t reduce(std::uint64_t x) {
  x = (x & kP) + (x >> 61);
  return x >= kP ? x - kP : x;
}

/// (a + b) mod p for a, b < p.
inline std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t s = a + b; // < 2^62: no overflow
  return s >= kP ? s - kP : s;
}

/// (a − b) mod p for a, b < p.
inline std::uint64_t sub(std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : a + kP - b; }

/// (a · b) mod p for a, b < p.
inline std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  const std::uint64_t low = static_cast<std::uint64_t>(product) & kP;
  const std::uint64_t high = static_cast<std::uint64_t>(product >> 61);
  return reduce(low + high);
}

/// (a · 2^shift) mod p for a < p: a rotation within 61 bits, since 2^61 ≡ 1.
inline std::uint64_t shiftLeft(std::uint64_t a, unsigned shift) {
  shift %= 61;
  if (shift == 0)
    return a;
  return ((a << shift) & kP) | (a >> (61 - shift));
}

/// The field element for a signed integer.
inline std::uint64_t fromSigned(std::int64_t v) {
  return v >= 0 ? reduce(static_cast<std::uint64_t>(v))
                : sub(0, reduce(static_cast<std::uint64_t>(-v)));
}

/// The signed integer in (−p/2, p/2] that `v` represents.
inline std::int64_t toSigned(std::uint64_t v) {
  return v > kP / 2 ? -static_cast<std::int64_t>(kP - v) : static_cast<std::int64_t>(v);
}

/// Fixed-point encoding: round(x · 2^fracBits) as a field element.
inline std::uint64_t encode(double x, int fracBits) {
  return fromSigned(static_cast<std::int64_t>(std::llround(std::ldexp(x, fracBits))));
}

/// Decoding of a value at scale 2^fracBits.
inline double decode(std::uint64_t v, int fracBits) {
  return std::ldexp(static_cast<double>(toSigned(v)), -fracBits);
}

} // namespace nesa::privacy::field
