// MetaInf: arms, the data set's CSV, the learners, the evaluation's arithmetic (checked by
// hand) and every selector trained on a slice of the real data set.
#include "metainf/arm.h"
#include "metainf/dataset.h"
#include "metainf/evaluation.h"
#include "metainf/internal/boosted_trees.h"
#include "metainf/internal/learning.h"
#include "metainf/selector.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>

using namespace nesa;
using namespace nesa::metainf;

namespace {

TaskFeatures features(const std::string &level, double rttMs) {
  TaskFeatures f;
  f.level = level;
  f.model = {1000, 2e6, 3, 2, 3, 4000, 6000, 64};
  f.hardware = {2, 150, 4, 150};
  f.network = {rttMs, 100};
  return f;
}

/// A task of `level` whose arms of that level take `latency` (in armsOf order).
Task task(const std::string &id, const std::string &level, const std::vector<double> &latency) {
  Task t;
  t.id = id;
  t.family = "mlp";
  t.hardware = "threads1";
  t.network = "lan";
  t.features = features(level, 1);
  t.latencyMs.assign(allArms().size(), std::numeric_limits<double>::quiet_NaN());
  t.bytes = t.latencyMs;
  const auto arms = armsOf(level);
  for (std::size_t i = 0; i < arms.size() && i < latency.size(); ++i)
    t.latencyMs[arms[i]] = latency[i];
  return t;
}

} // namespace

class TestMetaInf : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void armsHaveNamesThatParseBack() {
    QCOMPARE(armsOf("ee").size(), std::size_t{3});
    QCOMPARE(armsOf("hss").size(), std::size_t{6});
    QCOMPARE(armsOf("hss-ee").size(), std::size_t{6});
    QVERIFY(armsOf("local").empty());
    std::set<std::string> names;
    for (const auto &arm : allArms()) {
      auto parsed = Arm::parse(arm.name());
      QVERIFY(parsed.ok());
      QVERIFY(*parsed == arm);
      names.insert(arm.name());
    }
    QCOMPARE(names.size(), allArms().size());
    QCOMPARE(QString::fromStdString(allArms()[defaultArm("ee")].name()),
             QStringLiteral("ee/f32/whole/fused"));
    QCOMPARE(QString::fromStdString(allArms()[defaultArm("hss")].name()),
             QStringLiteral("hss/f64-masked/2/fused"));
    QCOMPARE(defaultArm("local"), -1);
    // Privacy floors: the default admits every arm of its level; ring64 with 3 shares only
    // itself; more shares or ring64 are never traded for speed.
    QCOMPARE(armsAtLeast(allArms()[defaultArm("hss")]), armsOf("hss"));
    const Arm strong{"hss", "ring64", 3, true, false};
    QCOMPARE(armsAtLeast(strong), std::vector<int>{armIndex(strong)});
    const Arm three{"hss-ee", "f64-masked", 3, true, false};
    for (int i : armsAtLeast(three))
      QVERIFY(allArms()[i].shares == 3 && allArms()[i].level == "hss-ee");
    QCOMPARE(armsAtLeast(three).size(), std::size_t{3});
    QVERIFY(!Arm({"hss", "f64-masked", 2, true, false}).atLeastAsPrivateAs(strong));
    auto bad = Arm::parse("hss/f32/2/fused");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::InvalidInput);
  }

  void csvRoundTripsAndRefusesBrokenRows() {
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("data.csv").toStdString();
    std::vector<Measurement> rows;
    for (int arm : armsOf("ee")) {
      Measurement m;
      m.task = "mlp-0/ee/threads1/lan";
      m.family = "mlp";
      m.model = "mlp-0";
      m.hardware = "threads1";
      m.network = "lan";
      m.features = features("ee", 1.25);
      m.arm = allArms()[arm].name();
      m.latencyMs = 10.5 + arm;
      m.bytes = 4096;
      m.roundTrips = 3;
      m.runs = 2;
      rows.push_back(m);
    }
    QVERIFY(appendCsv(file, {rows[0], rows[1]}).ok());
    QVERIFY(appendCsv(file, {rows[2]}).ok()); // no second header
    auto read = readCsv(file);
    QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
    QCOMPARE(read->size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      QCOMPARE(QString::fromStdString(csvRow((*read)[i])), QString::fromStdString(csvRow(rows[i])));
    }
    auto tasks = groupTasks(*read);
    QVERIFY(tasks.ok());
    QCOMPARE(tasks->size(), std::size_t{1});
    QCOMPARE(tasks->front().best(), armsOf("ee")[0]);
    // Fusion joins 3 calls into 2 here, so fused and unfused calls stay apart ...
    const auto ee = armsOf("ee");
    QCOMPARE(tasks->front().latencyMs[ee[1]], 10.5 + ee[1]);
    QCOMPARE(tasks->front().latencyMs[ee[2]], 10.5 + ee[2]);
    // ... and where it joins nothing, they are one program: both get the mean.
    auto same = rows;
    for (auto &row : same) {
      row.features.model.unfusedCalls = row.features.model.fusedCalls;
      row.features.model.unfusedCallBytes = row.features.model.fusedCallBytes;
    }
    auto merged = groupTasks(same);
    QVERIFY(merged.ok());
    const double mean = 10.5 + (ee[1] + ee[2]) / 2.0;
    QCOMPARE(merged->front().latencyMs[ee[1]], mean);
    QCOMPARE(merged->front().latencyMs[ee[2]], mean);
    QCOMPARE(merged->front().latencyMs[ee[0]], 10.5 + ee[0]); // the whole program has no twin

    // A task that lacks one of its level's arms cannot judge a selector that picks it.
    auto partial = groupTasks({rows[0], rows[1]});
    QVERIFY(!partial.ok());
    QVERIFY(partial.error().message.find("lacks arm") != std::string::npos);

    // The same arm twice is an error, not a silent overwrite.
    auto twice = groupTasks({rows[0], rows[1], rows[2], rows[1]});
    QVERIFY(!twice.ok());
    QVERIFY(twice.error().message.find("twice") != std::string::npos);

    // Line ends written on Windows read the same.
    const std::filesystem::path crlf = dir.filePath("crlf.csv").toStdString();
    {
      std::ofstream out(crlf);
      out << csvHeader() << "\r\n";
      for (const auto &row : rows)
        out << csvRow(row) << "\r\n";
    }
    auto fromCrlf = readCsv(crlf);
    QVERIFY2(fromCrlf.ok(), fromCrlf.ok() ? "" : fromCrlf.error().message.c_str());
    QCOMPARE(fromCrlf->size(), rows.size());

    // A broken number names its line; a foreign header is refused.
    {
      std::ofstream out(file, std::ios::app);
      out << csvRow(rows[0]).replace(csvRow(rows[0]).find(",10.5,"), 6, ",ten,") << '\n';
    }
    auto broken = readCsv(file);
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().code, ErrorCode::Corrupt);
    QVERIFY2(broken.error().message.find(":5:") != std::string::npos,
             broken.error().message.c_str());
    const std::filesystem::path other = dir.filePath("other.csv").toStdString();
    std::ofstream(other) << "a,b,c\n1,2,3\n";
    QCOMPARE(readCsv(other).error().code, ErrorCode::Corrupt);
    QCOMPARE(appendCsv(other, rows).error().code, ErrorCode::Corrupt); // nor appended to
    QCOMPARE(readCsv(dir.filePath("absent.csv").toStdString()).error().code, ErrorCode::NotFound);
  }

  void scoresAreWhatTheHandGives() {
    // Three ee tasks; arms in armsOf("ee") order: the whole program (the default), call by
    // call fused, call by call unfused.
    const Task a = task("a", "ee", {10, 20, 40});
    const Task b = task("b", "ee", {30, 10, 40});
    const Task c = task("c", "ee", {20, 21, 10});
    const auto ee = armsOf("ee");
    const std::vector<const Task *> tasks = {&a, &b, &c};
    // Chosen: a → its best (10), b → the whole program (30, regret 2), c → fused calls (21,
    // regret 1.1). The default picks the whole program everywhere; "gb" picks unfused calls.
    const std::vector<int> chosen = {ee[0], ee[0], ee[1]};
    const std::vector<int> defaults = {ee[0], ee[0], ee[0]};
    const std::vector<int> gb = {ee[2], ee[2], ee[2]};
    const Score s = scoreChoices("x", tasks, chosen, defaults, gb);
    QCOMPARE(s.tasks, 3);
    QCOMPARE(s.top1, 1.0 / 3);
    QCOMPARE(s.within5, 1.0 / 3);
    // vs default: (10/10 · 30/30 · 20/21)^(1/3); vs gb: (40/10 · 40/30 · 10/21)^(1/3)
    QVERIFY(std::abs(s.vsDefault - std::cbrt(20.0 / 21)) < 1e-12);
    QVERIFY(std::abs(s.vsGb - std::cbrt(4.0 * 40 / 30 * 10 / 21)) < 1e-12);
    QVERIFY(std::abs(s.meanRegret - (0 + 2 + 1.1) / 3) < 1e-12);
    QVERIFY(std::abs(s.p95Regret - 2) < 1e-12); // nearest rank: the 3rd of 3
    QCOMPARE(QString::fromStdString(formatScore(s)).left(48),
             QStringLiteral("metainf/x: top1 0.333, within5 0.333, vs-default"));
    // A tie with the best counts as the best.
    const Task tie = task("t", "ee", {10, 10, 40});
    const Score t = scoreChoices("y", {&tie}, {ee[1]}, {ee[0]}, {ee[0]});
    QCOMPARE(t.top1, 1.0);
  }

  void learnersFitWhatTheyShould() {
    using namespace internal;
    Rows x;
    std::vector<double> y;
    for (int i = 0; i < 200; ++i) {
      const double v = i / 10.0;
      x.push_back({v, std::fmod(i * 7.0, 13.0)}); // the second column is noise
      y.push_back(v < 10 ? 1.0 : 5.0);
    }
    RegressionForest forest;
    forest.fit(x, y, {});
    QVERIFY(std::abs(forest.predict({2.0, 3.0}) - 1) < 0.2);
    QVERIFY(std::abs(forest.predict({17.0, 3.0}) - 5) < 0.2);
    BoostedTrees trees;
    QVERIFY(trees.fit(x, y, {}).ok());
    const auto p = trees.predict({{2.0, 3.0}, {17.0, 3.0}});
    QVERIFY(std::abs(p[0] - 1) < 0.1);
    QVERIFY(std::abs(p[1] - 5) < 0.1);
    QCOMPARE(trees.fit({}, {}, {}).error().code, ErrorCode::InvalidInput);
    // Ridge with no penalty solves 2a + 3b exactly.
    Rows r = {{1, 0}, {0, 1}, {1, 1}, {2, 1}};
    const auto w = ridge(r, {2, 3, 5, 7}, {1, 1, 1, 1}, 0);
    QVERIFY(std::abs(w[0] - 2) < 1e-9 && std::abs(w[1] - 3) < 1e-9);
    // k-means finds two clusters far apart.
    Rows points;
    for (int i = 0; i < 20; ++i)
      points.push_back({i % 2 ? 100.0 + i * 0.01 : i * 0.01, 0});
    const auto centres = kMeans(points, 2, 3);
    QCOMPARE(centres.size(), std::size_t{2});
    QVERIFY(nearest(centres, {0, 0}) != nearest(centres, {100, 0}));
  }

  void everySelectorTrainsOnTheCommittedSlice() {
    auto rows = readCsv(NESA_METAINF_SLICE);
    QVERIFY2(rows.ok(), rows.ok() ? "" : rows.error().message.c_str());
    auto tasks = groupTasks(*rows);
    QVERIFY(tasks.ok());
    QVERIFY(tasks->size() >= 30);
    auto scores = evaluate(*tasks, {Split::Network});
    QVERIFY2(scores.ok(), scores.ok() ? "" : scores.error().message.c_str());
    std::map<std::string, Score> byName;
    for (const auto &s : *scores) {
      byName[s.selector] = s;
      QCOMPARE(s.tasks, static_cast<int>(tasks->size())); // every task held out once
      QVERIFY(s.top1 >= 0 && s.top1 <= s.within5 && s.within5 <= 1);
      QVERIFY(s.meanRegret >= 0 && s.p95Regret >= 0);
    }
    QCOMPARE(byName.size(), std::size_t{9}); // eight selectors and the oracle
    QCOMPARE(byName["oracle"].top1, 1.0);
    QCOMPARE(byName["oracle"].meanRegret, 0.0);
    QCOMPARE(byName["default"].vsDefault, 1.0);
    QCOMPARE(byName["gb"].vsGb, 1.0);
    QVERIFY(byName["oracle"].vsDefault >= byName["metainf"].vsDefault);
    // Training is deterministic: the same tasks give the same choices.
    auto first = makeSelector("metainf"), second = makeSelector("metainf");
    QVERIFY(first.ok() && second.ok());
    QVERIFY((*first)->train(*tasks).ok());
    QVERIFY((*second)->train(*tasks).ok());
    for (const auto &t : *tasks) {
      const int arm = (*first)->choose(t.features);
      QCOMPARE(arm, (*second)->choose(t.features));
      QCOMPARE(allArms()[arm].level, t.features.level);
    }
    QCOMPARE(makeSelector("nope").error().code, ErrorCode::NotFound);
    // One network regime cannot be left out of a data set with only one.
    std::vector<Task> one;
    for (const auto &t : *tasks)
      if (t.network == tasks->front().network)
        one.push_back(t);
    QCOMPARE(evaluate(one, {Split::Network}).error().code, ErrorCode::InvalidInput);
  }
};

QTEST_GUILESS_MAIN(TestMetaInf)
#include "tst_metainf.moc"
