// A real PACS for the tests: Orthanc (Debian's package) with its DICOMweb plugin, started on free
// loopback ports in a folder of the test's own, as an unprivileged user when the test runs as
// root, and stopped when the object goes.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include "server_process.h"

#include <unistd.h>

#include <optional>

namespace nesa::testing {

class OrthancServer {
public:
  static constexpr const char *kAeTitle = "ORTHANC";

  /// DICOM over TLS: Orthanc's certificate and key, and what it trusts (PEM files in the
  /// folder given to start()). Callers need no certificate of their own.
  struct Tls {
    QString certificate, privateKey, trusted;
  };

  /// Starts Orthanc with its storage in `folder`, answering the AE titles in `knownCallers`
  /// (their own port is never used: the tests only query and retrieve with C-GET), over TLS
  /// when `tls` is given. An empty string on success, else what went wrong.
  QString start(const QString &folder, const QStringList &knownCallers,
                const std::optional<Tls> &tls = std::nullopt) {
    const QString program = QStandardPaths::findExecutable("Orthanc", {"/usr/sbin", "/usr/bin"});
    if (program.isEmpty())
      return "Orthanc is missing: scripts/install-deps.sh installs it";
    { // two different ports, both free now (held together so they cannot be the same)
      QTcpServer dicom, http;
      dicom.listen(QHostAddress::LocalHost, 0);
      http.listen(QHostAddress::LocalHost, 0);
      m_dicomPort = dicom.serverPort();
      m_httpPort = http.serverPort();
    }
    QDir().mkpath(folder + "/storage");
    QJsonObject modalities;
    for (const QString &caller : knownCallers)
      modalities[caller.toLower()] = QJsonArray{caller, "127.0.0.1", 1};
    QJsonObject config{
        {"Name", "nesa-test"},
        {"StorageDirectory", folder + "/storage"},
        {"IndexDirectory", folder + "/storage"},
        {"DicomAet", kAeTitle},
        {"DicomPort", m_dicomPort},
        {"HttpPort", m_httpPort},
        {"RemoteAccessAllowed", false},
        {"AuthenticationEnabled", false},
        {"DicomCheckCalledAet", true},
        {"DicomModalities", modalities},
        {"Plugins", QJsonArray{"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"}},
    };
    if (tls) {
      config["DicomTlsEnabled"] = true;
      config["DicomTlsCertificate"] = tls->certificate;
      config["DicomTlsPrivateKey"] = tls->privateKey;
      config["DicomTlsTrustedCertificates"] = tls->trusted;
      config["DicomTlsRemoteCertificateRequired"] = false;
    }
    QFile file(folder + "/orthanc.json");
    if (!file.open(QIODevice::WriteOnly))
      return "cannot write " + file.fileName();
    file.write(QJsonDocument(config).toJson());
    file.close();
    // As nobody when the test runs as root, in its folder made writable for that.
    return m_server.start("Orthanc", program, {"--no-jobs", file.fileName()}, folder, m_dicomPort);
  }

  void stop() { m_server.stop(); }

  /// "ORTHANC@127.0.0.1:PORT".
  QString address() const { return QString("%1@127.0.0.1:%2").arg(kAeTitle).arg(m_dicomPort); }
  quint16 dicomPort() const { return m_dicomPort; }
  /// "http://127.0.0.1:PORT": Orthanc's REST API and DICOMweb under /dicom-web/.
  QString url() const { return QString("http://127.0.0.1:%1").arg(m_httpPort); }

  /// A port nothing listens on at this moment.
  static quint16 freePort() {
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
  }

private:
  ServerProcess m_server;
  quint16 m_dicomPort = 0;
  quint16 m_httpPort = 0;
};

/// A Node script of tests/ that serves HTTP(S) on a free loopback port it prints, until its
/// standard input closes: tests/https_proxy.cjs (an https front for Orthanc, as hospitals put a
/// TLS proxy before their PACS's DICOMweb; Orthanc 1.10.1's own HTTPS resets the connection and
/// exits on the first request on Debian 12) or tests/dicomweb_faults.cjs.
class NodeServer {
public:
  ~NodeServer() { stop(); }

  /// Runs tests/`script` with `arguments`. Empty on success, else what went wrong.
  QString start(const QString &script, const QStringList &arguments) {
    m_process.start("node",
                    QStringList{QStringLiteral(NESA_SOURCE_DIR "/tests/") + script} + arguments);
    if (!m_process.waitForStarted(10000))
      return "node did not start: " + m_process.errorString();
    if (!m_process.waitForReadyRead(20000))
      return script + " did not start: " + QString::fromUtf8(m_process.readAllStandardError());
    m_port = m_process.readLine().trimmed().toUShort();
    return m_port == 0 ? script + " said no port" : QString();
  }

  void stop() {
    if (m_process.state() == QProcess::NotRunning)
      return;
    m_process.closeWriteChannel(); // it ends when its input does
    if (!m_process.waitForFinished(5000)) {
      m_process.kill();
      m_process.waitForFinished(5000);
    }
  }

  quint16 port() const { return m_port; }

private:
  QProcess m_process;
  quint16 m_port = 0;
};

/// Runs curl and returns its output (empty when it fails): `arguments` after the URL.
inline QByteArray curl(const QString &url, const QStringList &arguments = {}) {
  QProcess process;
  process.start("curl", QStringList{"-sS", "--fail", url} + arguments);
  if (!process.waitForFinished(30000) || process.exitCode() != 0)
    return {};
  return process.readAllStandardOutput();
}

} // namespace nesa::testing
