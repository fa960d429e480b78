#include "ledger/block.h"

#include <sodium.h>

#include <cstring>

namespace nesa::ledger {
namespace {

void putU64(std::vector<std::uint8_t> &out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

bool getU64(std::span<const std::uint8_t> in, std::size_t &pos, std::uint64_t &v) {
  if (in.size() - pos < 8)
    return false;
  v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | in[pos + static_cast<std::size_t>(i)];
  pos += 8;
  return true;
}

} // namespace

std::vector<std::uint8_t> Block::serialize() const {
  std::vector<std::uint8_t> out;
  putU64(out, height);
  out.insert(out.end(), previous.begin(), previous.end());
  out.insert(out.end(), stateHash.begin(), stateHash.end());
  putU64(out, transactions.size());
  for (const auto &tx : transactions) {
    const auto bytes = tx.serialize();
    putU64(out, bytes.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

Result<Block> Block::parse(std::span<const std::uint8_t> bytes) {
  Block block;
  std::size_t pos = 0;
  std::uint64_t count = 0;
  if (!getU64(bytes, pos, block.height) || bytes.size() - pos < 64)
    return fail(ErrorCode::Corrupt, "truncated block header");
  std::memcpy(block.previous.data(), bytes.data() + pos, 32);
  std::memcpy(block.stateHash.data(), bytes.data() + pos + 32, 32);
  pos += 64;
  if (!getU64(bytes, pos, count) || count > bytes.size())
    return fail(ErrorCode::Corrupt, "truncated block");
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t length = 0;
    if (!getU64(bytes, pos, length) || bytes.size() - pos < length)
      return fail(ErrorCode::Corrupt,
                  "truncated transaction in block " + std::to_string(block.height));
    auto tx = Transaction::parse(bytes.subspan(pos, length));
    if (!tx)
      return tx.error();
    block.transactions.push_back(std::move(*tx));
    pos += length;
  }
  if (pos != bytes.size())
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
