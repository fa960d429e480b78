// The Ledger interface's conformance suite: every implementation (the node's LocalLedger, and
// RemoteLedger reaching a node over the wire) must behave the same. A client of an existing
// chain implementing ledger::Ledger would be added to implementations() and held to it too.
#include "ledger/ledger.h"
#include "ledger/local_ledger.h"
#include "ledger/payloads.h"
#include "node/node_service.h"
#include "node/remote_ledger.h"
#include "test_keys.h"

#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace nesa;
using namespace nesa::ledger;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr Amount kNes = 1'000'000;

using testing::Key;
using testing::makeKey;

// One implementation under test, with what keeps it alive.
struct Implementation {
  std::shared_ptr<LocalLedger> chain;
  std::unique_ptr<node::NodeService> node;
  std::unique_ptr<net::Identity> identity;
  std::unique_ptr<Ledger> remote;
  Ledger &ledger() { return remote ? *remote : *chain; }
};

} // namespace

class TestLedgerConformance : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  Key m_alice = makeKey(1), m_bob = makeKey(2), m_miner = makeKey(3);
  int m_chains = 0;

  Genesis genesis() const {
    Genesis g;
    g.params.votingBlocks = 3;
    g.params.unbondingBlocks = 3;
    g.allocations = {{m_alice.id(), 1000 * kNes}, {m_miner.id(), 100 * kNes}};
    return g;
  }

  Implementation make(const QString &kind) {
    Implementation impl;
    const fs::path dir =
        fs::path(m_dir.path().toStdString()) / ("chain-" + std::to_string(++m_chains));
    auto chain = EmbeddedLedger::open(dir / "chain.db", SecureBuffer::copyOf("passphrase!").value(),
                                      genesis(), storage::KdfParams::forTestsOnly());
    if (!chain)
      qFatal("%s", chain.error().message.c_str());
    impl.chain = std::make_shared<LocalLedger>(std::move(*chain), 50ms);
    if (kind == QStringLiteral("remote")) {
      node::NodeOptions options;
      options.dataDir = dir / "node";
      options.ledger = impl.chain;
      impl.node = std::move(node::NodeService::start(options).value());
      impl.identity = std::make_unique<net::Identity>(net::Identity::generate().value());
      impl.remote = std::move(
          node::RemoteLedger::connect({"127.0.0.1", impl.node->port()}, *impl.identity).value());
    }
    return impl;
  }

  // Signs and submits; waits for the block. Returns the transaction id.
  Hash commit(Ledger &ledger, const Key &from, TxKind kind, Amount amount = 0,
              const KeyHash &to = {}, std::vector<std::uint8_t> payload = {}) {
    auto tx = prepareTransaction(ledger, kind, from.publicKey, amount, to, std::move(payload));
    if (!tx)
      qFatal("%s", tx.error().message.c_str());
    tx->signWith(from.secretKey);
    auto id = ledger.submit(*tx);
    if (!id)
      qFatal("submit: %s", id.error().message.c_str());
    if (auto height = waitForInclusion(ledger, *id, 10s); !height || *height == 0)
      qFatal("not included");
    return *id;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void statusAndAccounts_data() { implementations(); }
  void statusAndAccounts() {
    QFETCH(QString, kind);
    auto impl = make(kind);
    auto status = impl.ledger().status();
    QVERIFY(status);
    QCOMPARE(status->chainId, std::string("nesa-devnet"));
    QCOMPARE(status->supply, 1100 * kNes);
    QCOMPARE(status->params.votingBlocks, std::uint64_t{3});
    auto alice = impl.ledger().account(m_alice.id());
    QVERIFY(alice);
    QCOMPARE(alice->balance, 1000 * kNes);
    QCOMPARE(alice->nextNonce, std::uint64_t{0});
    QCOMPARE(impl.ledger().account(m_bob.id())->balance, Amount{0});
    QTRY_VERIFY(impl.ledger().status()->height >= 2); // blocks keep coming
    QCOMPARE(*impl.ledger().inclusionHeight(Hash{}), std::uint64_t{0});
    QVERIFY(!impl.ledger().session(Hash{})->has_value());
  }

  void transfersAndHistory_data() { implementations(); }
  void transfersAndHistory() {
    QFETCH(QString, kind);
    auto impl = make(kind);
    auto &ledger = impl.ledger();
    const Hash id = commit(ledger, m_alice, TxKind::Transfer, 25 * kNes, m_bob.id());
    QCOMPARE(ledger.account(m_bob.id())->balance, 25 * kNes);
    QCOMPARE(ledger.account(m_alice.id())->nextNonce, std::uint64_t{1});
    QVERIFY(ledger.account(m_alice.id())->balance < 975 * kNes); // the fee too
    auto history = ledger.history(m_bob.id(), 10);
    QVERIFY(history && history->size() == 1);
    QCOMPARE(history->front().tx.id(), id);
    QVERIFY(*ledger.inclusionHeight(id) == history->front().height);
    auto status = ledger.status();
    QCOMPARE(status->supply, 1100 * kNes); // conserved, fees in the pool
    QVERIFY(status->feePool > 0);
  }

  void badTransactionsAreRefused_data() { implementations(); }
  void badTransactionsAreRefused() {
    QFETCH(QString, kind);
    auto impl = make(kind);
    auto &ledger = impl.ledger();
    auto tx = *prepareTransaction(ledger, TxKind::Transfer, m_alice.publicKey, kNes, m_bob.id());
    tx.signWith(m_alice.secretKey);
    QVERIFY(ledger.submit(tx));
    QVERIFY(!ledger.submit(tx)); // the same again
    auto forged =
        *prepareTransaction(ledger, TxKind::Transfer, m_alice.publicKey, kNes, m_bob.id());
    forged.signWith(m_bob.secretKey);
    QVERIFY(!ledger.submit(forged));
    auto otherChain = forged;
    otherChain.chainId = "another-chain";
    otherChain.signWith(m_alice.secretKey);
    QVERIFY(!ledger.submit(otherChain));
    auto cheap = *prepareTransaction(ledger, TxKind::Transfer, m_alice.publicKey, kNes, m_bob.id());
    cheap.fee = 1;
    cheap.signWith(m_alice.secretKey);
    QVERIFY(!ledger.submit(cheap));
    auto broke = *prepareTransaction(ledger, TxKind::Transfer, m_bob.publicKey, kNes, m_alice.id());
    broke.signWith(m_bob.secretKey);
    auto refused = ledger.submit(broke);
    QVERIFY(!refused);
    QVERIFY(!refused.error().message.empty());
  }

  void stakeMinersSessionsAndVotes_data() { implementations(); }
  void stakeMinersSessionsAndVotes() {
    QFETCH(QString, kind);
    auto impl = make(kind);
    auto &ledger = impl.ledger();
    commit(ledger, m_miner, TxKind::Stake, 10 * kNes);
    QCOMPARE(ledger.account(m_miner.id())->staked, 10 * kNes);
    commit(ledger, m_miner, TxKind::RegisterMiner, 0, {},
           MinerOffer{"127.0.0.1:9", 1, 100}.encode());
    auto miners = ledger.miners();
    QVERIFY(miners && miners->size() == 1);
    QCOMPARE(miners->front().account, m_miner.id());
    QCOMPARE(miners->front().record.offer.endpoint, std::string("127.0.0.1:9"));
    QCOMPARE(miners->front().staked, 10 * kNes);

    // A session: the client locks 5 NES, the miner settles a receipt for 2, the rest returns.
    const Hash session = commit(ledger, m_alice, TxKind::OpenSession, 5 * kNes, m_miner.id(),
                                SessionTerms{4}.encode());
    auto record = ledger.session(session);
    QVERIFY(record && record->has_value());
    QCOMPARE((*record)->deposit, 5 * kNes);
    const auto status = *ledger.status();
    const auto receipt = Receipt::sign(status.chainId, session, 2 * kNes, m_alice.secretKey);
    commit(ledger, m_miner, TxKind::Settle, 0, {}, receipt.encode());
    QCOMPARE((*ledger.session(session))->paid, 2 * kNes);
    auto forged = Receipt::sign(status.chainId, session, 4 * kNes, m_bob.secretKey);
    auto settle =
        *prepareTransaction(ledger, TxKind::Settle, m_miner.publicKey, 0, {}, forged.encode());
    settle.signWith(m_miner.secretKey);
    QVERIFY(!ledger.submit(settle)); // signed by someone else
    const Amount before = ledger.account(m_alice.id())->balance;
    QTRY_VERIFY(ledger.status()->height > (*ledger.session(session))->expiry);
    commit(ledger, m_alice, TxKind::CloseSession, 0, {}, encodeSessionId(session));
    QVERIFY(ledger.account(m_alice.id())->balance > before + 2 * kNes); // 3 NES back, minus fee

    // Governance: a staker proposes, votes, and the parameter changes after the vote.
    const Hash proposal = commit(ledger, m_miner, TxKind::Propose, 0, {},
                                 ParamChange{ParamId::BaseFee, 2000}.encode());
    commit(ledger, m_miner, TxKind::Vote, 0, {}, Ballot{proposal, true}.encode());
    auto proposals = ledger.proposals();
    QVERIFY(proposals && proposals->size() == 1);
    QCOMPARE(proposals->front().id, proposal);
    QTRY_VERIFY(ledger.proposals()->front().record.decided);
    QVERIFY(ledger.proposals()->front().record.passed);
    QCOMPARE(ledger.status()->params.baseFee, Amount{2000});
  }

  // The node closes connections that stay silent; the remote ledger connects again instead of
  // failing every later call (a miner's ledger link is idle for minutes between jobs).
  void remoteLedgerOutlivesTheNodesIdleTimeout() {
    const fs::path dir = fs::path(m_dir.path().toStdString()) / "idle";
    auto chain = EmbeddedLedger::open(dir / "chain.db", SecureBuffer::copyOf("passphrase!").value(),
                                      genesis(), storage::KdfParams::forTestsOnly());
    QVERIFY(chain);
    node::NodeOptions options;
    options.dataDir = dir / "node";
    options.ledger = std::make_shared<LocalLedger>(std::move(*chain), 50ms);
    options.idleTimeout = 200ms;
    auto node = node::NodeService::start(options);
    QVERIFY(node);
    auto identity = net::Identity::generate().value();
    auto remote = node::RemoteLedger::connect({"127.0.0.1", (*node)->port()}, identity);
    QVERIFY(remote);
    QVERIFY((*remote)->status());
    QTest::qWait(700); // the node has dropped the silent connection by now
    auto status = (*remote)->status();
    QVERIFY2(status, status ? "" : status.error().message.c_str());
    QVERIFY((*remote)->account(m_alice.id()));
  }

private:
  void implementations() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("LocalLedger") << QStringLiteral("local");
    QTest::newRow("RemoteLedger over the wire") << QStringLiteral("remote");
  }
};

QTEST_GUILESS_MAIN(TestLedgerConformance)
#include "tst_ledger_conformance.moc"
