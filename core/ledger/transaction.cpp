#include "ledger/transaction.h"

#include <sodium.h>

#include <cstring>

namespace nesa::ledger {
namespace {

constexpr std::uint8_t kFormat = 1;

class Writer {
public:
  void u8(std::uint8_t v) { m_bytes.push_back(v); }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
      m_bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void raw(std::span<const std::uint8_t> bytes) {
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
  }
  std::vector<std::uint8_t> take() { return std::move(m_bytes); }

private:
  std::vector<std::uint8_t> m_bytes;
};

class Reader {
public:
  explicit Reader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
  bool u8(std::uint8_t &v) { return take(&v, 1); }
  bool u64(std::uint64_t &v) {
    std::uint8_t b[8];
    if (!take(b, 8))
      return false;
    v = 0;
    for (int i = 7; i >= 0; --i)
      v = (v << 8) | b[i];
    return true;
  }
  bool take(std::uint8_t *out, std::size_t n) {
    if (m_bytes.size() - m_pos < n)
      return false;
    std::memcpy(out, m_bytes.data() + m_pos, n);
    m_pos += n;
    return true;
  }
  bool done() const { return m_pos == m_bytes.size(); }

private:
  std::span<const std::uint8_t> m_bytes;
  std::size_t m_pos = 0;
};

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
  Writer w;
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
  Reader r(bytes);
  Transaction tx;
  std::uint8_t format = 0, idLength = 0, kind = 0;
  if (!r.u8(format) || format != kFormat)
    return fail(ErrorCode::Corrupt, "unknown transaction format");
  if (!r.u8(idLength))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  tx.chainId.resize(idLength);
  if (!r.take(reinterpret_cast<std::uint8_t *>(tx.chainId.data()), idLength) || !r.u8(kind) ||
      !r.take(tx.sender.data(), 32) || !r.u64(tx.nonce) || !r.u64(tx.fee) || !r.u64(tx.tip) ||
      !r.take(tx.to.data(), 20) || !r.u64(tx.amount))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  std::uint64_t payloadSize = 0;
  if (!r.u64(payloadSize) || payloadSize > kMaxPayload)
    return fail(ErrorCode::Corrupt, "transaction payload missing or too large");
  tx.payload.resize(payloadSize);
  if (!r.take(tx.payload.data(), payloadSize) || !r.take(tx.signature.data(), 64))
    return fail(ErrorCode::Corrupt, "truncated transaction");
  if (kind < 1 || kind > 9)
    return fail(ErrorCode::Corrupt, "unknown transaction kind " + std::to_string(kind));
  tx.kind = static_cast<TxKind>(kind);
  if (!r.done())
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
