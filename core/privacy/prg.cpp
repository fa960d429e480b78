#include "privacy/prg.h"

#include "privacy/field.h"
#include "util/secure_buffer.h"

#include <sodium.h>

#include <cstring>
#include <vector>

namespace nesa::privacy {
namespace {

// The ChaCha20 (IETF) keystream of (seed, nonce) as 64-bit words, produced in blocks.
class WordStream {
public:
  WordStream(const Seed &seed, std::uint64_t nonce) : m_seed(seed) {
    std::memcpy(m_nonce, &nonce, sizeof nonce);
  }

  // Writes the next `count` words of the stream into `out`.
  void next(std::uint64_t *out, std::size_t count) {
    auto *bytes = reinterpret_cast<unsigned char *>(out);
    const std::size_t length = count * 8;
    std::memset(bytes, 0, length);
    // The stream position is counted in 64-byte ChaCha blocks; we always consume whole blocks.
    crypto_stream_chacha20_ietf_xor_ic(bytes, bytes, length, m_nonce, m_block, m_seed.data());
    m_block += static_cast<std::uint32_t>((length + 63) / 64);
  }

private:
  Seed m_seed;
  unsigned char m_nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  std::uint32_t m_block = 0;
};

} // namespace

Seed randomSeed() {
  (void)ensureSodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return seed;
}

void expandFieldElements(const Seed &seed, std::uint64_t nonce, std::uint64_t *out,
                         std::size_t count) {
  WordStream stream(seed, nonce);
  stream.next(out, count);
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < count; ++i) {
    out[i] &= field::kP;
    if (out[i] == field::kP)
      ++rejected;
  }
  // Redraw the (astronomically rare) values equal to p from further stream words, in order.
  std::vector<std::uint64_t> extra(8);
  std::size_t used = extra.size();
  for (std::size_t i = 0; rejected > 0 && i < count; ++i) {
    while (out[i] == field::kP) {
      if (used == extra.size()) {
        stream.next(extra.data(), extra.size());
        used = 0;
      }
      out[i] = extra[used++] & field::kP;
      if (out[i] != field::kP)
        --rejected;
    }
  }
}

void expandUniform(const Seed &seed, std::uint64_t nonce, double *out, std::size_t count) {
  WordStream stream(seed, nonce);
  auto *words = reinterpret_cast<std::uint64_t *>(out);
  stream.next(words, count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t bits = words[i] >> 11; // 53 random bits
    out[i] = static_cast<double>(bits) * 0x1.0p-52 - 1.0;
  }
}

} // namespace nesa::privacy
