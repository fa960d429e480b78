// The local API (nesa serve) as other programs see it: real servers started here on free
// loopback ports, driven by OpenAI's and Ollama's own JavaScript clients (tests/api_clients),
// by curl for uploads, and by raw sockets for what clients would never send. Its answers are
// compared with the command line's for the same request.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "ingest/nifti_reader.h"
#include "local_api_server.h"
#include "policy/enforcement.h"
#include "test_programs.h"

#include <memory>

namespace {

const QString kNesa = QStringLiteral(NESA_CLI_PATH);
const QString kTestModels = QStringLiteral(NESA_TEST_MODELS_PATH);
const QString kClients = QStringLiteral(NESA_API_CLIENTS_DIR);
const QString kScan = QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii");

/// The last JSON object printed on a line of `out`.
QJsonObject lastJson(const QString &out) {
  const auto lines = out.trimmed().split(QLatin1Char('\n'));
  return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

/// A `nesa serve` started for a test, stopped (SIGTERM) when it goes.
class Server {
public:
  Server(const QString &home, const QStringList &extra, const QString &passphrase = {}) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home);
    if (!passphrase.isEmpty())
      env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), passphrase);
    m_process.setProcessEnvironment(env);
    m_process.start(kNesa, QStringList{QStringLiteral("serve"), QStringLiteral("--port"),
                                       QStringLiteral("0"), QStringLiteral("--json")} +
                               extra);
    QByteArray printed;
    for (int i = 0; i < 600 && !printed.contains('\n'); ++i) {
      m_process.waitForReadyRead(100);
      printed += m_process.readAllStandardOutput();
    }
    const auto line = QJsonDocument::fromJson(printed.trimmed()).object();
    url = line[u"url"].toString();
    QFile tokenFile(line[u"token_file"].toString());
    if (tokenFile.open(QIODevice::ReadOnly))
      token = QString::fromUtf8(tokenFile.readAll()).trimmed();
  }
  ~Server() { stop(); }
  /// Stops it; its exit code (0 for a clean stop).
  int stop() {
    if (m_process.state() == QProcess::NotRunning)
      return m_process.exitCode();
    m_process.terminate();
    m_process.waitForFinished(60000);
    err += QString::fromUtf8(m_process.readAllStandardError());
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
  }
  quint16 port() const { return static_cast<quint16>(QUrl(url).port()); }

  QString url, token, err;

private:
  QProcess m_process;
};

/// One of the JavaScript clients (tests/api_clients/clients.mjs), its JSON answer.
QJsonObject client(const Server &server, const QStringList &args) {
  QProcess node;
  node.setWorkingDirectory(kClients);
  node.start(QStringLiteral("node"),
             QStringList{QStringLiteral("clients.mjs"), server.url, server.token} + args);
  node.waitForFinished(300000);
  const auto out = node.readAllStandardOutput();
  const auto answer = QJsonDocument::fromJson(out.trimmed()).object();
  if (answer.isEmpty())
    qWarning("client said: %s %s", out.constData(), node.readAllStandardError().constData());
  return answer;
}

/// Sends raw bytes and reads the answer until the server closes (or `readMs` passes).
QByteArray exchange(quint16 port, const QByteArray &bytes, int readMs = 20000) {
  QTcpSocket socket;
  socket.connectToHost(QStringLiteral("127.0.0.1"), port);
  if (!socket.waitForConnected(5000))
    return {};
  socket.write(bytes);
  socket.waitForBytesWritten(5000);
  QByteArray answer;
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < readMs && socket.state() == QAbstractSocket::ConnectedState) {
    socket.waitForReadyRead(200);
    answer += socket.readAll();
  }
  return answer + socket.readAll();
}

QByteArray post(const Server &server, const QByteArray &path, const QByteArray &body,
                const QByteArray &extraHeaders = {}) {
  return exchange(server.port(),
                  "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      server.token.toUtf8() + "\r\nContent-Type: application/json\r\n" +
                      extraHeaders + "Content-Length: " + QByteArray::number(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body);
}

QJsonObject status(const Server &server) {
  const QByteArray answer = exchange(
      server.port(), "GET /nesa/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                         server.token.toUtf8() + "\r\nConnection: close\r\n\r\n");
  return QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
}

QByteArray chatBody(const QByteArray &model, const QByteArray &document, bool stream,
                    const QByteArray &level) {
  return R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":[{"role":"user","content":")" + document + R"("}],"nesa":{"privacy":")" +
         level + R"("}})";
}

} // namespace

class TestApi : public QObject {
  Q_OBJECT
  QTemporaryDir m_models;
  QTemporaryDir m_home;
  QString m_document;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(),
             "node is needed (scripts/install-deps.sh installs it)");
    QVERIFY2(QFile::exists(kClients + QStringLiteral("/node_modules/openai/package.json")),
             "tests/api_clients/node_modules is missing (scripts/install-deps.sh installs it)");
    QCOMPARE(run(kTestModels, {m_models.path()}, m_home.path()).code, 0);
    const Run added = run(kNesa,
                          {QStringLiteral("model"), QStringLiteral("add"),
                           m_models.filePath(QStringLiteral("gpt2")), QStringLiteral("--id"),
                           QStringLiteral("tiny-gpt2")},
                          m_home.path());
    QVERIFY2(added.code == 0, qPrintable(added.err));
    m_document = m_models.filePath(QStringLiteral("letter.txt"));
    QFile file(m_document);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Dear reader, the cat and the hat sat on the mat. Kind regards.");
  }

  // Every request needs the token from the data folder (mode 0600); the listing names the
  // installed models for both client libraries.
  void theTokenGuardsEveryEndpoint() {
    Server server(m_home.path(), {QStringLiteral("--in-process")});
    QVERIFY2(!server.url.isEmpty() && server.token.size() == 64, qPrintable(server.err));
    QFileInfo tokenFile(m_home.filePath(QStringLiteral("api-token")));
    QCOMPARE(tokenFile.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    const QByteArray anonymous =
        exchange(server.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY2(anonymous.startsWith("HTTP/1.1 401"), anonymous.constData());
    QVERIFY(anonymous.contains("WWW-Authenticate: Bearer"));
    QCOMPARE(client(server, {QStringLiteral("wrong-token")})[u"status"].toInt(), 401);
    // A query without the token is refused from its headers: the 100 MB it announces are never
    // waited for.
    QElapsedTimer clock;
    clock.start();
    const QByteArray refused =
        exchange(server.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                "100000000\r\n\r\n{\"model\":");
    QVERIFY2(refused.startsWith("HTTP/1.1 401"), refused.constData());
    QVERIFY(clock.elapsed() < 10000);
    const auto listed = client(server, {QStringLiteral("models")});
    QVERIFY(listed[u"openai"].toArray().contains(QStringLiteral("tiny-gpt2")));
    QVERIFY(listed[u"openai"].toArray().contains(QStringLiteral("brain-extraction")));
    QCOMPARE(listed[u"ollama"].toArray(), listed[u"openai"].toArray());
    QCOMPARE(server.stop(), 0);
    // A token file others may read is refused, not used.
    QTemporaryDir other;
    QFile shared(other.filePath(QStringLiteral("api-token")));
    QVERIFY(shared.open(QIODevice::WriteOnly));
    shared.write(QByteArray(64, 'a') + '\n');
    shared.close();
    QVERIFY(shared.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    const Run refusedStart = run(kNesa,
                                 {QStringLiteral("serve"), QStringLiteral("--port"),
                                  QStringLiteral("0"), QStringLiteral("--in-process")},
                                 other.path());
    QCOMPARE(refusedStart.code, 2);
    QVERIFY2(refusedStart.err.contains(QStringLiteral("chmod 600")), qPrintable(refusedStart.err));
  }

  // OpenAI's client streams a summary at hss-ee from a devnet (paid), and the text equals the
  // command line's for the same request; Ollama's client and the whole answer agree.
  void anOpenAiClientStreamsTheSameSummaryAsTheCommandLine() {
    QProcess devnet;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), m_home.path());
    devnet.setProcessEnvironment(env);
    devnet.start(kNesa, {QStringLiteral("chain"), QStringLiteral("devnet"),
                         QStringLiteral("--json"), QStringLiteral("--miners"), QStringLiteral("3"),
                         QStringLiteral("--miner-threads"), QStringLiteral("1")});
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (printed += devnet.readAllStandardOutput(), QJsonDocument::fromJson(printed).isObject()),
        240000);
    const auto registered = [&] {
      const Run chain =
          run(kNesa, {QStringLiteral("chain"), QStringLiteral("status"), QStringLiteral("--json")},
              m_home.path());
      return QJsonDocument::fromJson(chain.out.toUtf8()).object()[u"miners"].toArray().size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(registered() >= 3, 120000);
    const Run cli = run(kNesa,
                        {QStringLiteral("analyze"), m_document, QStringLiteral("--model"),
                         QStringLiteral("tiny-gpt2"), QStringLiteral("--privacy"),
                         QStringLiteral("hss-ee"), QStringLiteral("--json")},
                        m_home.path());
    QVERIFY2(cli.code == 0, qPrintable(cli.err));
    const QString expected = lastJson(cli.out)[u"text"].toString();
    QVERIFY(!expected.isEmpty());
    {
      Server server(m_home.path(), {});
      QVERIFY2(!server.url.isEmpty(), qPrintable(server.err));
      const auto streamed =
          client(server, {QStringLiteral("openai-stream"), QStringLiteral("tiny-gpt2"), m_document,
                          QStringLiteral("hss-ee")});
      QCOMPARE(streamed[u"text"].toString(), expected);
      QVERIFY2(streamed[u"chunks"].toInt() > 2, "the summary came in pieces");
      QCOMPARE(streamed[u"finish"].toString(), QStringLiteral("stop"));
      const auto report = streamed[u"result"].toObject()[u"report"].toObject();
      QCOMPARE(report[u"level"].toString(), QStringLiteral("hss-ee"));
      QVERIFY(report[u"checks_passed"].toInt() > 0);
      QCOMPARE(report[u"checks_failed"].toInt(), 0);
      QVERIFY2(streamed[u"result"].toObject()[u"payment"].isObject(), "the miners were paid");
      const auto ollama =
          client(server, {QStringLiteral("ollama-chat"), QStringLiteral("tiny-gpt2"), m_document,
                          QStringLiteral("hss-ee")});
      QCOMPARE(ollama[u"text"].toString(), expected);
      QVERIFY(ollama[u"done"].toBool());
      QCOMPARE(server.stop(), 0);
    }
    devnet.terminate();
    QVERIFY(devnet.waitForFinished(60000));
  }

  // The whole answers, the completions endpoint, the level a request names and the user's
  // default when it names none.
  void wholeAnswersKeepTheLevelAsked() {
    Server server(m_home.path(), {QStringLiteral("--in-process")});
    const auto whole = client(server, {QStringLiteral("openai-whole"), QStringLiteral("tiny-gpt2"),
                                       m_document, QStringLiteral("hss")});
    const auto completion =
        client(server, {QStringLiteral("openai-completion"), QStringLiteral("tiny-gpt2"),
                        m_document, QStringLiteral("local")});
    QVERIFY(!whole[u"text"].toString().isEmpty());
    QCOMPARE(completion[u"text"].toString(), whole[u"text"].toString());
    QCOMPARE(whole[u"result"].toObject()[u"report"].toObject()[u"level"].toString(),
             QStringLiteral("hss"));
    QCOMPARE(completion[u"result"].toObject()[u"report"].toObject()[u"level"].toString(),
             QStringLiteral("local"));
    // No level named: the settings' default (hss for a new user), never a lower one.
    const QByteArray answer =
        post(server, "/v1/chat/completions",
             R"({"model":"tiny-gpt2","messages":[{"role":"user","content":"a b c"}]})");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains(R"("level":"hss")"));
    // A stream on the wire: server-sent events in HTTP chunks, ending in [DONE] and the last
    // chunk.
    const QByteArray streamed =
        post(server, "/v1/chat/completions", chatBody("tiny-gpt2", "a b c d e f", true, "local"));
    QVERIFY2(streamed.startsWith("HTTP/1.1 200"), streamed.constData());
    QVERIFY(streamed.contains("Content-Type: text/event-stream"));
    QVERIFY(streamed.contains("Transfer-Encoding: chunked"));
    QVERIFY(streamed.contains("\"finish_reason\":\"stop\""));
    QVERIFY2(streamed.endsWith("data: [DONE]\n\n\r\n0\r\n\r\n"), streamed.right(80).constData());
  }

  // /v1/analyze on a NIfTI scan gives the command line's segmentation and output array.
  void analyzeAScanLikeTheCommandLine() {
    Server server(m_home.path(), {QStringLiteral("--in-process")});
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-s"), QStringLiteral("-H"),
                QStringLiteral("Authorization: Bearer ") + server.token,
                server.url + QStringLiteral("/v1/analyze"), QStringLiteral("-F"),
                QStringLiteral("file=@") + kScan, QStringLiteral("-F"),
                QStringLiteral("model=brain-extraction"), QStringLiteral("-F"),
                QStringLiteral(R"(nesa={"privacy":"local"})"), QStringLiteral("-F"),
                QStringLiteral("output=npy")});
    QVERIFY(curl.waitForFinished(240000));
    const auto api = QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
    QCOMPARE(api[u"event"].toString(), QStringLiteral("result"));
    const QString npy = m_models.filePath(QStringLiteral("cli.npy"));
    const Run cli =
        run(kNesa,
            {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
             QStringLiteral("brain-extraction"), QStringLiteral("--privacy"),
             QStringLiteral("local"), QStringLiteral("--json"), QStringLiteral("--output"), npy},
            m_home.path());
    QVERIFY2(cli.code == 0, qPrintable(cli.err));
    const auto expected = lastJson(cli.out);
    QVERIFY(!expected[u"segmentation"].toArray().isEmpty());
    QCOMPARE(api[u"segmentation"].toArray(), expected[u"segmentation"].toArray());
    QFile written(npy);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(QByteArray::fromBase64(api[u"output_npy_base64"].toString().toLatin1()),
             written.readAll());
    QTRY_COMPARE(status(server)[u"work_folders"].toInt(), 0); // the upload is gone
    // A file name that is a path stays a name inside the query's folder.
    const QString outside = m_home.filePath(QStringLiteral("escaped"));
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-s"), QStringLiteral("-H"),
                QStringLiteral("Authorization: Bearer ") + server.token,
                server.url + QStringLiteral("/v1/analyze"), QStringLiteral("-F"),
                QStringLiteral("file=@") + kScan + QStringLiteral(";filename=../../escaped/a.nii"),
                QStringLiteral("-F"), QStringLiteral("model=brain-extraction"),
                QStringLiteral("-F"), QStringLiteral(R"(nesa={"privacy":"local"})"),
                QStringLiteral("-F"), QStringLiteral("output=nifti")});
    QVERIFY(curl.waitForFinished(240000));
    const auto named = QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
    QCOMPARE(named[u"segmentation"].toArray(), expected[u"segmentation"].toArray());
    QVERIFY(!QFileInfo::exists(outside));

    // The segmentation as NIfTI on the scan's own grid, the same as the command line's.
    const QString apiNifti = m_models.filePath(QStringLiteral("api.nii.gz"));
    QFile apiFile(apiNifti);
    QVERIFY(apiFile.open(QIODevice::WriteOnly));
    apiFile.write(QByteArray::fromBase64(named[u"output_nifti_base64"].toString().toLatin1()));
    apiFile.close();
    const QString cliNifti = m_models.filePath(QStringLiteral("cli.nii.gz"));
    const Run cliLabels = run(kNesa,
                              {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
                               QStringLiteral("brain-extraction"), QStringLiteral("--privacy"),
                               QStringLiteral("local"), QStringLiteral("--output"), cliNifti},
                              m_home.path());
    QVERIFY2(cliLabels.code == 0, qPrintable(cliLabels.err));
    const auto scan = nesa::ingest::readNifti(kScan.toStdString());
    const auto fromApi = nesa::ingest::readNifti(apiNifti.toStdString());
    const auto fromCli = nesa::ingest::readNifti(cliNifti.toStdString());
    QVERIFY(scan.ok() && fromCli.ok());
    QVERIFY2(fromApi.ok(), fromApi.ok() ? "" : fromApi.error().message.c_str());
    QCOMPARE(fromApi->voxels, fromCli->voxels);
    QCOMPARE(fromApi->shape, scan->shape);
    for (std::size_t r = 0; r < 4; ++r)
      for (std::size_t c = 0; c < 4; ++c)
        QVERIFY(std::abs(fromApi->affine[r][c] - scan->affine[r][c]) < 1e-4);
    // The brain's volume on the scan's grid is the one the model's grid measured (nearest
    // neighbour moves its surface by under a voxel).
    const double voxelMl = scan->spacing[0] * scan->spacing[1] * scan->spacing[2] / 1000.0;
    const double brainMl =
        static_cast<double>(std::count(fromApi->voxels.begin(), fromApi->voxels.end(), 1.0f)) *
        voxelMl;
    const double measured = expected[u"segmentation"].toArray()[1].toObject()[u"ml"].toDouble();
    QVERIFY2(
        std::abs(brainMl - measured) < 0.1 * measured,
        qPrintable(QStringLiteral("%1 mL on the scan, %2 mL measured").arg(brainMl).arg(measured)));
    // An output name that is neither .npy nor NIfTI is refused before anything runs.
    const Run badName = run(kNesa,
                            {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
                             QStringLiteral("brain-extraction"), QStringLiteral("--output"),
                             m_models.filePath(QStringLiteral("labels.txt"))},
                            m_home.path());
    QCOMPARE(badName.code, 2);
    QVERIFY2(badName.err.contains(QStringLiteral(".nii.gz")), qPrintable(badName.err));
  }

  // What a client should not send gets the right status, and the server stays up.
  // With the setting auditLog, a query through the API is on record like one from the command
  // line: as it starts and as it ends, the scan named by its digest only; so is its output
  // leaving for the client.
  void queriesAreAuditedWhenTheSettingSaysSo() {
    QTemporaryDir home;
    QVERIFY(setConfig(kNesa, home.path(), QStringLiteral("auditLog"), QStringLiteral("true")));
    const QString pass = QStringLiteral("audit passphrase");
    {
      Server server(home.path(), {QStringLiteral("--in-process")}, pass);
      QVERIFY2(!server.url.isEmpty(), qPrintable(server.err));
      QProcess curl;
      curl.start(QStringLiteral("curl"),
                 {QStringLiteral("-s"), QStringLiteral("-H"),
                  QStringLiteral("Authorization: Bearer ") + server.token,
                  server.url + QStringLiteral("/v1/analyze"), QStringLiteral("-F"),
                  QStringLiteral("file=@") + kScan, QStringLiteral("-F"),
                  QStringLiteral("model=brain-extraction"), QStringLiteral("-F"),
                  QStringLiteral(R"(nesa={"privacy":"local"})"), QStringLiteral("-F"),
                  QStringLiteral("output=npy")});
      QVERIFY(curl.waitForFinished(240000));
      const auto answer = QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
      QCOMPARE(answer[u"event"].toString(), QStringLiteral("result"));
      QVERIFY(answer.contains(u"output_npy_base64"));
      QCOMPARE(server.stop(), 0);
    }
    const Run listed =
        run(kNesa, {QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json")},
            home.path(), {}, pass);
    QVERIFY2(listed.code == 0, qPrintable(listed.err));
    const QStringList lines = listed.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4); // the run's start and end, then its output leaving, twice
    QCOMPARE(QJsonDocument::fromJson(lines[0].toUtf8()).object()[u"outcome"].toString(),
             QStringLiteral("started"));
    const QJsonObject end = QJsonDocument::fromJson(lines[1].toUtf8()).object();
    for (int i = 2; i < 4; ++i) {
      const QJsonObject exported = QJsonDocument::fromJson(lines[i].toUtf8()).object();
      QCOMPARE(exported[u"action"].toString(), QStringLiteral("export"));
      QCOMPARE(exported[u"outcome"].toString(),
               i == 2 ? QStringLiteral("started") : QStringLiteral("ok"));
      QCOMPARE(exported[u"details"].toObject()[u"by"].toString(), QStringLiteral("the local API"));
      QCOMPARE(exported[u"subject"].toString(), end[u"subject"].toString());
    }
    QCOMPARE(end[u"outcome"].toString(), QStringLiteral("ok"));
    QCOMPARE(end[u"details"].toObject()[u"model"].toString(), QStringLiteral("brain-extraction"));
    QVERIFY(end[u"subject"].toString().startsWith(QStringLiteral("blake2b-256:")));
    const Run verified =
        run(kNesa, {QStringLiteral("audit"), QStringLiteral("verify")}, home.path(), {}, pass);
    QVERIFY2(verified.code == 0, qPrintable(verified.out + verified.err));
  }

  // An organisation's policy binds the API's queries as it binds the command line's: a role
  // whose lowest level is hss gets 403 and the rule for a local query (signed with the
  // administrator's tools, installed through NESA_POLICY_DIR).
  void thePolicyRefusesWhatARoleMayNotRun() {
    QTemporaryDir home, admin, installed;
    const QString keyFile = admin.filePath(QStringLiteral("admin.key"));
    const Run keygen =
        run(kNesa,
            {QStringLiteral("policy"), QStringLiteral("keygen"),
             QStringLiteral("admin.example.org"), QStringLiteral("--output"), keyFile},
            home.path());
    QVERIFY2(keygen.code == 0, qPrintable(keygen.err));
    QFile pub(installed.filePath(QStringLiteral("policy.pub"))),
        json(admin.filePath(QStringLiteral("policy.json")));
    QVERIFY(pub.open(QIODevice::WriteOnly) && json.open(QIODevice::WriteOnly));
    pub.write(keygen.out.toUtf8());
    pub.close();
    json.write(R"({"organisation": "St Example Hospital", "version": 1,
      "expires": "2099-01-01T00:00:00Z", "roles": {"clinician": {"minimumLevel": "hss"}},
      "users": {")" +
               QByteArray::fromStdString(nesa::policy::currentUserName()) +
               R"(": ["clinician"]}})");
    json.close();
    QCOMPARE(run(kNesa,
                 {QStringLiteral("policy"), QStringLiteral("sign"), json.fileName(),
                  QStringLiteral("--key"), keyFile, QStringLiteral("--output"),
                  installed.filePath(QStringLiteral("policy"))},
                 home.path())
                 .code,
             0);
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    Server server(m_home.path(), {QStringLiteral("--in-process")}); // where tiny-gpt2 is installed
    qunsetenv("NESA_POLICY_DIR");
    QVERIFY2(!server.url.isEmpty(), qPrintable(server.err));
    const QByteArray answer =
        post(server, "/v1/chat/completions", chatBody("tiny-gpt2", "x", false, "local"));
    QCOMPARE(answer.mid(9, 3).toInt(), 403);
    QVERIFY2(answer.contains("your roles (clinician) require privacy level hss or higher; this "
                             "query asked for local"),
             answer.constData());
  }

  void badRequestsGetTheirStatus() {
    Server server(m_home.path(), {QStringLiteral("--in-process")});
    const auto statusOf = [](const QByteArray &answer) { return answer.mid(9, 3).toInt(); };
    QCOMPARE(statusOf(post(server, "/v1/chat/completions", "{not json")), 400);
    QCOMPARE(statusOf(post(server, "/v1/chat/completions", R"({"model":"tiny-gpt2"})")), 400);
    QCOMPARE(
        statusOf(post(server, "/v1/chat/completions", chatBody("tiny-gpt2", "x", false, "none"))),
        400);
    QCOMPARE(client(server, {QStringLiteral("unknown-model")})[u"status"].toInt(), 404);
    QCOMPARE(statusOf(post(server, "/v1/chat/completions",
                           chatBody("../etc/passwd", "x", false, "local"))),
             404);
    const QByteArray notLanguage =
        post(server, "/v1/chat/completions", chatBody("brain-extraction", "x", false, "local"));
    QCOMPARE(statusOf(notLanguage), 400);
    QVERIFY(notLanguage.contains("/v1/analyze"));
    QCOMPARE(statusOf(post(server, "/v1/nothing", "{}")), 404);
    QCOMPARE(statusOf(exchange(server.port(), "GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                              "Authorization: Bearer " +
                                                  server.token.toUtf8() +
                                                  "\r\nConnection: close\r\n\r\n")),
             405);
    // A body over the limit is refused from its headers, before it is read.
    QCOMPARE(
        statusOf(exchange(server.port(),
                          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: "
                          "Bearer " +
                              server.token.toUtf8() + "\r\nContent-Length: 100000000\r\n\r\n{")),
        413);
    // ... and a chunked one when it passes the limit (8 MiB for JSON).
    QByteArray chunked = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         server.token.toUtf8() + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    const QByteArray piece(1 << 20, 'a');
    for (int i = 0; i < 9; ++i)
      chunked += "100000\r\n" + piece + "\r\n";
    QCOMPARE(statusOf(exchange(server.port(), chunked)), 413);
    // Broken uploads.
    const QByteArray noBoundary = exchange(
        server.port(), "POST /v1/analyze HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           server.token.toUtf8() +
                           "\r\nContent-Type: multipart/form-data\r\nContent-Length: 2\r\n\r\n{}");
    QCOMPARE(statusOf(noBoundary), 400);
    const QByteArray cut =
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.nii\"\r\n\r\nxx";
    QCOMPARE(statusOf(post(server, "/v1/analyze", cut,
                           "Content-Type: multipart/form-data; boundary=b\r\n")
                          .replace("Content-Type: application/json\r\n", "")),
             400);
    // Still serving, with nothing left behind.
    const auto now = status(server);
    QCOMPARE(now[u"waiting"].toInt(), 0);
    QCOMPARE(now[u"work_folders"].toInt(), 0);
    QCOMPARE(server.stop(), 0);
  }

  // A client that goes away mid-stream cancels its query: the server frees its place and its
  // files, and serves the next one.
  void aClientLeavingMidStreamCancelsItsQuery() {
    Server server(m_home.path(), {QStringLiteral("--in-process")});
    QByteArray document;
    for (int i = 0; i < 300; ++i)
      document += "the cat and the hat sat on the mat in the sun. ";
    const QByteArray body = chatBody("tiny-gpt2", document, true, "hss");
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                 server.token.toUtf8() + "\r\nContent-Length: " + QByteArray::number(body.size()) +
                 "\r\n\r\n" + body);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT(
        (socket.waitForReadyRead(100), received += socket.readAll(), received.contains("data: ")),
        120000);
    QVERIFY(received.contains("text/event-stream"));
    socket.abort();
    QTRY_VERIFY_WITH_TIMEOUT(status(server)[u"cancelled"].toInt() == 1, 60000);
    // The runner stopped it (a run that went on to its end would not count here).
    QTRY_COMPARE_WITH_TIMEOUT(status(server)[u"runs_stopped"].toInt(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(status(server)[u"waiting"].toInt() == 0, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(status(server)[u"work_folders"].toInt(), 0, 60000);
    const auto next = client(server, {QStringLiteral("openai-whole"), QStringLiteral("tiny-gpt2"),
                                      m_document, QStringLiteral("hss")});
    QVERIFY(!next[u"text"].toString().isEmpty());
    QCOMPARE(server.stop(), 0);
  }

  // Twenty clients at once all complete; over a small bound, the rest are refused with 503
  // (Retry-After) rather than queued without end.
  void concurrentClientsCompleteInABoundedQueue() {
    {
      Server server(m_home.path(), {QStringLiteral("--in-process")});
      const auto all = client(server, {QStringLiteral("concurrent"), QStringLiteral("tiny-gpt2"),
                                       m_document, QStringLiteral("hss"), QStringLiteral("20")});
      QCOMPARE(all[u"completed"].toInt(), 20);
      QCOMPARE(all[u"distinctTexts"].toInt(), 1);
      QCOMPARE(status(server)[u"work_folders"].toInt(), 0);
      QCOMPARE(server.stop(), 0);
    }
    Server bounded(m_home.path(), {QStringLiteral("--in-process"), QStringLiteral("--max-queries"),
                                   QStringLiteral("2")});
    const auto some = client(bounded, {QStringLiteral("concurrent"), QStringLiteral("tiny-gpt2"),
                                       m_document, QStringLiteral("hss"), QStringLiteral("20")});
    QCOMPARE(some[u"completed"].toInt() + some[u"refused"].toInt(), 20);
    QVERIFY2(some[u"refused"].toInt() > 0, "the bound held");
    QVERIFY(some[u"completed"].toInt() >= 2);
    QCOMPARE(status(bounded)[u"refused_busy"].toInt(), some[u"refused"].toInt());
    QCOMPARE(bounded.stop(), 0);
  }

  // The desktop serves the API while the setting is on — with a wallet, only while it is
  // unlocked, the passphrase handed through standard input; a wrong one is a clear message.
  void theDesktopServesWhileTheSettingSaysSo() {
    QTemporaryDir home;
    const QByteArray before = qgetenv("NESA_HOME");
    qputenv("NESA_HOME", home.path().toUtf8()); // the server inherits it
    const QString walletFile = home.filePath(QStringLiteral("wallet.db"));
    nesa::app::LocalApiServer api(home.filePath(QStringLiteral("config.json")), walletFile,
                                  home.filePath(QStringLiteral("api.log")));
    QStringList said;
    connect(&api, &nesa::app::LocalApiServer::stateChanged, this,
            [&said](const QString &text) { said << text; });
    const auto models = [&home](const QString &url) {
      QFile tokenFile(home.filePath(QStringLiteral("api-token")));
      if (!tokenFile.open(QIODevice::ReadOnly))
        return QByteArray();
      return exchange(static_cast<quint16>(QUrl(url).port()),
                      "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          tokenFile.readAll().trimmed() + "\r\nConnection: close\r\n\r\n");
    };
    api.configure(true, 0); // no wallet: it serves at once
    QTRY_VERIFY_WITH_TIMEOUT(!api.url().isEmpty(), 60000);
    const QString url = api.url();
    QVERIFY(models(url).startsWith("HTTP/1.1 200"));
    api.configure(false, 0);
    QVERIFY(api.url().isEmpty());
    QVERIFY(models(url).isEmpty()); // the port is closed
    // With a wallet: nothing until it is unlocked.
    const QString secret = QStringLiteral("a passphrase for the API test 4242");
    const Run restored = run(
        kNesa, {QStringLiteral("wallet"), QStringLiteral("restore")}, home.path(),
        "legal winner thank year wave sausage worth useful legal winner thank yellow\n", secret);
    QVERIFY2(restored.code == 0, qPrintable(restored.err));
    QVERIFY(QFile::exists(walletFile));
    said.clear();
    api.configure(true, 0);
    QVERIFY(said.join(QLatin1Char(' ')).contains(QStringLiteral("unlocked")));
    QTest::qWait(500);
    QVERIFY(api.url().isEmpty());
    api.walletUnlocked(QStringLiteral("not the passphrase"));
    QTRY_VERIFY_WITH_TIMEOUT(said.join(QLatin1Char(' ')).contains(QStringLiteral("stopped (exit")),
                             60000);
    QVERIFY(api.url().isEmpty());
    QVERIFY2(
        said.join(QLatin1Char(' ')).contains(QStringLiteral("passphrase"), Qt::CaseInsensitive),
        qPrintable(said.join(QLatin1Char('\n'))));
    api.walletUnlocked(secret);
    QTRY_VERIFY_WITH_TIMEOUT(!api.url().isEmpty(), 60000);
    QVERIFY(models(api.url()).startsWith("HTTP/1.1 200"));
    api.walletLocked(); // a locked wallet stops it
    QVERIFY(api.url().isEmpty());
    qputenv("NESA_HOME", before);
  }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
