#include "node/node_chain.h"

#include "util/byte_io.h"
#include "wallet/mnemonic.h"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace nesa::node {

namespace {

std::vector<std::uint8_t> encodeGenesis(const ledger::Genesis &genesis) {
  ByteWriter w;
  w.u32(static_cast<std::uint32_t>(genesis.chainId.size()));
  w.raw(std::span(reinterpret_cast<const std::uint8_t *>(genesis.chainId.data()),
                  genesis.chainId.size()));
  w.u32(static_cast<std::uint32_t>(genesis.allocations.size()));
  for (const auto &[account, amount] : genesis.allocations) {
    w.raw(account);
    w.u64(amount);
  }
  w.raw(genesis.arbiter);
  const auto &p = genesis.params;
  for (auto v : {p.baseFee, p.feePerByte, p.unbondingBlocks, p.minStake, p.votingBlocks,
                 p.quorumPercent, p.maxSessionBlocks, p.slashPercent, p.rewardBlocks})
    w.u64(v);
  return w.take();
}

Result<ledger::Genesis> decodeGenesis(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  ledger::Genesis genesis;
  std::uint32_t length = 0, count = 0;
  std::vector<std::uint8_t> chain;
  if (!r.u32(length) || length > 64 || !r.bytes(chain, length) || !r.u32(count) || count > 100000)
    return fail(ErrorCode::Corrupt, "the node's genesis file is damaged");
  genesis.chainId.assign(chain.begin(), chain.end());
  for (std::uint32_t i = 0; i < count; ++i) {
    ledger::KeyHash account{};
    ledger::Amount amount = 0;
    if (!r.raw(account.data(), account.size()) || !r.u64(amount))
      return fail(ErrorCode::Corrupt, "the node's genesis file is damaged");
    genesis.allocations.emplace_back(account, amount);
  }
  auto &p = genesis.params;
  if (!r.raw(genesis.arbiter.data(), genesis.arbiter.size()) || !r.u64(p.baseFee) ||
      !r.u64(p.feePerByte) || !r.u64(p.unbondingBlocks) || !r.u64(p.minStake) ||
      !r.u64(p.votingBlocks) || !r.u64(p.quorumPercent) || !r.u64(p.maxSessionBlocks) ||
      !r.u64(p.slashPercent) || !r.u64(p.rewardBlocks) || !r.atEnd())
    return fail(ErrorCode::Corrupt, "the node's genesis file is damaged");
  return genesis;
}

Result<std::vector<std::uint8_t>> readFile(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot read " + file.string());
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

Result<void> writePrivateFile(const std::filesystem::path &file,
                              std::span<const std::uint8_t> bytes) {
  const mode_t previous = ::umask(0077);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  ::umask(previous);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  return {};
}

} // namespace

Result<wallet::KeyPair> devnetDemoKey() {
  auto seed = wallet::seedFromMnemonic(kDevnetDemoPhrase);
  if (!seed)
    return seed.error();
  return wallet::accountKeyPair(*seed, 0);
}

Result<ledger::Genesis> devnetGenesis(const std::vector<ledger::PublicKey> &miners,
                                      const ledger::PublicKey &arbiter) {
  auto demo = devnetDemoKey();
  if (!demo)
    return demo.error();
  ledger::Genesis genesis;
  genesis.chainId = "nesa-devnet";
  genesis.arbiter = arbiter;
  genesis.params.rewardBlocks = 20; // the fee pool goes to the miners every 20 blocks
  genesis.allocations.emplace_back(ledger::keyHashOf(arbiter), kMinerFunds); // pays slash fees
  genesis.allocations.emplace_back(ledger::keyHashOf(demo->publicKey), kDemoFunds);
  for (const auto &miner : miners)
    genesis.allocations.emplace_back(ledger::keyHashOf(miner), kMinerFunds);
  return genesis;
}

Result<std::shared_ptr<ledger::LocalLedger>>
openNodeChain(const std::filesystem::path &dir, const ledger::Genesis &genesis,
              std::chrono::milliseconds blockInterval) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto genesisFile = dir / "genesis.bin", keyFile = dir / "chain.key";
  ledger::Genesis chosen = genesis;
  if (std::filesystem::exists(genesisFile, ec)) {
    auto bytes = readFile(genesisFile);
    if (!bytes)
      return bytes.error();
    auto stored = decodeGenesis(*bytes);
    if (!stored)
      return stored.error();
    chosen = std::move(*stored);
  } else if (auto written = writePrivateFile(genesisFile, encodeGenesis(genesis)); !written) {
    return written.error();
  }
  // The chain store's passphrase: random, kept beside it for the unattended node.
  if (!std::filesystem::exists(keyFile, ec)) {
    auto key = SecureBuffer::random(32);
    if (!key)
      return key.error();
    std::string hex(65, '\0');
    sodium_bin2hex(hex.data(), hex.size(), key->data(), key->size());
    hex.pop_back();
    if (auto written = writePrivateFile(
            keyFile, std::span(reinterpret_cast<const std::uint8_t *>(hex.data()), hex.size()));
        !written)
      return written.error();
  }
  auto keyText = readFile(keyFile);
  if (!keyText)
    return keyText.error();
  auto passphrase = SecureBuffer::copyOf(std::span<const std::uint8_t>(*keyText));
  sodium_memzero(keyText->data(), keyText->size());
  if (!passphrase)
    return passphrase.error();
  auto chain = ledger::EmbeddedLedger::open(dir / "chain.db", *passphrase, chosen);
  if (!chain)
    return chain.error();
  return std::make_shared<ledger::LocalLedger>(std::move(*chain), blockInterval);
}

} // namespace nesa::node
