#include "ledger/transaction.h"

#include "util/byte_io.h"

#include <sodium.h>

#include <cstring>

namespace nesa::ledger {
namespace {

constexpr std::uint8_t kFormat = 1;

} // namespace

KeyHash keyHashOf(const PublicKey &key) {
  KeyHash hash{};
  crypto_generichash(hash.data(), hash.size(), key.data(), key.size(), nullptr, 0);
  return hash;
}

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes.data(), bytes.size());
  text.pop_back();
  return text;
}

std::vector<std::uint8_t> Transaction::signingBytes() const {
  ByteWriter w;
  w.u8(kFormat);
  w.u8(static_cast<std::uint8_t>(chainId.size()));
  w.raw(std::span(reinterpret_cast<const std::uint8_t *>(chainId.data()), chainId.size()));
  w.u8(static_cast<std::uint8_t>(kind));
  w.raw(sender);
  w.u64(nonce);
  w.u64(fee);
  w.u64(tip);
  w.raw(to);
  w.u64(amount);
  w.u64(payload.size());
  w.raw(payload);
  return w.take();
}

std::vector<std::uint8_t> Transaction::serialize() const {
  auto bytes = signingBytes();
  bytes.insert(bytes.end(), signature.begin(), signature.end());
  return bytes;
}

Result<Transaction> Transaction::parse(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  Transaction tx;
  std::uint8_t format = 0, idLength = 0, kind = 0;
  if (!r.u8(format) || format != kFormat)
    return fail(ErrorCode::Corrupt, "unknown transaction format");
  if (!r.u8(idLength))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  tx.chainId.resize(idLength);
  if (!r.raw(reinterpret_cast<std::uint8_t *>(tx.chainId.data()), idLength) || !r.u8(kind) ||
      !r.raw(tx.sender.data(), 32) || !r.u64(tx.nonce) || !r.u64(tx.fee) || !r.u64(tx.tip) ||
      !r.raw(tx.to.data(), 20) || !r.u64(tx.amount))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  std::uint64_t payloadSize = 0;
  if (!r.u64(payloadSize) || payloadSize > kMaxPayload)
    return fail(ErrorCode::Corrupt, "transaction payload missing or too large");
  tx.payload.resize(payloadSize);
  if (!r.raw(tx.payload.data(), payloadSize) || !r.raw(tx.signature.data(), 64))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  if (kind < 1 || kind > 11)
    return fail(ErrorCode::Corrupt, "unknown transaction kind " + std::to_string(kind));
  tx.kind = static_cast<TxKind>(kind);
  if (!r.atEnd())
    return fail(ErrorCode::Corrupt, "trailing bytes after a transaction");
  return tx;
}

Hash Transaction::id() const {
  const auto bytes = serialize();
  Hash hash{};
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  return hash;
}

bool Transaction::signatureValid() const {
  const auto bytes = signingBytes();
  return crypto_sign_verify_detached(signature.data(), bytes.data(), bytes.size(), sender.data()) ==
         0;
}

void Transaction::signWith(const SecureBuffer &secretKey) {
  const auto bytes = signingBytes();
  crypto_sign_detached(signature.data(), nullptr, bytes.data(), bytes.size(), secretKey.data());
}

} // namespace nesa::ledger
