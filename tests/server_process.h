// A real server for a test (Orthanc, rsyslogd): started through setpriv so that it dies with the
// test process, as nobody when the test runs as root, waited for until its port accepts, and
// stopped when the object goes.
#pragma once

#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpSocket>
#include <QThread>

#include <unistd.h>

namespace nesa::testing {

class ServerProcess {
public:
  ~ServerProcess() { stop(); }

  /// Starts `program` with `arguments`, working in `folder` (made readable and writable for
  /// nobody when the test runs as root: test data only), and waits up to 30 s for 127.0.0.1:
  /// `port` to accept. An empty string on success, else what went wrong, named after `name`.
  QString start(const QString &name, const QString &program, const QStringList &arguments,
                const QString &folder, quint16 port) {
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // --pdeathsig: the server dies with the test process, even when the test crashes.
    QStringList wrapped = QStringList{"--pdeathsig=TERM", "--", program} + arguments;
    if (geteuid() == 0) { // a test server needs no privileges (its ports are above 1024)
      QProcess::execute("chmod", {"-R", "a+rwX", folder});
      QProcess::execute("chmod", {"a+x", QFileInfo(folder).absolutePath()}); // to reach it
      wrapped = QStringList{"--reuid=65534", "--regid=65534", "--clear-groups"} + wrapped;
    }
    m_process.start("setpriv", wrapped);
    if (!m_process.waitForStarted(10000))
      return name + " did not start: " + m_process.errorString();
    for (int i = 0; i < 300; ++i) {
      QTcpSocket probe;
      probe.connectToHost("127.0.0.1", port);
      if (probe.waitForConnected(100))
        return {};
      if (m_process.state() == QProcess::NotRunning)
        return name + " stopped: " + QString::fromUtf8(m_process.readAll().right(2000));
      QThread::msleep(100);
    }
    return name + " did not open its port " + QString::number(port);
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

private:
  QProcess m_process;
};

} // namespace nesa::testing
