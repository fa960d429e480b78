#include "node/node_chain.h"

#include "ledger/ledger_codec.h"
#include "wallet/mnemonic.h"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace nesa::node {

namespace {

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
    auto stored = ledger::decodeGenesis(*bytes);
    if (!stored)
      return stored.error();
    chosen = std::move(*stored);
  } else if (auto written = writePrivateFile(genesisFile, ledger::encodeGenesis(genesis));
             !written) {
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
