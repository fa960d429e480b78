#include "wallet/ethereum_keys.h"

#include "chain/devnet.h"

#include "wallet/hd_keys.h"
#include "wallet/mnemonic.h"

#include <cryptopp/ripemd.h>
#include <cryptopp/sha.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace nesa::wallet {
namespace {

Result<std::array<std::uint8_t, 33>> compressedPublicKey(const SecureBuffer &secret) {
  auto key = chain::AccountKey::fromSecret(secret.bytes());
  if (!key)
    return key.error();
  return key->compressedPublicKey();
}

/// The first four bytes of RIPEMD160(SHA256(compressed public key)), big-endian.
std::uint32_t fingerprint(const std::array<std::uint8_t, 33> &publicKey) {
  std::array<std::uint8_t, CryptoPP::SHA256::DIGESTSIZE> sha{};
  CryptoPP::SHA256().CalculateDigest(sha.data(), publicKey.data(), publicKey.size());
  std::array<std::uint8_t, CryptoPP::RIPEMD160::DIGESTSIZE> ripe{};
  CryptoPP::RIPEMD160().CalculateDigest(ripe.data(), sha.data(), sha.size());
  return std::uint32_t{ripe[0]} << 24 | std::uint32_t{ripe[1]} << 16 | std::uint32_t{ripe[2]} << 8 |
         ripe[3];
}

/// A node from an HMAC output: IL becomes the key (after `tweak`), IR the chain code.
Result<Bip32Node> nodeOf(const SecureBuffer &digest) {
  auto key = SecureBuffer::copyOf(std::span<const std::uint8_t>(digest.data(), 32));
  auto chainCode = SecureBuffer::copyOf(std::span<const std::uint8_t>(digest.data() + 32, 32));
  if (!key || !chainCode)
    return fail(ErrorCode::Unavailable, "no locked memory for a key");
  Bip32Node node;
  node.key = std::move(*key);
  node.chainCode = std::move(*chainCode);
  return node;
}

std::string base58Check(std::span<const std::uint8_t> payload) {
  static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::vector<std::uint8_t> data(payload.begin(), payload.end());
  std::array<std::uint8_t, 32> once{}, twice{};
  CryptoPP::SHA256().CalculateDigest(once.data(), data.data(), data.size());
  CryptoPP::SHA256().CalculateDigest(twice.data(), once.data(), once.size());
  data.insert(data.end(), twice.begin(), twice.begin() + 4);
  std::vector<std::uint8_t> digits; // base-58 digits, least significant first
  for (std::uint8_t byte : data) {
    int carry = byte;
    for (auto &d : digits) {
      carry += 256 * d;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < data.size() && data[i] == 0; ++i)
    out.push_back('1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    out.push_back(kAlphabet[*it]);
  return out;
}

} // namespace

Result<Bip32Node> bip32Master(const SecureBuffer &seed) {
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  if (seed.size() < 16 || seed.size() > 64)
    return fail(ErrorCode::InvalidInput, "a key seed must be 16 to 64 bytes");
  static constexpr char kCurve[] = "Bitcoin seed";
  auto digest = hmacSha512(
      std::span(reinterpret_cast<const std::uint8_t *>(kCurve), sizeof kCurve - 1), seed.bytes());
  if (!digest)
    return digest.error();
  if (!chain::isValidSecret(std::span<const std::uint8_t>(digest->data(), 32)))
    return fail(ErrorCode::InvalidInput,
                "this seed gives no valid master key (BIP-32: use another)");
  return nodeOf(*digest);
}

Result<Bip32Node> bip32Child(const Bip32Node &parent, std::uint32_t index) {
  auto parentPublic = compressedPublicKey(parent.key);
  if (!parentPublic)
    return parentPublic.error();
  auto data = SecureBuffer::allocate(33 + 4);
  if (!data)
    return data.error();
  if (index >= kHardened) {
    data->data()[0] = 0;
    std::memcpy(data->data() + 1, parent.key.data(), 32);
  } else {
    std::memcpy(data->data(), parentPublic->data(), 33);
  }
  for (int i = 0; i < 4; ++i)
    data->data()[33 + i] = static_cast<std::uint8_t>(index >> (24 - 8 * i));
  auto digest = hmacSha512(parent.chainCode.bytes(), data->bytes());
  if (!digest)
    return digest.error();
  auto child = nodeOf(*digest);
  if (!child)
    return child;
  // k_child = IL + k_parent (mod n); IL ≥ n or a zero result makes the index invalid (BIP-32).
  if (!chain::isValidSecret(child->key.bytes()) ||
      !chain::addToSecret(std::span<std::uint8_t, 32>(child->key.data(), 32),
                          std::span<const std::uint8_t, 32>(parent.key.data(), 32)))
    return fail(ErrorCode::InvalidInput,
                "BIP-32 index " + std::to_string(index) + " gives no valid key; use the next one");
  child->depth = static_cast<std::uint8_t>(parent.depth + 1);
  child->parentFingerprint = fingerprint(*parentPublic);
  child->childNumber = index;
  return child;
}

Result<Bip32Node> bip32Derive(const SecureBuffer &seed, std::string_view path) {
  const auto malformed = [&] {
    return fail(ErrorCode::InvalidInput,
                "'" + std::string(path) + "' is not a derivation path like m/44'/60'/0'/0/0");
  };
  if (path.empty() || path[0] != 'm')
    return malformed();
  auto node = bip32Master(seed);
  std::string_view rest = path.substr(1);
  while (node && !rest.empty()) {
    if (rest[0] != '/')
      return malformed();
    rest.remove_prefix(1);
    const std::size_t end = std::min(rest.find('/'), rest.size());
    std::string_view step = rest.substr(0, end);
    rest.remove_prefix(end);
    const bool hardened =
        !step.empty() && (step.back() == '\'' || step.back() == 'H' || step.back() == 'h');
    if (hardened)
      step.remove_suffix(1);
    std::uint32_t index = 0;
    const auto [ptr, ec] = std::from_chars(step.data(), step.data() + step.size(), index);
    if (step.empty() || ec != std::errc{} || ptr != step.data() + step.size() || index >= kHardened)
      return malformed();
    node = bip32Child(*node, hardened ? index | kHardened : index);
  }
  return node;
}

std::string extendedPrivateKeyText(const Bip32Node &node) {
  std::vector<std::uint8_t> payload = {0x04, 0x88, 0xad, 0xe4, node.depth};
  for (std::uint32_t v : {node.parentFingerprint, node.childNumber})
    for (int i = 0; i < 4; ++i)
      payload.push_back(static_cast<std::uint8_t>(v >> (24 - 8 * i)));
  payload.insert(payload.end(), node.chainCode.bytes().begin(), node.chainCode.bytes().end());
  payload.push_back(0);
  payload.insert(payload.end(), node.key.bytes().begin(), node.key.bytes().end());
  std::string text = base58Check(payload);
  sodium_memzero(payload.data(), payload.size());
  return text;
}

std::string ethereumPath(std::uint32_t index) {
  return "m/44'/" + std::to_string(kEthereumCoinType) + "'/0'/0/" + std::to_string(index);
}

Result<chain::AccountKey> ethereumAccountKey(const SecureBuffer &seed, std::uint32_t index) {
  if (index >= kHardened)
    return fail(ErrorCode::InvalidInput, "an account index must be below 2^31");
  auto node = bip32Derive(seed, ethereumPath(index));
  if (!node)
    return node.error();
  return chain::AccountKey::fromSecret(node->key.bytes());
}

Result<void> checkSigningAllowed(const chain::Address &account, std::uint64_t chainId) {
  auto demo = devnetDemoAccountKey();
  if (!demo)
    return demo.error();
  if (account != demo->address())
    return {};
  return chain::checkDemoAllowed(chainId);
}

Result<chain::AccountKey> devnetDemoAccountKey() {
  auto seed = seedFromMnemonic(kDevnetDemoPhrase);
  if (!seed)
    return seed.error();
  return ethereumAccountKey(*seed, 0);
}

} // namespace nesa::wallet
