// The TensorFlow.js importer, layers and graph models: small models written here check the
// arithmetic (quantized weights) and every refusal; small models TensorFlow.js writes itself
// cover most layers and operations claimed (docs/models.md lists those they do not); the three
// pretrained models of npm's nsfwjs@4.3.0 (two layers models, one graph model) must agree with that
// package's own JavaScript on real photos (top-1 identical, probabilities within 1e-3) at `local`
// and at `hss`.
#include "ingest/image_reader.h"
#include "ingest/preprocess.h"
#include "ingest/tfjs_model.h"
#include "model/compiled_model.h"
#include "model/tfjs_export.h"
#include "privacy/engine.h"
#include "test_miners.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
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

// The same arithmetic as a graph model: MatMul, BiasAdd and Softmax nodes, stored out of order.
const char *kGraphJson = R"({
  "format": "graph-model",
  "modelTopology": {"node": [
    {"name": "probabilities", "op": "Softmax", "input": ["logits"]},
    {"name": "input", "op": "Placeholder",
     "attr": {"shape": {"shape": {"dim": [{"size": "-1"}, {"size": "3"}]}}}},
    {"name": "logits", "op": "BiasAdd", "input": ["product", "bias", "^input"],
     "attr": {"data_format": {"s": "TkhXQw=="}}},
    {"name": "product", "op": "MatMul", "input": ["input:0", "kernel"],
     "attr": {"transpose_a": {"b": false}, "transpose_b": {"b": false}}},
    {"name": "kernel", "op": "Const"},
    {"name": "bias", "op": "Const"}]},
  "weightsManifest": [{"paths": ["w.bin"], "weights": [
    {"name": "kernel", "shape": [3, 2], "dtype": "float32",
     "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.01}},
    {"name": "bias", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}
  ]}]})";

std::string denseWeights() {
  // kernel q = 0, 50, 100, 150, 200, 250 → -1, -0.5, 0, 0.5, 1, 1.5; bias 1.0, -2.0 (float16)
  return std::string("\x00\x32\x64\x96\xc8\xfa", 6) + std::string("\x00\x3c\x00\xc0", 4);
}

model::CompiledModel compile(const fs::path &file) {
  auto compiled = model::compileModel(file);
  if (!compiled)
    qFatal("%s", compiled.error().message.c_str());
  return std::move(*compiled);
}

std::vector<float> runModel(const model::CompiledModel &compiled,
                            const std::vector<std::int64_t> &shape, const std::vector<float> &input,
                            privacy::PrivacyLevel level) {
  privacy::Engine engine(testing::honestPool(2));
  privacy::RunOptions options;
  options.level = level;
  auto run = engine.run(compiled, model::TensorData::fromFloats(shape, input), options);
  if (!run)
    qFatal("%s", run.error().message.c_str());
  return run->output.toFloats();
}

std::vector<float> runModel(const fs::path &file, const std::vector<std::int64_t> &shape,
                            const std::vector<float> &input, privacy::PrivacyLevel level) {
  return runModel(compile(file), shape, input, level);
}

std::size_t argmax(const std::vector<float> &v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

const char *kClasses[] = {"Drawing", "Hentai", "Neutral", "Porn", "Sexy"};

QByteArray readBytes(const fs::path &file) {
  QFile f(QString::fromStdString(file.string()));
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::vector<float> floatsOf(const QByteArray &bytes) {
  std::vector<float> values(static_cast<std::size_t>(bytes.size()) / sizeof(float));
  std::memcpy(values.data(), bytes.constData(), values.size() * sizeof(float));
  return values;
}

std::vector<std::int64_t> shapeOf(const QJsonArray &array) {
  std::vector<std::int64_t> shape;
  for (const auto &d : array)
    shape.push_back(d.toInteger());
  return shape;
}

// NHWC ↔ NCHW for rank-4 tensors with batch 1; other ranks pass through.
std::vector<float> permuted(const std::vector<float> &v, const std::vector<std::int64_t> &nhwc,
                            bool toChannelsFirst) {
  if (nhwc.size() != 4)
    return v;
  const auto h = nhwc[1], w = nhwc[2], c = nhwc[3];
  std::vector<float> out(v.size());
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x)
      for (std::int64_t k = 0; k < c; ++k) {
        const auto last = static_cast<std::size_t>((y * w + x) * c + k),
                   first = static_cast<std::size_t>((k * h + y) * w + x);
        out[toChannelsFirst ? first : last] = v[toChannelsFirst ? last : first];
      }
  return out;
}
std::vector<float> channelsFirst(const std::vector<float> &v, const std::vector<std::int64_t> &s) {
  return permuted(v, s, true);
}
std::vector<float> channelsLast(const std::vector<float> &v, const std::vector<std::int64_t> &s) {
  return permuted(v, s, false);
}

} // namespace

class TestTfjs : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

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

  void quantizedGraphModel() {
    writeFile(dir() / "w.bin", denseWeights());
    writeFile(dir() / "graph.json", kGraphJson);
    auto model = ingest::readTfjsModel(dir() / "graph.json");
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QVERIFY(model->graph);
    QCOMPARE(model->nodes.size(), std::size_t{6});
    QCOMPARE(model->nodes.front().name, std::string("input")); // sorted after their inputs
    QCOMPARE(model->output, std::string("probabilities"));
    auto shape = model::exportTfjsToTorchScript(*model, dir() / "graph.pt");
    QVERIFY2(shape.ok(), shape.ok() ? "" : shape.error().message.c_str());
    QCOMPARE(*shape, (std::vector<std::int64_t>{1, 3}));
    const auto out = runModel(dir() / "graph.pt", *shape, {1, 2, 4}, privacy::PrivacyLevel::Local);
    // logits: 1·(-1) + 2·0 + 4·1 + 1 = 4 and 1·(-0.5) + 2·0.5 + 4·1.5 − 2 = 4.5
    QVERIFY(std::abs(out[0] - 1 / (1 + std::exp(0.5))) < 1e-6);
    QVERIFY(std::abs(out[1] - 1 / (1 + std::exp(-0.5))) < 1e-6);
  }

  void brokenModelsAreRefused_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QByteArray>("shard");
    QTest::addColumn<QString>("expected");
    const QString dense = kDenseJson;
    const QByteArray weights = QByteArray::fromStdString(denseWeights());
    QTest::newRow("not json") << "PK\x03\x04 not json" << weights << "not valid JSON";
    QTest::newRow("number overflow") << "6e76666667" << weights << "not valid JSON";
    const QString graph = kGraphJson;
    QTest::newRow("graph without nodes")
        << R"({"format": "graph-model", "modelTopology": {"node": []}, "weightsManifest": []})"
        << weights << "the graph has no nodes";
    QTest::newRow("graph fixed batch")
        << QString(graph).replace(R"({"size": "-1"})", R"({"size": "8"})") << weights
        << "fixed batch of 8";
    QTest::newRow("graph float integer")
        << QString(graph).replace(R"({"size": "3"})", R"({"size": 1e300})") << weights
        << "not an integer";
    QTest::newRow("graph fractional input size")
        << QString(graph).replace(R"({"shape": {"dim": [{"size": "-1"}, {"size": "3"}]}})",
                                  R"({"list": {"f": [1, 3.5]}})")
        << weights << "has a size that is not a whole number";
    QTest::newRow("graph cycle") << QString(graph).replace(R"(["input:0", "kernel"])",
                                                           R"(["probabilities", "kernel"])")
                                 << weights << "cycle";
    QTest::newRow("graph undefined input")
        << QString(graph).replace(R"(["logits"])", R"(["nowhere"])") << weights
        << "uses nowhere, which the graph does not define";
    QTest::newRow("graph second output")
        << QString(graph).replace(R"(["logits"])", R"(["logits:1"])") << weights
        << "uses output 1 of logits";
    QTest::newRow("graph two inputs")
        << QString(graph).replace(R"("op": "Const"})", R"("op": "Placeholder"})") << weights
        << "only models with one input";
    QTest::newRow("graph duplicate name")
        << QString(graph).replace(R"({"name": "bias", "op": "Const"})",
                                  R"({"name": "kernel", "op": "Const"})")
        << weights << "two nodes are named kernel";
    QTest::newRow("graph unsupported op")
        << QString(graph).replace(R"("op": "Softmax")", R"("op": "Erf")") << weights
        << "cannot import node probabilities (Erf): this operation is not supported";
    QTest::newRow("graph bad base64")
        << QString(graph).replace("TkhXQw==", "T*hXQw==") << weights << "not valid base64";
    QTest::newRow("graph bad integer")
        << QString(graph).replace(R"({"size": "3"})", R"({"size": "3x"})") << weights
        << "not an integer";
    QTest::newRow("graph absurd input")
        << QString(graph).replace(R"({"size": "3"})", R"({"size": "-5"})") << weights
        << "fixed input size";
    QTest::newRow("graph wrong kernel") << QString(graph).replace("[3, 2]", "[2, 3]") << weights
                                        << "its constant operand does not fit its input";
    QTest::newRow("no manifest") << R"({"modelTopology": {}})" << weights
                                 << "needs modelTopology and weightsManifest";
    QTest::newRow("truncated shard") << dense << weights.left(7) << "end inside weight dense/bias";
    // (QByteArray + const char * would instantiate an append that Qt 5, loaded with libtorch,
    // resolves to: see docs/development.md)
    QTest::newRow("shard too long")
        << dense << QByteArray::fromStdString(denseWeights() + "xx") << "hold 12 bytes";
    QTest::newRow("absurd dimension")
        << QString(dense).replace("[3, 2]", "[3, 4000000000]") << weights << "absurd dimension";
    QTest::newRow("fractional dimension") // (found by fuzz_tfjs: 2.2e27 is no int64)
        << QString(dense).replace("[3, 2]", "[3, 2.2e27]") << weights
        << "size that is not a whole number";
    QTest::newRow("fractional input size") << QString(dense).replace("[null, 3]", "[null, 3.5]")
                                           << weights << "size that is not a whole number";
    QTest::newRow("fractional units")
        << QString(dense).replace("\"units\": 2", "\"units\": 1e30") << weights
        << "cannot import layer dense (Dense): it cannot be converted (a size or count is not a "
           "whole number: 1e+30)";
    QTest::newRow("escaping shard path")
        << QString(dense).replace("w.bin", "../w.bin") << weights << "leaves the model's folder";
    QTest::newRow("unknown quantization")
        << QString(dense).replace("\"float16\"", "\"int4\"") << weights << "unknown quantization";
    QTest::newRow("unsupported layer") << QString(dense).replace("\"Dense\"", "\"LSTM\"") << weights
                                       << "cannot import layer dense (LSTM)";
    QTest::newRow("missing weight") << QString(dense).replace("dense/bias", "other/bias") << weights
                                    << "weight dense/bias is missing";
    QTest::newRow("wrong structure") << QString(dense).replace("\"units\": 2", "\"units\": \"two\"")
                                     << weights << "not a whole number: \"two\"";
    QTest::newRow("channels-first pooling")
        << QString(dense).replace(
               R"({"class_name": "Dense", "config": {"name": "dense",)",
               R"({"class_name": "Reshape", "config": {"name": "r", "target_shape": [3, 1, 1],
                  "batch_input_shape": [null, 3]}},
                  {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [1, 1],
                  "data_format": "channels_first"}},
                  {"class_name": "Dense", "config": {"name": "dense",)")
        << weights << "cannot import layer p (MaxPooling2D): only channels_last data";
    QTest::newRow("reshape overflow")
        << QString(dense).replace(
               R"({"class_name": "Dense", "config": {"name": "dense",)",
               R"({"class_name": "Reshape", "config": {"name": "r", "target_shape":
                  [-1, 4294967296, 4294967296], "batch_input_shape": [null, 3]}},
                  {"class_name": "Dense", "config": {"name": "dense",)")
        << weights << "target shape is impossible";
    QTest::newRow("huge upsampling")
        << QString(dense).replace(
               R"({"class_name": "Dense", "config": {"name": "dense",)",
               R"({"class_name": "Reshape", "config": {"name": "r", "target_shape": [3, 1, 1],
                  "batch_input_shape": [null, 3]}},
                  {"class_name": "UpSampling2D", "config": {"name": "u", "size": [64, 64]}},
                  {"class_name": "UpSampling2D", "config": {"name": "u2", "size": [64, 64]}},
                  {"class_name": "UpSampling2D", "config": {"name": "u3", "size": [64, 64]}},
                  {"class_name": "Dense", "config": {"name": "dense",)")
        << weights << "too large";
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

  // Small layers and graph models written by TensorFlow.js itself (tests/fixtures/tfjs_cases.cjs)
  // cover most layers and operations the importer claims (docs/models.md lists the rest); each
  // must give TensorFlow.js's own output at `local` and at `hss`, within 1e-4 of the larger of
  // 1 and its largest value.
  void smallModelsMatchTensorFlowJs() {
    const QString node = QStandardPaths::findExecutable("node");
    QVERIFY2(!node.isEmpty(), "Node.js is needed for the reference (scripts/install-deps.sh)");
    const fs::path cases = dir() / "cases";
    QProcess writer;
    writer.start(node, {QString::fromStdString((kFixtures / "tfjs_cases.cjs").string()),
                        QString::fromStdString((kTestData / "nsfwjs" / "node_modules").string()),
                        QString::fromStdString(cases.string())});
    QVERIFY(writer.waitForFinished(300000));
    QVERIFY2(writer.exitCode() == 0, writer.readAllStandardError().constData());
    int checked = 0;
    for (const auto &entry : fs::directory_iterator(cases)) {
      const std::string name = entry.path().filename().string();
      auto model = ingest::readTfjsModel(entry.path() / "model.json");
      QVERIFY2(model.ok(), (name + ": " + (model.ok() ? "" : model.error().message)).c_str());
      const fs::path converted = dir() / (name + ".pt");
      auto shape = model::exportTfjsToTorchScript(*model, converted);
      QVERIFY2(shape.ok(), (name + ": " + (shape.ok() ? "" : shape.error().message)).c_str());
      const auto meta = QJsonDocument::fromJson(readBytes(entry.path() / "meta.json")).object();
      const auto input = channelsFirst(floatsOf(readBytes(entry.path() / "input.bin")),
                                       shapeOf(meta.value("input").toArray()));
      const auto expected = floatsOf(readBytes(entry.path() / "expected.bin"));
      const auto outputShape = shapeOf(meta.value("output").toArray());
      double scale = 1;
      for (float v : expected)
        scale = std::max(scale, std::abs(static_cast<double>(v)));
      for (auto level : {privacy::PrivacyLevel::Local, privacy::PrivacyLevel::Hss}) {
        const auto got = channelsLast(runModel(converted, *shape, input, level), outputShape);
        QCOMPARE(got.size(), expected.size());
        double worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i) {
          QVERIFY2(std::isfinite(got[i]) && std::isfinite(expected[i]), name.c_str());
          worst = std::max(worst, std::abs(static_cast<double>(got[i]) - expected[i]));
        }
        qInfo("%-38s %-5s %zu values, largest difference %.2e", name.c_str(),
              level == privacy::PrivacyLevel::Local ? "local" : "hss", got.size(), worst);
        QVERIFY2(worst <= 1e-4 * scale, name.c_str());
      }
      ++checked;
    }
    QCOMPARE(checked, 10);
  }

  // nsfwjs's three pretrained models: MobileNetV2 and InceptionV3 (layers models) and
  // MobileNetV2Mid (a graph model), against nsfwjs's own JavaScript on real photos.
  void nsfwjsModelsAgreeWithTheirJavaScript_data() {
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("photos");
    QTest::addColumn<int>("hssPhotos");
    QTest::newRow("MobileNetV2 (layers)") << "mobilenet_v2"
                                          << "MobileNetV2" << 224 << 7 << 7;
    QTest::newRow("MobileNetV2Mid (graph)") << "mobilenet_v2_mid"
                                            << "MobileNetV2Mid" << 224 << 7 << 3;
    // 5.7 GFLOP a photo, 19 times MobileNetV2's, and TensorFlow.js's pure-JavaScript CPU
    // backend takes 75 s just to load and warm it up: three photos, one of them at hss.
    QTest::newRow("InceptionV3 (layers)") << "inception_v3"
                                          << "InceptionV3" << 299 << 3 << 1;
  }

  void nsfwjsModelsAgreeWithTheirJavaScript() {
    QFETCH(QString, folder);
    QFETCH(QString, reference);
    QFETCH(int, size);
    QFETCH(int, photos);
    QFETCH(int, hssPhotos);
#ifdef __SANITIZE_ADDRESS__
    // The README's test command must fit CI's time: under the sanitizers only the graph model
    // runs here, and the small TensorFlow.js cases check the layers converter.
    if (folder != "mobilenet_v2_mid")
      QSKIP("the pretrained layers models run in the default pass only: under AddressSanitizer "
            "they would take minutes (the small TensorFlow.js cases check the same code there)");
#endif
    const fs::path json = kTestData / "nsfwjs" / folder.toStdString() / "model.json";
    QVERIFY2(fs::exists(json), "run scripts/fetch-test-data.sh (the test_data fixture)");
    auto model = ingest::readTfjsModel(json);
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    const fs::path converted = dir() / (folder.toStdString() + ".pt");
    auto shape = model::exportTfjsToTorchScript(*model, converted);
    QVERIFY2(shape.ok(), shape.ok() ? "" : shape.error().message.c_str());
    QCOMPARE(*shape, (std::vector<std::int64_t>{1, 3, size, size}));
    const auto compiled = compile(converted);

    const QString node = QStandardPaths::findExecutable("node");
    QVERIFY2(!node.isEmpty(), "Node.js is needed for the reference (scripts/install-deps.sh)");
    QStringList arguments{QString::fromStdString((kFixtures / "nsfwjs_reference.cjs").string()),
                          QString::fromStdString((kTestData / "nsfwjs" / "node_modules").string()),
                          reference};
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(kTestData / "photos"))
      files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    QVERIFY(files.size() >= static_cast<std::size_t>(photos));
    files.resize(static_cast<std::size_t>(photos));
    std::map<std::string, std::vector<float>> inputs;
    for (const auto &file : files) {
      auto image = ingest::readImage(file);
      QVERIFY2(image.ok(), image.ok() ? "" : image.error().message.c_str());
      QCOMPARE(image->channels, 3);
      // The decoded pixels go to the JavaScript side as they are; each side resizes itself.
      std::string raw = std::to_string(image->width) + " " + std::to_string(image->height) + "\n";
      for (float v : image->pixels)
        raw.push_back(static_cast<char>(static_cast<unsigned char>(v)));
      const fs::path rawFile = dir() / (file.filename().string() + ".rgb");
      writeFile(rawFile, raw);
      arguments << QString::fromStdString(rawFile.string());
      auto prepared = ingest::prepareImage(*image, 3, size, size);
      QVERIFY(prepared.ok());
      inputs[rawFile.filename().string()] = *prepared;
    }
    QProcess javascript;
    javascript.start(node, arguments);
    QVERIFY(javascript.waitForFinished(600000));
    QVERIFY2(javascript.exitCode() == 0, javascript.readAllStandardError().constData());
    const auto expected = QJsonDocument::fromJson(javascript.readAllStandardOutput()).object();
    QCOMPARE(static_cast<std::size_t>(expected.size()), inputs.size());
    int hssLeft = hssPhotos;
    for (const auto &[name, input] : inputs) {
      const auto got = runModel(compiled, *shape, input, privacy::PrivacyLevel::Local);
      const auto js = expected.value(QString::fromStdString(name)).toArray();
      QCOMPARE(got.size(), static_cast<std::size_t>(js.size()));
      std::vector<float> want;
      double worst = 0;
      for (std::size_t i = 0; i < got.size(); ++i) {
        QVERIFY2(std::isfinite(got[i]), name.c_str());
        want.push_back(static_cast<float>(js[static_cast<int>(i)].toDouble()));
        worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
      }
      qInfo("%-26s top-1 %-8s p=%.4f (JavaScript: %s p=%.4f), largest difference %.2e",
            name.c_str(), kClasses[argmax(got)], got[argmax(got)], kClasses[argmax(want)],
            want[argmax(want)], worst);
      QCOMPARE(argmax(got), argmax(want));
      QVERIFY2(worst <= 1e-3, name.c_str());
      if (hssLeft-- <= 0)
        continue;
      const auto hss = runModel(compiled, *shape, input, privacy::PrivacyLevel::Hss);
      double fromLocal = 0, fromJs = 0;
      for (std::size_t i = 0; i < hss.size(); ++i) {
        QVERIFY2(std::isfinite(hss[i]), name.c_str());
        fromLocal = std::max(fromLocal, std::abs(static_cast<double>(hss[i]) - got[i]));
        fromJs = std::max(fromJs, std::abs(static_cast<double>(hss[i]) - want[i]));
      }
      qInfo("%-26s hss top-1 %-8s, largest difference from local %.2e, from JavaScript %.2e",
            name.c_str(), kClasses[argmax(hss)], fromLocal, fromJs);
      QCOMPARE(argmax(hss), argmax(want));
      QVERIFY(fromLocal <= 1e-4);
      QVERIFY(fromJs <= 1e-3);
    }
  }
};

QTEST_GUILESS_MAIN(TestTfjs)
#include "tst_tfjs.moc"
