#include "process_sign_in_backend.h"

#include "policy/enforcement.h"
#include "sibling_command.h"
#include "util/config.h"
#include "util/paths.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QUrl>

namespace nesa::app {
namespace {

QString tr(const char *text) { return QCoreApplication::translate("SignInBar", text); }

/// The sign-in page's address in one of `nesa login --json`'s lines ({"event": "open", "url":
/// ...}), when the browser may open it: https, or http to this computer (a test provider),
/// nothing else; empty otherwise.
QString signInAddress(const QByteArray &line) {
  const QJsonObject event = QJsonDocument::fromJson(line).object();
  if (event[u"event"].toString() != QLatin1String("open"))
    return {};
  const QString address = event[u"url"].toString();
  const QUrl url(address, QUrl::StrictMode);
  if (!url.isValid() || url.host().isEmpty())
    return {};
  const bool loopback =
      url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("::1");
  if (url.scheme() == QLatin1String("https") || (url.scheme() == QLatin1String("http") && loopback))
    return address;
  return {};
}

} // namespace

ProcessSignInBackend::ProcessSignInBackend(QString configPath, OpenAddress openAddress)
    : m_configPath(std::move(configPath)), m_openAddress(std::move(openAddress)) {
  if (!m_openAddress)
    m_openAddress = [](const QString &url) {
      QMetaObject::invokeMethod(qApp, [url] { QDesktopServices::openUrl(QUrl(url)); });
    };
}

QStringList ProcessSignInBackend::loginArguments(const QStringList &args) const {
  QStringList all{QStringLiteral("login")};
  if (!m_configPath.isEmpty())
    all << QStringLiteral("--config") << m_configPath;
  return all + args;
}

ui::SignInState ProcessSignInBackend::state() {
  ui::SignInState state;
  const auto config = loadConfigOrDefault(m_configPath.toStdString());
  const auto dataDir = config ? config->effectiveDataDir() : paths::dataDir();
  const auto sessionFile = policy::signInSessionFile(dataDir);
  const auto now = QDateTime::currentMSecsSinceEpoch();
  const auto installed = policy::Enforcement::load(policy::installedPolicyFolder(),
                                                   policy::currentIdentity(), now, sessionFile);
  if (installed.policy() && installed.policy()->signIn)
    state.provider = QString::fromStdString(installed.policy()->signIn->issuer);
  QFile file(QString::fromStdString(sessionFile.string()));
  if (!file.open(QIODevice::ReadOnly))
    return state; // nobody signed in
  const QJsonObject kept = QJsonDocument::fromJson(file.readAll()).object();
  state.person = kept[u"userName"].toString();
  if (state.person.isEmpty()) {
    state.person = tr("someone");
    state.problem = tr("the kept sign-in is damaged");
    return state;
  }
  state.expires = QDateTime::fromSecsSinceEpoch(kept[u"expiresAt"].toInteger(), Qt::UTC);
  if (!state.provider.isEmpty() && !installed.signInProblem().empty())
    state.problem = QString::fromStdString(installed.signInProblem());
  return state;
}

QString ProcessSignInBackend::signIn(const std::atomic<bool> &cancelled) {
  QProcess login;
  login.start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa"),
              loginArguments({QStringLiteral("--no-browser"), QStringLiteral("--json")}));
  if (!login.waitForStarted(10000))
    return tr("nesa login did not start");
  QByteArray answered; // its JSON lines
  bool opened = false;
  while (login.state() != QProcess::NotRunning) {
    if (cancelled.load()) {
      login.kill();
      login.waitForFinished(5000);
      return tr("cancelled");
    }
    login.waitForReadyRead(100);
    answered += login.readAllStandardOutput();
    if (!opened) { // {"event": "open", "url": ...} names the sign-in page
      QList<QByteArray> lines = answered.split('\n');
      lines.removeLast(); // not ended yet
      for (const QByteArray &line : lines)
        if (const QString address = signInAddress(line); !address.isEmpty()) {
          m_openAddress(address);
          opened = true;
          break;
        }
    }
  }
  const CommandAnswer answer{login.exitStatus() == QProcess::NormalExit ? login.exitCode() : -1,
                             {},
                             QString::fromUtf8(login.readAllStandardError())};
  return answer.code == 0 ? QString() : failureReason(answer, tr("nesa login failed"));
}

QString ProcessSignInBackend::signOut() {
  const CommandAnswer answer =
      runSibling(QStringLiteral("nesa"), loginArguments({QStringLiteral("--forget")}));
  return answer.code == 0 ? QString() : failureReason(answer, tr("nesa login --forget failed"));
}

} // namespace nesa::app
