// The miner page against a fake backend: the toggle turns the miner on and off (with the
// threads chosen), the state, counts, chart and events follow, and the explanation says in
// plain words why nothing is earned in each situation.
#include "fake_miner_backend.h"
#include "ui/miner_page.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeMinerBackend;

class TestMinerPage : public QObject {
  Q_OBJECT
private Q_SLOTS:
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
  }
};

QTEST_MAIN(TestMinerPage)
#include "tst_miner_page.moc"
