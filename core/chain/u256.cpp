#include "chain/u256.h"

#include <algorithm>

namespace nesa::chain {

namespace {
// GCC and Clang have a native 128-bit type; limb arithmetic carries through it.
__extension__ typedef unsigned __int128 Wide;
} // namespace

Result<U256> U256::fromBigEndian(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > 32)
    return fail(ErrorCode::InvalidInput,
                "a 256-bit integer has at most 32 bytes, got " + std::to_string(bytes.size()));
  U256 out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::size_t fromRight = bytes.size() - 1 - i;
    out.m_limbs[fromRight / 8] |= std::uint64_t{bytes[i]} << (8 * (fromRight % 8));
  }
  return out;
}

Result<U256> U256::parse(std::string_view text) {
  if (text.empty())
    return fail(ErrorCode::InvalidInput, "an empty number");
  U256 value;
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const U256 base = hex ? 16 : 10;
  for (char c : hex ? text.substr(2) : text) {
    int digit = -1;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    if (digit < 0)
      return fail(ErrorCode::InvalidInput, "'" + std::string(text) + "' is not a number");
    U256 shifted;
    if (mulOverflows(value, base, shifted) || addOverflows(shifted, U256(digit), value))
      return fail(ErrorCode::InvalidInput, "'" + std::string(text) + "' is over 2^256 - 1");
  }
  return value;
}

U256 U256::max() {
  U256 out;
  out.m_limbs.fill(~std::uint64_t{0});
  return out;
}

std::array<std::uint8_t, 32> U256::toWord() const {
  std::array<std::uint8_t, 32> word{};
  for (int i = 0; i < 32; ++i)
    word[31 - i] = static_cast<std::uint8_t>(m_limbs[i / 8] >> (8 * (i % 8)));
  return word;
}

std::vector<std::uint8_t> U256::toMinimalBytes() const {
  const auto word = toWord();
  const auto first = std::find_if(word.begin(), word.end(), [](std::uint8_t b) { return b != 0; });
  return {first, word.end()};
}

std::uint32_t U256::divideSmall(std::uint32_t divisor) {
  Wide remainder = 0;
  for (int i = 3; i >= 0; --i) {
    const Wide current = (remainder << 64) | m_limbs[i];
    m_limbs[i] = static_cast<std::uint64_t>(current / divisor);
    remainder = current % divisor;
  }
  return static_cast<std::uint32_t>(remainder);
}

std::string U256::toDecimal() const {
  if (isZero())
    return "0";
  U256 rest = *this;
  std::string digits;
  while (!rest.isZero())
    digits.push_back(static_cast<char>('0' + rest.divideSmall(10)));
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string U256::toQuantity() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  bool started = false;
  for (int nibble = 63; nibble >= 0; --nibble) {
    const int digit = static_cast<int>((m_limbs[nibble / 16] >> (4 * (nibble % 16))) & 0xf);
    started = started || digit != 0;
    if (started)
      out.push_back(kDigits[digit]);
  }
  return started ? out : "0x0";
}

int U256::bitLength() const {
  for (int i = 3; i >= 0; --i)
    if (m_limbs[i] != 0)
      return 64 * i + 64 - __builtin_clzll(m_limbs[i]);
  return 0;
}

bool U256::addOverflows(const U256 &a, const U256 &b, U256 &sum) {
  U256 out;
  Wide carry = 0;
  for (int i = 0; i < 4; ++i) {
    const Wide s = static_cast<Wide>(a.m_limbs[i]) + b.m_limbs[i] + carry;
    out.m_limbs[i] = static_cast<std::uint64_t>(s);
    carry = s >> 64;
  }
  if (carry != 0)
    return true;
  sum = out;
  return false;
}

bool U256::mulOverflows(const U256 &a, const U256 &b, U256 &product) {
  std::array<std::uint64_t, 8> wide{};
  for (int i = 0; i < 4; ++i) {
    Wide carry = 0;
    for (int j = 0; j < 4; ++j) {
      const Wide t = static_cast<Wide>(a.m_limbs[i]) * b.m_limbs[j] + wide[i + j] + carry;
      wide[i + j] = static_cast<std::uint64_t>(t);
      carry = t >> 64;
    }
    wide[i + 4] = static_cast<std::uint64_t>(carry);
  }
  if (wide[4] | wide[5] | wide[6] | wide[7])
    return true;
  std::copy_n(wide.begin(), 4, product.m_limbs.begin());
  return false;
}

bool U256::subtract(const U256 &a, const U256 &b, U256 &difference) {
  if (a < b)
    return false;
  U256 out;
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const Wide lhs = a.m_limbs[i];
    const Wide rhs = static_cast<Wide>(b.m_limbs[i]) + borrow;
    out.m_limbs[i] = static_cast<std::uint64_t>(lhs - rhs);
    borrow = lhs < rhs ? 1 : 0;
  }
  difference = out;
  return true;
}

} // namespace nesa::chain
