#include "wallet/mnemonic.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace nesa::wallet {
namespace {

bool bitAt(const std::uint8_t *bytes, std::size_t index) {
  return (bytes[index / 8] >> (7 - index % 8)) & 1;
}

void setBit(std::uint8_t *bytes, std::size_t index) {
  bytes[index / 8] |= static_cast<std::uint8_t>(1u << (7 - index % 8));
}

// The index of `word` in the (sorted) list, or -1.
int wordIndex(std::string_view word) {
  const auto &words = bip39Words();
  auto it = std::lower_bound(
      words.begin(), words.end(), word,
      [](const char *candidate, std::string_view w) { return std::string_view(candidate) < w; });
  return it != words.end() && std::string_view(*it) == word ? static_cast<int>(it - words.begin())
                                                            : -1;
}

// Splits on whitespace and lowers the case, keeping every byte in locked memory.
Result<std::vector<SecureBuffer>> splitWords(std::string_view text) {
  std::vector<SecureBuffer> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
      ++end;
    if (end > i) {
      auto word = SecureBuffer::copyOf(text.substr(i, end - i));
      if (!word)
        return word.error();
      for (auto &c : word->bytes())
        c = static_cast<std::uint8_t>(std::tolower(c));
      words.push_back(std::move(*word));
    }
    i = end;
  }
  return words;
}

} // namespace

Result<SecureBuffer> mnemonicFromEntropy(const SecureBuffer &entropy) {
  const std::size_t size = entropy.size();
  if (size < 16 || size > 32 || size % 4 != 0)
    return fail(ErrorCode::InvalidInput, "mnemonic entropy must be 16, 20, 24, 28 or 32 bytes");
  const std::size_t checksumBits = size * 8 / 32;
  const std::size_t wordCount = (size * 8 + checksumBits) / 11;
  auto bits = SecureBuffer::allocate(size + 32);
  if (!bits)
    return bits.error();
  std::memcpy(bits->data(), entropy.data(), size);
  crypto_hash_sha256(bits->data() + size, entropy.data(), size);
  std::size_t length = 0;
  std::vector<int> indices;
  for (std::size_t w = 0; w < wordCount; ++w) {
    int index = 0;
    for (std::size_t b = 0; b < 11; ++b)
      index = (index << 1) | (bitAt(bits->data(), w * 11 + b) ? 1 : 0);
    indices.push_back(index);
    length += std::strlen(bip39Words()[static_cast<std::size_t>(index)]) + (w ? 1 : 0);
  }
  auto text = SecureBuffer::allocate(length);
  if (!text)
    return text.error();
  std::size_t at = 0;
  for (std::size_t w = 0; w < indices.size(); ++w) {
    if (w)
      text->data()[at++] = ' ';
    const char *word = bip39Words()[static_cast<std::size_t>(indices[w])];
    std::memcpy(text->data() + at, word, std::strlen(word));
    at += std::strlen(word);
  }
  sodium_memzero(indices.data(), indices.size() * sizeof(int));
  return text;
}

Result<SecureBuffer> generateMnemonic() {
  auto entropy = SecureBuffer::random(32);
  if (!entropy)
    return entropy.error();
  return mnemonicFromEntropy(*entropy);
}

Result<SecureBuffer> entropyFromMnemonic(std::string_view mnemonic) {
  auto words = splitWords(mnemonic);
  if (!words)
    return words.error();
  const std::size_t count = words->size();
  if (count < 12 || count > 24 || count % 3 != 0)
    return fail(ErrorCode::InvalidInput,
                "a recovery phrase has 12, 15, 18, 21 or 24 words; this one has " +
                    std::to_string(count));
  const std::size_t totalBits = count * 11;
  const std::size_t entropyBytes = totalBits * 32 / 33 / 8;
  auto bits = SecureBuffer::allocate((totalBits + 7) / 8);
  if (!bits)
    return bits.error();
  for (std::size_t w = 0; w < count; ++w) {
    const int index = wordIndex((*words)[w].view());
    if (index < 0)
      return fail(ErrorCode::InvalidInput,
                  "word " + std::to_string(w + 1) +
                      " of the recovery phrase is not in the BIP39 English word list");
    for (std::size_t b = 0; b < 11; ++b)
      if ((index >> (10 - b)) & 1)
        setBit(bits->data(), w * 11 + b);
  }
  auto entropy = SecureBuffer::copyOf(std::span<const std::uint8_t>(bits->data(), entropyBytes));
  if (!entropy)
    return entropy.error();
  std::uint8_t hash[32];
  crypto_hash_sha256(hash, entropy->data(), entropy->size());
  const std::size_t checksumBits = entropyBytes * 8 / 32;
  for (std::size_t b = 0; b < checksumBits; ++b)
    if (bitAt(hash, b) != bitAt(bits->data(), entropyBytes * 8 + b))
      return fail(ErrorCode::InvalidInput, "the recovery phrase's checksum does not match: a word "
                                           "is mistyped or the words are out of order");
  return entropy;
}

Result<SecureBuffer> normalizeMnemonic(std::string_view mnemonic) {
  auto entropy = entropyFromMnemonic(mnemonic);
  if (!entropy)
    return entropy.error();
  return mnemonicFromEntropy(*entropy);
}

Result<SecureBuffer> seedFromMnemonic(std::string_view mnemonic, std::string_view passphrase) {
  for (char c : passphrase)
    if (static_cast<unsigned char>(c) > 127)
      return fail(ErrorCode::InvalidInput, "the recovery passphrase must be plain ASCII");
  auto normalized = normalizeMnemonic(mnemonic);
  if (!normalized)
    return normalized.error();
  auto salt = SecureBuffer::allocate(8 + passphrase.size());
  if (!salt)
    return salt.error();
  std::memcpy(salt->data(), "mnemonic", 8);
  if (!passphrase.empty())
    std::memcpy(salt->data() + 8, passphrase.data(), passphrase.size());
  auto seed = SecureBuffer::allocate(64);
  if (!seed)
    return seed.error();
  if (PKCS5_PBKDF2_HMAC(normalized->view().data(), static_cast<int>(normalized->size()),
                        salt->data(), static_cast<int>(salt->size()), 2048, EVP_sha512(), 64,
                        seed->data()) != 1)
    return fail(ErrorCode::Internal, "PBKDF2 failed");
  return seed;
}

} // namespace nesa::wallet
