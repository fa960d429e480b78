// The desktop's wallet backend (app/desktop/chain_wallet_backend.h) on a real local EVM devnet:
// the wallet library in-process, against the contracts a user's money is on. What it shows and
// sends must be what `nesa wallet` shows and sends, and every refusal must send nothing.

#include "chain_wallet_backend.h"
#include "wallet_setup.h"

#include "chain/rpc_client.h"
#include "net/endpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

namespace {

const QString kNesa = QStringLiteral(NESA_CLI_PATH);
const QString kPassphrase = QStringLiteral("desktop-wallet-passphrase");
const QString kDemo = QStringLiteral("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb");
const QString kSomeone = QStringLiteral("0x000000000000000000000000000000000000dEaD");
const QString kDemoPhrase = QStringLiteral(
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art");
constexpr std::int64_t kNes = 1'000'000; // µNES

using nesa::ui::WalletAction;

} // namespace

class TestChainWalletBackend : public QObject {
  Q_OBJECT
  QTemporaryDir m_home;
  QProcess m_devnet;
  QString m_rpc;
  nesa::app::ChainWalletBackend m_backend{QString()};

  // `nesa ARGS` on this test's data folder, with the passphrase on stdin; its stdout.
  QByteArray nesa(const QStringList &args) {
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), m_home.path());
    env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), kPassphrase);
    p.setProcessEnvironment(env);
    p.start(kNesa, args);
    p.waitForFinished(120000);
    return p.readAllStandardOutput();
  }

  // Moves the devnet's clock by `seconds` (anvil's evm_increaseTime, then a block).
  bool advanceChainTime(int seconds) {
    auto endpoint = nesa::net::parseEndpoint(QUrl(m_rpc).authority().toStdString());
    if (!endpoint)
      return false;
    nesa::chain::RpcClient rpc(*endpoint);
    return rpc.call("evm_increaseTime", nlohmann::json::array({seconds})) &&
           rpc.call("evm_mine", nlohmann::json::array());
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_home.isValid());
    qputenv("NESA_HOME", m_home.path().toUtf8());
  }

  void cleanupTestCase() {
    if (m_devnet.state() != QProcess::NotRunning) {
      m_devnet.terminate();
      m_devnet.waitForFinished(60000);
    }
  }

  // Before there is a wallet or a network, each call says why it has nothing.
  void withoutAWalletOrANetworkItSaysSo() {
    const auto none = m_backend.summary(kPassphrase);
    QVERIFY(none.address.isEmpty());
    QVERIFY2(none.error.contains(QStringLiteral("no wallet")), qPrintable(none.error));
    nesa::app::WalletSetup setup(std::filesystem::path(m_home.path().toStdString()) / "wallet.db",
                                 /*testKdf=*/true);
    QCOMPARE(setup.createWallet(kDemoPhrase, kPassphrase, {}), QString());
    const auto noNetwork = m_backend.summary(kPassphrase);
    QVERIFY2(noNetwork.error.contains(QStringLiteral("devnet")), qPrintable(noNetwork.error));
    QVERIFY(!m_backend.proposals().error.isEmpty());
    QVERIFY(!m_backend.history(kPassphrase).error.isEmpty());
  }

  void startTheDevnet() {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), m_home.path());
    m_devnet.setProcessEnvironment(env);
    m_devnet.start(kNesa,
                   {QStringLiteral("chain"), QStringLiteral("devnet"), QStringLiteral("--json")});
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (printed += m_devnet.readAllStandardOutput(), QJsonDocument::fromJson(printed).isObject()),
        90000);
    m_rpc = QJsonDocument::fromJson(printed).object()[u"rpc"].toString();
    QVERIFY(!m_rpc.isEmpty());
  }

  void theSummaryIsTheFirstAccountsBalance() {
    const auto wrong = m_backend.summary(QStringLiteral("not the passphrase"));
    QVERIFY(wrong.address.isEmpty());
    QVERIFY(!wrong.error.isEmpty());
    const auto summary = m_backend.summary(kPassphrase);
    QVERIFY2(summary.error.isEmpty(), qPrintable(summary.error));
    QCOMPARE(summary.address, kDemo);
    QCOMPARE(summary.balance, 1'000'000 * kNes);
    QCOMPARE(summary.staked, 0);
  }

  // A quote prices without sending; refusals (too much, a wire address, a wrong passphrase)
  // send nothing; a submit sends exactly what was quoted.
  void quotesRefusalsAndATransfer() {
    const auto quote = m_backend.quote(WalletAction::Send, kSomeone, 2'500'000, kPassphrase);
    QVERIFY2(quote.error.isEmpty(), qPrintable(quote.error));
    QCOMPARE(quote.amount, 2'500'000);
    QCOMPARE(quote.balance, 1'000'000 * kNes);
    QVERIFY(quote.feeCovered);
    QVERIFY2(quote.networkFee.startsWith(QStringLiteral("about 0.0")),
             qPrintable(quote.networkFee));
    QVERIFY(quote.networkFee.contains(QStringLiteral(" ETH, at most ")));

    const auto tooMuch =
        m_backend.quote(WalletAction::Send, kSomeone, 5'000'000 * kNes, kPassphrase);
    QVERIFY2(tooMuch.error.contains(QStringLiteral("does not cover")), qPrintable(tooMuch.error));
    const QString wire = m_backend.submit(
        WalletAction::Send, QStringLiteral("nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3"), kNes,
        kPassphrase);
    QVERIFY2(wire.startsWith(QStringLiteral("error: ")), qPrintable(wire));
    const QString unreviewed = m_backend.submit(WalletAction::Send, kSomeone, kNes, kPassphrase);
    QVERIFY2(unreviewed.contains(QStringLiteral("review it first")), qPrintable(unreviewed));
    QVERIFY(m_backend.quote(WalletAction::Send, kSomeone, kNes, kPassphrase).error.isEmpty());
    QVERIFY(m_backend.submit(WalletAction::Send, kSomeone, kNes, QStringLiteral("wrong"))
                .startsWith(QStringLiteral("error: ")));
    QVERIFY(m_backend.submit(WalletAction::Send, kSomeone, 0, kPassphrase)
                .startsWith(QStringLiteral("error: ")));
    QCOMPARE(m_backend.summary(kPassphrase).balance, 1'000'000 * kNes);

    const QString hash = m_backend.submit(WalletAction::Send, kSomeone, 2'500'000, kPassphrase);
    QVERIFY2(hash.startsWith(QStringLiteral("0x")) && hash.size() == 66, qPrintable(hash));
    QCOMPARE(m_backend.summary(kPassphrase).balance, 1'000'000 * kNes - 2'500'000);
    // The CLI reads the same chain and the same wallet.
    const QJsonObject seen =
        QJsonDocument::fromJson(nesa({QStringLiteral("wallet"), QStringLiteral("balance"), kSomeone,
                                      QStringLiteral("--json")}))
            .object()[u"accounts"]
            .toArray()[0]
            .toObject();
    QCOMPARE(seen[u"balance"].toInteger(), 2'500'000);
  }

  // With the setting auditLog, the page's actions are on record: the key's use, then the action.
  void stakeUnstakeAndHistory() {
    nesa({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("auditLog"),
          QStringLiteral("true")});
    QVERIFY(
        m_backend.quote(WalletAction::Stake, QString(), 200 * kNes, kPassphrase).error.isEmpty());
    const QString staked =
        m_backend.submit(WalletAction::Stake, QString(), 200 * kNes, kPassphrase);
    QVERIFY2(staked.startsWith(QStringLiteral("0x")), qPrintable(staked));
    const QList<QByteArray> records =
        nesa({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json")})
            .trimmed()
            .split('\n');
    QVERIFY2(records.size() == 2, records.join('|').constData());
    const QJsonObject keyUse = QJsonDocument::fromJson(records[0]).object();
    QCOMPARE(keyUse[u"action"].toString(), QStringLiteral("key-use"));
    QCOMPARE(keyUse[u"subject"].toString(), kDemo);
    QCOMPARE(keyUse[u"details"].toObject()[u"by"].toString(),
             QStringLiteral("the desktop app's wallet page"));
    const QJsonObject stake = QJsonDocument::fromJson(records[1]).object();
    QCOMPARE(stake[u"action"].toString(), QStringLiteral("wallet"));
    QCOMPARE(stake[u"outcome"].toString(), QStringLiteral("ok"));
    QCOMPARE(stake[u"details"].toObject()[u"nesSpent"].toInteger(), 200 * kNes);
    QVERIFY(QJsonDocument(stake[u"details"].toObject()[u"sent"].toArray())
                .toJson()
                .contains(staked.toUtf8()));
    nesa({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("auditLog"),
          QStringLiteral("false")});
    QVERIFY(
        m_backend.quote(WalletAction::Unstake, QString(), 50 * kNes, kPassphrase).error.isEmpty());
    QVERIFY(m_backend.submit(WalletAction::Unstake, QString(), 50 * kNes, kPassphrase)
                .startsWith(QStringLiteral("0x")));
    const auto summary = m_backend.summary(kPassphrase);
    QCOMPARE(summary.staked, 150 * kNes);
    QCOMPARE(summary.unbonding, 50 * kNes);
    QCOMPARE(summary.balance, 1'000'000 * kNes - 2'500'000 - 200 * kNes);

    const auto history = m_backend.history(kPassphrase);
    QVERIFY2(history.error.isEmpty(), qPrintable(history.error));
    QCOMPARE(history.entries.size(), std::size_t{3}); // newest first: stake, transfer, funding
    QCOMPARE(history.entries[0].kind, QStringLiteral("stake"));
    QCOMPARE(history.entries[0].amount, -200 * kNes);
    QCOMPARE(history.entries[1].counterparty, kSomeone);
    QCOMPARE(history.entries[1].amount, -2'500'000);
    QCOMPARE(history.entries[2].amount, 1'000'000 * kNes);
    QVERIFY(history.entries[0].height > history.entries[2].height);

    const auto sessions = m_backend.sessions(kPassphrase);
    QVERIFY2(sessions.error.isEmpty(), qPrintable(sessions.error));
    QVERIFY(sessions.sessions.empty());
  }

  // A proposal made with the CLI is listed; the page's vote counts the account's weight.
  void proposalsAndAVote() {
    const auto none = m_backend.proposals();
    QVERIFY2(none.error.isEmpty(), qPrintable(none.error));
    QVERIFY(none.proposals.empty());
    QVERIFY(!m_backend.vote(QStringLiteral("0x1234"), true, kPassphrase).isEmpty());
    nesa({QStringLiteral("gov"), QStringLiteral("delegate"), QStringLiteral("--yes")});
    nesa({QStringLiteral("gov"), QStringLiteral("propose"), QStringLiteral("minStake"),
          QStringLiteral("200000000"), QStringLiteral("--yes")});
    const auto pending = m_backend.proposals();
    QCOMPARE(pending.proposals.size(), std::size_t{1});
    const auto &proposal = pending.proposals[0];
    QCOMPARE(proposal.state, QStringLiteral("pending"));
    QVERIFY(!proposal.open);
    QVERIFY(proposal.change.startsWith(QStringLiteral("Nesa: set minStake to 200000000")));
    const QString early = m_backend.vote(proposal.id, true, kPassphrase);
    QVERIFY2(early.contains(QStringLiteral("its vote opens at")), qPrintable(early));

    QVERIFY(advanceChainTime(61));
    QCOMPARE(m_backend.vote(proposal.id, true, kPassphrase), QString());
    const auto active = m_backend.proposals().proposals;
    QCOMPARE(active.size(), std::size_t{1});
    QVERIFY(active[0].open);
    QCOMPARE(active[0].yes, 1'000'000 * kNes - 2'500'000 - 200 * kNes);
    QCOMPARE(active[0].no, 0);
    const QString twice = m_backend.vote(proposal.id, false, kPassphrase);
    QVERIFY2(!twice.isEmpty(), "a second vote from the same account is refused");
    QCOMPARE(m_backend.proposals().proposals[0].no, 0);
  }

  // A fee that rose between the review and Confirm is never paid: nothing is sent until the
  // user reviews the new price.
  void aFeeAboveTheReviewedOneIsRefused() {
    const std::int64_t before = m_backend.summary(kPassphrase).balance;
    QVERIFY(m_backend.quote(WalletAction::Send, kSomeone, kNes, kPassphrase).error.isEmpty());
    auto endpoint = nesa::net::parseEndpoint(QUrl(m_rpc).authority().toStdString());
    QVERIFY(endpoint.ok());
    nesa::chain::RpcClient rpc(*endpoint);
    QVERIFY(rpc.call("anvil_setNextBlockBaseFeePerGas", nlohmann::json::array({"0x174876e8000"})));
    QVERIFY(rpc.call("evm_mine", nlohmann::json::array()));
    const QString refused = m_backend.submit(WalletAction::Send, kSomeone, kNes, kPassphrase);
    QVERIFY2(refused.contains(QStringLiteral("rose since the review")), qPrintable(refused));
    QCOMPARE(m_backend.summary(kPassphrase).balance, before);
    const auto again = m_backend.quote(WalletAction::Send, kSomeone, kNes, kPassphrase);
    QVERIFY2(again.feeCovered, qPrintable(again.networkFee));
    QVERIFY(m_backend.submit(WalletAction::Send, kSomeone, kNes, kPassphrase)
                .startsWith(QStringLiteral("0x")));
    QCOMPARE(m_backend.summary(kPassphrase).balance, before - kNes);
  }

  // Losing the network mid-session is an error on every call, never made-up zeros.
  void aStoppedNetworkIsAnError() {
    m_devnet.terminate();
    QVERIFY(m_devnet.waitForFinished(60000));
    const auto summary = m_backend.summary(kPassphrase);
    QVERIFY(!summary.error.isEmpty());
    QVERIFY(summary.address.isEmpty());
    QVERIFY(m_backend.quote(WalletAction::Send, kSomeone, kNes, kPassphrase).error.size() > 0);
    QVERIFY(m_backend.submit(WalletAction::Send, kSomeone, kNes, kPassphrase)
                .startsWith(QStringLiteral("error: ")));
  }
};

QTEST_GUILESS_MAIN(TestChainWalletBackend)
#include "tst_chain_wallet_backend.moc"
