#include "ingest/gguf_quants.h"

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

namespace nesa::ingest::gguf {
namespace {

enum Type : std::uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  BF16 = 30,
};

constexpr std::size_t kSuperBlock = 256; // values per K-quant block

std::uint16_t le16(const std::uint8_t *p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }

float f32At(const std::uint8_t *p) {
  float value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

// The 6-bit scale and minimum of sub-block j (0..7) of a Q4_K or Q5_K block.
void scaleAndMin(int j, const std::uint8_t *q, std::uint8_t &scale, std::uint8_t &min) {
  if (j < 4) {
    scale = q[j] & 63;
    min = q[j + 4] & 63;
  } else {
    scale = static_cast<std::uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
    min = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

// Q4_0: a half scale d, then 16 bytes of 4-bit values (low nibbles first), each (q - 8)·d.
void q4_0(const std::uint8_t *b, float *y) {
  const float d = halfToFloat(le16(b));
  const std::uint8_t *qs = b + 2;
  for (int j = 0; j < 16; ++j) {
    y[j] = static_cast<float>((qs[j] & 0xF) - 8) * d;
    y[j + 16] = static_cast<float>((qs[j] >> 4) - 8) * d;
  }
}

// Q8_0: a half scale d, then 32 signed bytes, each q·d.
void q8_0(const std::uint8_t *b, float *y) {
  const float d = halfToFloat(le16(b));
  for (int j = 0; j < 32; ++j)
    y[j] = static_cast<float>(static_cast<std::int8_t>(b[2 + j])) * d;
}

// The scale and minimum of sub-block j of a Q4_K or Q5_K block `b` (d and dmin first).
struct SubBlock {
  float scale, min;
};
SubBlock subBlock(const std::uint8_t *b, int j) {
  std::uint8_t sc, m;
  scaleAndMin(j, b + 4, sc, m);
  return {halfToFloat(le16(b)) * sc, halfToFloat(le16(b + 2)) * m};
}

// Q4_K: half d and dmin, 12 bytes of 6-bit scales and minimums, 128 bytes of 4-bit values.
void q4_k(const std::uint8_t *b, float *y) {
  const std::uint8_t *q = b + 16;
  for (int is = 0; is < 8; is += 2, q += 32) {
    const auto [d1, m1] = subBlock(b, is);
    const auto [d2, m2] = subBlock(b, is + 1);
    for (int l = 0; l < 32; ++l)
      *y++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
    for (int l = 0; l < 32; ++l)
      *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
  }
}

// Q5_K: as Q4_K with a fifth bit per value in 32 bytes of high bits.
void q5_k(const std::uint8_t *b, float *y) {
  const std::uint8_t *qh = b + 16, *ql = b + 48;
  std::uint8_t u1 = 1, u2 = 2;
  for (int is = 0; is < 8; is += 2, ql += 32) {
    const auto [d1, m1] = subBlock(b, is);
    const auto [d2, m2] = subBlock(b, is + 1);
    for (int l = 0; l < 32; ++l)
      *y++ = d1 * static_cast<float>((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
    for (int l = 0; l < 32; ++l)
      *y++ = d2 * static_cast<float>((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
    u1 = static_cast<std::uint8_t>(u1 << 2);
    u2 = static_cast<std::uint8_t>(u2 << 2);
  }
}

// Q6_K: 128 bytes of low 4 bits, 64 bytes of high 2 bits, 16 signed scales, a half d.
void q6_k(const std::uint8_t *b, float *y) {
  const std::uint8_t *ql = b, *qh = b + 128;
  const auto *sc = reinterpret_cast<const std::int8_t *>(b + 192);
  const float d = halfToFloat(le16(b + 208));
  for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8)
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = ((ql[l] & 0xF) | ((qh[l] >> 0 & 3) << 4)) - 32;
      const int q2 = ((ql[l + 32] & 0xF) | ((qh[l] >> 2 & 3) << 4)) - 32;
      const int q3 = ((ql[l] >> 4) | ((qh[l] >> 4 & 3) << 4)) - 32;
      const int q4 = ((ql[l + 32] >> 4) | ((qh[l] >> 6 & 3) << 4)) - 32;
      // ggml's order of rounding: (d · scale) · q.
      y[l] = d * static_cast<float>(sc[is]) * static_cast<float>(q1);
      y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
      y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
      y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
    }
}

} // namespace

float halfToFloat(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000) << 16;
  const std::uint32_t exponent = half >> 10 & 0x1F, mantissa = half & 0x3FF;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    magnitude =
        mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  std::uint32_t bits;
  std::memcpy(&bits, &magnitude, sizeof bits);
  bits |= sign;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::string typeName(std::uint32_t type) {
  static const char *const names[] = {
      "F32",     "F16",    "Q4_0",    "Q4_1",  "Q4_2",   "Q4_3",  "Q5_0",  "Q5_1",
      "Q8_0",    "Q8_1",   "Q2_K",    "Q3_K",  "Q4_K",   "Q5_K",  "Q6_K",  "Q8_K",
      "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS",
      "I8",      "I16",    "I32",     "I64",   "F64",    "IQ1_M", "BF16"};
  if (type < std::size(names))
    return names[type];
  return "type " + std::to_string(type);
}

Result<TypeLayout> readableLayout(std::uint32_t type) {
  switch (type) {
  case F32: return TypeLayout{1, 4};
  case F16:
  case BF16: return TypeLayout{1, 2};
  case Q4_0: return TypeLayout{32, 18};
  case Q8_0: return TypeLayout{32, 34};
  case Q4_K: return TypeLayout{256, 144};
  case Q5_K: return TypeLayout{256, 176};
  case Q6_K: return TypeLayout{256, 210};
  default:
    return fail(ErrorCode::InvalidInput,
                "tensors of type " + typeName(type) +
                    " cannot be read (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K and Q6_K can)");
  }
}

void dequantize(std::uint32_t type, const std::uint8_t *source, std::size_t count, float *out) {
  switch (type) {
  case F32:
    for (std::size_t i = 0; i < count; ++i)
      out[i] = f32At(source + 4 * i);
    return;
  case F16:
    for (std::size_t i = 0; i < count; ++i)
      out[i] = halfToFloat(le16(source + 2 * i));
    return;
  case BF16:
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t bits = static_cast<std::uint32_t>(le16(source + 2 * i)) << 16;
      std::memcpy(out + i, &bits, sizeof(float));
    }
    return;
  case Q4_0:
    for (std::size_t i = 0; i < count / 32; ++i)
      q4_0(source + 18 * i, out + 32 * i);
    return;
  case Q8_0:
    for (std::size_t i = 0; i < count / 32; ++i)
      q8_0(source + 34 * i, out + 32 * i);
    return;
  case Q4_K:
    for (std::size_t i = 0; i < count / kSuperBlock; ++i)
      q4_k(source + 144 * i, out + kSuperBlock * i);
    return;
  case Q5_K:
    for (std::size_t i = 0; i < count / kSuperBlock; ++i)
      q5_k(source + 176 * i, out + kSuperBlock * i);
    return;
  case Q6_K:
    for (std::size_t i = 0; i < count / kSuperBlock; ++i)
      q6_k(source + 210 * i, out + kSuperBlock * i);
    return;
  default: return; // readableLayout() refused it before
  }
}

} // namespace nesa::ingest::gguf
