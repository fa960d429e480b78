// The network page against a fake backend (the node, its miners with price, stake, reputation
// and latency; an unreachable node as a readable sentence), and the desktop backend's reading
// of `nesa node status --json`, including answers that are not a status.
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
    QVERIFY(page.nodeText().contains(QStringLiteral("127.0.0.1:7600")));
    QVERIFY(page.nodeText().contains(QStringLiteral("2 of 3 miners available")));
    const QTableWidget *table = page.minerTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(cellText(table, 0, 0), QStringLiteral("4b257806"));
    QCOMPARE(cellText(table, 0, 2), QStringLiteral("cuda"));
    QCOMPARE(cellText(table, 0, 4), QStringLiteral("2.500000 NES"));
    QCOMPARE(cellText(table, 0, 5), QStringLiteral("17"));
    QCOMPARE(cellText(table, 0, 6), QStringLiteral("0.4 ms"));
    QCOMPARE(cellText(table, 0, 7), QStringLiteral("42"));
    QCOMPARE(cellText(table, 1, 3), QStringLiteral("5 µNES per job + 1 µNES per byte"));
    QCOMPARE(cellText(table, 1, 4), QStringLiteral("not on the ledger"));
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
             QStringLiteral("The node cannot be reached: no local node is running"));
    QCOMPARE(page.minerTable()->rowCount(), 0);
  }

  void readsTheCommandsJson() {
    const QByteArray json = R"json({"node":"127.0.0.1:7600","identity":"dd0f","miners_available":1,
      "miners_registered":2,"miners":[{"identity":"4b25","endpoint":"127.0.0.1:42263",
      "backend":"cpu (1 threads)","price_per_query":10,"price_per_byte":0,"jobs_served":3,
      "staked":1000000,"reputation":-4,"latency_ms":0.33,"seconds_since_seen":1.5},
      {"identity":"e2c6","endpoint":"h:1","latency_ms":-1}]})json";
    const NodeStatus status = nesa::app::parseNodeStatus(json);
    QVERIFY(status.error.isEmpty());
    QCOMPARE(status.node, QStringLiteral("127.0.0.1:7600"));
    QCOMPARE(status.available, 1);
    QCOMPARE(status.registered, 2);
    QCOMPARE(status.miners.size(), std::size_t{2});
    QCOMPARE(status.miners[0].staked, 1000000);
    QCOMPARE(status.miners[0].reputation, -4);
    QVERIFY(status.miners[0].onLedger);
    QCOMPARE(status.miners[0].latencyMs, 0.33);
    QVERIFY(!status.miners[1].onLedger);
    QCOMPARE(status.miners[1].latencyMs, -1.0);
  }

  // The app's own devnet: started when no local node answers, found by `nesa node status`
  // through DATA/node.json, and stopped with its miners when the app lets it go.
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
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("node.json"))));
    qunsetenv("NESA_HOME");
  }

  void refusesWhatIsNotAStatus() {
    for (const QByteArray &bad : {QByteArray(), QByteArray("node 127.0.0.1:7600"),
                                  QByteArray("[1,2]"), QByteArray("{\"miners\":")})
      QVERIFY(!nesa::app::parseNodeStatus(bad).error.isEmpty());
  }
};

QTEST_MAIN(TestNetworkPage)
#include "tst_network_page.moc"
