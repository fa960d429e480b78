// The miner page against a fake backend: the toggle turns the miner on and off (with the
// threads chosen), the state, counts, chart and events follow, and the explanation says in
// plain words why nothing is earned in each situation.
#include "fake_backends.h"
#include "process_miner_backend.h"
#include "sibling_command.h"
#include "ui/miner_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeMinerBackend;

class TestMinerPage : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // A failing command's reason, as the pages show it: its last stderr line without the
  // "nesa COMMAND: " our programs put first; anything else as it is; the fallback when silent.
  void aFailingCommandsReasonIsItsLastSentence() {
    using nesa::app::failureReason;
    const QString fallback = QStringLiteral("the command failed");
    QCOMPARE(failureReason({1, {}, QStringLiteral("loading…\nnesa wallet: wrong passphrase\n")},
                           fallback),
             QStringLiteral("wrong passphrase"));
    QCOMPARE(
        failureReason({1, {}, QStringLiteral("nesa analyze: --miners: not a number")}, fallback),
        QStringLiteral("--miners: not a number"));
    QCOMPARE(failureReason({1, {}, QStringLiteral("nesa Wallet: kept as it is")}, fallback),
             QStringLiteral("nesa Wallet: kept as it is"));
    QCOMPARE(failureReason({-1, {}, {}}, fallback), fallback);
  }

  void toggleTurnsTheMinerOnAndOff() {
    FakeMinerBackend backend;
    MinerPage page(backend);
    QSignalSpy updated(&page, &MinerPage::updated);
    QTRY_VERIFY(updated.count() >= 1);
    QVERIFY(!page.isRunning());
    QVERIFY(page.stateText().startsWith(QStringLiteral("off")));
    QVERIFY(page.explanationText().contains(QStringLiteral("off")));
    page.findChild<QSpinBox *>()->setValue(3);
    QTest::mouseClick(page.toggleButton(), Qt::LeftButton);
    QTRY_VERIFY(page.isRunning());
    QCOMPARE(backend.starts.load(), 1);
    QCOMPARE(backend.lastThreads.load(), 3);
    QVERIFY(page.toggleButton()->isChecked());
    QVERIFY(page.stateText().contains(QStringLiteral("cpu")));
    QVERIFY(page.explanationText().startsWith(QStringLiteral("Earning")));
    const int before = updated.count();
    page.refresh();
    QTRY_VERIFY(updated.count() > before);
    QVERIFY(page.statsText().contains(QStringLiteral("served")));
    QVERIFY(page.chartPoints() >= 2);
    QVERIFY(page.events().join(QLatin1Char('\n')).contains(QStringLiteral("job")));
    QTest::mouseClick(page.toggleButton(), Qt::LeftButton);
    QTRY_VERIFY(!page.isRunning());
    QCOMPARE(backend.stops.load(), 1);
    QVERIFY(!page.toggleButton()->isChecked());
    QVERIFY(page.events().first().contains(QStringLiteral("off")));
  }

  void explanationsSayWhyNothingIsEarned() {
    MinerStatus s;
    QVERIFY(minerExplanation(s).contains(QStringLiteral("off")));
    s.running = true;
    s.error = QStringLiteral("connection refused");
    QVERIFY(minerExplanation(s).contains(QStringLiteral("connection refused")));
    s.error.clear();
    QVERIFY(minerExplanation(s).contains(QStringLiteral("no stake")));
    s.onChain = true;
    QVERIFY(minerExplanation(s).contains(QStringLiteral("not listed")));
    s.registered = true;
    QVERIFY(minerExplanation(s).contains(QStringLiteral("no client")));
    s.served = 4;
    QVERIFY(minerExplanation(s).contains(QStringLiteral("without pay")));
    s.earned = 800;
    QVERIFY(minerExplanation(s).startsWith(QStringLiteral("Earning")));
    s.paused = true;
    QVERIFY(minerExplanation(s).contains(QStringLiteral("only while it is idle")));
  }

  // The backend and "only when idle" reach the start; the stake and reputation are shown; a
  // pause is an event; without a GPU the GPU choice cannot be picked.
  void startChoicesLedgerAndPause() {
    FakeMinerBackend backend;
    MinerPage page(backend);
    QSignalSpy updated(&page, &MinerPage::updated);
    QTRY_VERIFY(updated.count() >= 1);
    auto *choice = page.findChild<QComboBox *>();
    const int gpu = choice->findData(QStringLiteral("cuda"));
    QTRY_VERIFY(choice->itemText(gpu).contains(QStringLiteral("none found")));
    QVERIFY(!qobject_cast<QStandardItemModel *>(choice->model())->item(gpu)->isEnabled());
    choice->setCurrentIndex(choice->findData(QStringLiteral("cpu")));
    QCheckBox *idle = nullptr;
    for (auto *box : page.findChildren<QCheckBox *>())
      if (box->text().contains(QStringLiteral("idle")))
        idle = box;
    QVERIFY(idle);
    idle->setChecked(true);
    page.findChild<QSpinBox *>(QStringLiteral("maxJobs"))->setValue(3);
    QTest::mouseClick(page.toggleButton(), Qt::LeftButton);
    QTRY_VERIFY(page.isRunning());
    QCOMPARE(backend.startedWith().backend, QStringLiteral("cpu"));
    QCOMPARE(backend.startedWith().maxJobs, 3);
    QVERIFY(backend.startedWith().onlyWhenIdle);
    QVERIFY(!choice->isEnabled()); // fixed while the miner runs
    QCOMPARE(page.ledgerText(), QStringLiteral("1.000000 NES staked, reputation 3"));
    backend.paused = true;
    const int before = updated.count();
    page.refresh();
    QTRY_VERIFY(updated.count() > before);
    QVERIFY(page.stateText().startsWith(QStringLiteral("paused")));
    QVERIFY(page.events().first().contains(QStringLiteral("busy")));
  }

  void aGpuCanBeChosenWhenThereIsOne() {
    FakeMinerBackend backend;
    backend.hasGpu = true;
    MinerPage page(backend);
    auto *choice = page.findChild<QComboBox *>();
    const int gpu = choice->findData(QStringLiteral("cuda"));
    QTRY_VERIFY(choice->itemText(gpu).contains(QStringLiteral("Fake GPU")));
    QVERIFY(qobject_cast<QStandardItemModel *>(choice->model())->item(gpu)->isEnabled());
  }

  // The desktop backend reads the GPUs `nesa gpu --json` lists (this machine's real answer is
  // read in tst_cli).
  void theGpuListIsRead() {
    const QStringList gpus = nesa::app::parseGpuList(
        R"({"cuda_built":true,"devices":[{"compute":"9.0","index":0,"memory_mib":143771,
            "name":"NVIDIA H200"},{"compute":"9.0","index":1,"memory_mib":81559,
            "name":"NVIDIA H100 80GB HBM3"}],"reason":""})");
    QCOMPARE(gpus,
             (QStringList{QStringLiteral("0: NVIDIA H200, 143771 MiB, compute 9.0"),
                          QStringLiteral("1: NVIDIA H100 80GB HBM3, 81559 MiB, compute 9.0")}));
    QVERIFY(nesa::app::parseGpuList(
                R"({"cuda_built":true,"devices":[],"reason":"no NVIDIA driver is loaded"})")
                .isEmpty());
    QVERIFY(nesa::app::parseGpuList("GPU 0: NVIDIA H200, 143771 MiB, compute 9.0").isEmpty());
  }

  // The desktop backend reads `nesa miner status --json` (this is its output on a devnet).
  void theStatusIsRead() {
    const auto status = nesa::app::parseMinerStatus(R"json({"backend": "cpu (1 threads)",
        "chain_account": "0x83b4Fb02ffa0160Dd645c1ADeA9Ed309fc0c0705", "earned": 70,
        "endpoint": "127.0.0.1:37241", "identity": "99f387ea", "jobs_failed": 1,
        "jobs_refused": 2, "jobs_served": 7, "on_chain": true, "paused": true, "pid": 812,
        "queued": 0, "registered": true, "registry": {"chain_id": 4242, "min_stake": 100000000,
        "registered": true, "reputation": -3, "staked": 100000000, "unbonding": 0},
        "role": "miner", "settled": 50})json");
    QVERIFY(status.error.isEmpty());
    QVERIFY(status.running && status.onChain && status.registered && status.paused);
    QCOMPARE(status.backend, QStringLiteral("cpu (1 threads)"));
    QCOMPARE(status.account, QStringLiteral("0x83b4Fb02ffa0160Dd645c1ADeA9Ed309fc0c0705"));
    QCOMPARE(status.served, 7);
    QCOMPARE(status.refused, 2);
    QCOMPARE(status.earned, 70);
    QCOMPARE(status.settled, 50);
    QVERIFY(status.ledgerKnown);
    QCOMPARE(status.staked, 100'000'000);
    QCOMPARE(status.reputation, -3);
    const auto fresh = nesa::app::parseMinerStatus(R"({"jobs_served": 0, "on_chain": false,
        "paused": false, "registry_error": "no local EVM network is running"})");
    QVERIFY(!fresh.onChain && !fresh.paused && !fresh.ledgerKnown && !fresh.registered);
    QVERIFY(!nesa::app::parseMinerStatus("miner 127.0.0.1:1").error.isEmpty());
  }

  // Closing the window: the miner is stopped when the user did not want it kept (there is no
  // system tray offscreen, so the window cannot go to the tray), kept when they did.
  void closingStopsTheMinerUnlessKept() {
    for (const bool keep : {false, true}) {
      nesa::testing::FakeBackends fakes;
      fakes.settings.config.minerKeepsRunning = keep;
      MainWindow window(fakes.backends());
      window.show();
      QSignalSpy updated(window.minerPage(), &MinerPage::updated);
      QTest::mouseClick(window.minerPage()->toggleButton(), Qt::LeftButton);
      QTRY_VERIFY(window.minerPage()->isRunning());
      window.close();
      QCOMPARE(fakes.miner.stops.load(), keep ? 0 : 1);
      QCOMPARE(fakes.miner.running.load(), keep);
    }
  }

  // A changed choice is saved in the settings at once.
  void choicesAreSaved() {
    nesa::testing::FakeBackends fakes;
    MainWindow window(fakes.backends());
    QCheckBox *keep = nullptr;
    for (auto *box : window.minerPage()->findChildren<QCheckBox *>())
      if (box->text().contains(QStringLiteral("window closes")))
        keep = box;
    QVERIFY(keep && keep->isChecked());
    keep->setChecked(false);
    QCOMPARE(fakes.settings.saves, 1);
    QVERIFY(!fakes.settings.config.minerKeepsRunning);
  }
};

QTEST_MAIN(TestMinerPage)
#include "tst_miner_page.moc"
