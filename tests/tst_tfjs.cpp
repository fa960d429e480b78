// The TensorFlow.js layers importer: small models written here check the arithmetic
// (quantized weights, layer conversions) and every refusal; the real pretrained MobileNetV2 of
// npm's nsfwjs@4.3.0 must agree with that package's own JavaScript on real photos (top-1
// identical, probabilities within 1e-3) and keep its top-1 at `hss`.
#include "ingest/image_reader.h"
#include "ingest/preprocess.h"
#include "ingest/tfjs_model.h"
#include "model/compiled_model.h"
#include "model/tfjs_export.h"
#include "privacy/engine.h"
#include "test_miners.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace nesa;
namespace fs = std::filesystem;

namespace {

const fs::path kTestData = NESA_TEST_DATA;
const fs::path kFixtures = NESA_FIXTURES_DIR;

void writeFile(const fs::path &file, const std::string &bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

// A Sequential Dense(3 → 2, softmax) with a uint8-quantized kernel and a float16 bias.
const char *kDenseJson = R"({
  "format": "layers-model",
  "modelTopology": {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "softmax",
     "use_bias": true, "batch_input_shape": [null, 3]}}]}},
  "weightsManifest": [{"paths": ["w.bin"], "weights": [
    {"name": "dense/kernel", "shape": [3, 2], "dtype": "float32",
     "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.01}},
    {"name": "dense/bias", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}
  ]}]})";

std::string denseWeights() {
  // kernel q = 0, 50, 100, 150, 200, 250 → -1, -0.5, 0, 0.5, 1, 1.5; bias 1.0, -2.0 (float16)
  return std::string("\x00\x32\x64\x96\xc8\xfa", 6) + std::string("\x00\x3c\x00\xc0", 4);
}

std::vector<float> runModel(const fs::path &file, const std::vector<std::int64_t> &shape,
                            const std::vector<float> &input, privacy::PrivacyLevel level) {
  auto compiled = model::compileModel(file);
  if (!compiled)
    qFatal("%s", compiled.error().message.c_str());
  privacy::Engine engine(testing::honestPool(2));
  privacy::RunOptions options;
  options.level = level;
  auto run = engine.run(*compiled, model::TensorData::fromFloats(shape, input), options);
  if (!run)
    qFatal("%s", run.error().message.c_str());
  return run->output.toFloats();
}

std::size_t argmax(const std::vector<float> &v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

const char *kClasses[] = {"Drawing", "Hentai", "Neutral", "Porn", "Sexy"};

} // namespace

class TestTfjs : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path m_nsfw; // the imported TorchScript file
  std::vector<std::int64_t> m_nsfwShape;
  std::map<std::string, std::vector<float>> m_localProbabilities;

  fs::path dir() const { return m_dir.path().toStdString(); }

private Q_SLOTS:
  void quantizedDenseModel() {
    writeFile(dir() / "w.bin", denseWeights());
    writeFile(dir() / "model.json", kDenseJson);
    auto model = ingest::readTfjsModel(dir() / "model.json");
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QCOMPARE(model->weights.at("dense/kernel").values,
             (std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f}));
    QCOMPARE(model->weights.at("dense/bias").values, (std::vector<float>{1.0f, -2.0f}));
    auto shape = model::exportTfjsToTorchScript(*model, dir() / "dense.pt");
    QVERIFY2(shape.ok(), shape.ok() ? "" : shape.error().message.c_str());
    QCOMPARE(*shape, (std::vector<std::int64_t>{1, 3}));
    const auto out = runModel(dir() / "dense.pt", *shape, {1, 2, 3}, privacy::PrivacyLevel::Local);
    // logits: 1·(-1) + 2·0 + 3·1 + 1 = 3 and 1·(-0.5) + 2·0.5 + 3·1.5 − 2 = 3 → softmax ½, ½
    const double a = 3.0, b = 3.0;
    QVERIFY(std::abs(out[0] - 1 / (1 + std::exp(b - a))) < 1e-6);
    QVERIFY(std::abs(out[1] - 1 / (1 + std::exp(a - b))) < 1e-6);
  }

  void brokenModelsAreRefused_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QByteArray>("shard");
    QTest::addColumn<QString>("expected");
    const QString dense = kDenseJson;
    const QByteArray weights = QByteArray::fromStdString(denseWeights());
    QTest::newRow("not json") << "PK\x03\x04 not json" << weights << "not valid JSON";
    QTest::newRow("number overflow") << "6e76666667" << weights << "not valid JSON";
    QTest::newRow("graph model") << R"({"format": "graph-model", "modelTopology": {}})" << weights
                                 << "graph model";
    QTest::newRow("no manifest") << R"({"modelTopology": {}})" << weights
                                 << "needs modelTopology and weightsManifest";
    QTest::newRow("truncated shard") << dense << weights.left(7) << "end inside weight dense/bias";
    // (QByteArray + const char * would instantiate an append that Qt 5, loaded with libtorch,
    // resolves to: see docs/development.md)
    QTest::newRow("shard too long")
        << dense << QByteArray::fromStdString(denseWeights() + "xx") << "hold 12 bytes";
    QTest::newRow("absurd dimension")
        << QString(dense).replace("[3, 2]", "[3, 4000000000]") << weights << "absurd dimension";
    QTest::newRow("escaping shard path")
        << QString(dense).replace("w.bin", "../w.bin") << weights << "leaves the model's folder";
    QTest::newRow("unknown quantization")
        << QString(dense).replace("\"float16\"", "\"int4\"") << weights << "unknown quantization";
    QTest::newRow("unsupported layer") << QString(dense).replace("\"Dense\"", "\"LSTM\"") << weights
                                       << "cannot import layer dense (LSTM)";
    QTest::newRow("missing weight") << QString(dense).replace("dense/bias", "other/bias") << weights
                                    << "weight dense/bias is missing";
    QTest::newRow("wrong structure")
        << QString(dense).replace("\"units\": 2", "\"units\": \"two\"") << weights << "malformed";
    QTest::newRow("variable input size")
        << QString(dense).replace("[null, 3]", "[null, null]") << weights << "fixed input size";
  }

  void brokenModelsAreRefused() {
    QFETCH(QString, json);
    QFETCH(QByteArray, shard);
    QFETCH(QString, expected);
    const fs::path folder = dir() / "broken" / "model";
    fs::create_directories(folder);
    writeFile(folder / "model.json", json.toStdString());
    writeFile(folder / "w.bin", shard.toStdString());
    writeFile(dir() / "broken" / "w.bin", shard.toStdString()); // what "../w.bin" would reach
    auto model = ingest::readTfjsModel(folder / "model.json");
    std::string message;
    if (!model) {
      message = model.error().message;
    } else {
      auto exported = model::exportTfjsToTorchScript(*model, dir() / "broken.pt");
      QVERIFY2(!exported.ok(), "a broken model was imported");
      message = exported.error().message;
    }
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  // A shard that is a symbolic link out of the model's folder (a downloaded model pointing at
  // ~/.ssh/id_ed25519, say) is refused: its bytes would become weights, which miners receive.
  void aShardLinkedOutOfTheFolderIsRefused() {
    const fs::path folder = dir() / "linked" / "model";
    fs::create_directories(folder);
    writeFile(dir() / "linked" / "secret.txt", denseWeights()); // would parse as weights
    writeFile(folder / "model.json", kDenseJson);
    fs::remove(folder / "w.bin");
    fs::create_symlink(dir() / "linked" / "secret.txt", folder / "w.bin");
    auto model = ingest::readTfjsModel(folder / "model.json");
    QVERIFY(!model);
    QVERIFY2(model.error().message.find("leaves the model's folder") != std::string::npos,
             model.error().message.c_str());
    // A link that stays inside the folder is fine.
    writeFile(folder / "real.bin", denseWeights());
    fs::remove(folder / "w.bin");
    fs::create_symlink("real.bin", folder / "w.bin");
    auto inside = ingest::readTfjsModel(folder / "model.json");
    QVERIFY2(inside.ok(), inside.ok() ? "" : inside.error().message.c_str());
  }

  void nsfwjsMobileNetV2Imports() {
    const fs::path json = kTestData / "nsfwjs" / "mobilenet_v2" / "model.json";
    QVERIFY2(fs::exists(json), "run scripts/fetch-test-data.sh (the test_data fixture)");
    auto model = ingest::readTfjsModel(json);
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QCOMPARE(model->layers.size(), std::size_t{162});
    m_nsfw = dir() / "nsfwjs-mobilenet-v2.pt";
    auto shape = model::exportTfjsToTorchScript(*model, m_nsfw);
    QVERIFY2(shape.ok(), shape.ok() ? "" : shape.error().message.c_str());
    QCOMPARE(*shape, (std::vector<std::int64_t>{1, 3, 224, 224}));
    m_nsfwShape = *shape;
  }

  void nsfwjsAgreesWithItsJavaScript() {
    QVERIFY(!m_nsfw.empty());
    const QString node = QStandardPaths::findExecutable("node");
    QVERIFY2(!node.isEmpty(), "Node.js is needed for the reference (scripts/install-deps.sh)");
    QStringList arguments{QString::fromStdString((kFixtures / "nsfwjs_reference.cjs").string()),
                          QString::fromStdString((kTestData / "nsfwjs" / "node_modules").string())};
    std::map<std::string, std::vector<float>> inputs;
    for (const auto &entry : fs::directory_iterator(kTestData / "photos")) {
      auto image = ingest::readImage(entry.path());
      QVERIFY2(image.ok(), image.ok() ? "" : image.error().message.c_str());
      QCOMPARE(image->channels, 3);
      // The decoded pixels go to the JavaScript side as they are; each side resizes itself.
      std::string raw = std::to_string(image->width) + " " + std::to_string(image->height) + "\n";
      for (float v : image->pixels)
        raw.push_back(static_cast<char>(static_cast<unsigned char>(v)));
      const fs::path rawFile = dir() / (entry.path().filename().string() + ".rgb");
      writeFile(rawFile, raw);
      arguments << QString::fromStdString(rawFile.string());
      auto prepared = ingest::prepareImage(*image, 3, 224, 224);
      QVERIFY(prepared.ok());
      inputs[rawFile.filename().string()] = *prepared;
    }
    QVERIFY(inputs.size() >= 5);
    QProcess reference;
    reference.start(node, arguments);
    QVERIFY(reference.waitForFinished(300000));
    QVERIFY2(reference.exitCode() == 0, reference.readAllStandardError().constData());
    const auto expected = QJsonDocument::fromJson(reference.readAllStandardOutput()).object();
    QCOMPARE(static_cast<std::size_t>(expected.size()), inputs.size());
    for (const auto &[name, input] : inputs) {
      const auto got = runModel(m_nsfw, m_nsfwShape, input, privacy::PrivacyLevel::Local);
      const auto js = expected.value(QString::fromStdString(name)).toArray();
      QCOMPARE(got.size(), static_cast<std::size_t>(js.size()));
      std::vector<float> want;
      double worst = 0;
      for (std::size_t i = 0; i < got.size(); ++i) {
        want.push_back(static_cast<float>(js[static_cast<int>(i)].toDouble()));
        worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
      }
      qInfo("%-26s top-1 %-8s p=%.4f (JavaScript: %s p=%.4f), largest difference %.2e",
            name.c_str(), kClasses[argmax(got)], got[argmax(got)], kClasses[argmax(want)],
            want[argmax(want)], worst);
      QCOMPARE(argmax(got), argmax(want));
      QVERIFY2(worst <= 1e-3, name.c_str());
      m_localProbabilities[name] = got;
      m_hssInputs[name] = input;
    }
  }

  void nsfwjsKeepsItsTopOneAtHss() {
    QVERIFY(!m_hssInputs.empty());
    for (const auto &[name, input] : m_hssInputs) {
      const auto hss = runModel(m_nsfw, m_nsfwShape, input, privacy::PrivacyLevel::Hss);
      const auto &local = m_localProbabilities.at(name);
      double worst = 0;
      for (std::size_t i = 0; i < hss.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(hss[i]) - local[i]));
      qInfo("%-26s hss top-1 %-8s, largest difference from local %.2e", name.c_str(),
            kClasses[argmax(hss)], worst);
      QCOMPARE(argmax(hss), argmax(local));
      QVERIFY(worst <= 1e-4);
    }
  }

private:
  std::map<std::string, std::vector<float>> m_hssInputs;
};

QTEST_GUILESS_MAIN(TestTfjs)
#include "tst_tfjs.moc"
