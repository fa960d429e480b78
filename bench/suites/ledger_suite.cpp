// ledger: how fast signed transactions are checked, applied and durably committed, against
// libsodium's raw Ed25519 verification of the same number of signatures.
#include "harness.h"
#include "ledger/embedded_ledger.h"
#include "suites/suites.h"

#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace nesa::bench {
namespace {

using namespace nesa::ledger;
namespace fs = std::filesystem;

constexpr int kTransactions = 1000;

struct Fixture {
  fs::path dir;
  std::vector<PublicKey> keys;
  std::vector<SecureBuffer> secrets;
  Genesis genesis;
  std::vector<std::vector<std::uint8_t>> signedBytes;
  std::vector<std::array<std::uint8_t, 64>> signatures;
  std::vector<Transaction> transactions;
  int round = 0;

  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::shared_ptr<Fixture> makeFixture() {
  if (sodium_init() < 0)
    std::exit(1);
  auto f = std::make_shared<Fixture>();
  f->dir = fs::temp_directory_path() / ("nesa-bench-ledger-" + std::to_string(::getpid()));
  fs::create_directories(f->dir);
  for (int i = 0; i < 10; ++i) {
    PublicKey key{};
    auto secret = SecureBuffer::allocate(64).value();
    crypto_sign_keypair(key.data(), secret.data());
    f->genesis.allocations.emplace_back(keyHashOf(key), 1'000'000'000'000ULL);
    f->keys.push_back(key);
    f->secrets.push_back(std::move(secret));
  }
  for (int i = 0; i < kTransactions; ++i) {
    Transaction tx;
    tx.chainId = f->genesis.chainId;
    tx.sender = f->keys[static_cast<std::size_t>(i % 10)];
    tx.nonce = static_cast<std::uint64_t>(i / 10);
    tx.to = keyHashOf(f->keys[static_cast<std::size_t>((i + 1) % 10)]);
    tx.amount = 1000;
    tx.fee = f->genesis.params.minimumFee(tx.serialize().size());
    tx.signWith(f->secrets[static_cast<std::size_t>(i % 10)]);
    f->signedBytes.push_back(tx.signingBytes());
    f->signatures.push_back(tx.signature);
    f->transactions.push_back(tx);
  }
  return f;
}

double rawVerify(const Fixture &f) {
  return timeMs([&] {
    for (int i = 0; i < kTransactions; ++i) {
      const auto &bytes = f.signedBytes[static_cast<std::size_t>(i)];
      if (crypto_sign_verify_detached(f.signatures[static_cast<std::size_t>(i)].data(),
                                      bytes.data(), bytes.size(),
                                      f.keys[static_cast<std::size_t>(i % 10)].data()) != 0)
        std::exit(1);
    }
  });
}

double transactionVerify(const Fixture &f) {
  return timeMs([&] {
    for (const auto &tx : f.transactions)
      if (!tx.signatureValid())
        std::exit(1);
  });
}

// Submit every transaction to a fresh chain and commit them as one block (fsync included).
double applyAndCommit(Fixture &f) {
  const auto file = f.dir / ("chain-" + std::to_string(f.round++) + ".db");
  auto pass = SecureBuffer::copyOf(std::string_view("bench")).value();
  auto ledger = EmbeddedLedger::open(file, pass, f.genesis, storage::KdfParams::forTestsOnly());
  if (!ledger) {
    std::cerr << "ledger suite: " << ledger.error().message << '\n';
    std::exit(1);
  }
  return timeMs([&] {
    for (const auto &tx : f.transactions)
      if (!ledger->submit(tx))
        std::exit(1);
    auto block = ledger->produceBlock(kTransactions);
    if (!block || block->transactions.size() != kTransactions)
      std::exit(1);
  });
}

} // namespace

void registerLedgerSuite() {
  registerSuite({"ledger",
                 "signed transactions verified, applied and committed vs raw Ed25519 verification",
                 [] {
                   auto f = makeFixture();
                   return std::vector<Comparison>{
                       {"verify_1000_tx_vs_raw_ed25519", "ms", [f] { return rawVerify(*f); },
                        [f] { return transactionVerify(*f); }},
                       {"apply_commit_1000_tx_vs_raw_ed25519", "ms", [f] { return rawVerify(*f); },
                        [f] { return applyAndCommit(*f); }},
                   };
                 }});
}

} // namespace nesa::bench
