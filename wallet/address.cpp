#include "wallet/address.h"

#include "util/secure_buffer.h"

#include <sodium.h>

#include <cctype>
#include <cstring>

namespace nesa::wallet {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::string_view kHrp = "nes";

std::uint32_t polymod(const std::vector<std::uint8_t> &values) {
  static constexpr std::uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  std::uint32_t checksum = 1;
  for (auto value : values) {
    const std::uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1)
        checksum ^= kGenerator[i];
  }
  return checksum;
}

std::vector<std::uint8_t> expandHrp(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  for (char c : hrp)
    out.push_back(static_cast<std::uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp)
    out.push_back(static_cast<std::uint8_t>(c) & 31);
  return out;
}

// Regroups bits: 8-bit bytes to 5-bit values (pad) or back (no padding allowed).
Result<std::vector<std::uint8_t>> regroup(std::span<const std::uint8_t> in, int from, int to,
                                          bool pad) {
  std::uint32_t accumulator = 0;
  int bits = 0;
  std::vector<std::uint8_t> out;
  const std::uint32_t mask = (1u << to) - 1;
  for (auto value : in) {
    if (value >> from)
      return fail(ErrorCode::InvalidInput, "value out of range");
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & mask));
    }
  }
  if (pad && bits > 0)
    out.push_back(static_cast<std::uint8_t>((accumulator << (to - bits)) & mask));
  else if (!pad && (bits >= from || ((accumulator << (to - bits)) & mask)))
    return fail(ErrorCode::InvalidInput, "the address has stray bits");
  return out;
}

} // namespace

std::string bech32Encode(std::string_view hrp, std::span<const std::uint8_t> data) {
  auto values = expandHrp(hrp);
  values.insert(values.end(), data.begin(), data.end());
  values.insert(values.end(), 6, 0);
  const std::uint32_t checksum = polymod(values) ^ 1;
  std::string out(hrp);
  out += '1';
  for (auto v : data)
    out += kCharset[v];
  for (int i = 0; i < 6; ++i)
    out += kCharset[(checksum >> (5 * (5 - i))) & 31];
  return out;
}

Result<Bech32> bech32Decode(std::string_view text) {
  if (text.size() > 90)
    return fail(ErrorCode::InvalidInput, "a bech32 string has at most 90 characters");
  bool lower = false, upper = false;
  for (char c : text) {
    if (c < 33 || c > 126)
      return fail(ErrorCode::InvalidInput, "the address contains an invalid character");
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  if (lower && upper)
    return fail(ErrorCode::InvalidInput, "the address mixes upper and lower case");
  const auto separator = text.rfind('1');
  if (separator == std::string_view::npos || separator == 0 || separator + 7 > text.size())
    return fail(ErrorCode::InvalidInput,
                "the address is missing its prefix, separator or checksum");
  Bech32 decoded;
  for (char c : text.substr(0, separator))
    decoded.hrp += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : text.substr(separator + 1)) {
    const char *position = std::strchr(kCharset, std::tolower(static_cast<unsigned char>(c)));
    if (position == nullptr || *position == '\0')
      return fail(ErrorCode::InvalidInput,
                  std::string("the address contains '") + c + "', which bech32 does not use");
    decoded.data.push_back(static_cast<std::uint8_t>(position - kCharset));
  }
  auto values = expandHrp(decoded.hrp);
  values.insert(values.end(), decoded.data.begin(), decoded.data.end());
  if (polymod(values) != 1)
    return fail(ErrorCode::InvalidInput, "the address checksum is wrong (a character is mistyped)");
  decoded.data.resize(decoded.data.size() - 6);
  return decoded;
}

std::string addressOf(const std::array<std::uint8_t, 32> &publicKey) {
  (void)ensureSodium();
  std::array<std::uint8_t, 20> hash{};
  crypto_generichash(hash.data(), hash.size(), publicKey.data(), publicKey.size(), nullptr, 0);
  return addressOfHash(hash);
}

std::string addressOfHash(const std::array<std::uint8_t, 20> &keyHash) {
  return bech32Encode(kHrp, regroup(keyHash, 8, 5, true).value());
}

Result<std::array<std::uint8_t, 20>> parseAddress(std::string_view address) {
  auto decoded = bech32Decode(address);
  if (!decoded)
    return decoded.error();
  if (decoded->hrp != kHrp)
    return fail(ErrorCode::InvalidInput,
                "not a $NES address (it starts with '" + decoded->hrp + "1', not 'nes1')");
  auto bytes = regroup(decoded->data, 5, 8, false);
  if (!bytes)
    return bytes.error();
  if (bytes->size() != 20)
    return fail(ErrorCode::InvalidInput,
                "a $NES address holds 20 bytes, this one " + std::to_string(bytes->size()));
  std::array<std::uint8_t, 20> hash{};
  std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

} // namespace nesa::wallet
