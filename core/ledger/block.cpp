#include "ledger/block.h"

#include "util/byte_io.h"

#include <sodium.h>

#include <cstring>

namespace nesa::ledger {

std::vector<std::uint8_t> Block::serialize() const {
  ByteWriter w;
  w.u64(height);
  w.raw(previous);
  w.raw(stateHash);
  w.u64(transactions.size());
  for (const auto &tx : transactions) {
    const auto bytes = tx.serialize();
    w.u64(bytes.size());
    w.raw(bytes);
  }
  return w.take();
}

Result<Block> Block::parse(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  Block block;
  std::uint64_t count = 0;
  if (!r.u64(block.height) || !r.raw(block.previous.data(), 32) ||
      !r.raw(block.stateHash.data(), 32))
    return fail(ErrorCode::Corrupt, "truncated block header");
  if (!r.u64(count) || count > bytes.size())
    return fail(ErrorCode::Corrupt, "truncated block");
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t length = 0;
    std::vector<std::uint8_t> txBytes;
    if (!r.u64(length) || !r.bytes(txBytes, length))
      return fail(ErrorCode::Corrupt,
                  "truncated transaction in block " + std::to_string(block.height));
    auto tx = Transaction::parse(txBytes);
    if (!tx)
      return tx.error();
    block.transactions.push_back(std::move(*tx));
  }
  if (!r.atEnd())
    return fail(ErrorCode::Corrupt, "trailing bytes after block " + std::to_string(block.height));
  return block;
}

Hash Block::hash() const {
  const auto bytes = serialize();
  Hash hash{};
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  return hash;
}

} // namespace nesa::ledger
