#include "chain/account_key.h"

#include "chain/keccak.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cctype>

namespace nesa::chain {

namespace {

// The group order n and n/2, big-endian.
constexpr Hash32 kOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                           0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
constexpr Hash32 kHalfOrder = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                               0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                               0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

/// One context for the whole process; read-only after creation, so threads may share it.
const secp256k1_context *context() {
  static secp256k1_context *ctx =
      secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
  return ctx;
}

bool isZero(const Hash32 &v) {
  return std::all_of(v.begin(), v.end(), [](std::uint8_t b) { return b == 0; });
}

Address addressOfParsedKey(const secp256k1_pubkey &key) {
  std::array<std::uint8_t, 65> serialized{};
  std::size_t size = serialized.size();
  secp256k1_ec_pubkey_serialize(context(), serialized.data(), &size, &key,
                                SECP256K1_EC_UNCOMPRESSED);
  return addressOfPublicKey(std::span<const std::uint8_t, 64>(serialized.data() + 1, 64));
}

} // namespace

Bytes Signature::toRsv() const {
  Bytes out(r.begin(), r.end());
  out.insert(out.end(), s.begin(), s.end());
  out.push_back(static_cast<std::uint8_t>(27 + yParity));
  return out;
}

Result<Signature> Signature::fromRsv(std::span<const std::uint8_t> rsv) {
  if (rsv.size() != 65)
    return fail(ErrorCode::InvalidInput,
                "a signature has 65 bytes (r, s, v), got " + std::to_string(rsv.size()));
  const std::uint8_t v = rsv[64];
  if (v != 0 && v != 1 && v != 27 && v != 28)
    return fail(ErrorCode::InvalidInput,
                "a signature's v is 0, 1, 27 or 28, got " + std::to_string(v));
  Signature sig;
  std::copy_n(rsv.begin(), 32, sig.r.begin());
  std::copy_n(rsv.begin() + 32, 32, sig.s.begin());
  sig.yParity = static_cast<std::uint8_t>(v >= 27 ? v - 27 : v);
  return sig;
}

Result<AccountKey> AccountKey::fromSecret(std::span<const std::uint8_t> secret) {
  if (secret.size() != 32)
    return fail(ErrorCode::InvalidInput, "a secp256k1 key has 32 bytes");
  if (!secp256k1_ec_seckey_verify(context(), secret.data()))
    return fail(ErrorCode::InvalidInput,
                "not a valid secp256k1 key (zero, or not below the order)");
  secp256k1_pubkey publicKey;
  if (!secp256k1_ec_pubkey_create(context(), &publicKey, secret.data()))
    return fail(ErrorCode::Internal, "secp256k1 could not derive a public key");
  auto copy = SecureBuffer::copyOf(secret);
  if (!copy)
    return copy.error();
  return AccountKey(std::move(*copy), addressOfParsedKey(publicKey));
}

Signature AccountKey::sign(const Hash32 &digest) const {
  secp256k1_ecdsa_recoverable_signature raw;
  // Cannot fail for a verified key; the RFC 6979 nonce is deterministic.
  secp256k1_ecdsa_sign_recoverable(context(), &raw, digest.data(), m_secret.data(), nullptr,
                                   nullptr);
  std::array<std::uint8_t, 64> compact{};
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid, &raw);
  Signature sig;
  std::copy_n(compact.begin(), 32, sig.r.begin());
  std::copy_n(compact.begin() + 32, 32, sig.s.begin());
  sig.yParity = static_cast<std::uint8_t>(recid);
  return sig;
}

std::array<std::uint8_t, 33> AccountKey::compressedPublicKey() const {
  secp256k1_pubkey publicKey;
  // Cannot fail: the secret was verified when the key was made.
  if (!secp256k1_ec_pubkey_create(context(), &publicKey, m_secret.data()))
    return {};
  std::array<std::uint8_t, 33> out{};
  std::size_t size = out.size();
  secp256k1_ec_pubkey_serialize(context(), out.data(), &size, &publicKey, SECP256K1_EC_COMPRESSED);
  return out;
}

bool hasScalarsInRange(const Signature &signature) {
  return !isZero(signature.r) && !isZero(signature.s) && signature.r < kOrder &&
         signature.s < kOrder;
}

bool hasLowS(const Signature &signature) { return signature.s <= kHalfOrder; }

Result<Address> recoverSigner(const Hash32 &digest, const Signature &signature) {
  if (!hasScalarsInRange(signature))
    return fail(ErrorCode::InvalidInput,
                "invalid signature: r or s is zero or not below the order");
  if (signature.yParity > 1)
    return fail(ErrorCode::InvalidInput, "invalid signature: the recovery id is not 0 or 1");
  std::array<std::uint8_t, 64> compact{};
  std::copy(signature.r.begin(), signature.r.end(), compact.begin());
  std::copy(signature.s.begin(), signature.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature raw;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &raw, compact.data(),
                                                           signature.yParity))
    return fail(ErrorCode::InvalidInput, "invalid signature: it does not parse");
  secp256k1_pubkey publicKey;
  if (!secp256k1_ecdsa_recover(context(), &publicKey, &raw, digest.data()))
    return fail(ErrorCode::InvalidInput, "invalid signature: no public key recovers from it");
  return addressOfParsedKey(publicKey);
}

Address addressOfPublicKey(std::span<const std::uint8_t, 64> publicKey) {
  const Hash32 hash = keccak256(std::span<const std::uint8_t>(publicKey));
  Address out{};
  std::copy(hash.begin() + 12, hash.end(), out.begin());
  return out;
}

std::string checksumAddress(const Address &address) {
  const std::string lower = toHex(address).substr(2);
  const Hash32 hash = keccak256(std::string_view(lower));
  std::string out = "0x";
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
    const char c = lower[i];
    out.push_back(nibble >= 8 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
  }
  return out;
}

Result<Address> parseAddress(std::string_view text) {
  if (text.size() != 42 || text[0] != '0' || text[1] != 'x')
    return fail(ErrorCode::InvalidInput,
                "an address is 0x followed by 40 hex digits, got '" + std::string(text) + "'");
  auto address = fixedFromHex<20>(text);
  if (!address)
    return fail(ErrorCode::InvalidInput,
                "'" + std::string(text) + "' is not an address: " + address.error().message);
  const std::string_view digits = text.substr(2);
  const bool hasLower =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  const bool hasUpper =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (hasLower && hasUpper && checksumAddress(*address) != text)
    return fail(ErrorCode::InvalidInput,
                "'" + std::string(text) + "' fails its EIP-55 checksum: a character is wrong");
  return address;
}

bool isValidSecret(std::span<const std::uint8_t> secret) {
  return secret.size() == 32 && secp256k1_ec_seckey_verify(context(), secret.data()) == 1;
}

Result<void> addToSecret(std::span<std::uint8_t, 32> secret,
                         std::span<const std::uint8_t, 32> tweak) {
  if (!secp256k1_ec_seckey_tweak_add(context(), secret.data(), tweak.data()))
    return fail(ErrorCode::InvalidInput,
                "the tweak is not below the curve order or the sum is zero");
  return {};
}

Hash32 personalMessageDigest(std::span<const std::uint8_t> message) {
  const std::string prefix = "\x19"
                             "Ethereum Signed Message:\n" +
                             std::to_string(message.size());
  Bytes data(prefix.begin(), prefix.end());
  data.insert(data.end(), message.begin(), message.end());
  return keccak256(data);
}

} // namespace nesa::chain
