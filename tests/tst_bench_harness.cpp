// The benchmark harness: medians, alternation of sides, and the one line format scripts parse.
#include "harness.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>

using namespace nesa::bench;

class TestBenchHarness : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void medianOfOddAndEvenCounts() {
    QCOMPARE(median({5, 1, 3}), 3.0);
    QCOMPARE(median({4, 1, 3, 2}), 2.5);
    QCOMPARE(median({}), 0.0);
  }

  void runTakesMediansAndAlternates() {
    std::vector<char> order;
    std::vector<double> baseValues{10, 12, 11, 100, 9}; // one outlier: the median ignores it
    std::vector<double> candValues{20, 22, 21, 23, 200};
    std::size_t b = 0, c = 0;
    Comparison comparison{"fake", "ms",
                          [&] {
                            order.push_back('b');
                            return baseValues[b++ % baseValues.size()];
                          },
                          [&] {
                            order.push_back('c');
                            return candValues[c++ % candValues.size()];
                          }};
    const Outcome outcome = run("suite", comparison, Options{0, 5});
    QCOMPARE(outcome.baseline, 11.0);
    QCOMPARE(outcome.candidate, 22.0);
    QCOMPARE(outcome.ratio, 2.0);
    QCOMPARE(QByteArray(order.data(), int(order.size())), QByteArray("bcbcbcbcbc"));
  }

  void warmupsAreNotMeasured() {
    int calls = 0;
    Comparison comparison{"w", "ms", [&] { return double(++calls); }, [] { return 1.0; }};
    const Outcome outcome = run("s", comparison, Options{2, 3});
    QCOMPARE(calls, 5);
    QCOMPARE(outcome.baseline, 4.0); // median of 3, 4, 5: the warm-ups 1 and 2 are discarded
  }

  void slowComparisonsAreCapped() {
    int baseCalls = 0, candCalls = 0;
    Comparison comparison{"slow", "ms", [&] { return double(++baseCalls); },
                          [&] { return double(++candCalls); }};
    comparison.maxRepeats = 1;
    const Outcome outcome = run("s", comparison, Options{2, 7});
    QCOMPARE(baseCalls, 1); // no warm-up, one repeat
    QCOMPARE(candCalls, 1);
    QCOMPARE(outcome.baseline, 1.0);
    comparison.maxRepeats = 9; // a cap above the options' repeats leaves them as they are
    baseCalls = 0;
    run("s", comparison, Options{2, 3});
    QCOMPARE(baseCalls, 3);
  }

  void formatIsMachineReadable() {
    const std::string line = formatOutcome({"storage", "insert_1000_rows_tx", "ms", 4.0, 5.2, 1.3});
    QCOMPARE(QString::fromStdString(line),
             QStringLiteral("storage/insert_1000_rows_tx: 1.3x (5.2 ms vs 4 ms)"));
    const QRegularExpression pattern(
        QStringLiteral(R"(^(\w+)/(\w+): ([0-9.]+)x \(([0-9.]+) (\S+) vs ([0-9.]+) (\S+)\)$)"));
    QVERIFY(pattern
                .match(QString::fromStdString(
                    formatOutcome({"a", "b", "GFLOP/s", 63.17, 85.44, 63.17 / 85.44})))
                .hasMatch());
  }

  void timeMsMeasuresElapsedTime() {
    const double ms = timeMs([] { QThread::msleep(20); });
    QVERIFY(ms >= 19.0);
    QVERIFY(ms < 2000.0);
  }
};

QTEST_GUILESS_MAIN(TestBenchHarness)
#include "tst_bench_harness.moc"
