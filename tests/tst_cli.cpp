// The three executables from the outside: help, versions, exit codes, settings.
#include "onnx_builder.h"
#include "test_npy.h"
#include "test_programs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <map>
#include <set>

namespace {

// Every process below `root` (children, grandchildren, …), read from /proc.
std::set<qint64> descendantsOf(qint64 root) {
  std::map<qint64, qint64> parents;
  for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
    bool number = false;
    const qint64 pid = entry.toLongLong(&number);
    QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
    if (!number || !stat.open(QIODevice::ReadOnly))
      continue;
    const QByteArray line = stat.readAll();
    const auto fields = line.mid(line.lastIndexOf(')') + 2).split(' '); // state, ppid, …
    if (fields.size() > 1)
      parents[pid] = fields[1].toLongLong();
  }
  std::set<qint64> found;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto &[pid, parent] : parents)
      if ((parent == root || found.count(parent)) && found.insert(pid).second)
        grew = true;
  }
  return found;
}

const QString kNesa = QStringLiteral(NESA_CLI_PATH);
const QString kNode = QStringLiteral(NESA_NODE_PATH);
const QString kBench = QStringLiteral(NESA_BENCH_PATH);
const QString kDesktop = QStringLiteral(NESA_DESKTOP_PATH);
// Why the bench tests skip in the sanitizer build, which does not build nesa-bench.
constexpr const char *kNoBenchHere =
    "the sanitizer build leaves nesa-bench out to keep the test command within CI's time; "
    "the default build runs this test";
const QString kTestModels = QStringLiteral(NESA_TEST_MODELS_PATH);

// The float32 values of an .npy file this project wrote (data after the stated header length).
std::vector<float> readFloatNpy(const QString &path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    return {};
  const QByteArray bytes = file.readAll();
  if (bytes.size() < 10 || !bytes.startsWith("\x93NUMPY") || !bytes.contains("'<f4'"))
    return {};
  const int start =
      10 + (static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8);
  std::vector<float> values(static_cast<std::size_t>((bytes.size() - start) / 4));
  std::memcpy(values.data(), bytes.constData() + start, values.size() * 4);
  return values;
}

// Moves the local devnet's clock (anvil's evm_increaseTime, then a block) by `seconds`.
bool advanceChainTime(const QString &rpc, int seconds) {
  const QUrl url(rpc);
  for (const QByteArray &body :
       {QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"evm_increaseTime","params":[)") +
            QByteArray::number(seconds) + "]}",
        QByteArray(R"({"jsonrpc":"2.0","id":2,"method":"evm_mine","params":[]})")}) {
    QTcpSocket socket;
    socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
    if (!socket.waitForConnected(5000))
      return false;
    socket.write("POST / HTTP/1.1\r\nHost: " + url.host().toUtf8() +
                 "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
      answer += socket.readAll();
    if (!answer.startsWith("HTTP/1.1 200") || answer.contains("\"error\""))
      return false;
  }
  return true;
}

} // namespace

class TestCli : public QObject {
  Q_OBJECT
  QTemporaryDir m_home;

private Q_SLOTS:
  void nesaHelpListsCommands() {
    const Run r = run(kNesa, {QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    for (const char *command :
         {"analyze", "wallet", "miner", "gov", "chain", "bench", "gpu", "config"})
      QVERIFY2(r.out.contains(QLatin1String(command)), command);
  }

  void nesaWithoutCommandIsUsageError() {
    const Run r = run(kNesa, {});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("usage:")));
  }

  void unknownCommandAndOptionAreUsageErrors() {
    QCOMPARE(run(kNesa, {QStringLiteral("frobnicate")}).code, 2);
    const Run r = run(kNesa, {QStringLiteral("--frob"), QStringLiteral("config")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("--frob")));
  }

  void versionIsPrinted() {
    const Run r = run(kNesa, {QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("nesa 0.")));
  }

  // A model run end to end from the command line, locally and on verified shares.
  void analyzeRunsAModelPrivately() {
    QTemporaryDir dir;
    QCOMPARE(run(kTestModels, {dir.path()}).code, 0);
    std::vector<float> values(static_cast<std::size_t>(4 * 16));
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
    const QString input = dir.filePath(QStringLiteral("in.npy"));
    writeFloatNpy(input, {4, 16}, values);
    const QString modelPath = dir.filePath(QStringLiteral("mlp.pt"));
    const QString local = dir.filePath(QStringLiteral("local.npy")),
                  shared = dir.filePath(QStringLiteral("hss.npy"));
    const Run plain = run(kNesa, {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                                  modelPath, QStringLiteral("--privacy"), QStringLiteral("local"),
                                  QStringLiteral("--output"), local});
    QVERIFY2(plain.code == 0, qPrintable(plain.err));
    const Run hss = run(kNesa, {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                                modelPath, QStringLiteral("--arithmetic"), QStringLiteral("ring64"),
                                QStringLiteral("--shares"), QStringLiteral("3"),
                                QStringLiteral("--output"), shared});
    QVERIFY2(hss.code == 0, qPrintable(hss.err));
    QVERIFY(hss.out.contains(QStringLiteral("output [4, 8]")));
    QVERIFY(hss.out.contains(QStringLiteral("level hss (ring64, 3 shares per call)")));
    QVERIFY(hss.err.contains(QStringLiteral("verified")));
    // No node configured: the run started its own EVM devnet, whose miner processes staked and
    // registered on the MinerRegistry contract, where the client found them.
    QVERIFY(hss.err.contains(
        QStringLiteral("starting a local EVM network (anvil, the Nesa contracts, 4 miners)")));
    QVERIFY(hss.err.contains(QStringLiteral("4 miners registered")));
    QVERIFY(hss.err.contains(QStringLiteral("@127.0.0.1:")));
    // Priced before, paid after: the devnet's demo account paid for the verified answers through
    // the PaymentSessions contract, and the miners settled every µNES of it on chain.
    QVERIFY(hss.err.contains(QStringLiteral("cost estimate: about ")));
    const QRegularExpression paidLine(
        QStringLiteral("paid (\\d+) µNES for verified answers; settled on chain 4242 through the "
                       "PaymentSessions contract: (\\d+) µNES"));
    const auto paid = paidLine.match(hss.out);
    QVERIFY2(paid.hasMatch(), qPrintable(hss.out));
    QVERIFY(paid.captured(1).toLongLong() > 0);
    QCOMPARE(paid.captured(2), paid.captured(1));
    const auto x = readFloatNpy(local), y = readFloatNpy(shared);
    QCOMPARE(x.size(), std::size_t{32});
    for (std::size_t i = 0; i < x.size(); ++i)
      QVERIFY(std::abs(x[i] - y[i]) < 2e-3);
    // ee with a one-off key (no wallet here) and in-process miners: the same answer.
    const QString keyed = dir.filePath(QStringLiteral("ee.npy"));
    const Run ee = run(kNesa, {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                               modelPath, QStringLiteral("--privacy"), QStringLiteral("ee"),
                               QStringLiteral("--in-process"), QStringLiteral("--output"), keyed});
    QVERIFY2(ee.code == 0, qPrintable(ee.err));
    QVERIFY(ee.err.contains(QStringLiteral("one-off EE key")));
    const auto z = readFloatNpy(keyed);
    QCOMPARE(z.size(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
      QVERIFY(std::abs(x[i] - z[i]) < 1e-4);
    // The same query as a JSON request (what programs hand nesa-analyze): the same answer, and
    // a result line of the schema's version; a newer request is refused, not half read.
    const QString query = dir.filePath(QStringLiteral("query.json")),
                  asked = dir.filePath(QStringLiteral("asked.npy"));
    const auto writeQuery = [&](int version) {
      QFile file(query);
      QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
      file.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), version},
                                           {QStringLiteral("input"), input},
                                           {QStringLiteral("model"), modelPath},
                                           {QStringLiteral("privacy"), QStringLiteral("ee")}})
                     .toJson());
    };
    writeQuery(1);
    const Run fromQuery = run(kNesa, {QStringLiteral("analyze"), QStringLiteral("--request"), query,
                                      QStringLiteral("--in-process"), QStringLiteral("--json"),
                                      QStringLiteral("--output"), asked});
    QVERIFY2(fromQuery.code == 0, qPrintable(fromQuery.err));
    const QJsonObject result =
        QJsonDocument::fromJson(fromQuery.out.trimmed().section(QLatin1Char('\n'), -1).toUtf8())
            .object();
    QCOMPARE(result[u"event"].toString(), QStringLiteral("result"));
    QCOMPARE(result[u"version"].toInt(), 1);
    QCOMPARE(result[u"report"].toObject()[u"level"].toString(), QStringLiteral("ee"));
    const auto w = readFloatNpy(asked);
    QCOMPARE(w.size(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
      QVERIFY(std::abs(x[i] - w[i]) < 1e-4);
    writeQuery(2);
    const Run newer = run(kNesa, {QStringLiteral("analyze"), QStringLiteral("--request"), query,
                                  QStringLiteral("--in-process"), QStringLiteral("--json")});
    QCOMPARE(newer.code, 2);
    QVERIFY2(newer.out.contains(QStringLiteral("newer than this program")), qPrintable(newer.out));
    const Run notModel =
        run(kNesa, {QStringLiteral("analyze"), input, QStringLiteral("--model"), input});
    QCOMPARE(notModel.code, 2);
    QVERIFY(notModel.err.contains(QStringLiteral("TorchScript")));
    const Run noManifest =
        run(kNesa, {QStringLiteral("analyze"), modelPath, QStringLiteral("--model"), modelPath});
    QCOMPARE(noManifest.code, 2);
    QVERIFY(noManifest.err.contains(QStringLiteral("--manifest")));
  }

  // A real NIfTI scan, prepared as the model's manifest says; the identifying-details notice
  // and the class probabilities come out.
  // A document classified with a language-model folder: locally, and at hss-ee on the miners of
  // a devnet started for the run (paid), with the same answer; a broken folder is a clear error.
  void analyzeClassifiesADocumentWithALanguageModel() {
    QTemporaryDir dir;
    QCOMPARE(run(kTestModels, {dir.path()}).code, 0);
    const QString document = dir.filePath(QStringLiteral("letter.txt"));
    QFile file(document);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Dear reader, the cat and the hat sat on the mat. Kind regards.");
    file.close();
    const QString folder = dir.filePath(QStringLiteral("gpt2"));
    const QStringList common{QStringLiteral("analyze"),  document,
                             QStringLiteral("--model"),  folder,
                             QStringLiteral("--task"),   QStringLiteral("classify"),
                             QStringLiteral("--labels"), QStringLiteral("contract,letter")};
    const Run local =
        run(kNesa, common + QStringList{QStringLiteral("--privacy"), QStringLiteral("local")});
    QVERIFY2(local.code == 0, qPrintable(local.err));
    const Run keyed =
        run(kNesa, common + QStringList{QStringLiteral("--privacy"), QStringLiteral("hss-ee")});
    QVERIFY2(keyed.code == 0, qPrintable(keyed.err));
    QVERIFY(keyed.out.contains(QStringLiteral("level hss-ee")));
    QVERIFY2(
        keyed.out.contains(QStringLiteral(" µNES for verified answers; settled on chain 4242")),
        qPrintable(keyed.out));
    // The label lines come first and agree to the printed precision.
    const auto lines = [](const QString &text) { return text.split(QLatin1Char('\n')).mid(0, 2); };
    QCOMPARE(lines(keyed.out), lines(local.out));
    QVERIFY(local.out.contains(QStringLiteral("letter: ")));
    // Asking the price runs nothing: with no network running it says so, and nobody is paid.
    const Run priced =
        run(kNesa, common + QStringList{QStringLiteral("--privacy"), QStringLiteral("hss-ee"),
                                        QStringLiteral("--estimate")});
    QVERIFY(priced.code != 0);
    QVERIFY2(priced.err.contains(QStringLiteral("no network is running")), qPrintable(priced.err));
    QVERIFY2(!priced.out.contains(QStringLiteral("letter: ")) &&
                 !priced.out.contains(QStringLiteral("µNES for verified answers")),
             qPrintable(priced.out));
    // For programs the same run is one JSON result: no output tensor, the lines people read.
    const Run asJson =
        run(kNesa, common + QStringList{QStringLiteral("--privacy"), QStringLiteral("local"),
                                        QStringLiteral("--json")});
    QVERIFY2(asJson.code == 0, qPrintable(asJson.err));
    const QJsonObject result = QJsonDocument::fromJson(asJson.out.trimmed().toUtf8()).object();
    QCOMPARE(result[u"event"].toString(), QStringLiteral("result"));
    QVERIFY(result[u"shape"].isNull());
    QCOMPARE(result[u"summary"].toArray().size(), 2);
    QCOMPARE(result[u"summary"].toArray()[0].toString(), lines(local.out)[0]);
    QCOMPARE(result[u"report"].toObject()[u"level"].toString(), QStringLiteral("local"));
    QFile::remove(dir.filePath(QStringLiteral("gpt2/tokenizer.json")));
    const Run broken =
        run(kNesa, common + QStringList{QStringLiteral("--privacy"), QStringLiteral("local")});
    QVERIFY(broken.code != 0);
    QVERIFY2(broken.err.contains(QStringLiteral("tokenizer.json")), qPrintable(broken.err));
  }

  void analyzeReadsAScanThroughTheManifest() {
    QTemporaryDir dir;
    QVERIFY(writeVolumeModel(kTestModels, dir.path()));
    const QString scan = QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii");
    const Run r = run(kNesa, {QStringLiteral("analyze"), scan, QStringLiteral("--model"),
                              dir.filePath(QStringLiteral("volume.pt"))});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("demonstration only"))); // the manifest beside the model
    QVERIFY(r.out.contains(QStringLiteral("left: ")) && r.out.contains(QStringLiteral("right: ")));
    QVERIFY(r.out.contains(QStringLiteral("checks passed")));
  }

  // An ONNX file runs by its path (with the manifest beside it) and installs like a TF.js model.
  void onnxModelRunsAndInstalls() {
    QTemporaryDir dir, home;
    QFile onnx(dir.filePath(QStringLiteral("volume.onnx")));
    QVERIFY(onnx.open(QIODevice::WriteOnly));
    const std::string bytes = nesa::testing::volumeClassifierOnnx();
    onnx.write(bytes.data(), static_cast<qint64>(bytes.size()));
    onnx.close();
    QFile manifest(dir.filePath(QStringLiteral("volume.json")));
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"name": "ONNX volume classifier", "task": "classification",
      "input": "volume", "inputShape": [1, 1, 8, 8, 8], "labels": ["left", "right"],
      "preprocessing": {"spacing": [6, 6, 6], "shape": [8, 8, 8], "normalize": "zscore"},
      "licence": "test only", "provenance": "random weights written by the test suite"})");
    manifest.close();
    const QString scan = QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii");
    Run r =
        run(kNesa, {QStringLiteral("analyze"), scan, QStringLiteral("--model"), onnx.fileName()},
            home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("left: ")) && r.out.contains(QStringLiteral("right: ")));
    QVERIFY(r.out.contains(QStringLiteral("checks passed")));
    r = run(kNesa,
            {QStringLiteral("model"), QStringLiteral("add"), onnx.fileName(),
             QStringLiteral("--manifest"), manifest.fileName(), QStringLiteral("--id"),
             QStringLiteral("demo-onnx")},
            home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("Added demo-onnx")));
    r = run(kNesa,
            {QStringLiteral("analyze"), scan, QStringLiteral("--model"),
             QStringLiteral("demo-onnx"), QStringLiteral("--privacy"), QStringLiteral("local")},
            home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("left: ")));
    // A broken file: a clear error, nothing installed.
    QFile broken(dir.filePath(QStringLiteral("broken.onnx")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(bytes.data(), static_cast<qint64>(bytes.size() / 3));
    broken.close();
    r = run(kNesa, {QStringLiteral("model"), QStringLiteral("add"), broken.fileName()},
            home.path());
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QStringLiteral("not an ONNX model")), qPrintable(r.err));
  }

  // nsfwjs's pretrained TF.js graph model, added with the manifest we ship and run on a photo
  // by the real programs at hss (tst_tfjs compares its answers with the package's JavaScript).
  void tfjsGraphModelInstallsAndRuns() {
    QTemporaryDir home;
    const QString json = QStringLiteral(NESA_TEST_DATA "/nsfwjs/mobilenet_v2_mid/model.json");
    QVERIFY2(QFile::exists(json), "run scripts/fetch-test-data.sh (the test_data fixture)");
    Run r = run(kNesa,
                {QStringLiteral("model"), QStringLiteral("add"), json, QStringLiteral("--manifest"),
                 QStringLiteral(NESA_MANIFESTS_DIR "/nsfwjs-mobilenet-v2-mid.json"),
                 QStringLiteral("--id"), QStringLiteral("nsfwjs-mid")},
                home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("graph nodes")), qPrintable(r.err));
    r = run(kNesa,
            {QStringLiteral("analyze"), QStringLiteral(NESA_TEST_DATA "/photos/rocket.jpg"),
             QStringLiteral("--model"), QStringLiteral("nsfwjs-mid"), QStringLiteral("--privacy"),
             QStringLiteral("hss")},
            home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // nsfwjs's JavaScript says Neutral 0.8381 for this photo.
    QVERIFY2(r.out.contains(QStringLiteral("Neutral: 0.838")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("0 failed")));
  }

  void modelCommandsManageTheCatalogue() {
    QTemporaryDir dir, home;
    QCOMPARE(run(kTestModels, {dir.path()}).code, 0);
    QFile manifest(dir.filePath(QStringLiteral("volume.json")));
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"name": "Demo volume classifier", "task": "classification",
      "input": "volume", "inputShape": [1, 1, 8, 8, 8], "labels": ["left", "right"],
      "preprocessing": {"spacing": [6, 6, 6], "shape": [8, 8, 8], "normalize": "zscore"},
      "licence": "test only", "provenance": "random weights written by the test suite"})");
    manifest.close();
    const auto model = [&](QStringList args) {
      args.prepend(QStringLiteral("model"));
      return run(kNesa, args, home.path());
    };
    Run r = model({QStringLiteral("list")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("brain-extraction")));
    QVERIFY(r.out.contains(QStringLiteral("built-in")));
    r = model({QStringLiteral("add"), dir.filePath(QStringLiteral("volume.pt")),
               QStringLiteral("--manifest"), manifest.fileName(), QStringLiteral("--id"),
               QStringLiteral("demo-volume")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("Added demo-volume")));
    QVERIFY(model({QStringLiteral("list")}).out.contains(QStringLiteral("demo-volume")));
    r = model({QStringLiteral("info"), QStringLiteral("demo-volume")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("content:    intact")));
    // The installed id runs like a file would, with its stored manifest.
    r = run(kNesa,
            {QStringLiteral("analyze"), QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii"),
             QStringLiteral("--model"), QStringLiteral("demo-volume"), QStringLiteral("--privacy"),
             QStringLiteral("local")},
            home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("left: ")));
    // Refusals: the same id twice, a built-in, an unknown id, a file that is not there.
    r = model({QStringLiteral("add"), dir.filePath(QStringLiteral("volume.pt")),
               QStringLiteral("--manifest"), manifest.fileName(), QStringLiteral("--id"),
               QStringLiteral("demo-volume")});
    QCOMPARE(r.code, 1); // the command was right; the catalogue already has that id
    QVERIFY(r.err.contains(QStringLiteral("already installed")));
    r = model({QStringLiteral("remove"), QStringLiteral("brain-extraction")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("built in")));
    QVERIFY(model({QStringLiteral("info"), QStringLiteral("nothing")})
                .err.contains(QStringLiteral("no model \"nothing\"")));
    QVERIFY(model({QStringLiteral("add"), dir.filePath(QStringLiteral("absent.pt")),
                   QStringLiteral("--manifest"), manifest.fileName()})
                .code != 0);
    r = model({QStringLiteral("remove"), QStringLiteral("demo-volume")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(!model({QStringLiteral("list")}).out.contains(QStringLiteral("demo-volume")));
  }

  void networkCommandsWithoutANetworkSaySo() {
    QTemporaryDir home;
    for (const QStringList &command :
         {QStringList{QStringLiteral("gov"), QStringLiteral("list")},
          QStringList{QStringLiteral("chain"), QStringLiteral("status")},
          QStringList{QStringLiteral("wallet"), QStringLiteral("balance"),
                      QStringLiteral("0x000000000000000000000000000000000000dEaD")},
          QStringList{QStringLiteral("miner"), QStringLiteral("start")}}) {
      const Run r = run(kNesa, command, home.path());
      QCOMPARE(r.code, 1);
      QVERIFY2(r.err.contains(QStringLiteral("no local EVM network is running")),
               qPrintable(r.err));
    }
    // A program asking whether a miner runs gets a JSON answer even when none does.
    const Run off =
        run(kNesa, {QStringLiteral("miner"), QStringLiteral("status"), QStringLiteral("--json")},
            home.path());
    QCOMPARE(off.code, 1);
    QCOMPARE(QJsonDocument::fromJson(off.out.toUtf8()).object(),
             QJsonObject({{QStringLiteral("running"), false}}));
    // The home-made chain's commands are gone: one rule set, on the contracts.
    for (const char *gone : {"ledger", "node"})
      QCOMPARE(run(kNesa, {QLatin1String(gone), QStringLiteral("status")}, home.path()).code, 2);
    const Run node = run(kNode, {}, home.path());
    QCOMPARE(node.code, 2);
    QVERIFY2(node.err.contains(QStringLiteral("only runs the local devnet")), qPrintable(node.err));
    const Run help = run(kNesa, {QStringLiteral("analyze"), QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains(QStringLiteral("--privacy")));
    const Run gov = run(kNesa, {QStringLiteral("gov"), QStringLiteral("--help")});
    QCOMPARE(gov.code, 0);
    QVERIFY(gov.out.contains(QStringLiteral("reputationUnit")));
  }

  // With auditLog on, every analysis (failed ones too) lands in the audit log, named by digest;
  // `nesa audit` lists, exports and verifies it, and catches the store rolled back.
  void auditLogRecordsAnalysesAndCatchesARollback() {
    QTemporaryDir home;
    QTemporaryDir dir;
    QVERIFY(writeVolumeModel(kTestModels, dir.path()));
    const QString pass = QStringLiteral("audit passphrase");
    auto audit = [&](QStringList args, const QString &passphrase) {
      args.prepend(QStringLiteral("audit"));
      return run(kNesa, args, home.path(), {}, passphrase);
    };
    Run r = audit({QStringLiteral("verify")}, pass);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no audit log")), qPrintable(r.err));
    QVERIFY(setConfig(kNesa, home.path(), QStringLiteral("auditLog"), QStringLiteral("true")));
    auto analyze = [&](const QString &input) {
      return run(kNesa,
                 {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                  dir.filePath(QStringLiteral("volume.pt")), QStringLiteral("--privacy"),
                  QStringLiteral("local")},
                 home.path(), {}, pass);
    };
    const QString scan = QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii");
    r = analyze(scan);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString store = home.filePath(QStringLiteral("audit/audit.db"));
    const QString saved = home.filePath(QStringLiteral("audit-after-one.db"));
    QVERIFY(QFile::copy(store, saved));
    QVERIFY(analyze(scan).code == 0);
    QFile broken(dir.filePath(QStringLiteral("Doe_Jane.nii")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(QByteArray(400, 'x'));
    broken.close();
    QVERIFY(analyze(broken.fileName()).code != 0);
    // The desktop's session: a run op is recorded with the passphrase it brings, and refused
    // without one (the log cannot be opened, so nothing runs unrecorded).
    QProcess session;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    env.remove(QStringLiteral("NESA_WALLET_PASSPHRASE"));
    session.setProcessEnvironment(env);
    session.start(QFileInfo(kNesa).dir().filePath(QStringLiteral("nesa-analyze")),
                  {QStringLiteral("--session"), QStringLiteral("--in-process")});
    QVERIFY(session.waitForStarted(10000));
    const QJsonObject request{{QStringLiteral("version"), 1},
                              {QStringLiteral("input"), scan},
                              {QStringLiteral("model"), dir.filePath(QStringLiteral("volume.pt"))},
                              {QStringLiteral("privacy"), QStringLiteral("local")}};
    const QJsonObject withPassphrase{{QStringLiteral("op"), QStringLiteral("run")},
                                     {QStringLiteral("request"), request},
                                     {QStringLiteral("passphrase"), pass}};
    const QJsonObject without{{QStringLiteral("op"), QStringLiteral("run")},
                              {QStringLiteral("request"), request}};
    session.write(QJsonDocument(withPassphrase).toJson(QJsonDocument::Compact) + "\n" +
                  QJsonDocument(without).toJson(QJsonDocument::Compact) + "\n");
    session.closeWriteChannel();
    QVERIFY(session.waitForFinished(120000));
    QStringList answers;
    for (const QByteArray &line : session.readAllStandardOutput().split('\n')) {
      const QJsonObject event = QJsonDocument::fromJson(line).object();
      if (event[u"event"].toString() == QStringLiteral("result") ||
          event[u"event"].toString() == QStringLiteral("error"))
        answers << event[u"event"].toString() + QLatin1Char(' ') + event[u"message"].toString();
    }
    QCOMPARE(answers.size(), 2);
    QVERIFY2(answers[0].startsWith(QStringLiteral("result")), qPrintable(answers.join('|')));
    QVERIFY2(answers[1].startsWith(QStringLiteral("error")) &&
                 answers[1].contains(QStringLiteral("audit log")),
             qPrintable(answers[1]));

    r = audit({QStringLiteral("list"), QStringLiteral("--json")}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    // Each run is recorded as it starts and as it ends: two scans, the broken file, the session.
    QCOMPARE(lines.size(), 8);
    for (int i = 0; i < 8; ++i) {
      const QJsonObject record = QJsonDocument::fromJson(lines[i].toUtf8()).object();
      QCOMPARE(record[QStringLiteral("sequence")].toInt(), i);
      QCOMPARE(record[QStringLiteral("action")].toString(), QStringLiteral("analysis"));
      QVERIFY(
          record[QStringLiteral("subject")].toString().startsWith(QStringLiteral("blake2b-256:")));
      QCOMPARE(record[QStringLiteral("details")].toObject()[QStringLiteral("level")].toString(),
               QStringLiteral("local"));
      const QString outcome = record[QStringLiteral("outcome")].toString();
      QCOMPARE(outcome, i % 2 == 0 ? QStringLiteral("started")
                        : i == 5   ? QStringLiteral("failed (corrupt)")
                                   : QStringLiteral("ok"));
    }
    QVERIFY(!r.out.contains(QStringLiteral("Doe_Jane"))); // no file name, so no patient name

    r = audit({QStringLiteral("verify")}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QStringLiteral("audit log intact: 8 records")));
    r = audit({QStringLiteral("verify")}, QStringLiteral("not the passphrase"));
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QStringLiteral("passphrase")));

    r = audit({QStringLiteral("export")}, pass);
    QCOMPARE(r.code, 0);
    const QStringList messages = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(messages.size(), 8);
    for (const QString &message : messages) {
      QXmlStreamReader xml(message);
      while (!xml.atEnd())
        xml.readNext();
      QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
      QVERIFY(message.contains(QStringLiteral("csd-code=\"110103\"")));
    }

    // One record proved on its own, against the latest checkpoint.
    r = audit({QStringLiteral("prove"), QStringLiteral("3")}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject proof = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(proof[u"record"].toObject()[u"sequence"].toInt(), 3);
    QCOMPARE(proof[u"proof"].toArray().size(), 3); // a tree of 8 leaves is 3 levels deep
    QVERIFY(proof[u"checkpoint"].toString().contains(QStringLiteral("\n8\n")));
    QCOMPARE(audit({QStringLiteral("prove"), QStringLiteral("-1")}, pass).code, 2);
    QCOMPARE(audit({QStringLiteral("prove"), QStringLiteral("8")}, pass).code, 1);

    // A result written for the user is on record as an export, beside its analysis.
    r = run(kNesa,
            {QStringLiteral("analyze"), scan, QStringLiteral("--model"),
             dir.filePath(QStringLiteral("volume.pt")), QStringLiteral("--privacy"),
             QStringLiteral("local"), QStringLiteral("--output"),
             dir.filePath(QStringLiteral("result.npy"))},
            home.path(), {}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = audit({QStringLiteral("list"), QStringLiteral("--action"), QStringLiteral("export"),
               QStringLiteral("--json")},
              pass);
    const QJsonObject exported = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
    QCOMPARE(exported[u"sequence"].toInt(), 10); // after the run's start and end
    QCOMPARE(exported[u"outcome"].toString(), QStringLiteral("ok"));
    QCOMPARE(exported[u"details"].toObject()[u"format"].toString(), QStringLiteral("npy"));
    QCOMPARE(exported[u"subject"].toString(), QJsonDocument::fromJson(lines[0].toUtf8())
                                                  .object()[u"subject"]
                                                  .toString()); // the same scan

    // The desktop saves reports itself and has them recorded through its session.
    QProcess recorder;
    recorder.setProcessEnvironment(env);
    recorder.start(QFileInfo(kNesa).dir().filePath(QStringLiteral("nesa-analyze")),
                   {QStringLiteral("--session"), QStringLiteral("--in-process")});
    QVERIFY(recorder.waitForStarted(10000));
    for (const QString &stage :
         {QStringLiteral("started"), QStringLiteral("written"), QStringLiteral("failed")})
      recorder.write(QJsonDocument(QJsonObject{{QStringLiteral("op"), QStringLiteral("record")},
                                               {QStringLiteral("request"), request},
                                               {QStringLiteral("format"), QStringLiteral("report")},
                                               {QStringLiteral("stage"), stage},
                                               {QStringLiteral("passphrase"), pass}})
                         .toJson(QJsonDocument::Compact) +
                     "\n");
    recorder.write("{\"op\":\"record\",\"request\":{}}\n"); // no format or stage: refused
    recorder.closeWriteChannel();
    QVERIFY(recorder.waitForFinished(120000));
    const QList<QByteArray> said = recorder.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(said.size(), 4);
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(QJsonDocument::fromJson(said[i]).object()[u"event"].toString(),
               QStringLiteral("recorded"));
      QVERIFY(QJsonDocument::fromJson(said[i]).object()[u"kept"].toBool());
    }
    QCOMPARE(QJsonDocument::fromJson(said[3]).object()[u"event"].toString(),
             QStringLiteral("error"));
    r = audit({QStringLiteral("list"), QStringLiteral("--action"), QStringLiteral("export"),
               QStringLiteral("--json")},
              pass);
    const QStringList exports = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(exports.size(), 4);
    QCOMPARE(QJsonDocument::fromJson(exports[1].toUtf8()).object()[u"outcome"].toString(),
             QStringLiteral("started"));
    const QJsonObject report = QJsonDocument::fromJson(exports[2].toUtf8()).object();
    QCOMPARE(report[u"details"].toObject()[u"format"].toString(), QStringLiteral("report"));
    QCOMPARE(report[u"outcome"].toString(), QStringLiteral("ok"));
    QCOMPARE(report[u"subject"].toString(), exported[u"subject"].toString());
    QCOMPARE(QJsonDocument::fromJson(exports[3].toUtf8()).object()[u"outcome"].toString(),
             QStringLiteral("failed (io)"));

    // An auditor keeps the latest checkpoint; then the store is replaced by its older copy.
    r = audit({QStringLiteral("checkpoint")}, pass);
    QCOMPARE(r.code, 0);
    QFile kept(dir.filePath(QStringLiteral("kept-checkpoint.txt")));
    QVERIFY(kept.open(QIODevice::WriteOnly));
    kept.write(r.out.toUtf8());
    kept.close();
    QVERIFY(QFile::remove(store) && QFile::copy(saved, store));
    r = audit({QStringLiteral("verify")}, pass);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains(QStringLiteral("vouches for more records")), qPrintable(r.out));
    r = analyze(scan); // a rolled-back log takes no more records, so nothing runs unrecorded
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("nesa audit verify")), qPrintable(r.err));
    QVERIFY(!r.out.contains(QStringLiteral("left: "))); // no result: the model never ran
    QVERIFY(QFile::remove(home.filePath(QStringLiteral("audit/audit.checkpoint"))));
    r = audit({QStringLiteral("verify"), kept.fileName()}, pass);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains(QStringLiteral("given checkpoint 1")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("witness")), qPrintable(r.out)); // missing: said
  }

  void configSetShowAndRefuse() {
    const Run set = run(kNesa,
                        {QStringLiteral("config"), QStringLiteral("set"),
                         QStringLiteral("devnetMiners"), QStringLiteral("3")},
                        m_home.path());
    QCOMPARE(set.code, 0);
    const Run show = run(kNesa, {QStringLiteral("config"), QStringLiteral("show")}, m_home.path());
    QCOMPARE(show.code, 0);
    QVERIFY(show.out.contains(QStringLiteral("devnetMiners = 3")));
    QVERIFY(show.out.contains(m_home.path()));
    const Run bad = run(kNesa,
                        {QStringLiteral("config"), QStringLiteral("set"),
                         QStringLiteral("defaultPrivacy"), QStringLiteral("none")},
                        m_home.path());
    QCOMPARE(bad.code, 2);
    QVERIFY(bad.err.contains(QStringLiteral("defaultPrivacy")));
  }

  void brokenConfigFileIsReported() {
    QTemporaryDir home;
    QFile file(home.filePath(QStringLiteral("config.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();
    const Run r = run(kNesa, {QStringLiteral("config")}, home.path());
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QStringLiteral("not valid JSON")));
  }

  void gpuCommandReportsWithoutFailing() {
    const Run r = run(kNesa, {QStringLiteral("gpu")}, m_home.path());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("CUDA backend")));
    QVERIFY(r.out.contains(QStringLiteral("GPU")));
    // For programs: the same report as one JSON object (the desktop reads this).
    const Run json = run(kNesa, {QStringLiteral("gpu"), QStringLiteral("--json")}, m_home.path());
    QCOMPARE(json.code, 0);
    const QJsonObject report = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QVERIFY2(report[u"cuda_built"].isBool() && report[u"devices"].isArray(), qPrintable(json.out));
    QVERIFY(!report[u"devices"].toArray().isEmpty() || !report[u"reason"].toString().isEmpty());
    QCOMPARE(run(kNesa,
                 {QStringLiteral("gpu"), QStringLiteral("--json"), QStringLiteral("--self-test")},
                 m_home.path())
                 .code,
             2);
  }

  void benchListsSuitesThroughNesa() {
    if (kBench.isEmpty())
      QSKIP(kNoBenchHere);
    const Run r = run(kNesa, {QStringLiteral("bench"), QStringLiteral("--list")}, m_home.path());
    QCOMPARE(r.code, 0);
    QCOMPARE(
        r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
        (QStringList{QStringLiteral("storage"), QStringLiteral("audit"), QStringLiteral("util"),
                     QStringLiteral("blas"), QStringLiteral("engine"), QStringLiteral("ee"),
                     QStringLiteral("net"), QStringLiteral("chain"), QStringLiteral("api"),
                     QStringLiteral("brain"), QStringLiteral("llm"), QStringLiteral("imported")}));
    QCOMPARE(run(kBench, {QStringLiteral("nosuchsuite")}).code, 2);
  }

  void benchSuitePrintsRatioLines() {
    if (kBench.isEmpty())
      QSKIP(kNoBenchHere);
    const Run r =
        run(kBench, {QStringLiteral("--repeats"), QStringLiteral("1"), QStringLiteral("--warmups"),
                     QStringLiteral("1"), QStringLiteral("util")});
    QCOMPARE(r.code, 0);
    QVERIFY2(
        QRegularExpression(QStringLiteral(R"(^util/\w+: [0-9.]+x \([0-9.]+ ms vs [0-9.]+ ms\)$)"),
                           QRegularExpression::MultilineOption)
            .match(r.out)
            .hasMatch(),
        qPrintable(r.out));
  }

  void metainfEvaluatesThroughNesa() {
    if (kBench.isEmpty()) // nesa-metainf is left out with nesa-bench
      QSKIP(kNoBenchHere);
    const QString slice = QStringLiteral(NESA_METAINF_SLICE);
    const Run r =
        run(kNesa,
            {QStringLiteral("metainf"), QStringLiteral("evaluate"), QStringLiteral("--data"), slice,
             QStringLiteral("--split"), QStringLiteral("network"), QStringLiteral("--quiet")},
            m_home.path());
    QCOMPARE(r.code, 0);
    const QRegularExpression line(
        QStringLiteral(R"(^metainf/([a-z-]+): top1 [0-9.]+, within5 [0-9.]+, vs-default [0-9.]+x, )"
                       R"(vs-gb [0-9.]+x, regret [0-9.]+, p95-regret [0-9.]+, select [0-9.]+ ms$)"),
        QRegularExpression::MultilineOption);
    QStringList names;
    for (auto it = line.globalMatch(r.out); it.hasNext();)
      names << it.next().captured(1);
    QCOMPARE(names,
             (QStringList{QStringLiteral("default"), QStringLiteral("single-best"),
                          QStringLiteral("knn"), QStringLiteral("isac"), QStringLiteral("alors"),
                          QStringLiteral("rf"), QStringLiteral("gb"), QStringLiteral("metainf"),
                          QStringLiteral("oracle")}));
    // A data set that is not one: a clear error, exit 1.
    const Run bad = run(kNesa,
                        {QStringLiteral("metainf"), QStringLiteral("evaluate"),
                         QStringLiteral("--data"), QStringLiteral(NESA_MANIFESTS_DIR)},
                        m_home.path());
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("header")) || bad.err.contains(QStringLiteral("open")),
             qPrintable(bad.err));
    QCOMPARE(run(kNesa,
                 {QStringLiteral("metainf"), QStringLiteral("evaluate"), QStringLiteral("--split"),
                  QStringLiteral("planet")},
                 m_home.path())
                 .code,
             2);
  }

  void chainDevnetDeploysOnceAndFundsTheDemoAccount() {
    QTemporaryDir home;
    const QStringList args = {QStringLiteral("chain"), QStringLiteral("devnet"),
                              QStringLiteral("--once"), QStringLiteral("--json")};
    const Run first = run(kNesa, args, home.path());
    QVERIFY2(first.code == 0, qPrintable(first.err));
    const QJsonObject facts = QJsonDocument::fromJson(first.out.toUtf8()).object();
    QCOMPARE(facts.value(QStringLiteral("chainId")).toInt(), 4242);
    QVERIFY(facts.value(QStringLiteral("rpc"))
                .toString()
                .startsWith(QStringLiteral("http://127.0.0.1:")));
    // The demo phrase's Ethereum account (what any Ethereum wallet restored from it shows).
    QCOMPARE(facts.value(QStringLiteral("demoAccount")).toString(),
             QStringLiteral("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"));
    const QJsonObject contracts = facts.value(QStringLiteral("contracts")).toObject();
    QCOMPARE(contracts.size(), 7);
    QVERIFY(QFile::exists(home.filePath(QStringLiteral("data/chain/deployment.json"))) ||
            QFile::exists(home.filePath(QStringLiteral("chain/deployment.json"))));
    // The next start continues the same chain from its saved state.
    const Run second = run(kNesa, args, home.path());
    QVERIFY2(second.code == 0, qPrintable(second.err));
    QCOMPARE(QJsonDocument::fromJson(second.out.toUtf8())
                 .object()
                 .value(QStringLiteral("contracts"))
                 .toObject(),
             contracts);
    QCOMPARE(run(kNesa, {QStringLiteral("chain"), QStringLiteral("mainnet")}, home.path()).code, 2);
    // Nothing runs now: status says how to start one.
    const Run none = run(kNesa, {QStringLiteral("chain"), QStringLiteral("status")}, home.path());
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains(QStringLiteral("nesa chain devnet")), qPrintable(none.err));
  }

  // A devnet kept running with two local miners: they stake and register on the contracts, and
  // `nesa chain status` finds the running devnet and lists them; SIGTERM stops it all cleanly.
  void chainDevnetRunsLocalMinersThatStatusLists() {
    QTemporaryDir home;
    QProcess devnet;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    devnet.setProcessEnvironment(env);
    devnet.start(kNesa,
                 {QStringLiteral("chain"), QStringLiteral("devnet"), QStringLiteral("--miners"),
                  QStringLiteral("2"), QStringLiteral("--miner-threads"), QStringLiteral("1")});
    QString printed;
    QTRY_VERIFY_WITH_TIMEOUT((printed += QString::fromUtf8(devnet.readAllStandardOutput()),
                              printed.contains(QStringLiteral("state kept in"))),
                             90000);
    QCOMPARE(printed.count(QStringLiteral("(staked and registered)")), 2);
    const Run status =
        run(kNesa, {QStringLiteral("chain"), QStringLiteral("status"), QStringLiteral("--json")},
            home.path());
    QVERIFY2(status.code == 0, qPrintable(status.err));
    const QJsonObject facts = QJsonDocument::fromJson(status.out.toUtf8()).object();
    QCOMPARE(facts.value(QStringLiteral("chainId")).toInt(), 4242);
    const QJsonArray miners = facts.value(QStringLiteral("miners")).toArray();
    QCOMPARE(miners.size(), 2);
    for (const auto &miner : miners) {
      QCOMPARE(miner.toObject().value(QStringLiteral("staked")).toDouble(),
               facts.value(QStringLiteral("minStake")).toDouble());
      QVERIFY(printed.contains(miner.toObject().value(QStringLiteral("account")).toString()));
    }
    // What a run would cost on them, before anything is started or paid: their prices.
    QCOMPARE(run(kTestModels, {home.path()}).code, 0);
    std::vector<float> values(64, 0.5f);
    const QString input = home.filePath(QStringLiteral("in.npy"));
    writeFloatNpy(input, {4, 16}, values);
    const QStringList analyze = {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                                 home.filePath(QStringLiteral("mlp.pt")),
                                 QStringLiteral("--estimate")};
    const Run estimate = run(kNesa, analyze + QStringList{QStringLiteral("--json")}, home.path());
    QVERIFY2(estimate.code == 0, qPrintable(estimate.err));
    const QJsonObject cost = QJsonDocument::fromJson(estimate.out.toUtf8()).object();
    QCOMPARE(cost[u"chain_id"].toInteger(), 4242);
    QCOMPARE(cost[u"miners"].toInteger(), 2);
    QCOMPARE(cost[u"per_job"].toInteger(), miners[0].toObject()[u"price_per_job"].toInteger());
    QCOMPARE(cost[u"total"].toInteger(), cost[u"jobs"].toInteger() * cost[u"per_job"].toInteger());
    // The same for a document task with a language-model folder: priced, not run.
    const QString letter = home.filePath(QStringLiteral("letter.txt"));
    QFile text(letter);
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("Dear reader, the cat sat on the mat.");
    text.close();
    const Run documentCost = run(kNesa,
                                 {QStringLiteral("analyze"), letter, QStringLiteral("--model"),
                                  home.filePath(QStringLiteral("gpt2")), QStringLiteral("--task"),
                                  QStringLiteral("classify"), QStringLiteral("--labels"),
                                  QStringLiteral("contract,letter"), QStringLiteral("--estimate"),
                                  QStringLiteral("--json")},
                                 home.path());
    QVERIFY2(documentCost.code == 0, qPrintable(documentCost.err));
    const QJsonObject priced = QJsonDocument::fromJson(documentCost.out.toUtf8()).object();
    QVERIFY2(priced[u"jobs"].toInteger() > 0, qPrintable(documentCost.out));
    QCOMPARE(priced[u"total"].toInteger(),
             priced[u"jobs"].toInteger() * cost[u"per_job"].toInteger());
    const Run capped = run(kNesa,
                           analyze + QStringList{QStringLiteral("--max-price"),
                                                 QString::number(cost[u"per_job"].toInteger() - 1)},
                           home.path());
    QVERIFY(capped.code != 0);
    QVERIFY2(capped.err.contains(QStringLiteral("0 miner(s) within the price cap")),
             qPrintable(capped.err));
    devnet.terminate(); // SIGTERM
    QVERIFY(devnet.waitForFinished(60000));
    QCOMPARE(devnet.exitCode(), 0);
    QCOMPARE(run(kNesa, {QStringLiteral("chain"), QStringLiteral("status")}, home.path()).code, 1);
  }

  void walletRestoreAddressAndErrors() {
    QTemporaryDir home;
    const QString phrase = QStringLiteral(
        "legal winner thank year wave sausage worth useful legal winner thank yellow");
    auto runWith = [&](const QStringList &args, const QByteArray &input,
                       const QString &passphrase) {
      return run(kNesa, QStringList{QStringLiteral("wallet")} + args, home.path(), input,
                 passphrase);
    };
    const Run restored = runWith({QStringLiteral("restore")}, phrase.toUtf8() + "\n",
                                 QStringLiteral("a long passphrase"));
    QCOMPARE(restored.code, 0);
    QVERIFY(restored.out.contains(QStringLiteral("nes1")));
    const Run again = runWith({QStringLiteral("restore")}, phrase.toUtf8() + "\n",
                              QStringLiteral("a long passphrase"));
    QVERIFY(again.code != 0); // never overwrites a wallet
    QVERIFY(again.err.contains(QStringLiteral("already exists")));
    const Run added = runWith({QStringLiteral("add-account"), QStringLiteral("savings")}, {},
                              QStringLiteral("a long passphrase"));
    QCOMPARE(added.code, 0);
    QCOMPARE(added.out.count(QStringLiteral("nes1")), 2);
    // Each account also shows its Ethereum address (EIP-55), the same on every run.
    QCOMPARE(added.out.count(QRegularExpression(QStringLiteral("  0x[0-9a-fA-F]{40}\n"))), 2);
    QVERIFY(added.out.startsWith(restored.out.section('\n', 1, 1))); // same first account
    const Run wrong =
        runWith({QStringLiteral("address")}, {}, QStringLiteral("not the passphrase"));
    QCOMPARE(wrong.code, 1);
    QVERIFY(wrong.err.contains(QStringLiteral("passphrase")));
    QTemporaryDir other;
    const Run badPhrase =
        run(kNesa, {QStringLiteral("wallet"), QStringLiteral("restore")}, other.path(),
            "legal winner thank year wave sausage worth useful legal winner thank thank\n",
            QStringLiteral("a long passphrase"));
    QCOMPARE(badPhrase.code, 2);
    QVERIFY(badPhrase.err.contains(QStringLiteral("checksum")));
    QVERIFY(!QFile::exists(other.filePath(QStringLiteral("wallet.db"))));
    const Run locked = runWith({QStringLiteral("balance")}, {}, QStringLiteral("x"));
    QCOMPARE(locked.code, 1); // the wrong passphrase: nothing is asked of any node
    QVERIFY(locked.err.contains(QStringLiteral("passphrase")));
  }

  // The desktop hands `nesa analyze` the wallet passphrase on a pipe (its stdin, named by
  // $NESA_PASSPHRASE_FD), a script in $NESA_WALLET_PASSPHRASE; either way no process it starts
  // (the devnet's anvil and miners) has it in its environment, read from /proc while they run.
  void aHandedPassphraseReachesNoOtherProcess() {
    QTemporaryDir home, dir;
    const QString secret = QStringLiteral("a passphrase nobody else may see 4242");
    const Run restored =
        run(kNesa, {QStringLiteral("wallet"), QStringLiteral("restore")}, home.path(),
            "legal winner thank year wave sausage worth useful legal winner "
            "thank yellow\n",
            secret);
    QVERIFY2(restored.code == 0, qPrintable(restored.err));
    QCOMPARE(run(kTestModels, {dir.path()}).code, 0);
    const QString input = dir.filePath(QStringLiteral("in.npy"));
    writeFloatNpy(input, {4, 16}, std::vector<float>(64, 0.5f));
#ifdef NESA_SANITIZED_BUILD
    // Each hand-over starts a devnet and runs a query: under the sanitizers the two took 320 s,
    // half of this program. The environment variable, which the program must wipe from its own
    // memory, runs here; the pipe runs in the default pass.
    const std::initializer_list<bool> handOvers = {false};
#else
    const std::initializer_list<bool> handOvers = {true, false};
#endif
    for (const bool throughPipe : handOvers) {
      QProcess analyze;
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert(QStringLiteral("NESA_HOME"), home.path());
      env.insert(throughPipe ? QStringLiteral("NESA_PASSPHRASE_FD")
                             : QStringLiteral("NESA_WALLET_PASSPHRASE"),
                 throughPipe ? QStringLiteral("0") : secret);
      analyze.setProcessEnvironment(env);
      analyze.start(kNesa, {QStringLiteral("analyze"), input, QStringLiteral("--model"),
                            dir.filePath(QStringLiteral("mlp.pt")), QStringLiteral("--privacy"),
                            QStringLiteral("hss-ee")}); // hss-ee: the wallet's EE key
      QVERIFY(analyze.waitForStarted());
      if (throughPipe)
        analyze.write(secret.toUtf8() + '\n');
      analyze.closeWriteChannel();
      std::set<qint64> inspected;
      const QByteArray needle = secret.toUtf8();
      while (!analyze.waitForFinished(20)) {
        for (const qint64 pid : descendantsOf(analyze.processId())) {
          QFile environFile(QStringLiteral("/proc/%1/environ").arg(pid));
          if (!environFile.open(QIODevice::ReadOnly))
            continue; // already gone
          const QByteArray block = environFile.readAll();
          // (The variables' names may show for an instant: a child forked and not yet started
          // shows its parent's first environment, whose value was wiped.)
          QVERIFY2(!block.contains(needle), qPrintable(QStringLiteral("process %1").arg(pid)));
          inspected.insert(pid);
        }
      }
      QVERIFY2(analyze.exitCode() == 0, analyze.readAllStandardError().constData());
      QVERIFY(inspected.size() >= 3); // anvil and miner processes were looked at
    }
  }

  // The backup cannot be skipped: create asks for three words of the phrase it showed.
  void walletCreateRequiresTheBackupWords() {
    for (bool answerRight : {false, true}) {
      QTemporaryDir home;
      QProcess process;
      auto env = QProcessEnvironment::systemEnvironment();
      env.insert(QStringLiteral("NESA_HOME"), home.path());
      env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), QStringLiteral("a long passphrase"));
      process.setProcessEnvironment(env);
      process.setProcessChannelMode(QProcess::MergedChannels); // prompts go to stderr
      process.start(kNesa, {QStringLiteral("wallet"), QStringLiteral("create")});
      QString out;
      QStringList words;
      int answered = 0;
      while (process.state() != QProcess::NotRunning && process.waitForReadyRead(20000)) {
        out += QString::fromUtf8(process.readAll());
        const QString &err = out;
        if (words.isEmpty() && out.contains(QStringLiteral("three positions"))) {
          static const QRegularExpression numbered(QStringLiteral(R"((\d+)\. (\w+))"));
          for (auto it = numbered.globalMatch(out); it.hasNext();)
            words << it.next().captured(2);
        }
        // Answer a prompt only once it has fully arrived ("Word #12: " may come in pieces).
        if (err.count(QStringLiteral("Word #")) > answered &&
            err.section(QStringLiteral("Word #"), -1).contains(':')) {
          const int position = err.section(QStringLiteral("Word #"), -1).section(':', 0, 0).toInt();
          const QString word =
              answerRight ? words.value(position - 1) : QStringLiteral("wrongword");
          process.write((word + '\n').toUtf8());
          ++answered;
        }
      }
      process.waitForFinished(20000);
      QCOMPARE(words.size(), 24);
      QVERIFY2(process.exitCode() == (answerRight ? 0 : 2), qPrintable(out));
      QCOMPARE(QFile::exists(home.filePath(QStringLiteral("wallet.db"))), answerRight);
      QCOMPARE(answered, answerRight ? 3 : 1);
    }
  }

  // A devnet of real processes, seen and extended from the command line: nesa node status,
  // nesa miner start|status|stop, then a clean stop of the whole network.
  // The wallet, governance and miner commands on a running local EVM devnet, as a user types
  // them: amounts and fees shown before anything is signed, refusals that send nothing, stake
  // that stays slashable while it unbonds, a proposal that cannot pass without a quorum, and a
  // miner that the devnet gives its stake.
  void walletGovernanceAndMinerCommandsOnTheEvmDevnet() {
    QTemporaryDir home;
    const auto nesa = [&home](const QStringList &args, const QString &passphrase = {}) {
      return run(kNesa, args, home.path(), {}, passphrase);
    };
    const auto json = [](const Run &r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); };
    const QString pass = QStringLiteral("devnet-demo-passphrase");
    QCOMPARE(nesa({QStringLiteral("wallet"), QStringLiteral("balance")}, pass).code, 1);

    QProcess devnet;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    devnet.setProcessEnvironment(env);
    devnet.start(kNesa,
                 {QStringLiteral("chain"), QStringLiteral("devnet"), QStringLiteral("--json")});
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (printed += devnet.readAllStandardOutput(), QJsonDocument::fromJson(printed).isObject()),
        90000);
    const QString rpc = QJsonDocument::fromJson(printed).object()[u"rpc"].toString();

    const QByteArray demoPhrase =
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon art\n";
    QCOMPARE(run(kNesa, {QStringLiteral("wallet"), QStringLiteral("restore")}, home.path(),
                 demoPhrase, pass)
                 .code,
             0);
    const QString demo = QStringLiteral("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb");
    const Run balance =
        nesa({QStringLiteral("wallet"), QStringLiteral("balance"), QStringLiteral("--json")}, pass);
    QVERIFY2(balance.code == 0, qPrintable(balance.err));
    const QJsonObject account = json(balance)[u"accounts"].toArray()[0].toObject();
    QCOMPARE(account[u"address"].toString(), demo);
    QCOMPARE(account[u"balance"].toInteger(), 1'000'000'000'000);

    // A transfer: priced first (--quote sends nothing), refused with a wrong passphrase, for
    // more than the balance, or to a nes1 wire address; then sent.
    const QString someone = QStringLiteral("0x000000000000000000000000000000000000dEaD");
    const auto balanceOf = [&](const QString &address) {
      return json(nesa({QStringLiteral("wallet"), QStringLiteral("balance"), address,
                        QStringLiteral("--json")}))[u"accounts"]
          .toArray()[0]
          .toObject()[u"balance"]
          .toInteger(-1);
    };
    const QStringList send = {QStringLiteral("wallet"), QStringLiteral("send"), someone,
                              QStringLiteral("2.5")};
    const Run quote = nesa(send + QStringList{QStringLiteral("--quote")}, pass);
    QVERIFY2(quote.code == 0, qPrintable(quote.err));
    QVERIFY(quote.out.contains(QStringLiteral("NES spent    2.500000 NES of 1000000.000000 NES")));
    QVERIFY(quote.out.contains(QStringLiteral("network fee  about ")));
    QCOMPARE(balanceOf(someone), 0);
    QVERIFY(nesa(send + QStringList{QStringLiteral("--yes")}, QStringLiteral("wrong passphrase"))
                .code != 0);
    const Run tooMuch = nesa({QStringLiteral("wallet"), QStringLiteral("send"), someone,
                              QStringLiteral("5000000"), QStringLiteral("--yes")},
                             pass);
    QCOMPARE(tooMuch.code, 1);
    QVERIFY2(tooMuch.err.contains(QStringLiteral("does not cover")), qPrintable(tooMuch.err));
    QCOMPARE(nesa({QStringLiteral("wallet"), QStringLiteral("send"),
                   QStringLiteral("nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3"),
                   QStringLiteral("1"), QStringLiteral("--yes")},
                  pass)
                 .code,
             2);
    QCOMPARE(balanceOf(someone), 0);
    // With the setting auditLog, the key's use and the transfer are on record.
    QVERIFY(setConfig(kNesa, home.path(), QStringLiteral("auditLog"), QStringLiteral("true")));
    const Run sent = nesa(send + QStringList{QStringLiteral("--yes")}, pass);
    QVERIFY2(sent.code == 0, qPrintable(sent.err));
    QVERIFY(sent.out.contains(QStringLiteral("transfer: 0x")));
    QCOMPARE(balanceOf(someone), 2'500'000);
    const Run recorded =
        nesa({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json")}, pass);
    QVERIFY2(recorded.code == 0, qPrintable(recorded.err));
    const QStringList records = recorded.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(records.size(), 2);
    const QJsonObject keyUse = QJsonDocument::fromJson(records[0].toUtf8()).object();
    QCOMPARE(keyUse[u"action"].toString(), QStringLiteral("key-use"));
    QCOMPARE(keyUse[u"subject"].toString(), demo);
    QCOMPARE(keyUse[u"details"].toObject()[u"by"].toString(), QStringLiteral("nesa wallet send"));
    const QJsonObject transfer = QJsonDocument::fromJson(records[1].toUtf8()).object();
    QCOMPARE(transfer[u"action"].toString(), QStringLiteral("wallet"));
    QCOMPARE(transfer[u"outcome"].toString(), QStringLiteral("ok"));
    QCOMPARE(transfer[u"details"].toObject()[u"nesSpent"].toInteger(), 2'500'000);
    const QJsonArray mined = transfer[u"details"].toObject()[u"sent"].toArray();
    QCOMPARE(mined.size(), 1);
    QCOMPARE(mined[0].toObject()[u"function"].toString(), QStringLiteral("transfer"));
    QVERIFY(sent.out.contains(mined[0].toObject()[u"hash"].toString()));

    // Stake, and unstake: the unbonding part stays slashable and cannot be withdrawn yet.
    QCOMPARE(nesa({QStringLiteral("wallet"), QStringLiteral("stake"), QStringLiteral("200"),
                   QStringLiteral("--yes")},
                  pass)
                 .code,
             0);
    QCOMPARE(nesa({QStringLiteral("wallet"), QStringLiteral("unstake"), QStringLiteral("50"),
                   QStringLiteral("--yes")},
                  pass)
                 .code,
             0);
    const QJsonObject staked =
        json(nesa({QStringLiteral("wallet"), QStringLiteral("balance"), QStringLiteral("--json")},
                  pass))[u"accounts"]
            .toArray()[0]
            .toObject();
    QCOMPARE(staked[u"staked"].toInteger(), 150'000'000);
    QCOMPARE(staked[u"unbonding"].toInteger(), 50'000'000);
    QCOMPARE(staked[u"balance"].toInteger(), 1'000'000'000'000 - 2'500'000 - 200'000'000);
    const Run early =
        nesa({QStringLiteral("wallet"), QStringLiteral("withdraw"), QStringLiteral("--yes")}, pass);
    QCOMPARE(early.code, 3); // not available yet: try again later
    QVERIFY2(early.err.contains(QStringLiteral("is unbonding until")), qPrintable(early.err));
    const Run history =
        nesa({QStringLiteral("wallet"), QStringLiteral("history"), QStringLiteral("--json")}, pass);
    const QJsonArray entries =
        json(history)[u"accounts"].toArray()[0].toObject()[u"entries"].toArray();
    QCOMPARE(entries.size(), 3); // newest first: stake, transfer, the devnet's funding
    QCOMPARE(entries[0].toObject()[u"kind"].toString(), QStringLiteral("stake"));
    QCOMPARE(entries[0].toObject()[u"amount"].toInteger(), -200'000'000);
    QCOMPARE(entries[1].toObject()[u"counterparty"].toString(), someone);
    QCOMPARE(entries[2].toObject()[u"amount"].toInteger(), 1'000'000'000'000);
    QVERIFY(nesa({QStringLiteral("wallet"), QStringLiteral("sessions")}, pass)
                .out.contains(QStringLiteral("no sessions")));

    // Governance: a value outside the contract's bounds is refused before anything is proposed;
    // a valid proposal opens after the voting delay; the demo account's votes fall short of the
    // quorum (4% of the supply), so it is defeated and cannot be queued.
    const Run outOfBounds =
        nesa({QStringLiteral("gov"), QStringLiteral("propose"), QStringLiteral("minStake"),
              QStringLiteral("0"), QStringLiteral("--yes")},
             pass);
    QCOMPARE(outOfBounds.code, 2);
    QVERIFY2(outOfBounds.err.contains(QStringLiteral("OutOfBounds(\"minStake\", 0,")),
             qPrintable(outOfBounds.err));
    QVERIFY(nesa({QStringLiteral("gov"), QStringLiteral("list")})
                .out.contains(QStringLiteral("no proposals")));
    QCOMPARE(
        nesa({QStringLiteral("gov"), QStringLiteral("delegate"), QStringLiteral("--yes")}, pass)
            .code,
        0);
    const Run proposed =
        nesa({QStringLiteral("gov"), QStringLiteral("propose"), QStringLiteral("minStake"),
              QStringLiteral("200000000"), QStringLiteral("--yes")},
             pass);
    QVERIFY2(proposed.code == 0, qPrintable(proposed.err));
    const auto listed = [&] {
      return json(nesa(
          {QStringLiteral("gov"), QStringLiteral("list"), QStringLiteral("--json")}))[u"proposals"]
          .toArray()[0]
          .toObject();
    };
    const QString id = listed()[u"id"].toString();
    QVERIFY(proposed.out.contains(QStringLiteral("proposal ") + id));
    QCOMPARE(listed()[u"state"].toString(), QStringLiteral("pending"));
    const QStringList vote = {QStringLiteral("gov"), QStringLiteral("vote"), id,
                              QStringLiteral("yes"), QStringLiteral("--yes")};
    const Run tooEarly = nesa(vote, pass);
    QCOMPARE(tooEarly.code, 3); // not yet: try again later
    QVERIFY2(tooEarly.err.contains(QStringLiteral("its vote opens at")), qPrintable(tooEarly.err));
    QVERIFY(advanceChainTime(rpc, 61));
    const Run voted = nesa(vote, pass);
    QVERIFY2(voted.code == 0, qPrintable(voted.err));
    QCOMPARE(listed()[u"state"].toString(), QStringLiteral("active"));
    QCOMPARE(listed()[u"for"].toInteger(), staked[u"balance"].toInteger());
    QVERIFY(advanceChainTime(rpc, 86'401));
    QCOMPARE(listed()[u"state"].toString(), QStringLiteral("defeated"));
    const Run queued =
        nesa({QStringLiteral("gov"), QStringLiteral("queue"), id, QStringLiteral("--yes")}, pass);
    QCOMPARE(queued.code, 2); // a defeated proposal is never queued
    QVERIFY2(queued.err.contains(QStringLiteral("needs it succeeded")), qPrintable(queued.err));
    // The same change may be proposed again (a new proposal, not the defeated one).
    const Run again =
        nesa({QStringLiteral("gov"), QStringLiteral("propose"), QStringLiteral("minStake"),
              QStringLiteral("200000000"), QStringLiteral("--yes")},
             pass);
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QCOMPARE(json(nesa({QStringLiteral("gov"), QStringLiteral("list"),
                        QStringLiteral("--json")}))[u"proposals"]
                 .toArray()
                 .size(),
             2);

    // A miner of this computer: the devnet gives its account the minimum stake and gas, it
    // registers, and its status reads the registry.
    QCOMPARE(nesa({QStringLiteral("miner"), QStringLiteral("stop")}).code, 1);
    const Run started = nesa({QStringLiteral("miner"), QStringLiteral("start"),
                              QStringLiteral("--threads"), QStringLiteral("1")});
    QVERIFY2(started.code == 0, qPrintable(started.err));
    QVERIFY(started.out.contains(QStringLiteral("gave the miner's account 100.000000 NES")));
    QCOMPARE(nesa({QStringLiteral("miner"), QStringLiteral("start")}).code, 1); // already running
    QTRY_VERIFY_WITH_TIMEOUT(json(nesa({QStringLiteral("miner"), QStringLiteral("status"),
                                        QStringLiteral("--json")}))[u"registry"]
                                 .toObject()[u"registered"]
                                 .toBool(),
                             30000);
    const QJsonObject minerStatus =
        json(nesa({QStringLiteral("miner"), QStringLiteral("status"), QStringLiteral("--json")}));
    QCOMPARE(minerStatus[u"registry"].toObject()[u"staked"].toInteger(), 100'000'000);
    const QJsonArray miners = json(nesa(
        {QStringLiteral("chain"), QStringLiteral("status"), QStringLiteral("--json")}))[u"miners"]
                                  .toArray();
    QCOMPARE(miners.size(), 1);
    QCOMPARE(miners[0].toObject()[u"account"].toString(), minerStatus[u"chain_account"].toString());
    QVERIFY(miners[0].toObject()[u"latency_ms"].toDouble() >= 0);
    QCOMPARE(nesa({QStringLiteral("miner"), QStringLiteral("stop")}).code, 0);
    QCOMPARE(nesa({QStringLiteral("miner"), QStringLiteral("status")}).code, 1);

    // Another computer joins this network through its settings: the chain node and the
    // deployment file. A deployment file of another chain id is refused by the node's answer.
    QTemporaryDir other;
    const QString deployment = home.filePath(QStringLiteral("chain/deployment.json"));
    const QString rpcAddress = QUrl(rpc).authority();
    for (const QStringList &set : {QStringList{QStringLiteral("nodeAddress"), rpcAddress},
                                   QStringList{QStringLiteral("deploymentFile"), deployment},
                                   QStringList{QStringLiteral("network"), QStringLiteral("join")}})
      QCOMPARE(run(kNesa, QStringList{QStringLiteral("config"), QStringLiteral("set")} + set,
                   other.path())
                   .code,
               0);
    const Run joined = run(
        kNesa,
        {QStringLiteral("wallet"), QStringLiteral("balance"), someone, QStringLiteral("--json")},
        other.path());
    QVERIFY2(joined.code == 0, qPrintable(joined.err));
    QCOMPARE(json(joined)[u"accounts"].toArray()[0].toObject()[u"balance"].toInteger(), 2'500'000);
    QFile file(deployment);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray otherChain = file.readAll().replace("4242", "4343");
    const QString wrongFile = other.filePath(QStringLiteral("wrong-deployment.json"));
    QFile wrong(wrongFile);
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write(otherChain);
    wrong.close();
    QCOMPARE(run(kNesa,
                 {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("deploymentFile"),
                  wrongFile},
                 other.path())
                 .code,
             0);
    const Run refused =
        run(kNesa, {QStringLiteral("chain"), QStringLiteral("status")}, other.path());
    QVERIFY(refused.code != 0);
    QVERIFY2(refused.err.contains(QStringLiteral("4343")), qPrintable(refused.err));

    devnet.terminate();
    QVERIFY(devnet.waitForFinished(60000));
    QCOMPARE(devnet.exitCode(), 0);
    QCOMPARE(nesa({QStringLiteral("wallet"), QStringLiteral("balance"), someone}).code, 1);
  }

  void desktopStartsAndStaysUp() {
    QTemporaryDir home;
    QProcess desktop;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    desktop.setProcessEnvironment(env);
    desktop.start(kDesktop, {QStringLiteral("-platform"), QStringLiteral("offscreen")});
    QVERIFY(desktop.waitForStarted(10000));
    QVERIFY(!desktop.waitForFinished(3000)); // still running: the window is up, nothing crashed
    desktop.terminate();
    QVERIFY(desktop.waitForFinished(10000));
    QFile log(home.filePath(QStringLiteral("logs/nesa-desktop.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("nesa-desktop 0."));
  }

  void desktopHelpWorks() {
    const Run r = run(kDesktop, {QStringLiteral("--help"), QStringLiteral("-platform"),
                                 QStringLiteral("offscreen")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("--language")));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
