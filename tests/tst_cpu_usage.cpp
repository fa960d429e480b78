// Reading how busy other programs keep the processor (/proc/stat, /proc/self/stat), and the
// decision of a miner that serves only while the computer is otherwise idle.
#include "util/cpu_usage.h"

#include <QTest>

#include <chrono>
#include <thread>

using namespace nesa;

class TestCpuUsage : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void parsesProcStat() {
    const auto counters = parseProcStat("cpu  100 5 50 800 20 1 4 0 0 0\ncpu0 1 2 3 4\n");
    QVERIFY(counters);
    QCOMPARE(counters->first, 160u); // user + nice + system + irq + softirq + steal
    QCOMPARE(counters->second, 980u);
    QVERIFY(!parseProcStat("intr 1 2 3"));
    QVERIFY(!parseProcStat("cpu  1 2"));
  }

  void parsesProcSelfStat() {
    // A command name with spaces and parentheses must not shift the fields.
    const auto own =
        parseProcSelfStat("1234 (nesa (miner) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 70 30 0 0");
    QVERIFY(own);
    QCOMPARE(*own, 100u);
    QVERIFY(!parseProcSelfStat("1234 nesa S"));
    QVERIFY(!parseProcSelfStat("1234 (nesa) S 1 2"));
  }

  void othersShareExcludesThisProcess() {
    const CpuSample before{1000, 10000, 300};
    // 2000 busy ticks of 4000: 1500 of them this process's own, so others used 500 (12.5 %).
    QCOMPARE(othersBusyShare(before, {3000, 14000, 1800}), 0.125);
    QCOMPARE(othersBusyShare(before, before), 0.0);
    QCOMPARE(othersBusyShare(before, {1000, 14000, 900}), 0.0); // never negative
  }

  void idleWatchHasHysteresis() {
    IdleWatch watch(0.25, 0.15);
    QVERIFY(!watch.update({0, 0, 0}));
    QVERIFY(watch.update({500, 1000, 0}));   // others 50 %: busy
    QVERIFY(watch.update({700, 2000, 0}));   // 20 %: still busy (above the idle mark)
    QVERIFY(!watch.update({800, 3000, 0}));  // 10 %: idle again
    QVERIFY(!watch.update({1000, 4000, 0})); // 20 %: not yet busy (below the busy mark)
  }

  void samplesThisMachine() {
    const auto before = sampleCpu();
    QVERIFY(before);
    const auto start = std::chrono::steady_clock::now();
    volatile double sink = 0; // keep this process busy: it must not count as "others"
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300))
      sink = sink + 1.0;
    const auto after = sampleCpu();
    QVERIFY(after);
    QVERIFY(after->own > before->own);
    QVERIFY(after->total > before->total);
    const double share = othersBusyShare(*before, *after);
    QVERIFY(share >= 0 && share <= 1);
  }
};

QTEST_GUILESS_MAIN(TestCpuUsage)
#include "tst_cpu_usage.moc"
