// The ledger state machine and the embedded chain: properties over thousands of random
// transactions, replay from disk, tampering, unbonding, fee priority, and crash safety.
#include "ledger/embedded_ledger.h"
#include "ledger/payloads.h"
#include "storage/encrypted_store.h"
#include "test_keys.h"

#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <random>

using namespace nesa;
using namespace nesa::ledger;
namespace fs = std::filesystem;

namespace {

constexpr Amount kNes = 1'000'000;

using testing::Key;
using testing::makeKey;

SecureBuffer secret(std::string_view text) { return SecureBuffer::copyOf(text).value(); }

Transaction makeTx(const Key &from, TxKind kind, std::uint64_t nonce, Amount amount,
                   const KeyHash &to = {}, Amount tip = 0, const Params &params = {},
                   std::vector<std::uint8_t> payload = {}) {
  Transaction tx;
  tx.chainId = "nesa-devnet";
  tx.kind = kind;
  tx.sender = from.publicKey;
  tx.nonce = nonce;
  tx.to = to;
  tx.amount = amount;
  tx.tip = tip;
  tx.payload = std::move(payload);
  tx.fee = params.minimumFee(tx.serialize().size());
  tx.signWith(from.secretKey);
  return tx;
}

} // namespace

class TestLedger : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::vector<Key> m_keys;
  Genesis m_genesis;
  const storage::KdfParams kFast = storage::KdfParams::forTestsOnly();

  fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }
  Amount genesisSupply() const {
    Amount total = 0;
    for (const auto &[id, amount] : m_genesis.allocations)
      total += amount;
    return total;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(sodium_init() >= 0);
    for (std::uint8_t i = 1; i <= 6; ++i)
      m_keys.push_back(makeKey(i));
    for (int i = 0; i < 4; ++i)
      m_genesis.allocations.emplace_back(m_keys[static_cast<std::size_t>(i)].id(), 1000 * kNes);
  }

  void transactionsRoundTripAndRejectTampering() {
    auto tx = makeTx(m_keys[0], TxKind::Transfer, 0, 5 * kNes, m_keys[1].id());
    QVERIFY(tx.signatureValid());
    auto parsed = Transaction::parse(tx.serialize());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->id(), tx.id());
    auto forged = tx;
    forged.amount += 1;
    QVERIFY(!forged.signatureValid());
    auto bytes = tx.serialize();
    bytes.pop_back();
    QVERIFY(!Transaction::parse(bytes).ok());
  }

  // Thousands of random transactions, valid and invalid: supply is conserved, nothing goes
  // negative, nonces stop replays, and reopening the file replays to the same state hash.
  void randomSequencesKeepTheInvariants() {
    const auto file = path("random.chain");
    auto ledger = EmbeddedLedger::open(file, secret("pw"), m_genesis, kFast);
    QVERIFY2(ledger.ok(), ledger.ok() ? "" : ledger.error().message.c_str());
    std::mt19937_64 rng(20261127);
    std::vector<Transaction> applied;
    int accepted = 0, refused = 0;
    for (int step = 0; step < 3000; ++step) {
      const auto &from = m_keys[rng() % m_keys.size()];
      const auto &to = m_keys[rng() % m_keys.size()];
      Transaction tx;
      const int choice = static_cast<int>(rng() % 10);
      const Amount amount = (rng() % 300) * kNes / 10 + 1;
      const std::uint64_t nonce = ledger->nextNonce(from.id());
      tx = makeTx(from,
                  choice < 6   ? TxKind::Transfer
                  : choice < 8 ? TxKind::Stake
                               : TxKind::Unstake,
                  nonce, amount, to.id(), rng() % 3 * 100);
      if (rng() % 15 == 0 && !applied.empty())
        tx = applied[rng() % applied.size()]; // a replay
      else if (rng() % 20 == 0)
        tx.fee = 1, tx.signWith(from.secretKey); // below the minimum fee
      else if (rng() % 25 == 0)
        tx.signature[3] ^= 1; // forged
      if (ledger->submit(tx))
        ++accepted;
      else
        ++refused;
      if (step % 25 == 24) {
        auto block = ledger->produceBlock();
        QVERIFY(block.ok());
        applied.insert(applied.end(), block->transactions.begin(), block->transactions.end());
        const auto &state = ledger->state();
        QCOMPARE(state.totalSupply(), genesisSupply());
        for (const auto &key : m_keys) {
          const auto account = state.account(key.id());
          QVERIFY(account.balance <= genesisSupply()); // an underflow would wrap to a huge value
          QVERIFY(account.staked <= genesisSupply());
        }
      }
    }
    auto last = ledger->produceBlock();
    QVERIFY(last.ok());
    applied.insert(applied.end(), last->transactions.begin(), last->transactions.end());
    QVERIFY2(accepted > 300 && refused > 300,
             qPrintable(QStringLiteral("%1 accepted, %2 refused").arg(accepted).arg(refused)));
    for (int i = 0; i < 20; ++i) // every applied transaction is refused the second time
      QVERIFY(!ledger->submit(applied[static_cast<std::size_t>(i) * applied.size() / 20]).ok());
    const Hash hash = ledger->state().stateHash();
    const auto height = ledger->height();
    const Hash tip = ledger->tip();
    *ledger = std::move(
        EmbeddedLedger::open(file, secret("pw"), m_genesis).value()); // closes, reopens, replays
    QCOMPARE(ledger->height(), height);
    QCOMPARE(ledger->tip(), tip);
    QCOMPARE(ledger->state().stateHash(), hash);
  }

  void stakeUnbondsAfterThePeriod() {
    auto ledger = EmbeddedLedger::open(path("stake.chain"), secret("pw"), m_genesis, kFast);
    const auto &key = m_keys[0];
    QVERIFY(ledger->submit(makeTx(key, TxKind::Stake, 0, 100 * kNes)).ok());
    QVERIFY(!ledger->submit(makeTx(key, TxKind::Unstake, 1, 101 * kNes)).ok()); // more than staked
    QVERIFY(ledger->submit(makeTx(key, TxKind::Unstake, 1, 40 * kNes)).ok());
    QVERIFY(ledger->produceBlock().ok());
    const auto afterUnstake = ledger->state().account(key.id());
    QCOMPARE(afterUnstake.staked, 60 * kNes);
    QCOMPARE(afterUnstake.unbonding.size(), std::size_t{1});
    for (std::uint64_t i = 1; i < m_genesis.params.unbondingBlocks; ++i)
      QVERIFY(ledger->produceBlock().ok());
    QCOMPARE(ledger->state().account(key.id()).unbonding.size(), std::size_t{1}); // one block early
    QVERIFY(ledger->produceBlock().ok());
    const auto released = ledger->state().account(key.id());
    QVERIFY(released.unbonding.empty());
    QCOMPARE(released.balance, afterUnstake.balance + 40 * kNes);
  }

  // Slash: only the arbiter, only with the miner's own signature, only once per evidence;
  // half to the reporter, half burnt, and the supply shrinks by exactly the burnt half.
  void slashingNeedsTheArbiterAndTheMinersSignature() {
    Genesis genesis = m_genesis;
    const auto &arbiter = m_keys[3], &miner = m_keys[1], &reporter = m_keys[5];
    genesis.arbiter = arbiter.publicKey;
    auto ledger = EmbeddedLedger::open(path("slash.chain"), secret("pw"), genesis, kFast);
    QVERIFY(ledger->submit(makeTx(miner, TxKind::Stake, 0, 100 * kNes)).ok());
    QVERIFY(ledger->produceBlock().ok());
    SlashEvidence evidence;
    evidence.minerKey = miner.publicKey;
    evidence.jobDigest.fill(7);
    evidence.resultDigest.fill(9);
    evidence.reporter = reporter.id();
    const auto bytes = SlashEvidence::signedBytes(evidence.jobDigest, evidence.resultDigest);
    crypto_sign_detached(evidence.minerSignature.data(), nullptr, bytes.data(), bytes.size(),
                         miner.secretKey.data());
    const auto supply = ledger->state().totalSupply();
    auto notArbiter = makeTx(m_keys[0], TxKind::Slash, 0, 0, {}, 0, {}, evidence.encode());
    QVERIFY(!ledger->submit(notArbiter).ok());
    auto forged = evidence;
    crypto_sign_detached(forged.minerSignature.data(), nullptr, bytes.data(), bytes.size(),
                         reporter.secretKey.data()); // signed by someone else
    QVERIFY(!ledger->submit(makeTx(arbiter, TxKind::Slash, 0, 0, {}, 0, {}, forged.encode())).ok());
    QVERIFY(
        ledger->submit(makeTx(arbiter, TxKind::Slash, 0, 0, {}, 0, {}, evidence.encode())).ok());
    QVERIFY(ledger->produceBlock().ok());
    QCOMPARE(ledger->state().account(miner.id()).staked, 90 * kNes);
    QCOMPARE(ledger->state().account(reporter.id()).balance, 5 * kNes);
    QCOMPARE(ledger->state().burnt(), 5 * kNes);
    QCOMPARE(ledger->state().totalSupply(), supply - 5 * kNes); // fees stay, in the fee pool
    QVERIFY(
        !ledger->submit(makeTx(arbiter, TxKind::Slash, 1, 0, {}, 0, {}, evidence.encode())).ok());
    const auto hash = ledger->state().stateHash();
    auto reopened = EmbeddedLedger::open(path("slash.chain"), secret("pw"), genesis, kFast);
    QVERIFY(reopened.ok());
    QCOMPARE(reopened->state().stateHash(), hash); // replays to the same state
  }

  // The fee pool goes to registered miners every rewardBlocks blocks, by stake × (1000 +
  // reputation); the arbiter's timeout reports lower a reputation, settled work raises it.
  void rewardsFollowStakeAndReputation() {
    Genesis genesis = m_genesis;
    const auto &arbiter = m_keys[3], &a = m_keys[1], &b = m_keys[2], &client = m_keys[0];
    genesis.arbiter = arbiter.publicKey;
    genesis.params.rewardBlocks = 4;
    auto ledger = EmbeddedLedger::open(path("rewards.chain"), secret("pw"), genesis, kFast);
    const auto offer = MinerOffer{"127.0.0.1:1", 0, 1}.encode();
    QVERIFY(ledger->submit(makeTx(a, TxKind::Stake, 0, 300 * kNes)).ok());
    QVERIFY(ledger->submit(makeTx(b, TxKind::Stake, 0, 100 * kNes)).ok());
    QVERIFY(ledger->submit(makeTx(a, TxKind::RegisterMiner, 1, 0, {}, 0, {}, offer)).ok());
    QVERIFY(ledger->submit(makeTx(b, TxKind::RegisterMiner, 1, 0, {}, 0, {}, offer)).ok());
    std::vector<std::uint8_t> bKey(b.publicKey.begin(), b.publicKey.end());
    QVERIFY(!ledger->submit(makeTx(client, TxKind::ReportTimeout, 0, 0, {}, 0, {}, bKey)).ok());
    QVERIFY(ledger->produceBlock().ok()); // block 1: stakes and registrations
    QVERIFY(ledger->submit(makeTx(arbiter, TxKind::ReportTimeout, 0, 0, {}, 0, {}, bKey)).ok());
    QVERIFY(ledger->produceBlock().ok()); // block 2
    QCOMPARE(ledger->state().miners().at(b.id()).reputation, std::int64_t{-10});
    const auto supply = ledger->state().totalSupply();
    const auto balanceA = ledger->state().account(a.id()).balance,
               balanceB = ledger->state().account(b.id()).balance;
    const auto pool = ledger->state().feePool();
    QVERIFY(pool > 0);
    QVERIFY(ledger->produceBlock().ok()); // block 3
    QCOMPARE(ledger->state().feePool(), pool);
    QVERIFY(ledger->produceBlock().ok()); // block 4: rewards
    const auto gainA = ledger->state().account(a.id()).balance - balanceA,
               gainB = ledger->state().account(b.id()).balance - balanceB;
    QVERIFY(ledger->state().feePool() < 2); // only the rounding stays
    QCOMPARE(gainA + gainB + ledger->state().feePool(), pool);
    // a: 300 × 1000, b: 100 × 990
    QVERIFY(std::abs(double(gainA) / double(gainB) - 300.0 * 1000 / (100.0 * 990)) < 1e-3);
    QCOMPARE(ledger->state().totalSupply(), supply);
    const auto hash = ledger->state().stateHash();
    auto reopened = EmbeddedLedger::open(path("rewards.chain"), secret("pw"), genesis, kFast);
    QCOMPARE(reopened->state().stateHash(), hash);
  }

  void higherTipsGoFirst() {
    auto ledger = EmbeddedLedger::open(path("tips.chain"), secret("pw"), m_genesis, kFast);
    QVERIFY(ledger->submit(makeTx(m_keys[0], TxKind::Transfer, 0, kNes, m_keys[5].id(), 0)).ok());
    QVERIFY(
        ledger->submit(makeTx(m_keys[1], TxKind::Transfer, 0, kNes, m_keys[5].id(), 5000)).ok());
    QVERIFY(ledger->submit(makeTx(m_keys[2], TxKind::Transfer, 0, kNes, m_keys[5].id(), 100)).ok());
    auto block = ledger->produceBlock(2);
    QVERIFY(block.ok());
    QCOMPARE(block->transactions.size(), std::size_t{2});
    QCOMPARE(block->transactions[0].sender, m_keys[1].publicKey);
    QCOMPARE(block->transactions[1].sender, m_keys[2].publicKey);
    QCOMPARE(ledger->pending(), std::size_t{1});
  }

  // PayForQuery: a deposit locked for one miner, paid out by the client's cumulative receipts,
  // the rest refunded after expiry; forged, stale and excessive receipts are refused.
  void sessionsPayMinersAndRefundClients() {
    auto ledger = EmbeddedLedger::open(path("sessions.chain"), secret("pw"), m_genesis, kFast);
    const Key &client = m_keys[1], &miner = m_keys[4], &stranger = m_keys[2];
    const Params params;
    auto submit = [&](const Key &from, TxKind kind, Amount amount, const KeyHash &to,
                      std::vector<std::uint8_t> payload) {
      return ledger->submit(makeTx(from, kind, ledger->nextNonce(from.id()), amount, to, 0, params,
                                   std::move(payload)));
    };
    QVERIFY(submit(m_keys[0], TxKind::Transfer, 50 * kNes, miner.id(), {}).ok());
    QVERIFY(ledger->produceBlock().ok());
    const MinerOffer offer{"127.0.0.1:7700", 2, 1000};
    QVERIFY(!submit(miner, TxKind::RegisterMiner, 0, {}, offer.encode()).ok()); // no stake yet
    QVERIFY(submit(miner, TxKind::Stake, 10 * kNes, {}, {}).ok());
    QVERIFY(submit(miner, TxKind::RegisterMiner, 0, {}, offer.encode()).ok());
    QVERIFY(ledger->produceBlock().ok());
    QCOMPARE(ledger->state().miners().size(), std::size_t{1});

    auto opened =
        submit(client, TxKind::OpenSession, 20 * kNes, miner.id(), SessionTerms{5}.encode());
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    const Hash session = *opened;
    QVERIFY(ledger->produceBlock().ok());
    const Amount clientAfterDeposit = ledger->state().account(client.id()).balance;
    const Amount minerBefore = ledger->state().account(miner.id()).balance;

    auto settle = [&](const Receipt &receipt) {
      return submit(miner, TxKind::Settle, 0, {}, receipt.encode());
    };
    const std::string chain = m_genesis.chainId;
    QVERIFY(settle(Receipt::sign(chain, session, 3 * kNes, client.secretKey)).ok());
    QVERIFY(ledger->produceBlock().ok());
    const Amount settleFee = minerBefore + 3 * kNes - ledger->state().account(miner.id()).balance;
    QVERIFY(settleFee < kNes / 100); // the miner got 3 NES minus its fee
    QVERIFY(!settle(Receipt::sign(chain, session, 3 * kNes, client.secretKey)).ok()); // not newer
    QVERIFY(!settle(Receipt::sign(chain, session, 2 * kNes, client.secretKey)).ok()); // older
    QVERIFY(!settle(Receipt::sign(chain, session, 5 * kNes, stranger.secretKey))
                 .ok()); // not the client
    QVERIFY(!settle(Receipt::sign(chain, session, 25 * kNes, client.secretKey))
                 .ok()); // over the deposit
    QVERIFY(!settle(Receipt::sign("other-chain", session, 5 * kNes, client.secretKey)).ok());
    QVERIFY(settle(Receipt::sign(chain, session, 7 * kNes, client.secretKey)).ok());
    QVERIFY(
        !submit(client, TxKind::CloseSession, 0, {}, encodeSessionId(session)).ok()); // not expired
    QVERIFY(ledger->produceBlock().ok());
    QCOMPARE(ledger->state().sessions().at(session).paid, 7 * kNes);
    while (ledger->height() <= ledger->state().sessions().at(session).expiry)
      QVERIFY(ledger->produceBlock().ok());
    QVERIFY(!settle(Receipt::sign(chain, session, 9 * kNes, client.secretKey)).ok()); // expired
    QVERIFY(!submit(stranger, TxKind::CloseSession, 0, {}, encodeSessionId(session)).ok());
    QVERIFY(submit(client, TxKind::CloseSession, 0, {}, encodeSessionId(session)).ok());
    QVERIFY(ledger->produceBlock().ok());
    QVERIFY(ledger->state().sessions().empty());
    const Amount refund =
        ledger->state().account(client.id()).balance + kNes / 100 - clientAfterDeposit;
    QVERIFY(refund > 13 * kNes &&
            refund <= 13 * kNes + kNes / 100); // 20 deposited − 7 paid, less the fee
    QCOMPARE(ledger->state().totalSupply(), genesisSupply());
  }

  void governanceChangesParameters() {
    auto ledger = EmbeddedLedger::open(path("gov.chain"), secret("pw"), m_genesis, kFast);
    const Params params;
    auto submit = [&](const Key &from, TxKind kind, Amount amount,
                      std::vector<std::uint8_t> payload, const Params &p) {
      return ledger->submit(
          makeTx(from, kind, ledger->nextNonce(from.id()), amount, {}, 0, p, std::move(payload)));
    };
    QVERIFY(submit(m_keys[0], TxKind::Stake, 100 * kNes, {}, params).ok());
    QVERIFY(submit(m_keys[1], TxKind::Stake, 50 * kNes, {}, params).ok());
    QVERIFY(submit(m_keys[2], TxKind::Stake, 10 * kNes, {}, params).ok());
    QVERIFY(
        !submit(m_keys[3], TxKind::Propose, 0, ParamChange{ParamId::BaseFee, 2000}.encode(), params)
             .ok());
    auto proposal =
        submit(m_keys[0], TxKind::Propose, 0, ParamChange{ParamId::BaseFee, 2000}.encode(), params);
    QVERIFY(proposal.ok());
    QVERIFY(ledger->produceBlock().ok());
    QVERIFY(submit(m_keys[0], TxKind::Vote, 0, Ballot{*proposal, true}.encode(), params).ok());
    QVERIFY(submit(m_keys[2], TxKind::Vote, 0, Ballot{*proposal, false}.encode(), params).ok());
    QVERIFY(!submit(m_keys[0], TxKind::Vote, 0, Ballot{*proposal, false}.encode(), params)
                 .ok()); // votes once
    QVERIFY(ledger->produceBlock().ok());
    while (!ledger->state().proposals().at(*proposal).decided)
      QVERIFY(ledger->produceBlock().ok());
    QVERIFY(ledger->state().proposals().at(*proposal).passed);
    QCOMPARE(ledger->state().params().baseFee, Amount{2000});
    QVERIFY(!submit(m_keys[1], TxKind::Transfer, kNes, {}, params)
                 .ok()); // the old minimum fee no longer does
    Params raised = params;
    raised.baseFee = 2000;
    auto lonely =
        submit(m_keys[2], TxKind::Propose, 0, ParamChange{ParamId::FeePerByte, 1}.encode(), raised);
    QVERIFY(lonely.ok());
    QVERIFY(ledger->produceBlock().ok());
    QVERIFY(submit(m_keys[2], TxKind::Vote, 0, Ballot{*lonely, true}.encode(), raised).ok());
    while (!ledger->state().proposals().at(*lonely).decided)
      QVERIFY(ledger->produceBlock().ok());
    QVERIFY(!ledger->state().proposals().at(*lonely).passed); // 10 of 160 NES staked: no quorum
    QCOMPARE(ledger->state().params().feePerByte, params.feePerByte);
    QCOMPARE(ledger->state().totalSupply(), genesisSupply());
    // The parameters in force are part of the replayed state.
    const Hash hash = ledger->state().stateHash();
    *ledger = std::move(EmbeddedLedger::open(path("gov.chain"), secret("pw"), m_genesis).value());
    QCOMPARE(ledger->state().stateHash(), hash);
  }

  void wrongChainAndOtherGenesisAreRefused() {
    auto ledger = EmbeddedLedger::open(path("chain.chain"), secret("pw"), m_genesis, kFast);
    auto tx = makeTx(m_keys[0], TxKind::Transfer, 0, kNes, m_keys[1].id());
    tx.chainId = "another-chain";
    tx.signWith(m_keys[0].secretKey);
    QVERIFY(QString::fromStdString(ledger->submit(tx).error().message)
                .contains(QStringLiteral("chain")));
    Genesis other = m_genesis;
    other.allocations.emplace_back(m_keys[5].id(), kNes);
    auto mismatch = EmbeddedLedger::open(path("chain.chain"), secret("pw"), other);
    QVERIFY(!mismatch.ok());
    QVERIFY(QString::fromStdString(mismatch.error().message).contains(QStringLiteral("genesis")));
  }

  void tamperedBlockIsDetectedOnReplay() {
    const auto file = path("tamper.chain");
    {
      auto ledger = EmbeddedLedger::open(file, secret("pw"), m_genesis, kFast);
      QVERIFY(
          ledger->submit(makeTx(m_keys[0], TxKind::Transfer, 0, 7 * kNes, m_keys[1].id())).ok());
      QVERIFY(ledger->produceBlock().ok());
      QVERIFY(ledger->produceBlock().ok());
    }
    {
      // Someone with the passphrase rewrites block 1's transaction amount in place.
      const storage::Schema schema{
          {1, "chain tables",
           "CREATE TABLE chain_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
           "CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL, data BLOB NOT "
           "NULL);"}};
      auto store = storage::EncryptedStore::open(file, secret("pw"), schema);
      QVERIFY(store.ok());
      auto select = store->prepare("SELECT data FROM blocks WHERE height = 1;");
      QVERIFY(select->step().value());
      auto block = Block::parse(select->columnBlob(0)).value();
      block.transactions[0].amount = 700 * kNes;
      const auto data = block.serialize();
      auto update = store->prepare("UPDATE blocks SET data = ? WHERE height = 1;");
      QVERIFY(update->bindBlob(1, data).run().ok());
    }
    auto reopened = EmbeddedLedger::open(file, secret("pw"), m_genesis);
    QVERIFY(!reopened.ok());
    QCOMPARE(reopened.error().code, ErrorCode::Corrupt);
  }

  // A writer killed with SIGKILL at random moments never loses a committed block nor leaves a
  // partial one: every reopen replays cleanly to at least the last height it reported.
  void killedWriterLosesNothingCommitted() {
    const auto file = path("crash.chain");
    QVERIFY(EmbeddedLedger::open(file, secret("pw"), m_genesis, kFast).ok());
    std::mt19937 rng(7);
    for (int round = 0; round < 5; ++round) {
      int pipeFds[2];
      QVERIFY(pipe(pipeFds) == 0);
      const pid_t child = fork();
      QVERIFY(child >= 0);
      if (child == 0) {
        close(pipeFds[0]);
        auto ledger = EmbeddedLedger::open(file, secret("pw"), m_genesis);
        if (!ledger)
          _exit(3);
        while (true) {
          const auto &from = m_keys[ledger->height() % 4];
          (void)ledger->submit(makeTx(from, TxKind::Transfer,
                                      ledger->state().account(from.id()).nonce, 1000,
                                      m_keys[5].id()));
          if (!ledger->produceBlock())
            _exit(4);
          const std::uint64_t height = ledger->height();
          if (write(pipeFds[1], &height, sizeof height) != sizeof height)
            _exit(5);
        }
      }
      close(pipeFds[1]);
      std::uint64_t lastReported = 0, height = 0;
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(100 + rng() % 400);
      while (std::chrono::steady_clock::now() < deadline &&
             read(pipeFds[0], &height, sizeof height) == sizeof height)
        lastReported = height;
      kill(child, SIGKILL);
      waitpid(child, nullptr, 0);
      close(pipeFds[0]);
      auto reopened = EmbeddedLedger::open(file, secret("pw"), m_genesis);
      QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().message.c_str());
      QVERIFY(reopened->height() >= lastReported);
      QCOMPARE(reopened->state().totalSupply(), genesisSupply());
    }
  }
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
