// The clinical round trip against a real PACS (Orthanc, started by the test): C-ECHO, C-FIND,
// C-GET and C-STORE through core/pacs; refusals, a missing study, a cancelled transfer and a study
// deleted mid-transfer; then from the command line: find → get → analyze → SEG + SR sent back →
// found again by C-FIND and by QIDO-RS.
#include "ingest/dicom_reader.h"
#include "orthanc_server.h"
#include "pacs/dimse_client.h"
#include "test_dicom.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa;
using namespace nesa::pacs;
namespace fs = std::filesystem;

namespace {

const fs::path kData = NESA_TEST_DATA;

struct Run {
  int code = -1;
  QString out, err;
};

Run run(const QStringList &arguments, const QString &home, const QString &temporary = {}) {
  QProcess process;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert("NESA_HOME", home);
  if (!temporary.isEmpty())
    environment.insert("TMPDIR", temporary);
  process.setProcessEnvironment(environment);
  process.start(NESA_CLI_PATH, arguments);
  Run r;
  if (!process.waitForFinished(300000))
    return r;
  r.code = process.exitCode();
  r.out = QString::fromUtf8(process.readAllStandardOutput());
  r.err = QString::fromUtf8(process.readAllStandardError());
  return r;
}

} // namespace

class TestPacs : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString started = m_orthanc.start(m_dir.filePath("orthanc"), {"NESA"});
    QVERIFY2(started.isEmpty(), qPrintable(started));
    auto node = parsePacsNode(m_orthanc.address().toStdString());
    QVERIFY2(node.ok(), node.ok() ? "" : node.error().message.c_str());
    m_node = *node;
    // The hospital's study: pydicom's MR_small as a three-slice series, stored with C-STORE.
    const fs::path series = root() / "source";
    testing::writeShuffledSeries(kData / "dicom" / "MR_small.dcm", series,
                                 {"1.dcm", "2.dcm", "3.dcm"});
    QVERIFY(!QTest::currentTestFailed());
    auto stored = store(m_node, {series / "1.dcm", series / "2.dcm", series / "3.dcm"});
    QVERIFY2(stored.ok(), stored.ok() ? "" : stored.error().message.c_str());
    auto volume = ingest::readDicomSeries(series);
    QVERIFY(volume.ok());
    m_source = std::move(*volume);
  }

  void cleanupTestCase() { m_orthanc.stop(); }

  // C-ECHO answers; a wrong AE title is refused with the reason; silence is "unavailable".
  void echoAndRefusals() {
    QVERIFY(echo(m_node).ok());
    PacsNode wrong = m_node;
    wrong.calledAeTitle = "NOT-ORTHANC";
    const auto refused = echo(wrong);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
    QVERIFY2(refused.error().message.find("refused the association") != std::string::npos,
             refused.error().message.c_str());
    PacsNode unknown = m_node;
    unknown.callingAeTitle = "STRANGER"; // not among Orthanc's modalities
    const auto stranger = findStudies(unknown, {});
    QVERIFY(!stranger.ok());
    QVERIFY2(stranger.error().message.find("\"STRANGER\"") != std::string::npos,
             stranger.error().message.c_str());
    PacsNode nobody = m_node;
    nobody.port = testing::OrthancServer::freePort();
    QCOMPARE(echo(nobody).error().code, ErrorCode::Unavailable);
  }

  // C-FIND finds the study by the patient's name and lists its series; C-GET brings the series
  // back, and it reads as the same volume.
  void findAndRetrieve() {
    auto studies = findStudies(m_node, {"CompressedSamples*", "", "", "", ""});
    QVERIFY2(studies.ok(), studies.ok() ? "" : studies.error().message.c_str());
    QCOMPARE(studies->size(), std::size_t(1));
    QCOMPARE(studies->front().studyInstanceUid, m_source.dicom->studyInstanceUid);
    QVERIFY(findStudies(m_node, {"Nobody^*", "", "", "", ""})->empty());
    auto series = findSeries(m_node, m_source.dicom->studyInstanceUid);
    QVERIFY(series.ok());
    QCOMPARE(series->size(), std::size_t(1));
    QCOMPARE(series->front().modality, std::string("MR"));
    QCOMPARE(series->front().instances, 3);
    int calls = 0;
    auto received =
        retrieve(m_node, m_source.dicom->studyInstanceUid, m_source.dicom->seriesInstanceUid,
                 root() / "retrieved", [&](int, int) { return ++calls > 0; });
    QVERIFY2(received.ok(), received.ok() ? "" : received.error().message.c_str());
    QCOMPARE(*received, 3);
    QVERIFY(calls >= 1);
    auto volume = ingest::readDicomSeries(root() / "retrieved");
    QVERIFY(volume.ok());
    QCOMPARE(volume->voxels, m_source.voxels);
    QCOMPARE(volume->dicom->sopInstanceUids, m_source.dicom->sopInstanceUids);
    // Into a folder that exists: refused before anything moves.
    QCOMPARE(
        retrieve(m_node, m_source.dicom->studyInstanceUid, "", root() / "retrieved").error().code,
        ErrorCode::AlreadyExists);
  }

  // A study the PACS does not have, and a transfer cancelled on its first instance: clear errors
  // and no folder, not even a hidden one.
  void missingAndCancelledLeaveNothing() {
    const auto missing = retrieve(m_node, "1.2.3.4.5.6.7.8.9", "", root() / "missing");
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().code == ErrorCode::NotFound, missing.error().message.c_str());
    const auto cancelled = retrieve(m_node, m_source.dicom->studyInstanceUid, "",
                                    root() / "cancelled", [](int, int) { return false; });
    QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    QVERIFY(!fs::exists(root() / "missing"));
    QVERIFY(!fs::exists(root() / "cancelled"));
    QVERIFY(hiddenLeftovers().isEmpty());
  }

  // The end-to-end round trip a clinician makes, with the command line: find the study, get the
  // series, analyze it at hss, write SEG + SR, send them back; the PACS then lists them in the
  // study (C-FIND and QIDO-RS) with references to the source series.
  void roundTripFromTheCommandLine() {
    const QString home = m_dir.filePath("home");
    const QStringList pacs{"--pacs", m_orthanc.address()};
    Run r = run(QStringList{"pacs", "echo"} + pacs, home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run(QStringList{"pacs", "find", "--patient-name", "CompressedSamples*", "--json"} + pacs,
            home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray studies = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(studies.size(), 1);
    const QString study = studies[0].toObject()["studyInstanceUid"].toString();
    r = run(QStringList{"pacs", "series", study, "--json"} + pacs, home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString series = QJsonDocument::fromJson(r.out.toUtf8())
                               .array()[0]
                               .toObject()["seriesInstanceUid"]
                               .toString();
    const QString scan = m_dir.filePath("cli-scan"), results = m_dir.filePath("cli-results");
    r = run(QStringList{"pacs", "get", study, "--series", series, "--to", scan} + pacs, home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("Retrieved 3 instances"));
    r = run({"analyze", scan, "--model", "brain-extraction", "--privacy", "hss", "--in-process",
             "--output-dicom", results},
            home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("checks passed"));
    r = run(QStringList{"pacs", "send", results} + pacs, home);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("Stored 2 objects"));

    auto listed = findSeries(m_node, study.toStdString());
    QVERIFY(listed.ok());
    QStringList modalities;
    for (const auto &s : *listed)
      modalities << QString::fromStdString(s.modality);
    modalities.sort();
    QCOMPARE(modalities, (QStringList{"MR", "SEG", "SR"}));
    // DICOMweb sees the same: QIDO-RS lists the SEG, which refers to the MR series.
    const QByteArray qido =
        testing::curl(m_orthanc.url() + "/dicom-web/studies/" + study + "/series?Modality=SEG");
    const QJsonArray segSeries = QJsonDocument::fromJson(qido).array();
    QCOMPARE(segSeries.size(), 1);
    const QString segSeriesUid =
        segSeries[0].toObject()["0020000E"].toObject()["Value"].toArray()[0].toString();
    const QByteArray metadata = testing::curl(m_orthanc.url() + "/dicom-web/studies/" + study +
                                              "/series/" + segSeriesUid + "/metadata");
    QVERIFY2(metadata.contains(series.toUtf8()), "the SEG does not name the source series");
  }

  // `nesa analyze --send-to` stores the SEG and SR on the PACS without keeping them here.
  void analyzeSendsStraightToThePacs() {
    const int before = segmentationSeries();
    const QString source = QString::fromStdString((root() / "source").string());
    const QString home = m_dir.filePath("home"), temporary = m_dir.filePath("tmp");
    QVERIFY(QDir().mkpath(temporary));
    const Run r = run({"analyze", source, "--model", "brain-extraction", "--privacy", "local",
                       "--send-to", m_orthanc.address()},
                      home, temporary);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("Sent the SEG and the SR to " + m_orthanc.address()));
    QVERIFY(!r.out.contains("DICOM SEG ")); // nothing was kept…
    QCOMPARE(QDir(temporary).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList()); // …not even in the temporary folder
    QCOMPARE(segmentationSeries(), before + 1);
    const Run refused = run({"analyze", source, "--model", "brain-extraction", "--privacy", "local",
                             "--send-to", "pacs"},
                            home);
    QCOMPARE(refused.code, 2); // no PACS in the settings: refused before the run
    QVERIFY(refused.err.contains("no PACS in the settings"));
    const Run wrong = run({"analyze", source, "--model", "brain-extraction", "--privacy", "local",
                           "--send-to", QString("WRONG@127.0.0.1:%1").arg(m_orthanc.dicomPort())},
                          home);
    QCOMPARE(wrong.code, 2); // the PACS refuses us: known before the run, which is not made
    QVERIFY2(wrong.err.contains("refused the association"), qPrintable(wrong.err));
    QVERIFY(!wrong.out.contains("level local"));
  }

  // A study deleted while it is being sent: the transfer fails with the reason and leaves
  // nothing behind. (Last: it deletes the study.)
  void aStudyDeletedMidTransferLeavesNothing() {
    const QByteArray lookup = testing::curl(
        m_orthanc.url() + "/tools/lookup",
        {"-X", "POST", "--data", QString::fromStdString(m_source.dicom->studyInstanceUid)});
    const QJsonArray found = QJsonDocument::fromJson(lookup).array();
    QVERIFY(!found.isEmpty());
    const QString id = found[0].toObject()["ID"].toString();
    bool deleted = false;
    const auto vanished =
        retrieve(m_node, m_source.dicom->studyInstanceUid, m_source.dicom->seriesInstanceUid,
                 root() / "vanished", [&](int received, int) {
                   if (received >= 1 && !deleted) {
                     testing::curl(m_orthanc.url() + "/studies/" + id, {"-X", "DELETE"});
                     deleted = true;
                   }
                   return true;
                 });
    QVERIFY(deleted);
    QVERIFY(!vanished.ok());
    QVERIFY2(vanished.error().code == ErrorCode::Io &&
                 vanished.error().message.find("removed meanwhile") != std::string::npos,
             vanished.error().message.c_str());
    QVERIFY(!fs::exists(root() / "vanished"));
    QVERIFY(hiddenLeftovers().isEmpty());
  }

  // DICOM over TLS: a PACS whose certificate chains to the trusted file answers; one whose does
  // not is refused before anything is sent, with a message that says so, from the library and
  // from the command line; plain DICOM to a TLS port does not get through.
  void tlsAcceptsTheRightCertificateOnly() {
    const QString folder = m_dir.filePath("orthanc-tls");
    QVERIFY(QDir().mkpath(folder));
    auto openssl = [&](const QStringList &arguments) {
      QProcess process;
      process.setWorkingDirectory(folder);
      process.start("openssl", arguments);
      return process.waitForFinished(60000) && process.exitCode() == 0;
    };
    const QStringList key{"-newkey", "rsa:2048", "-nodes", "-days", "2"};
    QVERIFY(openssl(QStringList{"req", "-x509"} + key +
                    QStringList{"-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Test CA"}));
    QVERIFY(openssl(QStringList{"req"} + key +
                    QStringList{"-keyout", "pacs.key", "-out", "pacs.csr", "-subj", "/CN=pacs"}));
    QFile names(folder + "/names.ext"); // the certificate names the address it serves
    QVERIFY(names.open(QIODevice::WriteOnly));
    names.write("subjectAltName=IP:127.0.0.1\n");
    names.close();
    QVERIFY(
        openssl({"x509", "-req", "-in", "pacs.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "pacs.pem", "-days", "2", "-extfile", "names.ext"}));
    QVERIFY(openssl(
        QStringList{"req", "-x509"} + key +
        QStringList{"-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=Another CA"}));
    testing::OrthancServer secure;
    const QString started =
        secure.start(folder, {"NESA"},
                     testing::OrthancServer::Tls{folder + "/pacs.pem", folder + "/pacs.key",
                                                 folder + "/ca.pem"});
    QVERIFY2(started.isEmpty(), qPrintable(started));
    auto node = parsePacsNode(secure.address().toStdString());
    QVERIFY(node.ok());
    node->trustedCertificates = (folder + "/ca.pem").toStdString();
    const auto answered = echo(*node);
    QVERIFY2(answered.ok(), answered.ok() ? "" : answered.error().message.c_str());
    QVERIFY(findStudies(*node, {}).ok());

    node->trustedCertificates = (folder + "/other.pem").toStdString();
    const auto refused = echo(*node);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
    QVERIFY2(refused.error().message.find("does not chain to") != std::string::npos,
             refused.error().message.c_str());
    // The right authority, but a certificate for 127.0.0.1 reached as "localhost": refused.
    node->trustedCertificates = (folder + "/ca.pem").toStdString();
    node->host = "localhost";
    const auto otherName = echo(*node);
    QVERIFY(!otherName.ok());
    QVERIFY2(otherName.error().message.find("does not name localhost") != std::string::npos,
             otherName.error().message.c_str());
    node->host = "127.0.0.1";
    node->trustedCertificates = (folder + "/missing.pem").toStdString();
    const auto missing = echo(*node);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.find("no TLS file") != std::string::npos,
             missing.error().message.c_str());
    node->trustedCertificates = (folder + "/names.ext").toStdString(); // not PEM
    const auto unreadable = echo(*node);
    QVERIFY(!unreadable.ok());
    QVERIFY2(unreadable.error().message.find("cannot be read as PEM") != std::string::npos,
             unreadable.error().message.c_str());
    node->trustedCertificates.clear(); // plain DICOM to the TLS port
    QVERIFY(!echo(*node).ok());

    const Run cli =
        run({"pacs", "echo", "--pacs", secure.address(), "--tls-trusted", folder + "/other.pem"},
            m_dir.filePath("home"));
    QCOMPARE(cli.code, 2);
    QVERIFY2(cli.err.contains("does not chain to"), qPrintable(cli.err));
    const Run ok =
        run({"pacs", "echo", "--pacs", secure.address(), "--tls-trusted", folder + "/ca.pem"},
            m_dir.filePath("home"));
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
    QVERIFY(ok.out.contains("over TLS"));
  }

private:
  fs::path root() const { return fs::path(m_dir.path().toStdString()); }

  // How many SEG series the source study holds on the PACS now.
  int segmentationSeries() {
    auto listed = findSeries(m_node, m_source.dicom->studyInstanceUid);
    int count = 0;
    for (const auto &s : listed.ok() ? *listed : std::vector<SeriesMatch>{})
      count += s.modality == "SEG" ? 1 : 0;
    return count;
  }

  QStringList hiddenLeftovers() const {
    return QDir(m_dir.path()).entryList({".*retrieving*"}, QDir::Dirs | QDir::Hidden);
  }

  QTemporaryDir m_dir;
  testing::OrthancServer m_orthanc;
  PacsNode m_node;
  ingest::Volume m_source;
};

QTEST_GUILESS_MAIN(TestPacs)
#include "tst_pacs.moc"
