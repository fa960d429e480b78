// A real audit repository for the tests: rsyslogd (Debian's package, with its GnuTLS driver)
// listening for syslog over TLS (RFC 5425) on a free loopback port, as an unprivileged user when
// the test runs as root, writing each message it receives to a file in the test's folder, and
// stopped when the object goes.
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include "server_process.h"

namespace nesa::testing {

class RsyslogServer {
public:
  /// Starts rsyslogd in `folder`, serving TLS with `certificate` and `privateKey` (PEM) signed
  /// by `authority`. An empty string on success, else what went wrong.
  QString start(const QString &folder, const QString &certificate, const QString &privateKey,
                const QString &authority) {
    const QString program = QStandardPaths::findExecutable("rsyslogd", {"/usr/sbin"});
    if (program.isEmpty())
      return "rsyslogd is missing: scripts/install-deps.sh installs rsyslog and rsyslog-gnutls";
    {
      QTcpServer probe;
      probe.listen(QHostAddress::LocalHost, 0);
      m_port = probe.serverPort();
    }
    m_received = folder + "/received.log";
    QFile config(folder + "/rsyslog.conf");
    if (!config.open(QIODevice::WriteOnly))
      return "cannot write " + config.fileName();
    // Each message on one line of the file as it arrived (its line feeds escaped by rsyslog).
    config.write(QStringLiteral(R"(global(workDirectory="%1"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="%2"
  defaultNetstreamDriverCertFile="%3"
  defaultNetstreamDriverKeyFile="%4"
  maxMessageSize="64k")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1"
       streamDriver.authMode="anon")
input(type="imtcp" address="127.0.0.1" port="%5")
template(name="whole" type="string" string="%msgid% %rawmsg%\n")
action(type="omfile" file="%6" template="whole")
)")
                     .arg(folder, authority, certificate, privateKey)
                     .arg(m_port)
                     .arg(m_received)
                     .toUtf8());
    config.close();
    return m_server.start("rsyslogd", program,
                          {"-n", "-f", config.fileName(), "-i", folder + "/rsyslogd.pid", "-M",
                           "/usr/lib/x86_64-linux-gnu/rsyslog"},
                          folder, m_port);
  }

  void stop() { m_server.stop(); }

  quint16 port() const { return m_port; }

  /// The received messages' lines ("MSGID RAWMESSAGE"), once at least `count` have arrived
  /// (waits up to 20 s; fewer if they do not).
  QStringList received(int count) const {
    QElapsedTimer waited;
    waited.start();
    QStringList lines;
    do {
      QFile file(m_received);
      if (file.open(QIODevice::ReadOnly))
        lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
      if (lines.size() >= count)
        break;
      QThread::msleep(100);
    } while (waited.elapsed() < 20000);
    return lines;
  }

private:
  ServerProcess m_server;
  quint16 m_port = 0;
  QString m_received;
};

} // namespace nesa::testing
