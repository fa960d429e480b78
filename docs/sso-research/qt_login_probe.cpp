// qt_login_probe.cpp - minimal Qt 6.4 QOAuth2AuthorizationCodeFlow client with PKCE S256,
// state and nonce added by hand (Qt < 6.8 has no PKCE support, Qt < 6.9 no nonce/idToken).
// It is a probe for run.sh, not product code: no Q_OBJECT, so no moc is needed.
//
// Build (Debian 12: qt6-base-dev, qt6-networkauth-dev):
//   g++ -std=c++17 -fPIC -O0 -o qt_login_probe qt_login_probe.cpp \
//       $(pkg-config --cflags --libs Qt6Core Qt6Network Qt6NetworkAuth)
//
// Usage: qt_login_probe AUTH_URL TOKEN_URL CLIENT_ID CALLBACK_PORT
// Prints (one per line, flushed):
//   NONCE <nonce>
//   AUTH_URL <url the browser must open>
//   TOKEN_ERROR <http status> <body>        (token endpoint refused; Qt 6.4 itself stays silent)
//   AUTH_ERROR <error> <description>        (error=... came back on the redirect)
//   GRANTED
//   ID_TOKEN <jwt>
// Exit: 0 granted, 2 error, 3 timeout (10 s).
#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtCore/QTextStream>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetworkAuth/QOAuth2AuthorizationCodeFlow>
#include <QtNetworkAuth/QOAuthHttpServerReplyHandler>

static QByteArray randomUrlSafe(int bytes) {
  // QAbstractOAuth::generateRandomString() in 6.4 is std::mt19937 seeded with the clock: not for secrets.
  QByteArray raw(bytes, Qt::Uninitialized);
  QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(raw.data()),
                                       reinterpret_cast<quint32 *>(raw.data() + (bytes & ~3)));
  return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  app.setApplicationName("nesa");
  if (argc < 5) { qCritical("usage: qt_login_probe AUTH_URL TOKEN_URL CLIENT_ID CALLBACK_PORT"); return 1; }
  QTextStream out(stdout);
  auto say = [&out](const QString &s) { out << s << Qt::endl; };

  const QByteArray verifier = randomUrlSafe(48);                       // 64 chars, RFC 7636 43..128
  const QByteArray challenge = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                 .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
  const QString nonce = QString::fromLatin1(randomUrlSafe(24));
  say("NONCE " + nonce);

  // Pass our own QNetworkAccessManager: in 6.4 flow.networkAccessManager() is nullptr until first use.
  QNetworkAccessManager nam;
  QOAuth2AuthorizationCodeFlow flow(&nam);
  flow.setAuthorizationUrl(QUrl(QString::fromLocal8Bit(argv[1])));
  flow.setAccessTokenUrl(QUrl(QString::fromLocal8Bit(argv[2])));
  flow.setClientIdentifier(QString::fromLocal8Bit(argv[3]));
  flow.setScope("openid");
  flow.setState(QString::fromLatin1(randomUrlSafe(24)));               // replace the weak default state

  // Loopback only (the default constructor listens on QHostAddress::Any), fixed port, explicit path:
  // callback() then is exactly "http://127.0.0.1:<port>/callback", the registered redirect_uri.
  auto *handler = new QOAuthHttpServerReplyHandler(QHostAddress::LocalHost,
                                                   quint16(QString::fromLocal8Bit(argv[4]).toUInt()), &app);
  if (!handler->isListening()) { qCritical("cannot listen on callback port"); return 2; }
  handler->setCallbackPath("/callback");
  handler->setCallbackText("Signed in to Nesa. You can close this tab.");
  flow.setReplyHandler(handler);

  flow.setModifyParametersFunction([&](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *p) {
    switch (stage) {
    case QAbstractOAuth::Stage::RequestingAuthorization:
      p->insert("code_challenge", QString::fromLatin1(challenge));
      p->insert("code_challenge_method", "S256");
      p->insert("nonce", nonce);
      break;
    case QAbstractOAuth::Stage::RequestingAccessToken:
      p->insert("code_verifier", QString::fromLatin1(verifier));
      break;
    default:
      break;
    }
  });

  QObject::connect(&flow, &QAbstractOAuth::authorizeWithBrowser, [&](const QUrl &url) {
    say("AUTH_URL " + url.toString(QUrl::FullyEncoded));               // a real CLI: QDesktopServices::openUrl
  });
  QObject::connect(&flow, &QAbstractOAuth2::error, [&](const QString &e, const QString &d, const QUrl &) {
    say("AUTH_ERROR " + e + " " + d); app.exit(2);
  });
  // Qt 6.4's reply handler drops non-2xx token responses with only a qWarning; catch them here.
  // (QNetworkReply::finished fires first; on error the handler returns before readAll(), so the body is still there.)
  QObject::connect(&nam, &QNetworkAccessManager::finished, [&](QNetworkReply *r) {
    if (r->error() != QNetworkReply::NoError) {
      say(QString("TOKEN_ERROR %1 %2").arg(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt())
            .arg(QString::fromUtf8(r->readAll())));
      app.exit(2);
    }
  });
  QObject::connect(&flow, &QAbstractOAuth::granted, [&]() {
    say("GRANTED");
    say("ID_TOKEN " + flow.extraTokens().value("id_token").toString());
    app.exit(0);
  });
  QTimer::singleShot(10000, [&]() { say("TIMEOUT"); app.exit(3); });

  flow.grant();
  return app.exec();
}
