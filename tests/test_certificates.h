// Certificates for TLS tests, made with the openssl command: a test authority, a server
// certificate it signed for 127.0.0.1, and an unrelated authority.
#pragma once

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace nesa::testing {

/// Writes into `folder`: ca.pem and ca.key (the authority), NAME.pem and NAME.key (a certificate
/// the authority signed, naming IP 127.0.0.1), other.pem (another authority). False on failure.
inline bool makeTestCertificates(const QString &folder, const QString &name) {
  const auto openssl = [&](const QStringList &arguments) {
    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(QStringLiteral("openssl"), arguments);
    return process.waitForFinished(60000) && process.exitCode() == 0;
  };
  const QStringList key{"-newkey", "rsa:2048", "-nodes", "-days", "2"};
  QFile names(folder + "/names.ext"); // the certificate names the address it serves
  if (!names.open(QIODevice::WriteOnly))
    return false;
  names.write("subjectAltName=IP:127.0.0.1\n");
  names.close();
  return openssl(QStringList{"req", "-x509"} + key +
                 QStringList{"-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Test CA"}) &&
         openssl(QStringList{"req"} + key +
                 QStringList{"-keyout", name + ".key", "-out", name + ".csr", "-subj",
                             "/CN=" + name}) &&
         openssl({"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                  "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile",
                  "names.ext"}) &&
         openssl(
             QStringList{"req", "-x509"} + key +
             QStringList{"-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=Another CA"});
}

} // namespace nesa::testing
