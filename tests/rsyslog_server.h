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

#include <unistd.h>

namespace nesa::testing {

class RsyslogServer {
public:
  ~RsyslogServer() { stop(); }

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
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // rsyslogd dies with the test process, even when the test crashes (--pdeathsig).
    QStringList arguments{"--pdeathsig=TERM",
                          "--",
                          program,
                          "-n",
                          "-f",
                          config.fileName(),
                          "-i",
                          folder + "/rsyslogd.pid",
                          "-M",
                          "/usr/lib/x86_64-linux-gnu/rsyslog"};
    if (geteuid() == 0) {
      // A repository needs no privileges (its port is above 1024): run it as nobody, in its
      // folder made readable and writable for that (test keys only).
      QProcess::execute("chmod", {"-R", "a+rwX", folder});
      QProcess::execute("chmod", {"a+x", QFileInfo(folder).absolutePath()}); // to reach it
      arguments = QStringList{"--reuid=65534", "--regid=65534", "--clear-groups"} + arguments;
    }
    m_process.start("setpriv", arguments);
    if (!m_process.waitForStarted(10000))
      return "rsyslogd did not start: " + m_process.errorString();
    for (int i = 0; i < 200; ++i) { // up to 20 s for the port to open
      QTcpSocket probe;
      probe.connectToHost("127.0.0.1", m_port);
      if (probe.waitForConnected(100))
        return {};
      if (m_process.state() == QProcess::NotRunning)
        return "rsyslogd stopped: " + QString::fromUtf8(m_process.readAll().right(2000));
      QThread::msleep(100);
    }
    return "rsyslogd did not open its port";
  }

  void stop() {
    if (m_process.state() == QProcess::NotRunning)
      return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
      m_process.kill();
      m_process.waitForFinished(5000);
    }
  }

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
  QProcess m_process;
  quint16 m_port = 0;
  QString m_received;
};

} // namespace nesa::testing
