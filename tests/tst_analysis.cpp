// core/analysis: one query's path. An estimate followed by the run reads the input and compiles
// the model once; an estimate asks for no secret and opens no miner; the answer at every
// private level is the local one; bad requests fail clearly; the summary of a segmentation
// counts voxels and millilitres.
#include "analysis/analyzer.h"
#include "analysis/json_schema.h"
#include "model/npy.h"
#include "reference_models.h"
#include "tiny_language_models.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace nesa;
namespace fs = std::filesystem;

namespace {

/// Counts the secrets a run asks for; the EE key is a fresh one.
struct CountedSecrets {
  std::shared_ptr<int> eeKeys = std::make_shared<int>(0);
  std::shared_ptr<int> payers = std::make_shared<int>(0);
  std::shared_ptr<int> forgotten = std::make_shared<int>(0);

  analysis::Secrets secrets() const {
    analysis::Secrets made;
    made.eeKey = [count = eeKeys]() -> Result<std::shared_ptr<const privacy::EeKey>> {
      ++*count;
      auto key = privacy::EeKey::generate();
      if (!key)
        return key.error();
      return std::make_shared<const privacy::EeKey>(std::move(*key));
    };
    made.payer = [count = payers](bool, std::uint64_t) -> Result<chain::AccountKey> {
      ++*count;
      return fail(ErrorCode::InvalidInput, "this test pays nobody");
    };
    made.forget = [count = forgotten] { ++*count; };
    return made;
  }
};

/// Miners computed in this process; settings in `dataDir` (no network there).
analysis::NetworkChoice inProcess(const fs::path &dataDir) {
  analysis::NetworkChoice network;
  network.inProcess = true;
  network.config.dataDir = dataDir;
  return network;
}

float largestDifference(const model::TensorData &a, const model::TensorData &b) {
  const auto x = a.toFloats(), y = b.toFloats();
  if (x.size() != y.size())
    return INFINITY;
  float worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

} // namespace

class TestAnalysis : public QObject {
  Q_OBJECT

private:
  QTemporaryDir m_dir;
  fs::path dir() const { return fs::path(m_dir.path().toStdString()); }

  /// An MLP and an input for it.
  analysis::Request mlpRequest(privacy::PrivacyLevel level) {
    analysis::Request request;
    request.model = (dir() / "mlp.pt").string();
    if (!fs::exists(request.model)) // written once: a new file would be compiled again
      testing::writeMlp(request.model);
    request.input = dir() / "input.npy";
    request.level = level;
    if (!fs::exists(request.input)) {
      std::vector<float> values(16);
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = 0.1f * static_cast<float>(i) - 0.7f;
      (void)model::writeNpy(request.input, model::TensorData::fromFloats({1, 16}, values));
    }
    return request;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void anEstimateThenRunsReadAndCompileOnce() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    const auto request = mlpRequest(privacy::PrivacyLevel::HssEe);
    auto estimate = analyzer.estimate(request);
    QVERIFY2(estimate.ok(), estimate.ok() ? "" : estimate.error().message.c_str());
    QCOMPARE(estimate->total(), std::uint64_t{0}); // in process: nobody to pay
    QCOMPARE(estimate->jobs, std::int64_t{2 * 2}); // two remote calls (one fused), two shares
    QCOMPARE(analyzer.counters().poolsOpened, 0);
    QCOMPARE(*counted.eeKeys, 0); // the price needs no secret
    for (int run = 1; run <= 2; ++run) {
      auto outcome = analyzer.run(request);
      QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message.c_str());
      QVERIFY(outcome->output.has_value());
      QCOMPARE(outcome->output->shape, (std::vector<std::int64_t>{1, 8}));
      QVERIFY(outcome->report.checksPassed > 0);
      QCOMPARE(outcome->report.checksFailed, 0);
      QVERIFY(!outcome->payment); // in process: nothing is paid
      const auto counters = analyzer.counters();
      QCOMPARE(counters.inputsRead, 1);
      QCOMPARE(counters.modelsCompiled, 1);
      QCOMPARE(counters.poolsOpened, run);
    }
    QCOMPARE(*counted.eeKeys, 2);    // asked for each run: never kept between queries
    QCOMPARE(*counted.forgotten, 3); // after the estimate and each run
    QCOMPARE(*counted.payers, 0);
  }

  void everyLevelGivesTheLocalAnswer() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    auto local = analyzer.run(mlpRequest(privacy::PrivacyLevel::Local));
    QVERIFY2(local.ok(), local.ok() ? "" : local.error().message.c_str());
    QVERIFY(local->report.calls.empty()); // nothing left this process
    for (auto level :
         {privacy::PrivacyLevel::Ee, privacy::PrivacyLevel::Hss, privacy::PrivacyLevel::HssEe}) {
      auto run = analyzer.run(mlpRequest(level));
      QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
      QVERIFY(!run->report.calls.empty());
      QVERIFY2(largestDifference(*run->output, *local->output) < 1e-3f,
               privacy::privacyLevelName(level));
      // The level's default arithmetic: float32 at ee, where nothing is masked.
      QCOMPARE(run->report.arithmetic, level == privacy::PrivacyLevel::Ee
                                           ? privacy::ShareArithmetic::F32
                                           : privacy::ShareArithmetic::F64Masked);
    }
    QCOMPARE(analyzer.counters().modelsCompiled, 1);
    QCOMPARE(analyzer.counters().inputsRead, 1);
  }

  void aChangedInputIsReadAgain() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    auto request = mlpRequest(privacy::PrivacyLevel::Hss);
    request.input = dir() / "changing.npy";
    QVERIFY(model::writeNpy(request.input,
                            model::TensorData::fromFloats({1, 16}, std::vector<float>(16, 0.5f)))
                .ok());
    auto first = analyzer.run(request);
    QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
    fs::last_write_time(request.input, fs::last_write_time(request.input) - std::chrono::hours(1));
    QVERIFY(model::writeNpy(request.input,
                            model::TensorData::fromFloats({1, 16}, std::vector<float>(16, -0.5f)))
                .ok());
    auto second = analyzer.run(request);
    QVERIFY2(second.ok(), second.ok() ? "" : second.error().message.c_str());
    QCOMPARE(analyzer.counters().inputsRead, 2);
    QVERIFY(largestDifference(*first->output, *second->output) > 1e-4f);
  }

  void anEstimateWithoutANetworkSaysSoAndOpensNothing() {
    CountedSecrets counted;
    auto network = inProcess(dir() / "no-network");
    network.inProcess = false; // the settings' network: none joined, no devnet running
    analysis::Analyzer analyzer(network, counted.secrets());
    auto estimate = analyzer.estimate(mlpRequest(privacy::PrivacyLevel::Hss));
    QVERIFY(!estimate.ok());
    QCOMPARE(estimate.error().code, ErrorCode::NotFound);
    QVERIFY(estimate.error().message.find("no network is running") != std::string::npos);
    QCOMPARE(analyzer.counters().poolsOpened, 0);
    QCOMPARE(*counted.payers, 0);
    QCOMPARE(*counted.eeKeys, 0);
  }

  void badRequestsFailClearly() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    auto request = mlpRequest(privacy::PrivacyLevel::Hss);
    request.model = "no-such-model";
    auto missing = analyzer.run(request);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().message.find("no-such-model") != std::string::npos);

    request = mlpRequest(privacy::PrivacyLevel::Hss);
    request.input = dir() / "broken.npy";
    std::ofstream(request.input) << "\x93NUMPY not really";
    auto broken = analyzer.run(request);
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().code, ErrorCode::Corrupt);

    request = mlpRequest(privacy::PrivacyLevel::Hss);
    request.shares = 9;
    auto tooMany = analyzer.estimate(request);
    QVERIFY(!tooMany.ok());
    QCOMPARE(tooMany.error().code, ErrorCode::InvalidInput);

    request = mlpRequest(privacy::PrivacyLevel::Hss);
    request.input = dir() / "scan.nii";
    std::ofstream(request.input) << "not a scan";
    auto noManifest = analyzer.run(request);
    QVERIFY(!noManifest.ok());
    QVERIFY(noManifest.error().message.find("manifest") != std::string::npos);
    QCOMPARE(analyzer.counters().poolsOpened, 0);
  }

  void aCancelledRunStopsBeforeItsNextCall() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    const std::atomic<bool> cancel{true};
    auto run = analyzer.run(mlpRequest(privacy::PrivacyLevel::Hss), &cancel);
    QVERIFY(!run.ok());
    QCOMPARE(run.error().code, ErrorCode::Cancelled);
    auto again = analyzer.run(mlpRequest(privacy::PrivacyLevel::Hss)); // the analyzer goes on
    QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
  }

  void aDocumentIsClassifiedOnceLoaded() {
    testing::writeTinyGpt2(dir() / "gpt2");
    analysis::Request request;
    request.model = (dir() / "gpt2").string();
    request.input = dir() / "letter.txt";
    std::ofstream(request.input) << "Dear tenant, the rent for the flat rises in March.";
    request.task = "classify";
    request.labels = {"contract", "letter"};
    request.level = privacy::PrivacyLevel::HssEe;
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    auto estimate = analyzer.estimate(request);
    QVERIFY2(estimate.ok(), estimate.ok() ? "" : estimate.error().message.c_str());
    auto outcome = analyzer.run(request);
    QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message.c_str());
    QVERIFY(!outcome->output);
    QCOMPARE(outcome->summary.size(), std::size_t{2});
    for (const auto &line : outcome->summary) // "label: probability"
      QVERIFY2(line.rfind("contract: ", 0) == 0 || line.rfind("letter: ", 0) == 0, line.c_str());
    QVERIFY(outcome->report.checksPassed > 0);
    QCOMPARE(analyzer.counters().inputsRead, 1);
    QCOMPARE(analyzer.counters().modelsCompiled, 1);
    // Another document (the local API writes each request's anew) on the same model: the
    // document is read, the model is not loaded again.
    request.input = dir() / "memo.txt";
    std::ofstream(request.input) << "Memo: the meeting moves to Thursday.";
    auto second = analyzer.run(request);
    QVERIFY2(second.ok(), second.ok() ? "" : second.error().message.c_str());
    QCOMPARE(analyzer.counters().inputsRead, 2);
    QCOMPARE(analyzer.counters().modelsCompiled, 1);

    // At ee a language model's calls stay float64: its layers are too wide for float32's check.
    request.level = privacy::PrivacyLevel::Ee;
    auto atEe = analyzer.run(request);
    QVERIFY2(atEe.ok(), atEe.ok() ? "" : atEe.error().message.c_str());
    QCOMPARE(atEe->report.arithmetic, privacy::ShareArithmetic::F64Masked);

    request.labels = {"only one"};
    auto oneLabel = analyzer.estimate(request);
    QVERIFY(!oneLabel.ok());
    QCOMPARE(oneLabel.error().code, ErrorCode::InvalidInput);
  }

  void aRequestRoundTripsThroughItsJson() {
    analysis::Request request;
    request.input = "/scans/colin27.nii.gz";
    request.model = "brain-segmentation";
    request.manifest = "/models/brain.json";
    request.task = "classify";
    request.labels = {"contract", "letter, formal"};
    request.level = privacy::PrivacyLevel::HssEe;
    request.arithmetic = privacy::ShareArithmetic::Ring64;
    request.shares = 3;
    request.showShare = "/tmp/seen";
    auto back = analysis::requestFromJson(analysis::requestToJson(request));
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    QCOMPARE(back->input, request.input);
    QCOMPARE(back->model, request.model);
    QCOMPARE(back->manifest, request.manifest);
    QCOMPARE(back->task, request.task);
    QCOMPARE(back->labels, request.labels);
    QCOMPARE(back->level, request.level);
    QCOMPARE(back->arithmetic, request.arithmetic);
    QCOMPARE(back->shares, request.shares);
    QCOMPARE(back->showShare, request.showShare);
    // The smallest request: defaults for the rest.
    auto smallest = analysis::requestFromJson(R"({"version":1,"input":"a.npy","model":"m.pt"})");
    QVERIFY(smallest.ok());
    QCOMPARE(smallest->level, privacy::PrivacyLevel::Hss);
    QCOMPARE(smallest->shares, 2);
    QVERIFY(!smallest->arithmetic); // the level's default: f32 at ee, f64-masked otherwise
    auto f32 = analysis::requestFromJson(
        R"({"version":1,"input":"a.npy","model":"m.pt","privacy":"ee","arithmetic":"f32"})");
    QVERIFY(f32.ok() && f32->arithmetic == privacy::ShareArithmetic::F32);
  }

  void aBadRequestNamesWhatIsWrong_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("named");
    QTest::newRow("not json") << "{"
                              << "one JSON object";
    QTest::newRow("a list") << "[]"
                            << "one JSON object";
    QTest::newRow("no version") << R"({"input":"a","model":"m"})"
                                << "'version'";
    QTest::newRow("newer") << R"({"version":2,"input":"a","model":"m"})"
                           << "newer";
    QTest::newRow("unknown field") << R"({"version":1,"input":"a","model":"m","levle":"ee"})"
                                   << "'levle'";
    QTest::newRow("no model") << R"({"version":1,"input":"a"})"
                              << "'model'";
    QTest::newRow("number as text") << R"({"version":1,"input":3,"model":"m"})"
                                    << "'input'";
    QTest::newRow("bad level") << R"({"version":1,"input":"a","model":"m","privacy":"max"})"
                               << "max";
    QTest::newRow("labels") << R"({"version":1,"input":"a","model":"m","labels":[1]})"
                            << "'labels'";
    QTest::newRow("shares") << R"({"version":1,"input":"a","model":"m","shares":1e9})"
                            << "'shares'";
  }

  void aBadRequestNamesWhatIsWrong() {
    QFETCH(QString, json);
    QFETCH(QString, named);
    auto parsed = analysis::requestFromJson(json.toStdString());
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
    QVERIFY2(parsed.error().message.find(named.toStdString()) != std::string::npos,
             parsed.error().message.c_str());
  }

  // The lines nesa-analyze writes, read back the way the desktop reads them (Qt's JSON).
  void theResultLineCarriesTheTypedOutcome() {
    CountedSecrets counted;
    analysis::Analyzer analyzer(inProcess(dir() / "data"), counted.secrets());
    auto outcome = analyzer.run(mlpRequest(privacy::PrivacyLevel::Hss));
    QVERIFY(outcome.ok());
    const auto line =
        QJsonDocument::fromJson(
            QByteArray::fromStdString(analysis::resultLine(*outcome, analyzer.counters())))
            .object();
    QCOMPARE(line[u"event"].toString(), QStringLiteral("result"));
    QCOMPARE(line[u"version"].toInt(), analysis::kJsonSchemaVersion);
    QCOMPARE(line[u"shape"].toArray(), (QJsonArray{1, 8}));
    const auto report = line[u"report"].toObject();
    QCOMPARE(report[u"level"].toString(), QStringLiteral("hss"));
    QCOMPARE(report[u"calls"].toInt(), static_cast<int>(outcome->report.calls.size()));
    QCOMPARE(report[u"round_trips"].toInt(), outcome->report.roundTrips);
    QCOMPARE(outcome->report.roundTrips, static_cast<int>(outcome->report.calls.size())); // hss
    QCOMPARE(report[u"checks_passed"].toInt(), outcome->report.checksPassed);
    QVERIFY(line[u"payment"].isNull());
    QVERIFY(line.contains(u"settlement_error") && line[u"settlement_error"].isNull());
    QCOMPARE(line[u"work"].toObject()[u"models_compiled"].toInt(), 1);
    QCOMPARE(line[u"summary"].toArray().size(), static_cast<qsizetype>(outcome->summary.size()));
    const auto error =
        QJsonDocument::fromJson(
            QByteArray::fromStdString(analysis::errorLine(Error{ErrorCode::Busy, "full \xff"})))
            .object();
    QCOMPARE(error[u"code"].toString(), QStringLiteral("busy"));
    QCOMPARE(error[u"message"].toString(), QStringLiteral("full \uFFFD")); // not UTF-8: replaced
  }

  void aSegmentationIsCountedInVoxelsAndMillilitres() {
    ingest::ModelManifest manifest;
    manifest.task = "segmentation";
    manifest.labels = {"background", "brain"};
    manifest.preprocessing.spacing = std::array<double, 3>{2, 2, 2}; // 8 mm³ a voxel
    // [1, 2 classes, 2, 2]: the second class wins in three of the four voxels.
    const auto output = model::TensorData::fromFloats(
        {1, 2, 2, 2}, {0.9f, 0.1f, 0.2f, 0.0f, 0.1f, 0.9f, 0.8f, 1.0f});
    const auto volumes = analysis::segmentationVolumes(output, manifest);
    QCOMPARE(volumes.size(), std::size_t{2});
    QCOMPARE(volumes[0].voxels, std::int64_t{1});
    QCOMPARE(volumes[1].voxels, std::int64_t{3});
    QCOMPARE(*volumes[1].millilitres, 0.024);
    const auto lines = analysis::summarizeOutput(output, manifest);
    QCOMPARE(lines.size(), std::size_t{2});
    QCOMPARE(lines[1], std::string("brain: 3 voxels (0.024 mL)"));
    manifest.task = "classification"; // not a segmentation: the first values
    QVERIFY(analysis::segmentationVolumes(output, manifest).empty());
  }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
