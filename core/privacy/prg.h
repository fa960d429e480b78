// Expanding a 32-byte seed into masks with ChaCha20 (libsodium), identically on the client and
// on a seeded miner.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nesa::privacy {

/// A share seed: the ChaCha20 key.
using Seed = std::array<std::uint8_t, 32>;

/// A fresh seed from the operating system's CSPRNG.
Seed randomSeed();

/// Fills `out[0..count)` with field elements uniform in [0, 2^61 − 1) drawn from the ChaCha20
/// stream of (seed, nonce), by rejection (one value in 2^61 is redrawn).
void expandFieldElements(const Seed &seed, std::uint64_t nonce, std::uint64_t *out,
                         std::size_t count);

/// Fills `out[0..count)` with doubles uniform in [−1, 1) (53 random bits each) drawn from the
/// ChaCha20 stream of (seed, nonce).
void expandUniform(const Seed &seed, std::uint64_t nonce, double *out, std::size_t count);

} // namespace nesa::privacy
