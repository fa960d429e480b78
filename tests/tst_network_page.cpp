// The network page against a fake backend (the network, its miners with price, stake,
// reputation and latency; an unreachable network as a readable sentence), the desktop backend's
// reading of `nesa chain status --json` (answers that are not a status included), and the app's
// own local EVM devnet.
#include "fake_network_backend.h"
#include "local_network.h"
#include "process_network_backend.h"
#include "ui/network_page.h"
#include "ui/translations.h"

#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeNetworkBackend;

class TestNetworkPage : public QObject {
  Q_OBJECT

  static QString cellText(const QTableWidget *table, int row, int column) {
    return table->item(row, column)->text();
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(installTranslation(*qApp, QStringLiteral("en"))); } // plurals

  void showsTheNodeAndItsMiners() {
    FakeNetworkBackend backend;
    NetworkPage page(backend);
    QSignalSpy updated(&page, &NetworkPage::updated);
    page.show(); // a visible page reads the status
    QTRY_COMPARE(updated.count(), 1);
    QVERIFY(page.nodeText().contains(QStringLiteral("http://127.0.0.1:8545")));
    QVERIFY(page.nodeText().contains(QStringLiteral("2 of 3 registered miners answering")));
    const QTableWidget *table = page.minerTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(cellText(table, 0, 0), QStringLiteral("0x4b2578"));
    QCOMPARE(cellText(table, 0, 2), QStringLiteral("cuda"));
    QCOMPARE(cellText(table, 0, 4), QStringLiteral("2.500000 NES"));
    QCOMPARE(cellText(table, 0, 5), QStringLiteral("17"));
    QCOMPARE(cellText(table, 0, 6), QStringLiteral("0.4 ms"));
    QCOMPARE(cellText(table, 0, 7), QStringLiteral("42"));
    QCOMPARE(cellText(table, 1, 3), QStringLiteral("5 µNES per job + 100 µNES per MiB"));
    QCOMPARE(cellText(table, 1, 4), QStringLiteral("100.000000 NES"));
    QCOMPARE(cellText(table, 1, 6), QStringLiteral("no answer"));
  }

  void anUnreachableNodeIsSaidAndTheTableEmptied() {
    FakeNetworkBackend backend;
    NetworkPage page(backend);
    QSignalSpy updated(&page, &NetworkPage::updated);
    page.show();
    QTRY_COMPARE(updated.count(), 1);
    QCOMPARE(page.minerTable()->rowCount(), 2);
    backend.reachable = false;
    page.refresh();
    QTRY_COMPARE(updated.count(), 2);
    QCOMPARE(page.nodeText(),
             QStringLiteral("The network cannot be reached: no local EVM network is running"));
    QCOMPARE(page.minerTable()->rowCount(), 0);
  }

  void readsTheCommandsJson() {
    // What `nesa chain status --json` printed on a devnet with two miners, one of them stopped.
    const QByteArray json = R"json({"block": 31, "chainId": 4242, "contracts": {
      "registry": "0xe94153Fd4E5A874B180836938585061964BC1130"}, "minStake": 100000000,
      "miners": [{"account": "0x83b4Fb02ffa0160Dd645c1ADeA9Ed309fc0c0705", "backend":
      "cpu (1 threads)", "endpoint": "127.0.0.1:37241", "jobs_served": 3, "latency_ms": 0.33,
      "price_per_job": 10, "price_per_mib": 0, "reputation": -4, "staked": 100000000},
      {"account": "0x1220D3ac577e9E3Fda2F52a91681133FE60cECDF", "backend": "cpu (1 threads)",
      "endpoint": "127.0.0.1:41575", "jobs_served": 0, "latency_ms": -1.0, "price_per_job": 10,
      "price_per_mib": 0, "reputation": 0, "staked": 100000000}], "protocolFeeBps": 100,
      "rpc": "http://127.0.0.1:45053"})json";
    const NodeStatus status = nesa::app::parseNodeStatus(json);
    QVERIFY(status.error.isEmpty());
    QCOMPARE(status.node, QStringLiteral("http://127.0.0.1:45053"));
    QCOMPARE(status.identity,
             QStringLiteral("chain 4242, registry 0xe94153Fd4E5A874B180836938585061964BC1130"));
    QCOMPARE(status.available, 1);
    QCOMPARE(status.registered, 2);
    QCOMPARE(status.miners.size(), std::size_t{2});
    QCOMPARE(status.miners[0].identity,
             QStringLiteral("0x83b4Fb02ffa0160Dd645c1ADeA9Ed309fc0c0705"));
    QCOMPARE(status.miners[0].staked, 100000000);
    QCOMPARE(status.miners[0].reputation, -4);
    QCOMPARE(status.miners[0].jobsServed, 3);
    QCOMPARE(status.miners[0].latencyMs, 0.33);
    QCOMPARE(status.miners[1].latencyMs, -1.0);
  }

  // The app's own devnet: started when no local EVM network answers (`nesa chain devnet`:
  // anvil, the contracts, local miners that stake and register), found by `nesa chain status`
  // through DATA/chain/devnet.json, and stopped with its miners when the app lets it go.
  void theLocalNetworkStartsAndStops() {
    QTemporaryDir home;
    qputenv("NESA_HOME", home.path().toUtf8());
    {
      nesa::app::LocalNetwork network(1, home.filePath(QStringLiteral("config.json")),
                                      home.filePath(QStringLiteral("devnet.log")));
      QSignalSpy state(&network, &nesa::app::LocalNetwork::stateChanged);
      network.ensureRunning();
      QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && state.last().at(0).toString().startsWith(
                                                       QStringLiteral("Local network ready")),
                               60000);
      QVERIFY(network.ownsNode());
      const NodeStatus status = nesa::app::ProcessNetworkBackend().status();
      QVERIFY2(status.error.isEmpty(), qPrintable(status.error));
      QCOMPARE(status.registered, 1);
      // A second app finds this node and leaves it alone.
      nesa::app::LocalNetwork second(1, home.filePath(QStringLiteral("config.json")),
                                     home.filePath(QStringLiteral("devnet2.log")));
      QSignalSpy secondState(&second, &nesa::app::LocalNetwork::stateChanged);
      second.ensureRunning();
      QTRY_VERIFY_WITH_TIMEOUT(!secondState.isEmpty(), 20000);
      QVERIFY(secondState.last().at(0).toString().contains(QStringLiteral("already running")));
      QVERIFY(!second.ownsNode());
    }
    QVERIFY(!nesa::app::ProcessNetworkBackend().status().error.isEmpty()); // stopped
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("chain/devnet.json"))));
    qunsetenv("NESA_HOME");
  }

  void refusesWhatIsNotAStatus() {
    for (const QByteArray &bad :
         {QByteArray(), QByteArray("node 127.0.0.1:7600"), QByteArray("[1,2]"),
          QByteArray("{\"miners\":"), QByteArray("{\"miners\": []}")})
      QVERIFY(!nesa::app::parseNodeStatus(bad).error.isEmpty());
  }
};

QTEST_MAIN(TestNetworkPage)
#include "tst_network_page.moc"
