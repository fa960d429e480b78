#include "audit/checkpoint.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace nesa::audit {
namespace {

constexpr std::uint8_t kEd25519Type = 0x01;
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 "; // an em dash and a space

std::string toBase64(std::span<const std::uint8_t> bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

bool fromBase64(std::string_view text, std::vector<std::uint8_t> &out) {
  out.assign(text.size(), 0);
  std::size_t length = 0;
  const char *end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return false;
  out.resize(length);
  return true;
}

// Splits on '\n'; the text must end with one.
std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos)
      return {};
    out.push_back(text.substr(0, newline));
    text.remove_prefix(newline + 1);
  }
  return out;
}

Error corrupt(const std::string &why) {
  return fail(ErrorCode::Corrupt, "not a valid audit checkpoint: " + why);
}

} // namespace

std::string Checkpoint::body() const {
  return origin + "\n" + std::to_string(size) + "\n" + toBase64(root) + "\n";
}

std::array<std::uint8_t, 4> VerifierKey::keyId() const {
  std::vector<std::uint8_t> input(name.begin(), name.end());
  input.push_back('\n');
  input.push_back(kEd25519Type);
  input.insert(input.end(), publicKey.begin(), publicKey.end());
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), input.data(), input.size());
  return {digest[0], digest[1], digest[2], digest[3]};
}

std::string VerifierKey::toString() const {
  const auto id = keyId();
  std::array<char, 9> idHex{};
  sodium_bin2hex(idHex.data(), idHex.size(), id.data(), id.size());
  std::vector<std::uint8_t> typed{kEd25519Type};
  typed.insert(typed.end(), publicKey.begin(), publicKey.end());
  return name + "+" + idHex.data() + "+" + toBase64(typed);
}

Result<VerifierKey> VerifierKey::parse(std::string_view text) {
  // NAME+KEYID+KEY: the name has no '+', but the base64 key may.
  const auto first = text.find('+');
  const auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos || first == 0)
    return fail(ErrorCode::InvalidInput, "a verifier key reads NAME+KEYID+KEY");
  std::vector<std::uint8_t> typed;
  if (!fromBase64(text.substr(second + 1), typed) || typed.size() != 33 || typed[0] != kEd25519Type)
    return fail(ErrorCode::InvalidInput, "the verifier key is not an Ed25519 key");
  VerifierKey key;
  key.name = std::string(text.substr(0, first));
  // A key name is non-empty and has no '+', spaces or control characters (signed-note).
  if (std::any_of(key.name.begin(), key.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }))
    return fail(ErrorCode::InvalidInput, "a verifier key's name has no '+' or spaces");
  std::copy(typed.begin() + 1, typed.end(), key.publicKey.begin());
  const auto id = key.keyId();
  std::array<char, 9> idHex{};
  sodium_bin2hex(idHex.data(), idHex.size(), id.data(), id.size());
  if (text.substr(first + 1, second - first - 1) != idHex.data())
    return fail(ErrorCode::InvalidInput, "the verifier key's ID does not match its key");
  return key;
}

Result<SignerKey> SignerKey::generate(const std::string &name) {
  auto secret = SecureBuffer::allocate(crypto_sign_SECRETKEYBYTES);
  if (!secret)
    return secret.error();
  SignerKey key;
  key.verifier.name = name;
  crypto_sign_keypair(key.verifier.publicKey.data(), secret->data());
  key.secretKey = std::move(*secret);
  return key;
}

Result<SignerKey> SignerKey::fromSecret(const std::string &name, const SecureBuffer &secret) {
  if (secret.size() != crypto_sign_SECRETKEYBYTES)
    return fail(ErrorCode::Corrupt, "the audit signing key has the wrong length");
  auto copy = SecureBuffer::copyOf(secret.view());
  if (!copy)
    return copy.error();
  SignerKey key;
  key.verifier.name = name;
  crypto_sign_ed25519_sk_to_pk(key.verifier.publicKey.data(), secret.data());
  key.secretKey = std::move(*copy);
  return key;
}

Result<SignerKey> SignerKey::fromSeed(const std::string &name, const SecureBuffer &seed) {
  if (seed.size() != crypto_sign_SEEDBYTES)
    return fail(ErrorCode::InvalidInput, "an Ed25519 seed is 32 bytes");
  auto secret = SecureBuffer::allocate(crypto_sign_SECRETKEYBYTES);
  if (!secret)
    return secret.error();
  SignerKey key;
  key.verifier.name = name;
  crypto_sign_seed_keypair(key.verifier.publicKey.data(), secret->data(), seed.data());
  key.secretKey = std::move(*secret);
  return key;
}

Result<SecureBuffer> SignerKey::toSecretString() const {
  std::vector<std::uint8_t> typed{kEd25519Type};
  typed.resize(1 + crypto_sign_SEEDBYTES);
  crypto_sign_ed25519_sk_to_seed(typed.data() + 1, secretKey.data());
  // NAME+KEYID+ from the verifier key (the name has no '+'; its base64 key may).
  const std::string named = verifier.toString();
  std::string encoded = toBase64(typed);
  std::string text = "PRIVATE+KEY+" + named.substr(0, named.find('+', named.find('+') + 1) + 1);
  text += encoded;
  auto secret = SecureBuffer::copyOf(std::string_view(text));
  sodium_memzero(typed.data(), typed.size());
  sodium_memzero(encoded.data(), encoded.size());
  sodium_memzero(text.data(), text.size());
  return secret;
}

Result<SignerKey> SignerKey::parseSecretString(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix))
    return fail(ErrorCode::InvalidInput, "a signer key reads PRIVATE+KEY+NAME+KEYID+KEY");
  text.remove_prefix(kPrefix.size());
  const auto first = text.find('+');
  const auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  std::vector<std::uint8_t> typed;
  if (second == std::string_view::npos || first == 0 ||
      !fromBase64(text.substr(second + 1), typed) || typed.size() != 1 + crypto_sign_SEEDBYTES ||
      typed[0] != kEd25519Type)
    return fail(ErrorCode::InvalidInput, "the signer key is not an Ed25519 signer key string");
  auto seed = SecureBuffer::copyOf(std::span<const std::uint8_t>(typed).subspan(1));
  sodium_memzero(typed.data(), typed.size());
  if (!seed)
    return seed.error();
  auto key = fromSeed(std::string(text.substr(0, first)), *seed);
  if (!key)
    return key.error();
  // NAME+KEYID must be the verifier key string's start.
  const std::string verifier = key->verifier.toString();
  if (verifier.size() <= second || verifier[second] != '+' ||
      std::string_view(verifier).substr(0, second) != text.substr(0, second))
    return fail(ErrorCode::InvalidInput, "the signer key's ID does not match its key");
  return key;
}

Result<std::string> signNote(std::string_view text, const SignerKey &key) {
  if (text.empty() || text.back() != '\n' || text.find("\n\n") != std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "a note's text ends with a newline and has no blank line");
  std::vector<std::uint8_t> signature(4 + crypto_sign_BYTES);
  const auto id = key.verifier.keyId();
  std::copy(id.begin(), id.end(), signature.begin());
  crypto_sign_detached(signature.data() + 4, nullptr,
                       reinterpret_cast<const unsigned char *>(text.data()), text.size(),
                       key.secretKey.data());
  return std::string(text) + "\n" + std::string(kSignaturePrefix) + key.verifier.name + " " +
         toBase64(signature) + "\n";
}

Result<std::string> openNote(std::string_view note, const VerifierKey &key) {
  const auto blank = note.rfind("\n\n");
  if (blank == std::string_view::npos)
    return corrupt("no blank line before the signatures");
  const std::string_view text = note.substr(0, blank + 1);
  const auto signatureLines = lines(note.substr(blank + 2));
  if (signatureLines.empty())
    return corrupt("no signature lines");
  const auto wantedId = key.keyId();
  bool verified = false;
  for (std::string_view line : signatureLines) {
    if (!line.starts_with(kSignaturePrefix))
      return corrupt("a signature line does not start with an em dash");
    line.remove_prefix(kSignaturePrefix.size());
    const auto space = line.find(' ');
    if (space == std::string_view::npos || line.substr(0, space) != key.name)
      continue; // another party's signature: not ours to judge
    std::vector<std::uint8_t> signature;
    if (!fromBase64(line.substr(space + 1), signature) || signature.size() < 4)
      return corrupt("a signature is not base64 of a key ID and a signature");
    if (!std::equal(wantedId.begin(), wantedId.end(), signature.begin()))
      continue; // another key of the same name
    // Our name and key ID: the signature must verify, or the whole note is refused.
    if (signature.size() != 4 + crypto_sign_BYTES ||
        crypto_sign_verify_detached(signature.data() + 4,
                                    reinterpret_cast<const unsigned char *>(text.data()),
                                    text.size(), key.publicKey.data()) != 0)
      return fail(ErrorCode::Corrupt, "the note's signature by " + key.name + " does not verify");
    verified = true; // the other lines are still read: a bad one by this key refuses the note
  }
  if (verified)
    return std::string(text);
  return fail(ErrorCode::Corrupt, "the note carries no valid signature by " + key.toString());
}

Result<std::string> signCheckpoint(const Checkpoint &checkpoint, const SignerKey &key) {
  if (checkpoint.origin != key.verifier.name)
    return fail(ErrorCode::Internal, "a checkpoint is signed under its own origin");
  return signNote(checkpoint.body(), key);
}

Result<Checkpoint> openCheckpoint(std::string_view note, const VerifierKey &key) {
  auto text = openNote(note, key);
  if (!text)
    return text.error();
  const auto bodyLines = lines(*text);
  if (bodyLines.size() < 3)
    return corrupt("fewer than three lines");
  Checkpoint checkpoint;
  checkpoint.origin = std::string(bodyLines[0]);
  if (checkpoint.origin != key.name)
    return corrupt("its origin is not the log's");
  const std::string_view sizeText = bodyLines[1];
  const auto parsed =
      std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), checkpoint.size);
  if (parsed.ec != std::errc{} || parsed.ptr != sizeText.data() + sizeText.size() ||
      sizeText.empty() || (sizeText.size() > 1 && sizeText[0] == '0'))
    return corrupt("the size is not a decimal number");
  std::vector<std::uint8_t> root;
  if (!fromBase64(bodyLines[2], root) || root.size() != checkpoint.root.size())
    return corrupt("the root hash is not 32 bytes of base64");
  std::copy(root.begin(), root.end(), checkpoint.root.begin());
  return checkpoint;
}

} // namespace nesa::audit
